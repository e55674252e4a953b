"""Calendar words shared by publication dates and event dates: month and weekday names, patterns."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?P<year>(?:19|20)\d\d)"
# "Feb. 26, 2025", "December 29, 2025", "April 30" (year optional), "28 February 2025".
MDY = re.compile(rf"\b{MONTH}\.?\s+{DAY}\b(?:,?\s+{YEAR}\b)?(?!\s*:\d)")
DMY = re.compile(rf"\b{DAY}\s+{MONTH}\.?,?\s+{YEAR}\b")
# Substrings that any month name contains (a cheap pre-test before the patterns).
MONTH_PREFIXES = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def make(year: int, month: int, day: int) -> date | None:
    """A date, or None when the parts are impossible."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def month_number(name: str) -> int:
    """The number of a month from its name or abbreviation ("Sept" → 9)."""
    return MONTHS[name[:3].lower()]
