"""Daily digest posts: compose and send a digest, and the loop that posts each channel's once a day.

The loop sleeps until the next post is due (never longer than an hour, so a suspended host or a
changed zone database is noticed), takes "now" from ``discord.utils.utcnow()``, and claims each
post in the database before sending it: a restart or a second process never posts a day twice.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import aiohttp
import discord

from bot import schedule
from bot.discord.limits import group
from bot.discord.listings import digest_embeds, digest_header
from bot.errors import DispatchError
from bot.store.digests import DigestChannel

if TYPE_CHECKING:
    from bot.discord.app import DispatchBot

log = logging.getLogger(__name__)

MAX_SLEEP = timedelta(hours=1)
RETRY_AFTER_ERROR = timedelta(minutes=1)
RETRY_TRANSIENT = timedelta(minutes=5)  # a post Discord failed to take is tried again ...
MAX_ATTEMPTS = 3  # ... up to this many times a day, and only if no part of it was sent
DEFAULT_WINDOW = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Digest:
    """A composed digest: the line above it and its embeds."""

    header: str
    embeds: list[discord.Embed]
    empty: bool


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
    """Composes digests from the service and sends them to channels."""

    def __init__(self, bot: DispatchBot) -> None:
        self.bot = bot
        self.attempts: dict[tuple[int, date], int] = {}
        self.sent = 0  # messages of the post being sent that Discord accepted

    async def compose(self, since: datetime) -> Digest:
        """The digest of everything first seen after ``since``."""
        briefings = await asyncio.to_thread(self.bot.service.digest, since)
        return Digest(digest_header(since, briefings), digest_embeds(briefings), not briefings)

    async def channel(self, channel_id: int) -> discord.abc.Messageable:
        """A channel from the cache, or fetched (raises NotFound when it was deleted)."""
        found = self.bot.get_channel(channel_id)
        if found is None:
            found = await self.bot.fetch_channel(channel_id)
        if not isinstance(found, discord.abc.Messageable):
            raise DispatchError("that channel cannot hold messages")
        return found

    async def send(self, channel: discord.abc.Messageable, digest: Digest) -> None:
        """Post a digest, in several messages when its embeds exceed one message's limits."""
        batches = group(digest.embeds) or [[]]
        self.sent = 0
        await channel.send(digest.header, embeds=batches[0])
        self.sent += 1
        for batch in batches[1:]:
            await channel.send(embeds=batch)
            self.sent += 1

    async def post_scheduled(self, config: DigestChannel, day: date, due: datetime) -> str:
        """Claim, compose and send one channel's post for ``day``; return how it ended."""
        repo = self.bot.service.store.digests
        now = discord.utils.utcnow()
        if not await asyncio.to_thread(repo.claim, config.channel_id, day, due, now):
            return "taken"
        self.sent = 0  # nothing of this post has gone out yet
        try:
            channel = await self.channel(config.channel_id)
            digest = await self.compose(config.cutoff)
            if digest.empty and self.bot.settings.digest_when_empty == "skip":
                await asyncio.to_thread(repo.finish, config.channel_id, day, "skipped", "", now)
                return "skipped"
            await self.send(channel, digest)
        except Exception as exc:  # a failed post is recorded, never fatal to the loop
            if self._may_retry(config, day, exc):
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
        await asyncio.to_thread(repo.finish, config.channel_id, day, "sent", "", now)
        log.info("posted the daily digest for %s in channel %s", day, config.channel_id)
        return "sent"

    def _may_retry(self, config: DigestChannel, day: date, exc: Exception) -> bool:
        """A transient failure before any message went out, and attempts left today."""
        key = (config.channel_id, day)
        self.attempts[key] = self.attempts.get(key, 0) + 1
        return transient(exc) and self.sent == 0 and self.attempts[key] < MAX_ATTEMPTS

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

    def start(self) -> None:
        """Start the loop (idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="dispatch-digest-scheduler")

    def stop(self) -> None:
        """Stop the loop; a post already being sent finishes (it is shielded)."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

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
            if due and not await asyncio.to_thread(repo.is_claimed, config.channel_id, due[0]):
                outcome = await asyncio.shield(self.poster.post_scheduled(config, *due))
                if outcome == "retry":
                    wake = min(wake, now + RETRY_TRANSIENT)
            wake = min(wake, schedule.next_post(now, config.post_time, tz))
        return wake
