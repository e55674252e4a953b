"""Subscriptions without Discord: a fake channel, a fake clock, crashes at each point of a post."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.store import Store
from bot.store.db import _statements, all_migrations
from bot.subscriptions import DeliveryError, Subscriptions
from tests.store.processes import news

pytestmark = pytest.mark.backends

BOT = Path(__file__).resolve().parents[1] / "bot"
T0 = datetime(2026, 1, 1, 6, tzinfo=UTC)  # 08:00 in Kyiv
NINE = datetime(2026, 1, 1, 7, tzinfo=UTC)


class Crash(BaseException):
    """The process dies here."""


class FakeChannel:
    """A channel that keeps what it was sent; ``fail`` maps a message number to what happens."""

    def __init__(self) -> None:
        self.posted: list[tuple[int, str, datetime]] = []  # id, payload, when
        self.fail: dict[int, BaseException | str] = {}
        self.calls = 0
        self.now = NINE

    async def post(self, payload: str) -> int:
        self.calls += 1
        what = self.fail.pop(self.calls, None)
        if isinstance(what, BaseException) and not getattr(what, "lands", False):
            raise what
        self.posted.append((len(self.posted) + 1, payload, self.now))
        if isinstance(what, BaseException):  # it landed, then the answer was lost
            raise what
        return len(self.posted)

    async def find(self, fingerprint: str, since: datetime) -> int | None:
        return next((i for i, p, at in self.posted if p == fingerprint and at >= since), None)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def landing(error: BaseException) -> BaseException:
    """``error`` raised after the message reached the channel."""
    error.lands = True  # type: ignore[attr-defined]
    return error


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def subs(database: Path | str, clock: Clock) -> Subscriptions:
    settings = Settings(_env_file=None, db=database, digest_claim_timeout_minutes=30)
    store = Store(settings.db)
    subs = Subscriptions(store, settings, clock)
    subs.digests.configure(10, 1, time(9), "Europe/Kyiv", T0)
    return subs


async def run(
    subs: Subscriptions, clock: Clock, channel: FakeChannel, compose: object
) -> list[str]:
    """Post everything due at the clock's time; the outcomes."""
    due, _ = subs.due(clock())
    out = []
    for item in due:

        async def open_channel() -> FakeChannel:
            return channel

        out.append(await subs.post(item, open_channel, compose))  # type: ignore[arg-type]
    return out


SEEN = {"minerals": T0 + timedelta(minutes=10), "nato": T0 + timedelta(minutes=20)}


async def test_a_post_goes_out_once_per_message_and_never_again(
    subs: Subscriptions, clock: Clock
) -> None:
    channel = FakeChannel()
    clock.now = NINE
    assert await run(subs, clock, channel, news(SEEN)) == ["sent"]
    assert [p for _, p, _ in channel.posted] == ["minerals", "nato"]
    clock.now = NINE + timedelta(hours=2)
    assert await run(subs, clock, channel, news(SEEN)) == []  # nothing is due
    clock.now = NINE + timedelta(days=1)
    assert await run(subs, clock, channel, news(SEEN)) == ["sent"]
    assert [p for _, p, _ in channel.posted] == ["minerals", "nato", "nothing new"]


@pytest.mark.parametrize("lost", ["crash", "timeout"])
async def test_a_message_that_landed_unrecorded_is_found_not_resent(
    subs: Subscriptions, clock: Clock, lost: str
) -> None:
    channel = FakeChannel()
    error = (
        Crash() if lost == "crash" else DeliveryError("timed out", transient=True, certain=False)
    )
    channel.fail[2] = landing(error)
    clock.now = NINE
    if lost == "crash":
        with pytest.raises(Crash):
            await run(subs, clock, channel, news(SEEN))
        clock.now = NINE + timedelta(minutes=10)
        assert await run(subs, clock, channel, news(SEEN)) == []  # the claim is not stale yet
        clock.now = NINE + timedelta(minutes=31)
    else:
        assert await run(subs, clock, channel, news(SEEN)) == ["retry"]
        clock.now = NINE + timedelta(minutes=5)
    assert await run(subs, clock, channel, news(SEEN)) == ["sent"]
    assert [p for _, p, _ in channel.posted] == ["minerals", "nato"]  # nato once
    clock.now = NINE + timedelta(days=1)
    await run(subs, clock, channel, news(SEEN))
    assert [p for _, p, _ in channel.posted][2:] == ["nothing new"]


async def test_a_refused_second_message_is_sent_the_next_day_alone(
    subs: Subscriptions, clock: Clock
) -> None:
    channel = FakeChannel()
    channel.fail[2] = DeliveryError("not allowed to post there")
    clock.now = NINE
    assert await run(subs, clock, channel, news(SEEN)) == ["failed"]
    assert [p for _, p, _ in channel.posted] == ["minerals"]
    assert subs.digests.take_failure(10) is not None
    clock.now = NINE + timedelta(days=1)
    assert await run(subs, clock, channel, news(SEEN)) == ["sent"]
    assert [p for _, p, _ in channel.posted] == ["minerals", "nato"]


async def test_a_gone_channel_turns_its_subscription_off(subs: Subscriptions, clock: Clock) -> None:
    channel = FakeChannel()
    channel.fail[1] = DeliveryError("the channel no longer exists", gone=True)
    clock.now = NINE
    assert await run(subs, clock, channel, news(SEEN)) == ["failed"]
    assert subs.digests.enabled() == []


def test_platforms_do_not_share_channels(subs: Subscriptions, clock: Clock) -> None:
    other = Subscriptions(subs.store, subs.settings, clock, platform="matrix")
    assert other.digests.get(1) is None  # the same channel id on another platform
    other.digests.configure(20, 1, time(18), "UTC", T0)
    assert subs.digests.get(1).post_time == time(9)  # type: ignore[union-attr]
    assert other.digests.get(1).post_time == time(18)  # type: ignore[union-attr]
    day = date(2026, 1, 1)
    assert subs.digests.claim(1, day, NINE, NINE, subs.stale_after) is not None
    assert other.digests.claim(1, day, NINE, NINE, subs.stale_after) is not None
    other.deliveries.sending(1, day, 0, ("nato",), "f", NINE)
    other.deliveries.delivered(1, day, 0, 5, NINE)
    assert subs.deliveries.topic_cutoffs(1) == {}
    assert other.deliveries.topic_cutoffs(1) == {"nato": NINE}


def test_the_migration_keeps_an_older_databases_schedules_and_posts(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY)")
    for name, script in all_migrations():
        if name.startswith(("digests-", "deliveries-")) and name != "digests-001":
            continue  # a database from before subscriptions were keyed by platform
        for statement in _statements(script):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations(name) VALUES (?)", (name,))
    conn.execute(
        "INSERT INTO digest_channels VALUES (1, 10, '09:00', 'Europe/Kyiv', 1, ?, ?)",
        (T0.isoformat(), T0.isoformat()),
    )
    conn.execute(
        "INSERT INTO digest_posts VALUES (1, '2026-01-01', ?, 'sent', '', ?)",
        (NINE.isoformat(), NINE.isoformat()),
    )
    conn.commit()
    conn.close()
    store = Store(path)
    assert store.digests.get(1).timezone == "Europe/Kyiv"  # type: ignore[union-attr]
    assert store.digests.posts(1) == [(date(2026, 1, 1), "sent", "")]
    assert store.digests.claim(1, date(2026, 1, 1), NINE, NINE, timedelta(minutes=30)) is None
    store.close()


def test_the_subscriptions_module_is_discord_free() -> None:
    source = (BOT / "subscriptions.py").read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import|from)\s+(discord|bot\.discord)\b", source, re.MULTILINE)
    assert "datetime.now" not in source
