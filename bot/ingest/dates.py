"""Publication dates (header, front matter, sidecar, text, URL); event dates re-exported.

Never invents a date: "[Date]" placeholders, copyright years and bare years are not dates, and
anything unknown stays ``None``. The dates events in sentences refer to ("said Wednesday", "will
sign on Thursday", "last week") are resolved in ``event_dates``; background is told in ``recap``.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from bot.ingest.date_words import DMY, MDY, MONTHS, WEEKDAYS, make, month_number
from bot.ingest.event_dates import Ref, Resolved, event_refs, resolve_event_date
from bot.ingest.recap import is_recap

__all__ = [
    "MONTHS",
    "WEEKDAYS",
    "Ref",
    "Resolved",
    "date_from_url",
    "event_refs",
    "find_date",
    "is_recap",
    "parse_date_line",
    "parse_date_value",
    "resolve_event_date",
]

_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
_URL_DATE = re.compile(
    r"/(?P<year>(?:19|20)\d\d)[/-](?P<month>[01]?\d)[/-](?P<day>[0-3]?\d)(?:[/._-]|$)"
)
_COPYRIGHT = re.compile(r"copyright|©|\(c\)\s*\d|all rights reserved", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\[\s*date\s*\]|\{\{\s*date\s*\}\}", re.IGNORECASE)
_DATE_LINE_NOISE = re.compile(
    r"\b(?:published|updated|posted|last|modified|on|at|by|am|pm|a\.m\.|p\.m\.|et|est|edt|gmt|utc|bst|cet)\b"
    r"|\b[ap]\.m\.|\b\d{1,2}:\d\d\b|[|•·,.:–—-]",
    re.IGNORECASE,
)


def find_date(text: str, *, default_year: int | None = None) -> tuple[date, tuple[int, int]] | None:
    """The first full calendar date written in ``text`` and its span (copyright lines excluded)."""
    if _COPYRIGHT.search(text) or _PLACEHOLDER.fullmatch(text.strip()):
        return None
    found: list[tuple[int, date, tuple[int, int]]] = []
    for regex in (MDY, DMY, _ISO):  # "Feb. 26, 2025", "28 February 2025", ISO
        for m in regex.finditer(text):
            year = m.group("year")
            if year is None and default_year is None:
                continue
            month = m.group("month")
            number = int(month) if month.isdigit() else month_number(month)
            value = make(int(year or default_year or 0), number, int(m.group("day")))
            if value is not None:
                found.append((m.start(), value, m.span()))
    if not found:
        return None
    _, value, span = min(found, key=lambda f: f[0])
    return value, span


def parse_date_line(line: str) -> date | None:
    """The date of a line that is only a date line ("Monday, December 29, 2025", "Updated: …")."""
    hit = find_date(line)
    if hit is None:
        return None
    value, (start, end) = hit
    rest = line[:start] + " " + line[end:]
    rest = _DATE_LINE_NOISE.sub(" ", rest)
    words = [w for w in rest.split() if w.lower() not in WEEKDAYS]
    if len(words) > 6 or any(w[0].islower() for w in words):
        return None  # words of a sentence around the date: "On Feb. 28, 2025, talks collapsed."
    return value


def parse_date_value(value: object) -> date | None:
    """A date from a front-matter or sidecar value (date, datetime or text), else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or _PLACEHOLDER.search(value):
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        hit = find_date(text)
        return hit[0] if hit else None


def date_from_url(url: str | None) -> date | None:
    """A date written in a URL path (``…/2025/04/30/…``), else None."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    if m is None:
        return None
    return make(int(m.group("year")), int(m.group("month")), int(m.group("day")))
