"""Which development a follow is alerted of, without Discord: thresholds, novelty, rate limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.alerts import pick, qualifies
from bot.models import Development, Sentence
from bot.settings import Settings
from bot.store.follows import AlertRecord, Follow

T0 = datetime(2026, 1, 1, 12, tzinfo=UTC)
FOLLOW = Follow(10, 1, "minerals-deal", T0 - timedelta(hours=2))
SAID = "Officials said talks on the minerals deal continued in Jeddah on Wednesday."
SIGNED = "Ukraine and the United States signed the minerals deal in Kyiv on Wednesday."


def dev(
    id_: str, text: str = SAID, *, outlets: int = 1, seen: datetime = T0, source: str = "a"
) -> Development:
    sentence = Sentence(source, 0, 0, len(text), text)
    return Development(id_, "minerals-deal", (sentence,), None, None, 1.0, seen, outlets=outlets)


def record(development: str, at: datetime, sentences: tuple[str, ...] = ()) -> AlertRecord:
    return AlertRecord(development, "minerals-deal", sentences, "f", True, at)


@pytest.fixture
def settings() -> Settings:
    return Settings(_env_file=None, alert_min_outlets=2, alert_interval_minutes=60)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("development", "expected"),
    [
        (dev("x"), False),  # one outlet, no strong event
        (dev("x", outlets=2), True),  # corroborated
        (dev("x", SIGNED), True),  # a strong event reported as done
        (dev("x", "The two sides will sign the minerals deal on Friday."), False),  # planned
    ],
)
def test_what_qualifies(development: Development, expected: bool) -> None:
    assert qualifies(development, 2) is expected


def test_background_never_qualifies() -> None:
    from dataclasses import replace

    assert not qualifies(replace(dev("x", SIGNED), recap=True), 2)
    assert not qualifies(replace(dev("x", SIGNED), related="nato-membership"), 2)


def test_the_best_new_development_is_picked(settings: Settings) -> None:
    devs = [dev("a", SIGNED), dev("b", outlets=3), dev("c")]
    assert pick(FOLLOW, devs, [], T0, settings) == devs[1]


def test_news_from_before_the_follow_or_too_old_is_not_picked(settings: Settings) -> None:
    before = dev("a", SIGNED, seen=FOLLOW.created_at - timedelta(minutes=1))
    assert pick(FOLLOW, [before], [], T0, settings) is None
    old_follow = Follow(10, 1, "minerals-deal", T0 - timedelta(days=5))
    stale = dev("b", SIGNED, seen=T0 - timedelta(days=2))
    assert pick(old_follow, [stale], [], T0, settings) is None


def test_within_the_interval_nothing_is_picked_after_it_the_next_is(settings: Settings) -> None:
    devs = [dev("a", SIGNED, source="a"), dev("b", SIGNED, source="b")]
    sent = [record("a", T0 - timedelta(minutes=59), ("a:0",))]
    assert pick(FOLLOW, devs, sent, T0, settings) is None
    sent = [record("a", T0 - timedelta(minutes=61), ("a:0",))]
    assert pick(FOLLOW, devs, sent, T0, settings) == devs[1]


def test_a_development_rebuilt_under_another_id_is_still_the_one_alerted(
    settings: Settings,
) -> None:
    rebuilt = dev("new-id", SIGNED, outlets=2, source="a")  # its sentence a:0 was alerted
    sent = [record("old-id", T0 - timedelta(hours=3), ("a:0",))]
    assert pick(FOLLOW, [rebuilt], sent, T0, settings) is None
