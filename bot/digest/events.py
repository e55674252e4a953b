"""Events across outlets: reports of one thing happening, merged however they are worded.

Two reports are one event when they say similar things (cosine over the topic's own IDF, so the
words every report of the story shares weigh little), share names and numbers, speak of the same
kind of action, and have compatible dates: reports explicitly dated more than three days apart
are different events, so a later approval of an earlier agreement stays a second event. A recap
(a later article's background line) has no date of its own: it joins the event it restates and
adds to its corroboration, never to its date.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.digest.features import opposed
from bot.models import Precision, Sentence, Source

MERGE_AT = 0.36  # similarity above which a report joins an event
MAX_COMPARE = 12  # events compared in full per report (those sharing most distinctive words)
MAX_POSTING = 60  # events per word looked at (the latest), bounding the work on huge topics
POSTING_TERMS = 10  # a report's most distinctive words, used to find the events it may join
INDEX_TERMS = 25  # words of a report under which its event is indexed
TEXT_DAYS = 3  # explicit dates further apart than this are different events
REPORT_LAG = 10  # days after an explicitly dated event a report may still be published
PUBLISHED_DAYS = 4  # reports dated only by publication, further apart: different events

Basis = str  # "text" (the sentence dates it), "published", "estimated" (page date estimated)


@dataclass(slots=True)
class Report:
    """One topic sentence with what clustering needs to know about it."""

    sentence: Sentence
    source: Source
    outlet: str
    score: float
    vec: dict[str, float]
    names: frozenset[str]
    numbers: frozenset[str]
    groups: frozenset[str]
    when: date | None
    precision: Precision | None
    basis: Basis | None
    recap: bool


@dataclass(slots=True)
class Event:
    """Reports of one thing happening, best-scored first."""

    reports: list[Report]
    centroid: dict[str, float] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)
    norm_sq: float = 0.0  # squared length of the centroid, kept as reports join
    when: date | None = None
    precision: Precision | None = None
    basis: Basis | None = None
    # outlets and articles of a stored development beyond the reports rebuilt from it (a quick
    # update rebuilds an event from the few reports its development keeps)
    unseen_outlets: int = 0
    unseen_articles: int = 0

    def add(self, r: Report) -> None:
        """Take a report in, updating the centroid, names and the consensus date."""
        self.reports.append(r)
        dot = 0.0
        for t, w in r.vec.items():
            old = self.centroid.get(t, 0.0)
            dot += old * w
            self.centroid[t] = old + w
        self.norm_sq += 2 * dot + sum(w * w for w in r.vec.values())
        self.names |= r.names
        self.numbers |= r.numbers
        self.groups |= r.groups
        if r.when is not None or self.when is None:
            self.when, self.precision, self.basis = consensus_date(self.reports)

    @property
    def sources(self) -> set[str]:
        """Distinct sources reporting it."""
        return {r.source.id for r in self.reports}

    @property
    def outlets(self) -> set[str]:
        """Distinct outlets reporting it (a republished copy counts with its original)."""
        return {r.outlet for r in self.reports}


def idf_weights(docs: Iterable[frozenset[str]]) -> dict[str, float]:
    """Inverse document frequency over a topic's sentences (smoothed, natural log)."""
    df: Counter[str] = Counter()
    n = 0
    for toks in docs:
        df.update(toks)
        n += 1
    return {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}


def vector(toks: frozenset[str], idf: dict[str, float]) -> dict[str, float]:
    """A unit-length TF-IDF vector of a sentence's content words."""
    vec = {t: idf.get(t, 0.0) for t in sorted(toks)}  # sorted: the same sums in every process
    norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
    return {t: w / norm for t, w in vec.items() if w > 0}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two sparse vectors (``a`` unit length; ``b`` any length)."""
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    if not dot:
        return 0.0
    norm_b = math.sqrt(sum(w * w for w in b.values())) or 1.0
    norm_a = math.sqrt(sum(w * w for w in a.values())) or 1.0
    return dot / (norm_a * norm_b)


def cluster(
    reports: list[Report],
    common_names: set[str],
    common_numbers: frozenset[str] | set[str] = frozenset(),
) -> list[Event]:
    """Greedy clustering in date order: each report joins the most similar compatible event.

    Candidate events are found through the report's most distinctive words (an inverted index
    over the events' words, the topic's most common words left out, the latest events per word
    only: in date order these are the ones near in time), then compared in full. Reports without
    a date come last and join whatever they restate.
    """
    clusters = Clusters(common_names, set(common_numbers), frequent_terms(reports))
    clusters.take(reports)
    return clusters.events


@dataclass(slots=True)
class Clusters:
    """Events being clustered, with the index that finds the ones a new report may join.

    ``cluster`` starts from none; a quick update starts from a topic's stored events
    (``keep``) and lets a new article's reports join them (``take``) by the same rules.
    """

    common_names: set[str]
    common_numbers: set[str]
    frequent: set[str]  # the topic's most common words: they find everything, so nothing
    events: list[Event] = field(default_factory=list)
    postings: dict[str, list[int]] = field(default_factory=dict)

    def keep(self, event: Event) -> None:
        """Take an event as it is, indexed under its reports' words."""
        self.events.append(event)
        for r in event.reports:
            self._index(self._ranked(r), len(self.events) - 1)

    def take(self, reports: list[Report]) -> None:
        """Place reports in date order, each in the most similar compatible event or a new one."""
        for r in sorted(reports, key=report_order):
            self._place(r)

    def _place(self, r: Report) -> None:
        ranked = self._ranked(r)
        terms = ranked[:POSTING_TERMS]
        overlap: dict[int, float] = {}
        for t in terms:
            w = r.vec[t]
            for ei in self.postings.get(t, ())[-MAX_POSTING:]:
                overlap[ei] = overlap.get(ei, 0.0) + w
        best, best_sim = None, MERGE_AT
        for ei in heapq.nlargest(MAX_COMPARE, overlap, key=lambda ei: (overlap[ei], -ei)):
            ev = self.events[ei]
            if compatible(r, ev):
                sim = similarity(r, ev, self.common_names, self.common_numbers)
                if sim > best_sim or (sim == best_sim and best is not None and ei < best):
                    best, best_sim = ei, sim
        if best is None:
            self.events.append(Event([]))
            best = len(self.events) - 1
        self.events[best].add(r)
        self._index(ranked, best)

    def _ranked(self, r: Report) -> list[str]:
        return sorted((t for t in r.vec if t not in self.frequent), key=lambda t: (-r.vec[t], t))

    def _index(self, ranked: list[str], ei: int) -> None:
        for t in ranked[:INDEX_TERMS]:  # indexed wider than queried: a long report's rarer words
            bucket = self.postings.setdefault(t, [])
            if not bucket or bucket[-1] != ei:
                bucket.append(ei)


def report_order(r: Report) -> tuple[bool, date, float, str, int]:
    """The order reports are clustered in: dated ones by date, best first; undated ones last."""
    return (r.when is None, r.when or date.min, -r.score, r.source.id, r.sentence.index)


def frequent_terms(reports: list[Report]) -> set[str]:
    """Words in more than a twentieth of the topic's sentences: they find everything, so nothing."""
    df: Counter[str] = Counter(t for r in reports for t in r.vec)
    need = max(8, len(reports) / 20)
    return {t for t, n in df.items() if n > need}


def similarity(
    r: Report,
    ev: Event,
    common_names: set[str],
    common_numbers: frozenset[str] | set[str] = frozenset(),
) -> float:
    """How likely a report tells of the same thing as an event: words, names, numbers, action.

    Opposite actions ("approved" against "blocked") are never one event, however alike the words.
    """
    if opposed(r.groups, ev.groups):
        return 0.0
    dot = sum(w * ev.centroid.get(t, 0.0) for t, w in r.vec.items())
    sim = dot / math.sqrt(ev.norm_sq) if dot > 0 and ev.norm_sq > 0 else 0.0
    sim += 0.1 * min(2, len((r.numbers & ev.numbers) - common_numbers))
    sim += 0.04 * min(3, len((r.names & ev.names) - common_names))
    if r.groups and ev.groups:
        sim += 0.05 if r.groups & ev.groups else -0.15
    if r.when is not None and r.when == ev.when and r.precision == ev.precision == "day":
        sim += 0.08  # both tell of the same day
    return sim


def compatible(r: Report, ev: Event) -> bool:
    """Whether a report's date allows it to tell of the event (recaps and undated fit anything)."""
    if r.when is None or ev.when is None:
        return True
    return dates_compatible(
        (r.when, r.precision, r.basis or ""), (ev.when, ev.precision, ev.basis or "")
    )


DateInfo = tuple[date, Precision | None, str]


def dates_compatible(a: DateInfo, b: DateInfo) -> bool:
    """Whether two reports' dates can belong to one event."""
    (da, pa, ba), (db, pb, bb) = a, b
    if "month" in (pa, pb):
        return _span(da, pa)[0] <= _span(db, pb)[1] and _span(db, pb)[0] <= _span(da, pa)[1]
    if ba == "text" and bb == "text":
        slack = 6 if "week" in (pa, pb) else 0
        return abs((da - db).days) <= TEXT_DAYS + slack
    if ba == "text" or bb == "text":
        event, report = (da, db) if ba == "text" else (db, da)
        return -1 <= (report - event).days <= REPORT_LAG
    return abs((da - db).days) <= PUBLISHED_DAYS


def _span(when: date, precision: Precision | None) -> tuple[date, date]:
    if precision == "month":
        nxt = (when.replace(day=28) + timedelta(days=4)).replace(day=1)
        return when, nxt - timedelta(days=1)
    if precision == "week":
        return when, when + timedelta(days=6)
    return when, when


def consensus_date(reports: list[Report]) -> tuple[date | None, Precision | None, Basis | None]:
    """An event's date: what its sentences say, agreed across reports, else its first report.

    Dates written in the sentences win (the most common, then the earliest); then the earliest
    publication of a report that is not a recap; then an estimated page date.
    """
    told = [(r.when, r.precision) for r in reports if r.basis == "text" and r.when]
    days = [w for w, p in told if p == "day"]
    if days:
        best = max(Counter(days).items(), key=lambda kv: (kv[1], -kv[0].toordinal()))[0]
        return best, "day", "text"
    if told:
        when, precision = min(told, key=lambda t: (t[1] != "week", t[0]))
        first, last = _span(when, precision)
        inside = [
            r.when for r in reports if r.basis == "published" and r.when and first <= r.when <= last
        ]
        if inside:
            return min(inside), "day", "published"  # a report on a day of that week pins it
        return when, precision, "text"
    for basis in ("published", "estimated"):
        pub = [r.when for r in reports if r.basis == basis and r.when and not r.recap]
        if pub:
            return min(pub), "day", basis
    return None, None, None
