"""Whether a sentence restates earlier news as background ("the deal, first announced in March").

A recap names its time as past context: a month earlier than the page's own, a year before it,
or words such as "previously", "originally", "back in", "after months of". A sentence whose main
clause reports something of the last week ("said on Tuesday …") is news, whatever background
it also carries.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.ingest.date_words import MONTH
from bot.ingest.event_dates import Placed, choose, placed_refs

_PHRASES = re.compile(
    r"\b(?:previously|initially|originally|last year|earlier this year|after months of"
    r"|a year after|first (?:announced|reported|proposed|unveiled)|back in)\b",
    re.IGNORECASE,
)
_SINCE = re.compile(rf"\b[Ss]ince (?:(?:early|late|mid)[\s-]+)?(?:{MONTH}\b|(?:19|20)\d\d\b)")
_IN_YEAR = re.compile(r"\b[Ii]n (?:(?:early|late|mid)[\s-]+)?(?P<year>(?:19|20)\d\d)\b")
_KEYS = (
    "previously", "initially", "originally", "last year", "earlier this year", "months of",
    "year after", "first ", "back in", "since ", "in 19", "in 20", "early", "late", "mid",
)  # fmt: skip
RECENT_DAYS = 7  # a main-clause time this close to publication is news, not background


def is_recap(sentence: str, published: date | None) -> bool:
    """Whether a sentence restates something earlier as background to the page's news."""
    placed = placed_refs(sentence, published)
    if published is not None and any(_recent(p, published) for p in placed):
        return False
    if _has_recap_words(sentence, published):
        return True
    pick = choose(sentence, placed) if placed and published is not None else None
    return bool(
        pick is not None
        and published is not None
        and pick.named
        and pick.ref.tense == "past"
        and pick.ref.date < published.replace(day=1)
    )


def _has_recap_words(sentence: str, published: date | None) -> bool:
    """Recap phrasing: "previously", "since March", "in 2022" (a year before publication)…"""
    low = sentence.lower()
    if not any(k in low for k in _KEYS):
        return False
    if _PHRASES.search(sentence) or _SINCE.search(sentence):
        return True
    if published is None:
        return False
    return any(int(m.group("year")) < published.year for m in _IN_YEAR.finditer(sentence))


def _recent(placed: Placed, published: date) -> bool:
    """A main-clause past time whose span reaches into the week before publication."""
    ref = placed.ref
    if not ref.main or ref.tense != "past" or ref.date > published:
        return False
    return _span_end(ref.date, ref.precision) >= published - timedelta(days=RECENT_DAYS)


def _span_end(start: date, precision: str) -> date:
    """The last day a reference covers: the day, the week's Sunday, the month's last day."""
    if precision == "week":
        return start + timedelta(days=6)
    if precision == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return start
