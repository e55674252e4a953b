"""Quality metrics computed from the bot's documented JSON (``timeline``/``status --json``).

Pure functions over dicts, so they can be tested on hand-made JSON without running the CLI.
Only the public shape is used: ``statements[]`` (``text``, ``date``, ``date_precision``,
``citations[{source, quote}]``) and ``sources[]`` (``id``, ``path``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import PurePath
from typing import Any

from bench.quality.gold import Fact, Gold

DAY_TOLERANCE = 3  # days either side of the gold date
WEEK_BEFORE, WEEK_AFTER = 3, 9  # a "week" date is correct if gold ∈ [date-3, date+9]
TIMELINE_LIMIT = 30
STATUS_HEAD = 3  # status-current looks at the status's first 3 statements

_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Whitespace-normalised text: runs of whitespace become one space, ends trimmed."""
    return _SPACE.sub(" ", text).strip()


def as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def date_ok(shown: Any, precision: str | None, gold: date | None) -> bool:
    """Whether a shown date counts as the gold date.

    ``day`` (or no precision given): within 3 days. ``week``: gold within [date-3, date+9].
    ``month``, a missing date or a missing gold date: wrong.
    """
    when = as_date(shown)
    if when is None or gold is None:
        return False
    precision = precision or "day"
    if precision == "day":
        return abs((gold - when).days) <= DAY_TOLERANCE
    if precision == "week":
        return when - timedelta(days=WEEK_BEFORE) <= gold <= when + timedelta(days=WEEK_AFTER)
    return False


def statements(payload: dict[str, Any] | None, limit: int | None = None) -> list[dict[str, Any]]:
    items = list((payload or {}).get("statements") or [])
    return items[:limit] if limit is not None else items


def _matches(pattern: re.Pattern[str], text: Any) -> bool:
    return isinstance(text, str) and pattern.search(text) is not None


@dataclass(slots=True)
class FactResult:
    id: str
    gold_date: str
    recalled: bool  # some statement's text matches
    quote_recalled: bool  # some citation quote of those statements matches
    dated: bool  # some matching statement carries a correct date
    shown: list[str] = field(default_factory=list)  # dates (precision) of matching statements


def fact_results(facts: Iterable[Fact], timeline: dict[str, Any]) -> list[FactResult]:
    """Per fact: recalled by statement text, by citation quote, and dated correctly."""
    items = statements(timeline, TIMELINE_LIMIT)
    out = []
    for fact in facts:
        pattern = re.compile(fact.regex)
        hits = [s for s in items if _matches(pattern, s.get("text"))]
        quoted = any(
            _matches(pattern, c.get("quote")) for s in items for c in s.get("citations") or []
        )
        out.append(
            FactResult(
                id=fact.id,
                gold_date=fact.date_text,
                recalled=bool(hits),
                quote_recalled=quoted,
                dated=any(date_ok(s.get("date"), s.get("date_precision"), fact.date) for s in hits),
                shown=[f"{s.get('date')} ({s.get('date_precision')})" for s in hits],
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class CitationCheck:
    """The citations of timeline statements that state a gold fact, checked by the gold regexes.

    ``same``: the quote states the same fact (a lower bound on support: a paraphrase the regex
    misses counts as unsupported); ``other``: the quote states another gold fact and not this
    one (plainly a different event cited as this one's source).
    """

    total: int
    same: int
    other: int


def citation_check(facts: Iterable[Fact], timeline: dict[str, Any]) -> CitationCheck:
    """Check every citation of the timeline statements that match a gold fact."""
    patterns = [(f.id, re.compile(f.regex)) for f in facts]
    total = same = other = 0
    for st in statements(timeline, TIMELINE_LIMIT):
        told = {fid for fid, p in patterns if _matches(p, st.get("text"))}
        if not told:
            continue
        for c in st.get("citations") or []:
            quoted = {fid for fid, p in patterns if _matches(p, c.get("quote"))}
            total += 1
            same += bool(quoted & told)
            other += bool(quoted) and not quoted & told
    return CitationCheck(total, same, other)


def status_current(gold: Gold, status: dict[str, Any] | None) -> bool:
    """Whether one of the status's first 3 statements matches a ``[current]`` regex."""
    if gold.current is None:
        return False
    patterns = [re.compile(r) for r in gold.current.regex]
    head = statements(status, STATUS_HEAD)
    return any(_matches(p, s.get("text")) for p in patterns for s in head)


def undated(*payloads: dict[str, Any] | None) -> int:
    """Statements whose ``date`` is null."""
    return sum(1 for p in payloads for s in statements(p) if s.get("date") is None)


def cited_sources(payload: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The source entries actually cited by the payload's statements."""
    by_id = {s.get("id"): s for s in (payload or {}).get("sources") or []}
    ids = {c.get("source") for s in statements(payload) for c in s.get("citations") or []}
    return [by_id[i] for i in sorted(ids, key=str) if i in by_id]


def quote_failures(
    payloads: Iterable[dict[str, Any] | None], text_of: Callable[[str], str | None]
) -> list[str]:
    """Citations whose quote is not (whitespace aside) in the cleaned text of the cited source.

    ``text_of(path)`` returns a source file's cleaned text (title and body), None if unreadable.
    A citation naming no listed source fails too.
    """
    failures = []
    cache: dict[str, str | None] = {}
    for payload in payloads:
        by_id = {s.get("id"): s for s in (payload or {}).get("sources") or []}
        for st in statements(payload):
            for c in st.get("citations") or []:
                quote = squash(str(c.get("quote") or ""))
                source = by_id.get(c.get("source"))
                path = (source or {}).get("path")
                if not path:
                    failures.append(f"source {c.get('source')!r} not listed: {quote[:60]!r}")
                    continue
                if path not in cache:
                    text = text_of(path)
                    cache[path] = squash(text) if text is not None else None
                haystack = cache[path]
                if haystack is None or not quote or quote not in haystack:
                    failures.append(f"{PurePath(path).name}: {quote[:60]!r}")
    return failures


def distractors_cited(gold: Gold, *payloads: dict[str, Any] | None) -> list[str]:
    """Distinct distractor files among the sources cited (by file name)."""
    names = set(gold.distractors)
    found = {
        PurePath(str(s.get("path") or "")).name
        for p in payloads
        for s in cited_sources(p)
        if PurePath(str(s.get("path") or "")).name in names
    }
    return sorted(found)


def score_bot(
    gold: Gold,
    timeline: dict[str, Any],
    status: dict[str, Any] | None,
    text_of: Callable[[str], str | None],
) -> dict[str, Any]:
    """Every bot metric of one topic, from its timeline and status JSON."""
    results = fact_results(gold.facts, timeline)
    recalled = [r for r in results if r.recalled]
    failures = quote_failures([status, timeline], text_of)
    cites = citation_check(gold.facts, timeline)
    return {
        "facts": len(results),
        "timeline_statements": len(statements(timeline, TIMELINE_LIMIT)),
        "recalled": len(recalled),
        "quote_recalled": sum(r.quote_recalled for r in results),
        "dated": sum(r.dated for r in recalled),
        "recall": ratio(len(recalled), len(results)),
        "dated_share": ratio(sum(r.dated for r in recalled), len(recalled)),
        "status_current": status_current(gold, status),
        "undated": undated(status, statements_only(timeline, TIMELINE_LIMIT)),
        "quote_failures": len(failures),
        "citations_on_facts": cites.total,
        "citations_same_fact": cites.same,
        "citations_other_fact": cites.other,
        "quote_failure_examples": failures[:5],
        "distractors_cited": distractors_cited(gold, status, timeline),
        "missed": [{"id": r.id, "date": r.gold_date} for r in results if not r.recalled],
        "misdated": [
            {"id": r.id, "gold": r.gold_date, "shown": r.shown} for r in recalled if not r.dated
        ],
    }


def statements_only(payload: dict[str, Any], limit: int) -> dict[str, Any]:
    """The payload cut to its first ``limit`` statements."""
    return {**payload, "statements": statements(payload, limit)}


def score_baseline(gold: Gold, picked: list[tuple[str, date | None]]) -> dict[str, Any]:
    """Recall and dated share of a list of (sentence, page publication date)."""
    recalled = dated = 0
    for fact in gold.facts:
        pattern = re.compile(fact.regex)
        hits = [when for text, when in picked if pattern.search(text)]
        if hits:
            recalled += 1
            dated += any(date_ok(when, "day", fact.date) for when in hits)
    return {
        "recalled": recalled,
        "dated": dated,
        "recall": ratio(recalled, len(gold.facts)),
        "dated_share": ratio(dated, recalled),
    }


def ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None
