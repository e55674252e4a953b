"""Daily digest posts on Discord: compose a digest, and the loop that posts each channel's daily.

What is due and what was already delivered live in ``bot.subscriptions`` (no Discord there):
it claims each post, resumes one cut off by a crash or a refused message with only what did not
go out, and records each message as it lands. This module renders the messages, implements its
``Channel`` for a Discord channel (Discord's errors become ``DeliveryError``s; a message is found
again by its fingerprint), and runs the loop, which sleeps until the next post is due (never
longer than an hour) and takes "now" from ``discord.utils.utcnow()``.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot.discord.lifecycle import finish_or_abandon
from bot.discord.limits import group
from bot.discord.listings import digest_header, digest_topic_embeds
from bot.errors import DispatchError
from bot.subscriptions import RETRY_TRANSIENT, Composed, DeliveryError, Due, Message

if TYPE_CHECKING:
    from bot.discord.app import DispatchBot

log = logging.getLogger(__name__)

RETRY_AFTER_ERROR = timedelta(minutes=1)
HISTORY_LOOKBACK = 50  # messages read back to find one Discord took before we recorded it
DEFAULT_WINDOW = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Part:
    """One message of a digest: its text, its embeds, and the topics whose last page it carries."""

    content: str | None
    embeds: list[discord.Embed]
    topics: tuple[str, ...]
    view: discord.ui.View | None = None  # buttons under it (an alert's "Full briefing")

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


def delivery_error(exc: BaseException) -> DeliveryError | None:
    """Discord's or the network's failure as a ``DeliveryError``; None for anything else (a bug)."""
    if isinstance(exc, DeliveryError):
        return exc
    if isinstance(exc, discord.HTTPException):  # Discord answered: the message is not there
        gone = isinstance(exc, discord.NotFound)
        return DeliveryError(describe_failure(exc), transient=exc.status >= 500, gone=gone)
    if isinstance(exc, asyncio.TimeoutError | aiohttp.ClientError | ConnectionError):
        return DeliveryError(describe_failure(exc), transient=True, certain=False)
    if isinstance(exc, DispatchError):
        return DeliveryError(str(exc))
    return None


class DiscordChannel:
    """A Discord channel as the subscriptions' ``Channel``: it posts a part, and finds one again."""

    def __init__(self, bot: DispatchBot, channel: discord.abc.Messageable, channel_id: int) -> None:
        self.bot = bot
        self.channel = channel
        self.channel_id = channel_id

    async def post(self, payload: Part) -> int:
        """Send one message; Discord's refusal raises a ``DeliveryError``."""
        try:
            if payload.view is None:
                message = await self.channel.send(payload.content, embeds=payload.embeds)
            else:
                message = await self.channel.send(
                    payload.content, embeds=payload.embeds, view=payload.view
                )
        except Exception as exc:
            error = delivery_error(exc)
            if error is None:
                raise
            raise error from exc
        return message.id

    async def find(self, wanted: str, since: datetime) -> int | None:
        """The id of our message with this fingerprint posted after ``since``, if Discord has one."""
        me = self.bot.user
        try:
            async for message in self.channel.history(limit=HISTORY_LOOKBACK, after=since):
                mine = me is not None and message.author.id == me.id
                if mine and fingerprint(message.content, message.embeds) == wanted:
                    return message.id
        except discord.HTTPException as exc:
            log.warning(
                "cannot read back channel %s (%s): a digest message may be posted twice",
                self.channel_id,
                describe_failure(exc),
            )
        return None


class DigestPoster:
    """Composes digests from the service and hands them to the subscriptions to deliver."""

    def __init__(self, bot: DispatchBot) -> None:
        self.bot = bot

    async def compose(
        self,
        since: datetime,
        *,
        until: datetime | None = None,
        cutoffs: Mapping[str, datetime] | None = None,
        header: bool = True,
        topics: Sequence[str] | None = None,
    ) -> Digest:
        """The digest of what was first seen after ``since`` (a topic's cut-off, if later) and by
        ``until``, of ``topics`` only when a channel is limited to some (those that still exist)."""
        service = self.bot.service
        briefings = await asyncio.to_thread(
            service.digest, since, until=until, cutoffs=cutoffs, only=topics
        )
        head = digest_header(since, briefings)
        parts = split(head if header else None, digest_topic_embeds(briefings))
        return Digest(head, parts, not briefings)

    async def _composed(
        self,
        since: datetime,
        until: datetime,
        cutoffs: Mapping[str, datetime],
        header: bool,
        *,
        topics: Sequence[str] | None = None,
    ) -> Composed[Part]:
        digest = await self.compose(
            since, until=until, cutoffs=cutoffs, header=header, topics=topics
        )
        messages = [Message(p, p.topics, p.fingerprint) for p in digest.parts]
        return Composed(messages, digest.empty)

    async def channel(self, channel_id: int) -> discord.abc.Messageable:
        """A channel from the cache, or fetched (raises NotFound when it was deleted)."""
        found = self.bot.get_channel(channel_id)
        if found is None:
            found = await self.bot.fetch_channel(channel_id)
        if not isinstance(found, discord.abc.Messageable):
            raise DispatchError("that channel cannot hold messages")
        return found

    async def open(self, channel_id: int) -> DiscordChannel:
        """A channel as the subscriptions' ``Channel``; failing to reach it is a ``DeliveryError``."""
        try:
            return DiscordChannel(self.bot, await self.channel(channel_id), channel_id)
        except Exception as exc:
            error = delivery_error(exc)
            if error is None:
                raise
            raise error from exc

    async def send(self, channel: discord.abc.Messageable, digest: Digest) -> None:
        """Post a whole digest, unrecorded (``digest now``)."""
        for part in digest.parts:
            await channel.send(part.content, embeds=part.embeds)

    async def post_scheduled(self, due: Due) -> str:
        """Deliver one channel's scheduled post through the subscriptions; how it ended."""
        channel_id = due.config.channel_id

        async def open_channel() -> DiscordChannel:
            return await self.open(channel_id)

        compose = functools.partial(self._composed, topics=due.config.topics)
        return await self.bot.service.subscriptions.post(due, open_channel, compose)


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
        due, wake = await asyncio.to_thread(self.bot.service.subscriptions.due, now)
        for item in due:
            self._post = asyncio.ensure_future(self.poster.post_scheduled(item))
            if await asyncio.shield(self._post) == "retry":
                wake = min(wake, now + RETRY_TRANSIENT)
        return wake
