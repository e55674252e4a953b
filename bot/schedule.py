"""Daily-schedule maths for digest posts: pure functions over aware datetimes, no Discord.

A post belongs to a *local date*. Its instant is that date's local post time, moved to the first
valid minute after it when the time falls in a daylight-saving gap, and taken at its first
occurrence when the time falls in a fold, so every local date has exactly one instant.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import UsageError

_HHMM = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})\s*$")
# Real gaps are an hour or two; the cap only guards against a corrupt zone.
_MAX_GAP_MINUTES = 24 * 60


def parse_hhmm(text: str) -> time:
    """Parse ``HH:MM`` (24-hour) into a time, or raise a UsageError saying what is expected."""
    match = _HHMM.match(text or "")
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise UsageError(f"{text!r} is not a time of day; use 24-hour HH:MM, e.g. 09:00 or 18:30.")


@functools.cache
def _zone_names() -> dict[str, str]:
    """Every IANA zone name, keyed by its lower-case form."""
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def parse_timezone(name: str) -> ZoneInfo:
    """Load an IANA time zone (``Europe/Kyiv``, any case), or raise a UsageError naming the problem."""
    cleaned = (name or "").strip().replace(" ", "_")
    cleaned = _zone_names().get(cleaned.lower(), cleaned)
    try:
        if not cleaned or cleaned.startswith(("/", ".")) or ".." in cleaned:
            raise ValueError(cleaned)
        return ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UsageError(
            f"{name!r} is not a known time zone; use an IANA name such as Europe/Kyiv or America/New_York."
        ) from None


def format_hhmm(at: time) -> str:
    """``09:00``."""
    return f"{at.hour:02d}:{at.minute:02d}"


def _exists(local: datetime, tz: ZoneInfo) -> bool:
    """Whether a naive local wall time exists in ``tz`` (it does not inside a spring gap)."""
    aware = local.replace(tzinfo=tz)
    back = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return back == local


def slot_for(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of ``day``'s post: gap → first valid minute after, fold → first occurrence."""
    local = datetime.combine(day, time(at.hour, at.minute))
    for _ in range(_MAX_GAP_MINUTES):
        if _exists(local, tz):
            return local.replace(tzinfo=tz, fold=0).astimezone(UTC)
        local += timedelta(minutes=1)
    raise ValueError(f"no valid local time after {at} on {day} in {tz.key}")


def local_date_of(instant: datetime, tz: ZoneInfo) -> date:
    """The calendar date in ``tz`` at an aware instant."""
    return _aware(instant).astimezone(tz).date()


def _candidates(around: datetime, tz: ZoneInfo) -> list[date]:
    today = local_date_of(around, tz)
    return [today + timedelta(days=offset) for offset in (-2, -1, 0, 1, 2)]


def next_post(after: datetime, at: time, tz: ZoneInfo) -> datetime:
    """The first post instant strictly after ``after`` (UTC)."""
    return next_slot(after, at, tz)[1]


def next_slot(after: datetime, at: time, tz: ZoneInfo) -> tuple[date, datetime]:
    """The local date and UTC instant of the first post strictly after ``after``."""
    after = _aware(after)
    slots = [(d, slot_for(d, at, tz)) for d in _candidates(after, tz)]
    return min(((d, s) for d, s in slots if s > after), key=lambda pair: pair[1])


def latest_slot(now: datetime, at: time, tz: ZoneInfo) -> tuple[date, datetime]:
    """The local date and UTC instant of the most recent post at or before ``now``."""
    now = _aware(now)
    slots = [(d, slot_for(d, at, tz)) for d in _candidates(now, tz)]
    return max(((d, s) for d, s in slots if s <= now), key=lambda pair: pair[1])


def due_slot(
    now: datetime, at: time, tz: ZoneInfo, since: datetime
) -> tuple[date, datetime] | None:
    """The post that is due at ``now`` for a schedule set up at ``since``, if any.

    Only the most recent slot is ever due, so a bot that was down for days posts at most one
    catch-up; slots at or before ``since`` never are, so the first post is the next occurrence.
    """
    day, instant = latest_slot(now, at, tz)
    return (day, instant) if instant > _aware(since) else None


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: schedule maths needs timezone-aware instants")
    return moment
