"""Clocks: "now" is injected, never read from the database or ``datetime.now()`` deep inside."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def fixed(moment: datetime) -> Clock:
    """A clock that always returns ``moment`` (tests)."""
    return lambda: moment
