"""Event dates of sentences: every time reference a sentence names, resolved against its page's date.

A reference's tense sets its direction: "said on Thursday" is the latest Thursday on or before
publication, "will sign on Thursday" the next one after it, and a yearless "November 14" in a
scheduling sentence is the next such day, never last year's. References inside subordinate
clauses ("following last week's collapse", ", which was announced in January,") are background;
a sentence's date is the one its main verb refers to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.ingest import clauses
from bot.ingest.date_words import DAY, DMY, MDY, MONTH, MONTH_PREFIXES, WEEKDAYS, YEAR, make
from bot.ingest.date_words import month_number as _month_number
from bot.models import Precision

Tense = Literal["past", "future"]
Resolved = tuple[date | None, Precision | None]


@dataclass(frozen=True, slots=True)
class Ref:
    """One time reference of a sentence: its date, precision, tense and whether the main clause's."""

    date: date
    precision: Precision
    tense: Tense
    main: bool


@dataclass(frozen=True, slots=True)
class _Cue:
    """A time reference found in a sentence, before it is resolved."""

    start: int
    end: int
    kind: Literal["weekday", "relative", "explicit", "month"]
    match: re.Match[str]


@dataclass(frozen=True, slots=True)
class Placed:
    """A resolved reference plus where it sat and whether a past verb governs it."""

    start: int
    ref: Ref
    attached: bool
    named: bool  # a month written by name ("April 30", "in April"), not "last week"


_WEEKDAY = re.compile(r"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b")
_RELATIVE = re.compile(
    r"\b(?P<rel>yesterday|today|tonight|tomorrow|this (?:morning|afternoon|evening)"
    r"|(?:last|this|past|next|coming) (?:week|weekend|month)|this coming (?:week|month)"
    r"|(?:earlier|later) this (?:week|month))\b",
    re.IGNORECASE,
)
_DM = re.compile(rf"\b{DAY}\s+{MONTH}\b(?!\.?,?\s+(?:19|20)\d\d)")  # "on 15 January"
_MONTH_MOD = re.compile(
    r"\b(?P<mod>(?i:in|last|this|next|since|until|by|from|through|during|before|after|of"
    r"|early|late|mid))[\s-]+(?:(?i:early|late|mid)[\s-]+)?"
    rf"{MONTH}\b(?!\.?\s*[0-3]?\d(?:st|nd|rd|th)?\b)\.?(?:,?\s+{YEAR}\b)?"
)
_MONTH_YEAR = re.compile(rf"\b{MONTH}\.?,?\s+{YEAR}\b")
_DIGIT = re.compile(r"\d")
_RELATIVE_KEYS = ("yesterday", "today", "tonight", "tomorrow", "this ", "last ", "past ", "next ")
_FUTURE_PHRASES = ("tomorrow", "next ", "coming ", "later ")
_PAST_PHRASES = ("yesterday", "last ", "past ", "earlier ")
# A cheap first test: most sentences name no time at all.
_CUE_WORDS = ("day", "tonight", "tomorrow", "week", "month", "morning", "afternoon", "evening")


def _may_have_cue(sentence: str) -> bool:
    """Whether a sentence might name a time (substring tests only)."""
    low = sentence.lower()
    return any(k in low for k in _CUE_WORDS) or any(m in sentence for m in MONTH_PREFIXES)


def event_refs(sentence: str, published: date | None) -> list[Ref]:
    """Every time reference a sentence names, resolved against ``published``, in order."""
    return [p.ref for p in placed_refs(sentence, published)]


def resolve_event_date(sentence: str, published: date | None) -> Resolved:
    """When what a sentence reports happened or was said, with a precision, else ``(None, None)``.

    The main clause's references win (one governed by a past or speech verb first); a future
    reference that is not a calendar day ("next week") gives the publication date: the report
    makes a plan public. Without a main reference, a future main clause also gives the
    publication date, else the subordinate clause's past reference is the best there is.
    """
    placed = placed_refs(sentence, published)
    if not placed:
        return None, None
    pick = choose(sentence, placed)
    if pick is None or (pick.ref.tense == "future" and pick.ref.precision != "day"):
        return (published, "day") if published is not None else (None, None)
    return pick.ref.date, pick.ref.precision


def choose(sentence: str, placed: list[Placed]) -> Placed | None:
    """The reference a sentence's main verb refers to (None: the main clause is a future plan)."""
    main = [p for p in placed if p.ref.main]
    if not main:
        if clauses.has_future(clauses.Layout.of(sentence).main_text):
            return None
        main = [p for p in placed if p.ref.tense == "past"] or placed
    said = next((p for p in main if p.attached), None)
    return said or main[0]


def placed_refs(sentence: str, published: date | None) -> list[Placed]:
    """Every resolvable reference of a sentence with its position (cheap pre-tests first)."""
    if published is None and not _DIGIT.search(sentence):
        return []  # only a written year can be resolved without a publication date
    if not _may_have_cue(sentence):
        return []
    cues = _find(sentence)
    if not cues:
        return []
    layout = clauses.Layout.of(sentence)
    out = []
    for cue in cues:
        placed = _place(sentence, cue, layout, published)
        if placed is not None:
            out.append(placed)
    return out


def _find(sentence: str) -> list[_Cue]:
    """The time references of a sentence, in order, overlapping ones dropped."""
    low = sentence.lower()
    found: list[_Cue] = []
    if "day" in sentence:
        found += [_Cue(*m.span(), "weekday", m) for m in _WEEKDAY.finditer(sentence)]
    if any(k in low for k in _RELATIVE_KEYS) or "later " in low or "earlier " in low:
        found += [_Cue(*m.span(), "relative", m) for m in _RELATIVE.finditer(sentence)]
    if any(m in sentence for m in MONTH_PREFIXES):
        if _DIGIT.search(sentence):
            for regex in (MDY, DMY, _DM):
                found += [_Cue(*m.span(), "explicit", m) for m in regex.finditer(sentence)]
            found += [_Cue(*m.span(), "month", m) for m in _MONTH_YEAR.finditer(sentence)]
        found += [_Cue(*m.span("month"), "month", m) for m in _MONTH_MOD.finditer(sentence)]
    return _without_overlaps(found)


def _without_overlaps(cues: list[_Cue]) -> list[_Cue]:
    """Cues in order; of two that overlap, the one found first (the more specific) stays."""
    kept: list[_Cue] = []
    for cue in cues:
        if all(cue.end <= k.start or cue.start >= k.end for k in kept):
            kept.append(cue)
    return sorted(kept, key=lambda c: c.start)


def _place(
    sentence: str, cue: _Cue, layout: clauses.Layout, published: date | None
) -> Placed | None:
    """Resolve one cue by its tense and clause; None when it cannot be resolved."""
    main = not layout.subordinate(cue.start, cue.end)
    tense, attached = _tense(sentence, cue, layout, main)
    when, precision = _resolve(cue, published, tense, sentence)
    if when is None or precision is None:
        return None
    named = cue.kind in {"explicit", "month"}
    return Placed(cue.start, Ref(when, precision, tense, main), attached, named)


def _tense(sentence: str, cue: _Cue, layout: clauses.Layout, main: bool) -> tuple[Tense, bool]:
    """A cue's tense and whether a past verb right before it governs it."""
    if cue.kind == "relative":
        phrase = cue.match.group("rel").lower()
        if phrase.startswith(_FUTURE_PHRASES):
            return "future", False
        if phrase.startswith(_PAST_PHRASES):
            return "past", clauses.after_past_verb(sentence, cue.start)
    if clauses.after_future_lead(sentence, cue.start):
        return "future", False
    if clauses.after_past_verb(sentence, cue.start):
        return "past", True
    text = layout.main_text if main else layout.clause_text(cue.start)
    return ("future" if clauses.has_future(text) else "past"), False


def _resolve(cue: _Cue, published: date | None, tense: Tense, sentence: str) -> Resolved:
    """A cue's date and precision, looking forward for a future cue and back for a past one."""
    if cue.kind == "weekday":
        last = sentence[max(0, cue.start - 5) : cue.start].lower().endswith("last ")
        return _weekday(cue.match.group("wd"), published, tense, strict=last)
    if cue.kind == "relative":
        return _relative(cue.match.group("rel").lower(), published)
    if cue.kind == "explicit":
        return _explicit(cue.match, published, tense)
    return _month(cue.match, published, tense)


def _weekday(name: str, published: date | None, tense: Tense, *, strict: bool) -> Resolved:
    """A past weekday is the latest on or before publication; a future one the next after it."""
    if published is None:
        return None, None
    target = WEEKDAYS.index(name.lower())
    if tense == "future":
        ahead = (target - published.weekday()) % 7 or 7
        return published + timedelta(days=ahead), "day"
    back = (published.weekday() - target) % 7 or (7 if strict else 0)
    return published - timedelta(days=back), "day"


def _relative(phrase: str, published: date | None) -> Resolved:
    """Resolve "yesterday", "last week", "next month" and the like."""
    if published is None:
        return None, None
    if phrase in {"yesterday", "tomorrow"}:
        return published + timedelta(days=1 if phrase == "tomorrow" else -1), "day"
    step = (
        -1
        if phrase.startswith(("last", "past"))
        else 1
        if phrase.startswith(("next", "coming"))
        else 0
    )
    if phrase.endswith(("week", "weekend")):
        monday = published - timedelta(days=published.weekday())
        if phrase.endswith("weekend") and step < 0:
            step = 0  # "last weekend" is the one just gone, in this week's span
        return monday + timedelta(days=7 * step), "week"
    if phrase.endswith("month"):
        return _add_months(published.replace(day=1), step), "month"
    return published, "day"


def _add_months(first: date, step: int) -> date:
    """The first of the month ``step`` months from ``first`` (itself a first of a month)."""
    index = first.year * 12 + first.month - 1 + step
    return date(index // 12, index % 12 + 1, 1)


def _explicit(m: re.Match[str], published: date | None, tense: Tense) -> Resolved:
    """A written calendar day; without a year, the nearest such day in the cue's direction."""
    month = _month_number(m.group("month"))
    day = int(m.group("day"))
    year = m.groupdict().get("year")
    if year:
        value = make(int(year), month, day)
        return (value, "day") if value else (None, None)
    if published is None:
        return None, None
    if tense == "future":
        value = make(published.year, month, day)
        if value is None or value < published:
            value = make(published.year + 1, month, day)
    else:
        value = make(published.year, month, day)
        if value is None or value > published:
            value = make(published.year - 1, month, day)
    return (value, "day") if value else (None, None)


def _month(m: re.Match[str], published: date | None, tense: Tense) -> Resolved:
    """A month named without a day ("in April", "last April", "April 2023"): its first day."""
    month = _month_number(m.group("month"))
    if m.group("year"):
        return date(int(m.group("year")), month, 1), "month"
    if published is None:
        return None, None
    mod = (m.groupdict().get("mod") or "").lower()
    this = date(published.year, month, 1)
    start = published.replace(day=1)
    if mod == "this":
        return this, "month"
    forward = mod == "next" or (tense == "future" and mod != "last")
    if forward:
        later = this > start if mod == "next" else this >= start
        return (this if later else this.replace(year=this.year + 1)), "month"
    earlier = this < start if mod == "last" else this <= start
    return (this if earlier else this.replace(year=this.year - 1)), "month"
