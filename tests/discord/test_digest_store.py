"""Digest schedules, the exactly-once posts log, failures to report, the command hash."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.store import Store

T0 = datetime(2026, 1, 1, tzinfo=UTC)
STALE = timedelta(minutes=30)

pytestmark = pytest.mark.backends


@pytest.fixture
def store(database: Path | str) -> Store:
    return Store(database)


def test_claim_is_exactly_once_per_channel_and_local_date(
    store: Store, database: Path | str
) -> None:
    repo = store.digests
    assert repo.claim(1, date(2026, 1, 1), T0, T0, STALE)
    assert not repo.claim(1, date(2026, 1, 1), T0, T0, STALE)
    assert (
        Store(database).digests.claim(1, date(2026, 1, 1), T0, T0, STALE) is None
    )  # a second process
    assert repo.claim(1, date(2026, 1, 2), T0, T0, STALE)
    assert repo.claim(2, date(2026, 1, 1), T0, T0, STALE)
    repo.finish(1, date(2026, 1, 1), "failed", "no permission")
    assert repo.posts(1) == [
        (date(2026, 1, 1), "failed", "no permission"),
        (date(2026, 1, 2), "claimed", ""),
    ]


def test_configure_and_cutoff(store: Store) -> None:
    repo = store.digests
    config = repo.configure(10, 1, time(9), "Europe/Kyiv", T0)
    assert (config.post_time, config.timezone, config.cutoff, config.enabled) == (
        time(9),
        "Europe/Kyiv",
        T0,
        True,
    )
    repo.move_cutoff(1, T0 + timedelta(hours=5))
    repo.move_cutoff(1, T0 + timedelta(hours=1))  # never backwards
    assert repo.get(1).cutoff == T0 + timedelta(hours=5)  # type: ignore[union-attr]
    # Changing the time keeps the cut-off; the first post is the next occurrence after the change.
    changed = repo.configure(10, 1, time(18, 30), "UTC", T0 + timedelta(hours=6))
    assert changed.cutoff == T0 + timedelta(hours=5) and changed.created_at == T0 + timedelta(
        hours=6
    )
    assert repo.disable(1) and not repo.disable(1)
    assert repo.enabled() == []
    again = repo.configure(10, 1, time(9), "UTC", T0 + timedelta(days=2))
    assert again.cutoff == T0 + timedelta(days=2)  # a re-enabled digest starts afresh
    assert [c.channel_id for c in repo.in_guild(10)] == [1]


def test_finish_moves_the_cutoff_with_the_status(store: Store) -> None:
    repo = store.digests
    repo.configure(10, 1, time(9), "UTC", T0)
    repo.claim(1, date(2026, 1, 2), T0, T0, STALE)
    repo.finish(1, date(2026, 1, 2), "sent", "", T0 + timedelta(days=1))
    assert repo.get(1).cutoff == T0 + timedelta(days=1)  # type: ignore[union-attr]


def test_failures_are_reported_once(store: Store) -> None:
    repo = store.digests
    repo.record_failure(10, 1, "first", T0)
    repo.record_failure(10, 2, "second", T0 + timedelta(hours=1))
    failure = repo.take_failure(10)
    assert failure is not None and (failure.channel_id, failure.message) == (2, "second")
    assert repo.take_failure(10) is None


def test_command_hash_per_application(store: Store) -> None:
    repo = store.digests
    assert repo.command_hash(1) is None
    repo.set_command_hash(1, "abc")
    repo.set_command_hash(2, "def")
    assert (repo.command_hash(1), repo.command_hash(2)) == ("abc", "def")


def test_disable_guild_stops_only_that_guilds_schedules(store: Store) -> None:
    repo = store.digests
    repo.configure(10, 1, time(9), "Europe/Kyiv", T0)
    repo.configure(10, 2, time(10), "Europe/Kyiv", T0)
    repo.configure(20, 3, time(9), "Europe/Kyiv", T0)
    assert repo.disable_guild(10) == 2
    assert [c.channel_id for c in repo.enabled()] == [3]
    assert repo.disable_guild(10) == 0


def test_a_stale_claim_is_taken_back_once_and_keeps_its_first_instant(
    store: Store, database: Path | str
) -> None:
    repo, day = store.digests, date(2026, 1, 1)
    first = repo.claim(1, day, T0, T0, STALE)
    assert first is not None and first.attempt == 1 and first.until == T0
    assert repo.takeable_at(1, day, STALE) == T0 + STALE
    assert repo.claim(1, day, T0, T0 + STALE - timedelta(seconds=1), STALE) is None  # alive
    repo.heartbeat(1, day, T0 + timedelta(minutes=20))  # a message landed: still alive
    assert repo.claim(1, day, T0, T0 + STALE + timedelta(minutes=1), STALE) is None
    later = T0 + timedelta(minutes=51)
    other = Store(database).digests  # another process takes over the dead post
    taken = other.claim(1, day, T0, later, STALE)
    assert taken is not None and taken.attempt == 2 and taken.until == T0
    assert repo.claim(1, day, T0, later, STALE) is None  # only one of them
    repo.finish(1, day, "sent", "", T0)
    assert repo.takeable_at(1, day, STALE) is None
    assert repo.claim(1, day, T0, later + timedelta(days=1), STALE) is None  # never again


def test_a_released_claim_is_takeable_at_once(store: Store) -> None:
    repo, day = store.digests, date(2026, 1, 1)
    assert repo.claim(1, day, T0, T0, STALE) is not None
    repo.release(1, day)
    assert repo.takeable_at(1, day, STALE) <= T0  # type: ignore[operator]
    again = repo.claim(1, day, T0, T0 + timedelta(minutes=5), STALE)
    assert again is not None and again.attempt == 2 and again.until == T0


def test_each_delivered_message_moves_its_topics_cutoffs(store: Store) -> None:
    repo, deliveries, day = store.digests, store.deliveries, date(2026, 1, 2)
    repo.configure(10, 1, time(9), "UTC", T0)
    until = T0 + timedelta(days=1)
    deliveries.sending(1, day, 0, ("minerals-deal",), "f0", until)
    deliveries.sending(1, day, 1, ("nato-membership",), "f1", until)
    assert deliveries.topic_cutoffs(1) == {}  # sending is not delivered
    deliveries.delivered(1, day, 0, 111, until)
    deliveries.forget(1, day, 1)  # Discord refused the second
    assert deliveries.topic_cutoffs(1) == {"minerals-deal": until}
    assert [(d.part, d.sent) for d in deliveries.messages(1, day)] == [(0, True)]
    deliveries.forget(1, day, 0)  # a delivered message is never forgotten
    assert len(deliveries.messages(1, day)) == 1
    repo.move_cutoff(1, until)  # the whole channel moved on: the topic cut-off is no longer needed
    assert deliveries.topic_cutoffs(1) == {}
