"""Alerts: a followed topic's new development, posted once to each channel that follows it.

Discord-free, like ``bot.subscriptions`` (whose ``Channel`` and ``DeliveryError`` it reuses). A
development is worth an alert when it was first seen after the follow and is corroborated by
``alert_min_outlets`` distinct outlets, or reports a strong event as done ("signed", "ruled",
"resigned"). Each alert is claimed in the database before it is posted and recorded when the
channel takes it, so it goes out at most once per channel across restarts (one caught between
the channel and the database is found again by its fingerprint); a channel gets at most one alert
per topic per ``alert_interval_minutes``, the best waiting development going out next.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from bot.clock import Clock
from bot.digest.features import tells_past_event
from bot.models import Development
from bot.settings import Settings
from bot.store.follows import AlertRecord, Follow, FollowRepo
from bot.subscriptions import Channel, DeliveryError

log = logging.getLogger(__name__)

T = TypeVar("T")
FRESH = timedelta(days=1)  # a development first seen longer ago is no longer news to alert


@dataclass(frozen=True, slots=True)
class AlertDue:
    """An alert to post now: the follow it answers and the development it reports."""

    follow: Follow
    development: Development


def qualifies(dev: Development, min_outlets: int) -> bool:
    """Corroborated by enough outlets, or a strong event reported as done; never background."""
    if dev.recap or dev.related:
        return False
    return dev.outlets >= min_outlets or tells_past_event(dev.text)


def pick(
    follow: Follow,
    devs: Sequence[Development],
    records: Sequence[AlertRecord],
    now: datetime,
    settings: Settings,
) -> Development | None:
    """The development to alert this follow's channel of now, if any (rate limit first)."""
    interval = timedelta(minutes=settings.alert_interval_minutes)
    if any(r.at > now - interval for r in records):
        return None
    alerted = {r.development for r in records}
    reported = {key for r in records for key in r.sentences}
    fresh = [
        d
        for d in devs
        if d.first_seen is not None
        and follow.created_at < d.first_seen <= now
        and d.first_seen > now - FRESH
        and qualifies(d, settings.alert_min_outlets)
        and d.id not in alerted
        and not reported.intersection(s.key for s in d.sentences)
    ]
    return max(fresh, key=lambda d: (d.outlets, d.first_seen, d.score), default=None)


class Alerts:
    """Alert delivery of one platform: claim, post through a ``Channel``, record."""

    def __init__(self, repo: FollowRepo, settings: Settings, clock: Clock) -> None:
        self.repo = repo
        self.settings = settings
        self.clock = clock

    @property
    def stale_after(self) -> timedelta:
        """How long an alert may stay ``sending`` before its run counts as dead."""
        return timedelta(minutes=self.settings.digest_claim_timeout_minutes)

    async def settle(self, open_channel: Callable[[int], Awaitable[Channel[T]]]) -> None:
        """Settle alerts a dead run left ``sending``: landed (recorded) or never sent (retried)."""
        now = self.clock()
        for channel_id, record in await asyncio.to_thread(
            self.repo.unsettled, now - self.stale_after
        ):
            try:
                channel = await open_channel(channel_id)
                landed = await channel.find(record.fingerprint, record.at - timedelta(seconds=1))
            except DeliveryError:
                landed = None
            if landed is None:
                await asyncio.to_thread(self.repo.forget, channel_id, record.development)
            else:
                await asyncio.to_thread(self.repo.delivered, channel_id, record.development, landed)

    async def post(self, due: AlertDue, channel: Channel[T], payload: T, fingerprint: str) -> str:
        """Claim one alert and post it; ``sent``, ``taken`` (on record already) or ``failed``."""
        dev, channel_id = due.development, due.follow.channel_id
        keys = tuple(s.key for s in dev.sentences)
        claimed = await asyncio.to_thread(
            self.repo.sending, channel_id, dev.id, dev.topic, keys, fingerprint, self.clock()
        )
        if not claimed:
            return "taken"
        try:
            message_id = await channel.post(payload)
        except DeliveryError as exc:
            if exc.certain:  # the channel answered: the alert is not there
                await asyncio.to_thread(self.repo.forget, channel_id, dev.id)
            if exc.gone:  # the channel was deleted: its follows go with it
                await asyncio.to_thread(self.repo.drop_channel, channel_id)
            log.warning("alert on %s in channel %s failed: %s", dev.topic, channel_id, exc)
            return "failed"
        await asyncio.to_thread(self.repo.delivered, channel_id, dev.id, message_id)
        log.info("alerted channel %s of a %s development", channel_id, dev.topic)
        return "sent"
