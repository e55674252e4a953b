"""Digest schedules, the exactly-once posts log, failures to report, the command hash."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.store import Store

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "d.db")


def test_claim_is_exactly_once_per_channel_and_local_date(store: Store, tmp_path: Path) -> None:
    repo = store.digests
    assert repo.claim(1, date(2026, 1, 1), T0, T0)
    assert not repo.claim(1, date(2026, 1, 1), T0, T0)
    assert (
        Store(tmp_path / "d.db").digests.claim(1, date(2026, 1, 1), T0, T0) is False
    )  # a second process
    assert repo.claim(1, date(2026, 1, 2), T0, T0)
    assert repo.claim(2, date(2026, 1, 1), T0, T0)
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
    repo.claim(1, date(2026, 1, 2), T0, T0)
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
