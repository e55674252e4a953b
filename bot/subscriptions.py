"""What is due for which channel, and what each channel already received (daily digests today).

Discord-free. A delivery surface implements ``Channel`` (post one message; find a message it
posted) and composes its messages; this module claims each post in the database, sends it
message by message through the channel, records each message as it lands (moving the cut-off of
every topic it completed), takes back a claim whose process died, and resumes a post cut off by a
crash or a refused message with only what did not go out. Its rows are keyed by (platform,
channel), so another surface can share the database.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Generic, Protocol, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot import schedule
from bot.clock import Clock
from bot.crash import crash_point
from bot.errors import DispatchError
from bot.settings import Settings
from bot.store import Store
from bot.store.deliveries import Delivery, DeliveryRepo
from bot.store.digests import Claim, DigestChannel, DigestRepo

log = logging.getLogger(__name__)

T = TypeVar("T")  # what a surface sends as one message (on Discord: a line of text and embeds)
T_in = TypeVar("T_in", contravariant=True)

MAX_SLEEP = timedelta(hours=1)
RETRY_TRANSIENT = timedelta(minutes=5)  # a post a channel failed to take is tried again ...
MAX_ATTEMPTS = 3  # ... up to this many times a day (a dead post's claim taken back counts too)


class DeliveryError(DispatchError):
    """A channel did not take a message.

    ``transient``: trying again later may work; ``gone``: the channel no longer exists (its
    subscription is turned off); ``certain``: the surface knows the message is not there (False
    after a timeout: it may have landed, and is looked for before it is sent again).
    """

    def __init__(
        self, detail: str, *, transient: bool = False, gone: bool = False, certain: bool = True
    ) -> None:
        super().__init__(detail)
        self.transient, self.gone, self.certain = transient, gone, certain


@dataclass(frozen=True, slots=True)
class Message(Generic[T]):
    """One message of a post: what the surface sends, the topics whose last page it carries,
    and a fingerprint by which the surface recognises it among the channel's messages."""

    payload: T
    topics: tuple[str, ...]
    fingerprint: str


@dataclass(frozen=True, slots=True)
class Composed(Generic[T]):
    """A post's messages (those still to send), and whether it had no news at all."""

    messages: list[Message[T]]
    empty: bool


class Channel(Protocol[T_in]):
    """Where a post goes; the delivery surface implements it."""

    async def post(self, payload: T_in) -> int:
        """Send one message; its id. Raises ``DeliveryError`` when it was not taken."""
        ...

    async def find(self, fingerprint: str, since: datetime) -> int | None:
        """The id of a message we posted since ``since`` with this fingerprint, if any."""
        ...


class Compose(Protocol[T]):
    """Compose a post: news first seen after ``since`` (a topic's cut-off, if later), by ``until``."""

    def __call__(
        self, since: datetime, until: datetime, cutoffs: Mapping[str, datetime], header: bool
    ) -> Awaitable[Composed[T]]: ...


@dataclass(frozen=True, slots=True)
class Due:
    """A post to send now: a channel's subscription, its local date and its instant."""

    config: DigestChannel
    day: date
    at: datetime


class Subscriptions:
    """Daily digest subscriptions of one platform: what is due, and delivering it exactly once."""

    def __init__(
        self, store: Store, settings: Settings, clock: Clock, *, platform: str = "discord"
    ) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self.digests = DigestRepo(store.db, platform)
        self.deliveries = DeliveryRepo(store.db, platform)

    @property
    def stale_after(self) -> timedelta:
        """How long a claim may go without progress before its post counts as dead."""
        return timedelta(minutes=self.settings.digest_claim_timeout_minutes)

    def due(self, now: datetime) -> tuple[list[Due], datetime]:
        """The posts to send now, and when to look again (never later than an hour)."""
        repo = self.digests
        wake, out = now + MAX_SLEEP, []
        for config in repo.enabled():
            try:
                tz = ZoneInfo(config.timezone)
            except (ZoneInfoNotFoundError, ValueError):
                log.warning(
                    "channel %s has an unknown time zone %r", config.channel_id, config.timezone
                )
                continue
            slot = schedule.due_slot(now, config.post_time, tz, config.created_at)
            at = repo.takeable_at(config.channel_id, slot[0], self.stale_after) if slot else None
            if slot and at is not None and at <= now:
                out.append(Due(config, *slot))
            elif at is not None:  # a claim in flight: take it back if it goes stale
                wake = min(wake, at + timedelta(seconds=1))
            wake = min(wake, schedule.next_post(now, config.post_time, tz))
        return out, wake

    async def post(
        self, due: Due, open_channel: Callable[[], Awaitable[Channel[T]]], compose: Compose[T]
    ) -> str:
        """Claim (or resume) one post and send what of it has not gone out; how it ended:
        ``sent``, ``skipped``, ``retry`` (soon), ``failed`` or ``taken`` (by another run)."""
        config, day = due.config, due.day
        repo = self.digests
        claim = await asyncio.to_thread(
            repo.claim, config.channel_id, day, due.at, self.clock(), self.stale_after
        )
        if claim is None:
            return "taken"
        if claim.attempt > MAX_ATTEMPTS:  # it died mid-post that often: give the day up
            await self._failed(config, day, DeliveryError(f"gave up after {MAX_ATTEMPTS} attempts"))
            return "failed"
        crash_point("digest:claimed")
        try:
            channel = await open_channel()
            outcome = await self._resume(channel, config, claim, compose)
        except Exception as exc:  # a failed post is recorded, never fatal to the caller
            if isinstance(exc, DeliveryError) and exc.transient and claim.attempt < MAX_ATTEMPTS:
                await asyncio.to_thread(repo.release, config.channel_id, day)
                log.warning(
                    "daily digest for %s in channel %s failed (%s); retrying in %s",
                    day,
                    config.channel_id,
                    exc,
                    RETRY_TRANSIENT,
                )
                return "retry"
            await self._failed(config, day, exc)
            return "failed"
        crash_point("digest:delivered")
        await asyncio.to_thread(repo.finish, config.channel_id, day, outcome, "", claim.until)
        log.info("%s the daily digest for %s in channel %s", outcome, day, config.channel_id)
        return outcome

    async def _resume(
        self, channel: Channel[T], config: DigestChannel, claim: Claim, compose: Compose[T]
    ) -> str:
        """Send what of this post has not gone out yet; ``sent`` or ``skipped``."""
        records = await self._reconcile(channel, claim)
        deliveries = self.deliveries
        cutoffs = await asyncio.to_thread(deliveries.topic_cutoffs, config.channel_id)
        sent_before = any(r.sent for r in records)
        post = await compose(config.cutoff, claim.until, cutoffs, not sent_before)
        if post.empty and not sent_before and self.settings.digest_when_empty == "skip":
            return "skipped"
        first = max((r.part for r in records), default=-1) + 1
        for number, message in enumerate(post.messages, first):
            await self._deliver(channel, claim, number, message)
        return "sent"

    async def _deliver(
        self, channel: Channel[T], claim: Claim, number: int, message: Message[T]
    ) -> None:
        """Send one message, recorded before (it may land unheard) and after (it landed)."""
        deliveries = self.deliveries
        key = (claim.channel_id, claim.local_date, number)
        now = self.clock()
        await asyncio.to_thread(deliveries.sending, *key, message.topics, message.fingerprint, now)
        crash_point("digest:sending")
        try:
            message_id = await channel.post(message.payload)
        except DeliveryError as exc:
            if exc.certain:  # the channel answered: the message is not there
                await asyncio.to_thread(deliveries.forget, *key)
            raise
        crash_point("digest:posted")  # the channel has it, the database does not know yet
        await asyncio.to_thread(deliveries.delivered, *key, message_id, claim.until)
        await asyncio.to_thread(self.digests.heartbeat, claim.channel_id, claim.local_date, now)

    async def _reconcile(self, channel: Channel[T], claim: Claim) -> list[Delivery]:
        """Settle messages left ``sending`` by a dead or cut-off attempt: landed or never sent."""
        deliveries = self.deliveries
        records = await asyncio.to_thread(deliveries.messages, claim.channel_id, claim.local_date)
        for record in records:
            if record.sent:
                continue
            key = (claim.channel_id, claim.local_date, record.part)
            landed = await channel.find(record.fingerprint, claim.until - timedelta(seconds=1))
            if landed is None:
                await asyncio.to_thread(deliveries.forget, *key)
            else:
                await asyncio.to_thread(deliveries.delivered, *key, landed, claim.until)
        return await asyncio.to_thread(deliveries.messages, claim.channel_id, claim.local_date)

    async def _failed(self, config: DigestChannel, day: date, exc: Exception) -> None:
        if isinstance(exc, DispatchError):
            detail = str(exc)
            log.warning(
                "daily digest for %s in channel %s failed: %s", day, config.channel_id, detail
            )
        else:
            detail = f"an internal error ({type(exc).__name__}); it has been logged"
            log.error(
                "daily digest for %s in channel %s failed", day, config.channel_id, exc_info=exc
            )
        repo = self.digests
        await asyncio.to_thread(repo.finish, config.channel_id, day, "failed", detail)
        await asyncio.to_thread(
            repo.record_failure, config.guild_id, config.channel_id, detail, self.clock()
        )
        if isinstance(exc, DeliveryError) and exc.gone:
            await asyncio.to_thread(repo.disable, config.channel_id)
