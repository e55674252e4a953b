"""Daily digest posts: compose and send a digest, and the loop that posts each channel's once a day.

The loop sleeps until the next post is due (never longer than an hour, so a suspended host or a
changed zone database is noticed), takes "now" from ``discord.utils.utcnow()``, and claims each
post in the database before sending it: a restart or a second process never posts a day twice.
Each message of a post is recorded as it lands, with the topics it completed, so a post cut off
(a crash, a refused or lost message) is resumed with only what did not go out: from the same
claim (taken back once it is stale), or from the next day's post.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import aiohttp
import discord

from bot import schedule
from bot.discord.lifecycle import finish_or_abandon
from bot.discord.limits import group
from bot.discord.listings import digest_header, digest_topic_embeds
from bot.errors import DispatchError
from bot.store.deliveries import Delivery
from bot.store.digests import Claim, DigestChannel

if TYPE_CHECKING:
    from bot.discord.app import DispatchBot

log = logging.getLogger(__name__)

MAX_SLEEP = timedelta(hours=1)
RETRY_AFTER_ERROR = timedelta(minutes=1)
RETRY_TRANSIENT = timedelta(minutes=5)  # a post Discord failed to take is tried again ...
MAX_ATTEMPTS = 3  # ... up to this many times a day (a dead post's claim taken back counts too)
HISTORY_LOOKBACK = 50  # messages read back to find one Discord took before we recorded it
DEFAULT_WINDOW = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Part:
    """One message of a digest: its text, its embeds, and the topics whose last page it carries."""

    content: str | None
    embeds: list[discord.Embed]
    topics: tuple[str, ...]

    @property
    def fingerprint(self) -> str:
        """What identifies this message among the channel's messages (see ``fingerprint``)."""
        return fingerprint(self.content, self.embeds)


@dataclass(frozen=True, slots=True)
class Digest:
    """A composed digest: the line above it and its messages."""

    header: str
    parts: list[Part]
    empty: bool

    @property
    def embeds(self) -> list[discord.Embed]:
        """Every embed, in order."""
        return [e for part in self.parts for e in part.embeds]


def fingerprint(content: str | None, embeds: Sequence[discord.Embed]) -> str:
    """A hash of a message's text and embeds, equal for what was sent and what Discord shows."""
    shown = [content or "", [(e.title or "", e.description or "") for e in embeds]]
    return hashlib.sha256(json.dumps(shown).encode()).hexdigest()[:32]


def split(header: str | None, topics: Sequence[tuple[str, list[discord.Embed]]]) -> list[Part]:
    """Messages within Discord's limits; the header (if any) goes with the first."""
    tagged = [(slug, i == len(pages) - 1) for slug, pages in topics for i in range(len(pages))]
    batches = group([e for _, pages in topics for e in pages])
    if not batches:
        return [Part(header, [], ())] if header else []
    parts, start = [], 0
    for n, batch in enumerate(batches):
        done = tuple(slug for slug, last in tagged[start : start + len(batch)] if last)
        parts.append(Part(header if n == 0 else None, batch, done))
        start += len(batch)
    return parts


def describe_failure(exc: BaseException) -> str:
    """One line an admin can act on."""
    if isinstance(exc, discord.NotFound):
        return "the channel no longer exists (its daily digest was turned off)"
    if isinstance(exc, discord.Forbidden):
        return "I am not allowed to post there (check my View Channel, Send Messages and Embed Links permissions)"
    if isinstance(exc, discord.HTTPException):
        return f"Discord refused the post ({exc.status}: {exc.text or 'no detail'})"
    if isinstance(exc, DispatchError):
        return str(exc)
    return f"an internal error ({type(exc).__name__}); it has been logged"


def transient(exc: BaseException) -> bool:
    """A failure that may pass by itself: Discord's 5xx, a timeout, a dropped connection."""
    if isinstance(exc, discord.HTTPException):
        return exc.status >= 500
    return isinstance(exc, asyncio.TimeoutError | aiohttp.ClientError | ConnectionError)


class DigestPoster:
    """Composes digests from the service and sends them to channels, one recorded message at a time."""

    def __init__(self, bot: DispatchBot) -> None:
        self.bot = bot

    @property
    def stale_after(self) -> timedelta:
        """How long a claim may go without progress before its post counts as dead."""
        return timedelta(minutes=self.bot.settings.digest_claim_timeout_minutes)

    async def compose(
        self,
        since: datetime,
        *,
        until: datetime | None = None,
        cutoffs: Mapping[str, datetime] | None = None,
        header: bool = True,
    ) -> Digest:
        """The digest of what was first seen after ``since`` (a topic's cut-off, if later) and by ``until``."""
        service = self.bot.service
        briefings = await asyncio.to_thread(service.digest, since, until=until, cutoffs=cutoffs)
        head = digest_header(since, briefings)
        parts = split(head if header else None, digest_topic_embeds(briefings))
        return Digest(head, parts, not briefings)

    async def channel(self, channel_id: int) -> discord.abc.Messageable:
        """A channel from the cache, or fetched (raises NotFound when it was deleted)."""
        found = self.bot.get_channel(channel_id)
        if found is None:
            found = await self.bot.fetch_channel(channel_id)
        if not isinstance(found, discord.abc.Messageable):
            raise DispatchError("that channel cannot hold messages")
        return found

    async def send(self, channel: discord.abc.Messageable, digest: Digest) -> None:
        """Post a whole digest, unrecorded (``digest now``)."""
        for part in digest.parts:
            await channel.send(part.content, embeds=part.embeds)

    async def post_scheduled(self, config: DigestChannel, day: date, due: datetime) -> str:
        """Claim (or resume), compose and send one channel's post for ``day``; return how it ended."""
        repo = self.bot.service.store.digests
        now = discord.utils.utcnow()
        claim = await asyncio.to_thread(
            repo.claim, config.channel_id, day, due, now, self.stale_after
        )
        if claim is None:
            return "taken"
        if claim.attempt > MAX_ATTEMPTS:  # it died mid-post that often: give the day up
            await self._failed(config, day, DispatchError(f"gave up after {MAX_ATTEMPTS} attempts"))
            return "failed"
        try:
            channel = await self.channel(config.channel_id)
            outcome = await self._resume(channel, config, claim)
        except Exception as exc:  # a failed post is recorded, never fatal to the loop
            if transient(exc) and claim.attempt < MAX_ATTEMPTS:
                await asyncio.to_thread(repo.release, config.channel_id, day)
                log.warning(
                    "daily digest for %s in channel %s failed (%s); retrying in %s",
                    day,
                    config.channel_id,
                    describe_failure(exc),
                    RETRY_TRANSIENT,
                )
                return "retry"
            await self._failed(config, day, exc)
            return "failed"
        await asyncio.to_thread(repo.finish, config.channel_id, day, outcome, "", claim.until)
        log.info("%s the daily digest for %s in channel %s", outcome, day, config.channel_id)
        return outcome

    async def _resume(
        self, channel: discord.abc.Messageable, config: DigestChannel, claim: Claim
    ) -> str:
        """Send what of this post has not gone out yet; ``sent`` or ``skipped``."""
        deliveries = self.bot.service.store.deliveries
        records = await self._reconcile(channel, claim)
        cutoffs = await asyncio.to_thread(deliveries.topic_cutoffs, config.channel_id)
        sent_before = any(r.sent for r in records)
        digest = await self.compose(
            config.cutoff, until=claim.until, cutoffs=cutoffs, header=not sent_before
        )
        if digest.empty and not sent_before and self.bot.settings.digest_when_empty == "skip":
            return "skipped"
        first = max((r.part for r in records), default=-1) + 1
        for number, part in enumerate(digest.parts, first):
            await self._deliver(channel, claim, number, part)
        return "sent"

    async def _deliver(
        self, channel: discord.abc.Messageable, claim: Claim, number: int, part: Part
    ) -> None:
        """Send one message, recorded before (it may land unheard) and after (it landed)."""
        deliveries = self.bot.service.store.deliveries
        key = (claim.channel_id, claim.local_date, number)
        now = discord.utils.utcnow()
        await asyncio.to_thread(deliveries.sending, *key, part.topics, part.fingerprint, now)
        try:
            message = await channel.send(part.content, embeds=part.embeds)
        except discord.HTTPException:  # Discord answered: the message is not there
            await asyncio.to_thread(deliveries.forget, *key)
            raise
        await asyncio.to_thread(deliveries.delivered, *key, message.id, claim.until)
        repo = self.bot.service.store.digests
        await asyncio.to_thread(repo.heartbeat, claim.channel_id, claim.local_date, now)

    async def _reconcile(self, channel: discord.abc.Messageable, claim: Claim) -> list[Delivery]:
        """Settle messages left ``sending`` by a dead or cut-off attempt: landed or never sent."""
        deliveries = self.bot.service.store.deliveries
        records = await asyncio.to_thread(deliveries.messages, claim.channel_id, claim.local_date)
        for record in records:
            if record.sent:
                continue
            key = (claim.channel_id, claim.local_date, record.part)
            landed = await self._find(channel, claim, record.fingerprint)
            if landed is None:
                await asyncio.to_thread(deliveries.forget, *key)
            else:
                await asyncio.to_thread(deliveries.delivered, *key, landed, claim.until)
        return await asyncio.to_thread(deliveries.messages, claim.channel_id, claim.local_date)

    async def _find(
        self, channel: discord.abc.Messageable, claim: Claim, wanted: str
    ) -> int | None:
        """The id of our message with this fingerprint posted since the claim, if Discord has one."""
        me = self.bot.user
        after = claim.until - timedelta(seconds=1)
        try:
            async for message in channel.history(limit=HISTORY_LOOKBACK, after=after):
                mine = me is not None and message.author.id == me.id
                if mine and fingerprint(message.content, message.embeds) == wanted:
                    return message.id
        except discord.HTTPException as exc:
            log.warning(
                "cannot read back channel %s (%s): a digest message may be posted twice",
                claim.channel_id,
                describe_failure(exc),
            )
        return None

    async def _failed(self, config: DigestChannel, day: date, exc: Exception) -> None:
        detail = describe_failure(exc)
        if isinstance(exc, discord.HTTPException | DispatchError):
            log.warning(
                "daily digest for %s in channel %s failed: %s", day, config.channel_id, detail
            )
        else:
            log.error(
                "daily digest for %s in channel %s failed", day, config.channel_id, exc_info=exc
            )
        repo = self.bot.service.store.digests
        now = discord.utils.utcnow()
        await asyncio.to_thread(repo.finish, config.channel_id, day, "failed", detail)
        await asyncio.to_thread(
            repo.record_failure, config.guild_id, config.channel_id, detail, now
        )
        if isinstance(exc, discord.NotFound):
            await asyncio.to_thread(repo.disable, config.channel_id)


class DigestScheduler:
    """Sleeps until the next due post, posts it, and repeats; ``reschedule`` after a config change."""

    def __init__(self, bot: DispatchBot, poster: DigestPoster) -> None:
        self.bot = bot
        self.poster = poster
        self._task: asyncio.Task[None] | None = None
        self._post: asyncio.Future[str] | None = None  # the post being sent, if any

    def start(self) -> None:
        """Start the loop (idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="dispatch-digest-scheduler")

    def stop(self) -> None:
        """Stop the loop; a post already being sent finishes (it is shielded)."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def aclose(self, grace: float) -> None:
        """Stop the loop; a post in flight gets ``grace`` seconds, then is abandoned (its claim
        goes stale and the next run resumes it with what did not go out)."""
        self.stop()
        await finish_or_abandon(self._post, grace, "daily digest post")

    def reschedule(self) -> None:
        """Recompute the next wake-up now (a schedule was added, changed or removed)."""
        self.stop()
        self.start()

    async def _run(self) -> None:
        while True:
            try:
                wake = await self.tick()
            except Exception:
                log.exception("digest scheduler tick failed; retrying in a minute")
                wake = discord.utils.utcnow() + RETRY_AFTER_ERROR
            await discord.utils.sleep_until(wake)

    async def tick(self) -> datetime:
        """Post every due digest; return when to look again."""
        now = discord.utils.utcnow()
        repo = self.bot.service.store.digests
        wake = now + MAX_SLEEP
        for config in await asyncio.to_thread(repo.enabled):
            try:
                tz = ZoneInfo(config.timezone)
            except (ZoneInfoNotFoundError, ValueError):
                log.warning(
                    "channel %s has an unknown time zone %r", config.channel_id, config.timezone
                )
                continue
            due = schedule.due_slot(now, config.post_time, tz, config.created_at)
            if due:
                stale = self.poster.stale_after
                at = await asyncio.to_thread(repo.takeable_at, config.channel_id, due[0], stale)
                if at is not None and at <= now:
                    self._post = asyncio.ensure_future(self.poster.post_scheduled(config, *due))
                    outcome = await asyncio.shield(self._post)
                    if outcome == "retry":
                        wake = min(wake, now + RETRY_TRANSIENT)
                elif at is not None:  # a claim in flight: take it back if it goes stale
                    wake = min(wake, at + timedelta(seconds=1))
            wake = min(wake, schedule.next_post(now, config.post_time, tz))
        return wake
