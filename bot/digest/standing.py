"""Where a story stands: the best-corroborated state statements among its newest reports.

The status is not the newest article's first sentences. It is drawn from the last couple of weeks
of reporting (relative to the newest dated development), and prefers what several outlets say,
either in one development or in similar developments of their own, and sentences that describe a
state ("remains", "is now", "has been suspended", "not yet") rather than a passing remark.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.models import Development, Source
from bot.topics.text import tokens

WINDOW = timedelta(days=14)  # how far back from the newest development "recent" reaches
DECAY_DAYS = 4.0  # recency halves roughly every three days: a week-old state is stale
SIMILAR = 0.3  # IDF cosine at or above which two reports tell the same thing
KEEP_SHARE = 0.6  # a status line must be worth this share of the best one
MIN_WORDS = 8
COMMON_SHARE = 0.25  # terms in more developments than this share find no neighbours
MAX_POSTING = 60  # developments compared per shared term (a topic's rare terms are rare)

_STRONG_STATE = re.compile(
    r"\b(?:now|remains?|remained|has been|have been|not yet|in force|in effect|pending|"
    r"scheduled|stalled|completed|closed|awaits?|awaiting|no longer|continues? to|ongoing|"
    r"under ?way|on hold|still)\b",
    re.I,
)
_WEAK_STATE = re.compile(r"\b(?:is|are)\b", re.I)
# Present perfect: "has signed", "have not agreed", "has already begun".
_PERFECT = re.compile(
    r"\b(?:has|have)(?:\s+(?:not|now|already|yet|since|also|finally|just))?\s+"
    r"[a-z]+(?:ed|en|wn|ne|un|ught|lt|pt|nt|de)\b",
    re.I,
)
_HEDGE = re.compile(r"\b(?:could|would|might|may|should)\b")  # lowercase: "May" is a month
# A statement that opens on a pronoun leans on the sentence before it: it cannot stand alone.
_LEANS_BACK = frozenset(
    {"He", "She", "They", "It", "This", "These", "Those", "His", "Her", "Their", "Its"}
)
_END = re.compile(r"[.!][\"'’”)\]]*$")
_QUOTE_MARKS = "\"“”'‘’«»"
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]")


@dataclass(frozen=True, slots=True)
class TermSpace:
    """IDF-weighted unit vectors of a topic's developments, with postings of their rarer terms."""

    vectors: Mapping[str, Mapping[str, float]]
    postings: Mapping[str, tuple[str, ...]]
    df: Mapping[str, int]
    size: int

    @classmethod
    def build(cls, devs: Sequence[Development]) -> TermSpace:
        """Weights from the representative reports of ``devs`` (one document per development)."""
        toks = {d.id: frozenset(tokens(d.text)) for d in devs}
        df: Counter[str] = Counter(t for ts in toks.values() for t in ts)
        n = len(devs)
        vectors = {}
        for d in devs:
            # in the terms' order, not a set's: sums in a hash order differ in the last bit
            raw = {t: math.log(1 + n / df[t]) for t in sorted(toks[d.id])}
            norm = math.sqrt(sum(w * w for w in raw.values())) or 1.0
            vectors[d.id] = {t: w / norm for t, w in raw.items()}
        common = max(3, COMMON_SHARE * n)
        postings: dict[str, list[str]] = {}
        for d in sorted(devs, key=lambda d: (-d.score, d.id)):
            for t in sorted(toks[d.id]):
                if df[t] <= common:
                    postings.setdefault(t, []).append(d.id)
        return cls(vectors, {t: tuple(ids[:MAX_POSTING]) for t, ids in postings.items()}, df, n)

    def cosine(self, a: str, b: str) -> float:
        """Cosine of two developments' vectors (0 when either is unknown)."""
        va, vb = self.vectors.get(a, {}), self.vectors.get(b, {})
        if len(vb) < len(va):
            va, vb = vb, va
        return sum(w * vb.get(t, 0.0) for t, w in va.items())

    def shared_rare(self, a: str, b: str) -> int:
        """How many rarer terms (those with postings) two developments share."""
        va, vb = self.vectors.get(a, {}), self.vectors.get(b, {})
        return sum(1 for t in va if t in vb and t in self.postings)

    def neighbours(self, dev_id: str) -> Iterator[str]:
        """Developments sharing at least one rarer term with this one, each once, in id order."""
        seen: set[str] = set()
        for t in self.vectors.get(dev_id, {}):
            seen.update(self.postings.get(t, ()))
        seen.discard(dev_id)
        yield from sorted(seen)


def outlet_key(source: Source) -> str:
    """The outlet a source counts for (a republished copy counts with its original)."""
    if source.kind == "republished" and source.original_id:
        return f"orig:{source.original_id}"
    return (source.outlet or "").lower() or f"src:{source.id}"


def outlets_of(d: Development, sources: Mapping[str, Source]) -> frozenset[str]:
    """Distinct outlets among a development's reports (sources unknown here count by id)."""
    return frozenset(
        outlet_key(sources[sid]) if sid in sources else f"src:{sid}" for sid in d.source_ids
    )


def articles_of(d: Development, sources: Mapping[str, Source]) -> frozenset[str]:
    """Distinct articles among a development's reports (a republished copy is its original)."""
    out = set()
    for sid in d.source_ids:
        src = sources.get(sid)
        out.add(src.original_id if src and src.kind == "republished" and src.original_id else sid)
    return frozenset(out)


def is_question(text: str) -> bool:
    """Whether a sentence asks rather than tells."""
    return "?" in text


def is_bare_quote(text: str) -> bool:
    """A quotation standing alone, or a sentence that is mostly someone else's words."""
    t = text.strip()
    if t[:1] in _QUOTE_MARKS:
        return True
    quoted = sum(len(m) for m in _QUOTED.findall(t))
    return quoted > 0.6 * len(t)


def is_full_sentence(text: str) -> bool:
    """A complete declarative sentence: capital start, terminal punctuation, enough words."""
    t = text.strip()
    words = t.split()
    return (
        len(words) >= MIN_WORDS
        and t[:1].isupper()
        and words[0] not in _LEANS_BACK
        and bool(_END.search(t))
        and not is_question(t)
        and not is_bare_quote(t)
    )


def state_weight(text: str) -> float:
    """1 for a sentence that describes a state, 0.5 for a bare "is/are", else 0; halved if hedged."""
    if _STRONG_STATE.search(text) or _PERFECT.search(text):
        weight = 1.0
    else:
        weight = 0.5 if _WEAK_STATE.search(text) else 0.0
    return weight / 2 if _HEDGE.search(text) else weight  # "could pay back" is not a state


def newest_date(devs: Sequence[Development]) -> date | None:
    """The newest event date among the developments."""
    return max((d.date for d in devs if d.date), default=None)


def _last_day(d: Development) -> date | None:
    """The last day a development's date may stand for (a week or a month reaches forward)."""
    if d.date is None:
        return None
    reach = {"week": 6, "month": 27}.get(d.date_precision or "day", 0)
    return d.date + timedelta(days=reach)


def recent_window(devs: Sequence[Development]) -> list[Development]:
    """Developments from the newest ~two weeks of reports (every one if nothing is dated)."""
    newest = newest_date(devs)
    if newest is None:
        return list(devs)
    start = newest - WINDOW
    return [d for d in devs if (last := _last_day(d)) is not None and last >= start]


def _recency(d: Development, newest: date | None) -> float:
    last = _last_day(d)
    if newest is None or last is None:
        return 1.0
    return math.exp(-max(0, (newest - last).days) / DECAY_DAYS)


def _support(
    d: Development,
    space: TermSpace,
    pool: Mapping[str, Development],
    outlets: Mapping[str, frozenset[str]],
) -> int:
    """Distinct outlets behind a statement: its own, plus those of similar recent developments."""
    mine = outlets[d.id]
    others: set[str] = set()
    for other in space.neighbours(d.id):
        if other in pool and space.cosine(d.id, other) >= SIMILAR:
            others |= outlets[other] - mine
    return max(d.outlets, len(mine)) + len(others)


def _value(d: Development, support: int, newest: date | None) -> float:
    """Corroboration, discounted for sentences that tell no state and for age."""
    state = 0.5 + 0.5 * state_weight(d.text)
    return support * state * (0.5 + 0.5 * _recency(d, newest))


def _order(item: tuple[float, Development]) -> tuple[float, int, float, str]:
    """Best value first; then the newest, the most significant, the smallest id."""
    value, d = item
    last = _last_day(d) or date.min
    return (-round(value, 6), -last.toordinal(), -d.score, d.id)


def _pick(
    ranked: list[tuple[float, Development]], space: TermSpace, limit: int
) -> list[Development]:
    """The best statements that do not restate one already picked, worth enough beside the best."""
    if not ranked:
        return []
    top = ranked[0][0]
    chosen: list[Development] = []
    for value, d in ranked:
        if value < KEEP_SHARE * top or len(chosen) >= limit:
            break
        if any(space.cosine(d.id, c.id) >= SIMILAR for c in chosen):
            continue
        chosen.append(d)
    return chosen


def where_it_stands(
    devs: Sequence[Development], sources: Mapping[str, Source], *, limit: int = 3
) -> list[Development]:
    """Up to ``limit`` statements of where the story stands now, best first; never none if any exist."""
    if not devs or limit <= 0:
        return []
    space = TermSpace.build(devs)
    newest = newest_date(devs)
    window = recent_window(devs)
    pool = {d.id: d for d in window}
    outlets = {d.id: outlets_of(d, sources) for d in devs}
    tiers = (
        [d for d in window if not d.recap and is_full_sentence(d.text)],
        [d for d in window if not d.recap and not is_question(d.text)],
        [d for d in devs if not is_question(d.text)] or list(devs),
    )
    for tier in tiers:
        ranked = sorted(
            ((_value(d, _support(d, space, pool, outlets), newest), d) for d in tier), key=_order
        )
        chosen = _pick(ranked, space, limit)
        if chosen:
            return chosen
    return []
