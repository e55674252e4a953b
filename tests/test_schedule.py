"""Daily digest schedule maths: DST gaps and folds, catch-up, exactly one slot per local date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.errors import UsageError
from bot.schedule import (
    due_slot,
    latest_slot,
    local_date_of,
    next_post,
    next_slot,
    parse_hhmm,
    parse_timezone,
    slot_for,
)

KYIV = ZoneInfo("Europe/Kyiv")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        # Spring forward on 2026-03-29 (03:00 EET -> 04:00 EEST): 09:00 is UTC+3 that day.
        (utc(2026, 3, 28, 12), utc(2026, 3, 29, 6)),
        (utc(2026, 3, 28, 6), utc(2026, 3, 28, 7)),
        # Fall back on 2026-10-25 (04:00 EEST -> 03:00 EET): 09:00 is UTC+2 that day.
        (utc(2026, 10, 24, 12), utc(2026, 10, 25, 7)),
        (utc(2026, 10, 24, 5), utc(2026, 10, 24, 6)),
    ],
)
def test_nine_oclock_in_kyiv_across_dst_changes(after: datetime, expected: datetime) -> None:
    assert next_post(after, time(9, 0), KYIV) == expected
    assert expected.astimezone(KYIV).hour == 9


def test_spring_gap_posts_at_first_valid_minute_after() -> None:
    first = next_post(utc(2026, 3, 28, 12), time(3, 30), KYIV)
    assert first == utc(2026, 3, 29, 1)  # 04:00 EEST
    assert first.astimezone(KYIV).strftime("%H:%M") == "04:00"
    assert local_date_of(first, KYIV) == date(2026, 3, 29)
    # The next day is ordinary again.
    assert next_post(first, time(3, 30), KYIV) == utc(2026, 3, 30, 0, 30)


def test_autumn_fold_posts_once() -> None:
    first = next_post(utc(2026, 10, 24, 12), time(3, 30), KYIV)
    assert first == utc(2026, 10, 25, 0, 30)  # first 03:30 (EEST)
    second = next_post(first, time(3, 30), KYIV)
    # The repeated 03:30 (01:30 UTC, EET) is skipped: the next post is the next day's.
    assert second == utc(2026, 10, 26, 1, 30)
    assert local_date_of(second, KYIV) == date(2026, 10, 26)


def test_every_local_date_has_exactly_one_slot_over_a_year() -> None:
    moment = utc(2026, 1, 1)
    seen: list[date] = []
    for _ in range(366):
        day, moment = next_slot(moment, time(3, 30), KYIV)
        seen.append(day)
    assert seen == [date(2026, 1, 1) + timedelta(days=i) for i in range(366)]


def test_due_slot_is_the_next_occurrence_after_setup_and_at_most_one_catch_up() -> None:
    setup = utc(2026, 1, 1, 8)  # 10:00 in Kyiv: today's 09:00 is already past
    assert due_slot(utc(2026, 1, 1, 12), time(9), KYIV, setup) is None
    assert due_slot(utc(2026, 1, 2, 7, 0, 1), time(9), KYIV, setup) == (
        date(2026, 1, 2),
        utc(2026, 1, 2, 7),
    )
    # After five days of downtime only the latest slot is due.
    assert due_slot(utc(2026, 1, 7, 12), time(9), KYIV, setup) == (
        date(2026, 1, 7),
        utc(2026, 1, 7, 7),
    )


def test_latest_slot_includes_the_exact_instant() -> None:
    assert latest_slot(utc(2026, 1, 2, 7), time(9), KYIV) == (date(2026, 1, 2), utc(2026, 1, 2, 7))


def test_slot_for_other_zones() -> None:
    assert slot_for(date(2026, 3, 8), time(2, 30), ZoneInfo("America/New_York")) == utc(
        2026, 3, 8, 7
    )
    assert slot_for(date(2026, 6, 1), time(0, 0), ZoneInfo("UTC")) == utc(2026, 6, 1)


@pytest.mark.parametrize(
    ("text", "expected"), [("09:00", time(9)), ("9:05", time(9, 5)), ("23.59", time(23, 59))]
)
def test_parse_hhmm(text: str, expected: time) -> None:
    assert parse_hhmm(text) == expected


@pytest.mark.parametrize("text", ["24:00", "9", "09:60", "nine", "", "09:00pm"])
def test_parse_hhmm_rejects(text: str) -> None:
    with pytest.raises(UsageError, match="HH:MM"):
        parse_hhmm(text)


@pytest.mark.parametrize(
    "name", ["Mars/Olympus", "Mars/Base", "", "../etc/passwd", "/etc/localtime", "Europe/Kyiv\x00"]
)
def test_parse_timezone_rejects(name: str) -> None:
    with pytest.raises(UsageError, match="IANA"):
        parse_timezone(name)


def test_parse_timezone_accepts_iana_names() -> None:
    assert parse_timezone(" Europe/Kyiv ").key == "Europe/Kyiv"


@pytest.mark.parametrize(
    ("typed", "key"),
    [("europe/kyiv", "Europe/Kyiv"), ("utc", "UTC"), ("America/New York", "America/New_York")],
)
def test_parse_timezone_forgives_case_and_spaces(typed: str, key: str) -> None:
    assert parse_timezone(typed).key == key


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        next_post(datetime(2026, 1, 1), time(9), KYIV)  # noqa: DTZ001
