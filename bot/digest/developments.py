"""Turn a topic's relevant sentences into developments: events reported across outlets, dated.

A development is an event: every sentence, from every source, that reports one thing happening
(see ``events``). Its date is what its reports say, agreed across them; its corroboration is the
number of distinct outlets, a republished copy counting with its original; its score says how
informative and how widely reported it is. A recap (background in a later article) adds to the
event it restates, and an event known only from recaps is marked as such.
"""

from __future__ import annotations

import hashlib
import math
import sys
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from bot.digest import features
from bot.digest.context import in_its_page
from bot.digest.disputes import find_disputes
from bot.digest.events import (
    Clusters,
    Event,
    Report,
    cosine,
    frequent_terms,
    idf_weights,
    report_order,
    vector,
)
from bot.digest.features import (
    capitalised,
    cue_weight,
    cues_of,
    event_groups,
    event_terms,
    introduced_surnames,
    is_bare_quote,
    leans_on_context,
    names_of,
    needs_antecedent,
    numbers_of,
    stands_alone,
    surname_only,
    tells_past_event,
    token_set,
)
from bot.ingest.dates import is_recap
from bot.models import Development, Precision, Sentence, Source, Topic, pages_of
from bot.topics.assign import TopicIndex
from bot.topics.text import normalize

MAX_DEVELOPMENTS = 300  # stored per topic; briefings use far fewer
MAX_CANDIDATES = 4_000  # most promising sentences per topic that are clustered at all
MAX_REPORTS = 12  # sentences kept per development (one per source); outlets counts them all
COMMON_NAME_SHARE = 0.25  # names in this share of a topic's articles identify nothing
COMMON_NUMBER_SHARE = 0.1  # figures in this share of a topic's articles identify nothing

__all__ = [
    "build_developments",
    "centrality",
    "cues_of",
    "development",
    "event_of",
    "mark_disputes",
    "token_set",
]

LEDE_BONUS = 0.2  # a page's first sentences tell its main news
TITLE_BONUS = 0.7  # ... as does a sentence that restates its headline (share of its words)
KNOWN_NAME_PAGES = 3  # a name this many of a story's pages write needs no introduction
DISPUTES_MARKED = 4  # disputes a topic marks among its developments


def build_developments(
    topic: Topic,
    index: TopicIndex,
    sources: Mapping[str, Source],
    sentences: Mapping[str, list[Sentence]],
) -> list[Development]:
    """The topic's developments, most significant first."""
    return build_topic(topic, index, sources, sentences)[0]


class Judged:
    """What building a topic asks of each sentence and page, judged once for every topic that
    reads it: whether a sentence can stand as a development and its event cue groups, and the
    people a page introduces.

    A recompute keeps one for all its topics, so a sentence five topics share is judged once,
    not five times. Per page it holds one integer per sentence: the number of its cue groups in
    a table shared by all sentences (few sets of cues recur), or ``UNFIT``, or ``UNSEEN``; and,
    once a topic asked, the surnames the page introduces and its capitalised words (interned).
    """

    UNSEEN = -2
    UNFIT = -1

    def __init__(self) -> None:
        self._pages: dict[str, array[int]] = {}
        self._numbers: dict[tuple[str, ...], int] = {}
        self._cues: list[tuple[str, ...]] = []
        self._people: dict[str, PagePeople] = {}

    def cues(self, s: Sentence, title: str) -> tuple[str, ...] | None:
        """The sentence's cue groups, or None when it cannot stand as a development (``title``:
        its page's normalized title)."""
        marks = self._pages.get(s.source_id)
        if marks is None:
            marks = self._pages[s.source_id] = array("i")
        if len(marks) <= s.index:
            marks.extend([self.UNSEEN] * (s.index + 1 - len(marks)))
        mark = marks[s.index]
        if mark == self.UNSEEN:
            mark = self.UNFIT
            if _fits(s.text, title, stands_alone.__wrapped__(s.text)):
                cues = cues_of.__wrapped__(s.text)
                mark = self._numbers.setdefault(cues, len(self._cues))
                if mark == len(self._cues):
                    self._cues.append(cues)
            marks[s.index] = mark
        return None if mark == self.UNFIT else self._cues[mark]

    def fit_cues(self, s: Sentence) -> tuple[str, ...]:
        """The cue groups of a sentence judged fit already."""
        return self._cues[self._pages[s.source_id][s.index]]

    def people(
        self, ids: Sequence[str], sentences: Mapping[str, list[Sentence]]
    ) -> Iterator[tuple[str, PagePeople]]:
        """Per page: the surnames it introduces with a full name (and where), and the
        capitalised words it writes; pages not yet read are read together."""
        missing = [sid for sid in ids if sid not in self._people]
        for sid, sents in pages_of(sentences, missing):
            texts = [x.text for x in sents]
            words = {sys.intern(w) for text in texts for w in capitalised(text)}
            self._people[sid] = (introduced_surnames(texts) or _NO_SURNAMES, tuple(sorted(words)))
        return ((sid, self._people[sid]) for sid in ids)


PagePeople = tuple[Mapping[str, int], tuple[str, ...]]
_NO_SURNAMES: Mapping[str, int] = MappingProxyType({})


def build_topic(
    topic: Topic,
    index: TopicIndex,
    sources: Mapping[str, Source],
    sentences: Mapping[str, list[Sentence]],
    judged: Judged | None = None,
) -> tuple[list[Development], Clustering | None]:
    """The topic's developments, most significant first, and what clustering them used
    (``judged``: what the recompute's other topics judged of their sentences already)."""
    # A huge topic reads its candidates once without the feature caches and keeps the most
    # promising: its working set is bounded by MAX_CANDIDATES, not by the topic's size.
    huge = len(index.sentences.get(topic.slug, {})) > MAX_CANDIDATES
    judged = judged if judged is not None else Judged()
    candidates = _candidates(topic, index, sources, sentences, judged if huge else None)
    if not candidates:
        return [], None
    cues: list[float] = []
    if huge:
        idf = idf_weights(_glanced(candidates, cues, judged))
    else:
        idf = idf_weights(event_terms(s.text) for s, _ in candidates)
    newest = max((d for s, _ in candidates if (d := sources[s.source_id].published)), default=None)
    docs = len(candidates)
    if len(candidates) > MAX_CANDIDATES:  # a huge topic: cluster its most promising reports
        cue = cues or [cue_weight(s.text) for s, _ in candidates]
        ranked = sorted(
            range(len(candidates)),
            key=lambda i: (
                -_prescore(*candidates[i], sources[candidates[i][0].source_id], newest, cue[i]),
                candidates[i][0].key,
            ),
        )
        candidates = [candidates[i] for i in ranked[:MAX_CANDIDATES]]
    unknown = _surname_only(candidates, sentences, judged)
    reports = [
        _report(s, rel, sources[s.source_id], idf, newest, leans=s.key in unknown)
        for s, rel in candidates
    ]
    model = Clustering.of(idf, docs, newest, reports)
    clusters = model.clusters()
    clusters.take(reports)
    members = index.articles.get(topic.slug, {})
    # a passing mention in another story corroborates an event; alone, it is not the story's news
    events = [ev for ev in clusters.events if any(r.source.id in members for r in ev.reports)]
    return _developments(topic, events, {}, sources, sentences), model


def _glanced(
    candidates: list[tuple[Sentence, float]],
    cues: list[float],
    judged: Judged,
) -> Iterator[frozenset[str]]:
    """The candidates' event terms, their cue weights noted in ``cues``, without the caches."""
    for s, _ in candidates:
        terms, cue = features.glance(s.text, judged.fit_cues(s))
        cues.append(cue)
        yield terms


def _candidates(
    topic: Topic,
    index: TopicIndex,
    sources: Mapping[str, Source],
    sentences: Mapping[str, list[Sentence]],
    judged: Judged | None = None,
) -> list[tuple[Sentence, float]]:
    """The topic's relevant sentences that can stand as developments, with their relevance
    (``judged``: judged there, without filling the caches, for a huge topic's first pass)."""
    relevance = index.sentences.get(topic.slug, {})
    by_page: dict[str, list[tuple[int, float]]] = {}  # in relevance's order (page by page)
    for (sid, idx), r in relevance.items():
        by_page.setdefault(sid, []).append((idx, r))
    out = []
    for sid, sents in pages_of(sentences, by_page):
        title = normalize(sources[sid].title).strip(" .")
        for idx, r in by_page[sid]:
            s = _sentence_at(sents, idx)
            if s is None:
                continue
            fit = _usable(s.text, title) if judged is None else judged.cues(s, title) is not None
            if fit:
                out.append((s, r))
    return out


def _sentence_at(sents: list[Sentence], idx: int) -> Sentence | None:
    """A page's sentence by its index (pages list them in order, usually from 0)."""
    if 0 <= idx < len(sents) and sents[idx].index == idx:
        return sents[idx]
    return next((s for s in sents if s.index == idx), None)


def _developments(
    topic: Topic,
    events: list[Event],
    stored: Mapping[int, Development],
    sources: Mapping[str, Source],
    sentences: Mapping[str, list[Sentence]],
) -> list[Development]:
    """Events as developments, most significant first, disputes marked (``stored``: by event
    position, developments kept as they were because no new report joined them)."""
    central = centrality(events)
    devs = [
        stored[i] if i in stored else development(topic, ev, central[i], sentences)
        for i, ev in enumerate(events)
    ]
    devs = sorted(devs, key=lambda d: (-d.score, d.id))[:MAX_DEVELOPMENTS]
    devs = mark_disputes(devs, sources)
    return sorted(devs, key=lambda d: (-d.score, d.id))


@dataclass(slots=True)
class Clustering:
    """What clustering a topic's reports used, stored so a quick update can place a new
    article's reports among the topic's events without reading the corpus again."""

    idf: dict[str, float]  # terms of two or more candidate sentences; the rest weigh ``rare``
    rare: float  # the IDF of a term found in one candidate sentence (or a new one)
    newest: date | None
    common_names: set[str]
    common_numbers: set[str]
    frequent: set[str]

    @classmethod
    def of(
        cls, idf: dict[str, float], docs: int, newest: date | None, reports: list[Report]
    ) -> Clustering:
        """The clustering model of a topic's candidate reports."""
        rare = math.log((docs + 1) / 1.5)
        return cls(
            {t: w for t, w in idf.items() if w < rare},
            rare,
            newest,
            _common_names(reports),
            _common_numbers(reports),
            frequent_terms(reports),
        )

    def clusters(self) -> Clusters:
        """An empty clustering by this model's rules."""
        return Clusters(self.common_names, self.common_numbers, self.frequent)

    def weights(self, texts: Iterable[str]) -> dict[str, float]:
        """The IDF of the event terms of these sentences."""
        return {t: self.idf.get(t, self.rare) for text in texts for t in event_terms(text)}

    def to_dict(self) -> dict[str, Any]:
        """For storage (JSON)."""
        return {
            "idf": {t: round(w, 4) for t, w in sorted(self.idf.items())},
            "rare": self.rare,
            "newest": self.newest.isoformat() if self.newest else None,
            "common_names": sorted(self.common_names),
            "common_numbers": sorted(self.common_numbers),
            "frequent": sorted(self.frequent),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Clustering:
        """A stored model."""
        return cls(
            dict(d["idf"]),
            float(d["rare"]),
            date.fromisoformat(d["newest"]) if d["newest"] else None,
            set(d["common_names"]),
            set(d["common_numbers"]),
            set(d["frequent"]),
        )


def add_articles(
    topic: Topic,
    stored: list[Development],
    model: Clustering | None,
    index: TopicIndex,
    sources: Mapping[str, Source],
    sentences: Mapping[str, list[Sentence]],
) -> list[Development]:
    """A topic's developments with a few new articles' reports clustered in (a quick update).

    ``stored`` are the topic's developments from the last recompute (their related ones from
    other topics are kept as they are); ``index`` assigns only the new articles, whose
    ``sentences`` are given; ``sources`` holds the new articles and every source cited.
    Events rebuilt from the stored developments take the new reports by the rules of a full
    recompute; the developments no new report joined stay as they were, disputes marked again.
    A topic that had no developments (no ``model``) clusters the new reports by their own IDF.
    """
    own = [d for d in stored if not d.related]
    related = [d for d in stored if d.related]
    candidates = _candidates(topic, index, sources, sentences)
    if model is None:
        if not candidates:
            return list(stored)
        model = _first_model(candidates, sources)
    dates = [d for s, _ in candidates if (d := sources[s.source_id].published)]
    newest = max([*dates, *([model.newest] if model.newest else [])], default=None)
    texts = [s.text for d in own for s in d.sentences] + [s.text for s, _ in candidates]
    idf = model.weights(texts)
    clusters = model.clusters()
    order = sorted(own, key=lambda d: (d.date is None, d.date or date.min, d.id))
    for dev in order:
        clusters.keep(event_of(dev, sources, idf, newest))
    sizes = [len(ev.reports) for ev in clusters.events]
    clusters.take([_report(s, rel, sources[s.source_id], idf, newest) for s, rel in candidates])
    members = index.articles.get(topic.slug, {})
    kept: dict[int, Development] = {}
    events: list[Event] = []
    for i, ev in enumerate(clusters.events):
        if i < len(sizes) and len(ev.reports) == sizes[i]:
            kept[len(events)] = replace(order[i], disputed_by=())
        elif i >= len(sizes) and not any(r.source.id in members for r in ev.reports):
            continue  # a passing mention alone is not the story's news
        events.append(ev)
    devs = _developments(topic, events, kept, sources, sentences)
    return sorted([*devs, *related], key=lambda d: (-d.score, d.id))


def _first_model(
    candidates: list[tuple[Sentence, float]], sources: Mapping[str, Source]
) -> Clustering:
    """The clustering model of a topic's first candidate reports, as a full recompute makes it."""
    idf = idf_weights(event_terms(s.text) for s, _ in candidates)
    newest = max((d for s, _ in candidates if (d := sources[s.source_id].published)), default=None)
    reports = [_report(s, rel, sources[s.source_id], idf, newest) for s, rel in candidates]
    return Clustering.of(idf, len(candidates), newest, reports)


def event_of(
    dev: Development, sources: Mapping[str, Source], idf: dict[str, float], newest: date | None
) -> Event:
    """The event a stored development tells, rebuilt from the reports it kept."""
    reports = [
        _report(s, 1.0, sources[s.source_id], idf, newest)
        for s in dev.sentences
        if s.source_id in sources
    ]
    event = Event([])
    for r in sorted(reports, key=report_order):
        event.add(r)
    event.unseen_outlets = max(0, dev.outlets - len(event.outlets))
    event.unseen_articles = max(0, dev.articles - len(event.sources))
    return event


def forget() -> None:
    """Drop what the caches hold of sentences once a topic is built, so they hold the largest
    topic's sentences at most, not every topic's (a sentence two topics share is then read
    twice: a little more CPU for a third less peak memory)."""
    features.forget()
    _usable.cache_clear()


@lru_cache(maxsize=262_144)
def _usable(text: str, title: str) -> bool:
    """A sentence that can stand as a development: complete, not a headline, caption or chrome."""
    return _fits(text, title, stands_alone(text))


def _fits(text: str, title: str, alone: bool) -> bool:
    """``_usable``, given whether the sentence stands alone.

    A page without a headline takes its first sentence as its title; that sentence is its lede
    and stays usable. A headline repeated in the body has no full stop and does not stand alone.
    """
    return alone and (
        text.rstrip().endswith((".", "!", "”", '"')) or normalize(text).strip(" .") != title
    )


def _surname_only(
    candidates: list[tuple[Sentence, float]],
    sentences: Mapping[str, list[Sentence]],
    judged: Judged,
) -> set[Any]:
    """Keys of candidate sentences that name someone by a surname their page introduced earlier
    ("Glover completed 168 days in orbit"), unless the story's pages name that person often
    (at least three of them write the name: readers of the story know who it is)."""
    introduced = {}
    written: Counter[str] = Counter()
    for sid, (surnames, words) in judged.people(
        sorted({s.source_id for s, _ in candidates}), sentences
    ):
        introduced[sid] = surnames
        written.update(words)
    out = set()
    for s, _ in candidates:
        mine = {w: i for w, i in introduced[s.source_id].items() if written[w] < KNOWN_NAME_PAGES}
        if mine and surname_only(s.text, s.index, mine):
            out.add(s.key)
    return out


def _prescore(s: Sentence, rel: float, source: Source, newest: date | None, cue: float) -> float:
    """A cheap first estimate of a report's worth: relevance, event cue (its weight), recency."""
    when = s.date or source.published
    recent = math.exp(-max(0, (newest - when).days) / 30) if newest and when else 0.0
    return 0.5 * min(rel, 1.6) + cue + 0.2 * recent


def _report(
    s: Sentence,
    rel: float,
    source: Source,
    idf: dict[str, float],
    newest: date | None,
    *,
    leans: bool = False,
) -> Report:
    """A candidate sentence with its vector, names, date and informativeness."""
    recap = is_recap(s.text, source.published)
    when, precision, basis = _report_date(s, source, recap)
    score = 0.5 * min(rel, 1.6) + cue_weight(s.text)
    names, numbers = names_of(s.text), numbers_of(s.text)
    score += min(0.3, 0.04 * len(names) + 0.05 * len(numbers))  # specific: who, where, how much
    if basis == "text" and precision == "day":
        score += 0.1  # the sentence dates its own event
    if tells_past_event(s.text):
        score += 0.2  # reports a turning point as done, not as planned or possible
    elif "plan" in cues_of(s.text):
        score -= 0.2  # "was set to", "will": what was expected, not what happened
    if is_bare_quote(s.text):
        score -= 0.5  # a bare quotation tells less than the reporting around it
    if needs_antecedent(s.text):
        score -= 0.1  # "She added …": shown with the sentence before it, which says who
    elif leans or leans_on_context(s.text):
        score -= 0.3  # "However, …", "Meanwhile …", a surname introduced before: weaker alone
    if recap:
        score -= 0.3
    score += _headline(s, source, idf)
    if newest and when and not recap:
        score += 0.2 * math.exp(-max(0, (newest - when).days) / 30)
    return Report(
        sentence=s,
        source=source,
        outlet=_outlet_key(source),
        score=round(score, 4),
        vec=vector(event_terms(s.text), idf),
        names=names,
        numbers=numbers,
        groups=event_groups(s.text),
        when=when,
        precision=precision,
        basis=basis,
        recap=recap,
    )


def _headline(s: Sentence, source: Source, idf: Mapping[str, float]) -> float:
    """What a page leads with is its news: its first sentences, and those that restate what its
    headline says beyond the story's everyday words (weighted by the topic's IDF)."""
    bonus = LEDE_BONUS if s.index <= 1 else 0.0
    title = token_set(source.title)
    if len(title) >= 3:
        weight = sum(idf.get(t, 0.0) for t in title)
        shared = sum(idf.get(t, 0.0) for t in title & token_set(s.text))
        bonus += TITLE_BONUS * shared / weight if weight else 0.0
    return bonus


def _report_date(
    s: Sentence, source: Source, recap: bool
) -> tuple[date | None, Precision | None, str | None]:
    """When a sentence says its event happened; a recap without a date of its own has none.

    A sentence with a time cue of its own ("on Thursday", "in April", or a plan reported that
    day) is dated by its text; one without is dated by its page, unless it is a recap.
    """
    estimated = source.published_estimated
    if s.date is not None and source.published is not None and s.date > source.published:
        if estimated and "plan" not in cues_of(s.text):
            # an estimate is a lower bound: "the agency said June 25" on a page estimated
            # June 14 tells of June 25 (``dating`` resolved it past the estimate on purpose)
            return s.date, s.date_precision, "estimated"
        return (
            source.published,
            "day",
            "text",
        )  # a plan or deadline: reported that day, not yet done
    if s.date is not None:
        return s.date, s.date_precision, "estimated" if estimated else "text"
    if recap or source.published is None:
        return None, None, None
    return source.published, "day", "estimated" if estimated else "published"


def _common_numbers(reports: list[Report]) -> set[str]:
    """Figures a large share of the topic's articles repeat (the deal's price): they tell no event."""
    return _in_many_articles(reports, lambda r: r.numbers, COMMON_NUMBER_SHARE)


def _common_names(reports: list[Report]) -> set[str]:
    """Names in a large share of the topic's articles (the story's own protagonists)."""
    return _in_many_articles(reports, lambda r: r.names, COMMON_NAME_SHARE)


def _in_many_articles(
    reports: list[Report], items: Callable[[Report], frozenset[str]], share: float
) -> set[str]:
    """What at least ``share`` of the topic's articles (and at least three) have."""
    per_source: dict[str, set[str]] = {}
    for r in reports:
        per_source.setdefault(r.source.id, set()).update(items(r))
    df = Counter(x for found in per_source.values() for x in found)
    need = max(3, share * len(per_source))
    return {x for x, c in df.items() if c >= need}


def centrality(events: list[Event]) -> list[float]:
    """Per event, how central its best report is among the other reports of the same date."""
    buckets: dict[date | None, dict[str, float]] = {}
    for ev in events:
        bucket = buckets.setdefault(ev.when, {})
        for t, w in ev.centroid.items():
            bucket[t] = bucket.get(t, 0.0) + w
    norms = {when: sum(w * w for w in b.values()) for when, b in buckets.items()}
    out = []
    for ev in events:
        rep = _representative(ev)
        others = _without(rep.vec, buckets[ev.when], norms[ev.when], ev.centroid)
        inner = (
            _without(rep.vec, ev.centroid, sum(w * w for w in ev.centroid.values()), rep.vec)
            if len(ev.reports) > 1
            else 0.0
        )
        out.append(max(others, inner))
    return out


def _without(
    vec: dict[str, float], total: dict[str, float], total_sq: float, part: dict[str, float]
) -> float:
    """Cosine of a unit vector with ``total - part``, computed without building the difference."""
    dot = sum(w * (total.get(t, 0.0) - part.get(t, 0.0)) for t, w in vec.items())
    norm_sq = total_sq - 2 * sum(w * total.get(t, 0.0) for t, w in part.items())
    norm_sq += sum(w * w for w in part.values())
    return dot / math.sqrt(norm_sq) if dot > 1e-9 and norm_sq > 1e-9 else 0.0


def _representative(ev: Event) -> Report:
    """The report that best stands for the event: informative, central, not a recap or preview."""
    return max(
        ev.reports,
        key=lambda r: (
            _standing_for(r, ev),
            -(r.source.published or date.max).toordinal(),
            r.source.id,
        ),
    )


def _standing_for(r: Report, ev: Event) -> float:
    """How well one report stands for its event."""
    score = r.score + 0.5 * cosine(r.vec, ev.centroid)
    if r.recap:
        score -= 2.0  # background never stands for the event while a report of it exists
    if is_bare_quote(r.sentence.text):
        score -= 0.5
    if leans_on_context(r.sentence.text):
        score -= 0.5  # "He added …": a report that says who acted stands better
    published = r.source.published
    if ev.when and published and published < ev.when and ev.precision == "day":
        score -= 0.6  # written before it happened: a preview ("is expected to …"), not the report
    text = r.sentence.text
    if "plan" in cues_of(text) and not tells_past_event(text) and len(ev.reports) > 1:
        score -= 0.4  # "will", "is expected to": what was planned, when reports of it exist
    return score


def development(
    topic: Topic, ev: Event, central: float, sentences: Mapping[str, list[Sentence]]
) -> Development:
    """An event as a development: its representative first, one report per source, its date,
    and a score from the representative's worth, its ``central``-ity and its outlets."""
    rep = _representative(ev)
    per_source: dict[str, Report] = {}
    for r in sorted(
        ev.reports,
        key=lambda r: (r is not rep, r.source.published or date.max, r.source.id, r.sentence.index),
    ):
        per_source.setdefault(r.source.id, r)
    everyone = [in_its_page(r.sentence, sentences) for r in per_source.values()]
    outlets = len(ev.outlets) + ev.unseen_outlets
    articles = len(per_source) + ev.unseen_articles
    first = min(
        ev.reports,
        key=lambda r: (
            _seen(r),
            r.source.id,
            r.sentence.index,
        ),
    )
    score = (
        rep.score + 0.6 * central + min(1.2, 0.35 * math.log2(outlets)) + 0.1 * math.log2(articles)
    )
    return Development(
        id=hashlib.sha1(f"{topic.slug}:{first.sentence.key}".encode()).hexdigest()[:12],
        topic=topic.slug,
        sentences=tuple(everyone[:MAX_REPORTS]),
        date=ev.when,
        date_precision=ev.precision,
        score=round(score, 4),
        first_seen=_first_seen(ev.reports),
        outlets=outlets,
        cues=cues_of(rep.sentence.text),
        articles=articles,
        date_estimated=ev.basis == "estimated",
        recap=all(r.recap for r in ev.reports),
    )


def _seen(r: Report) -> tuple[bool, float]:
    """Sort key: reports first seen earliest first, unknown last."""
    when = r.sentence.first_seen or r.source.first_seen
    return (when is None, when.timestamp() if when else 0.0)


def _outlet_key(source: Source) -> str:
    if source.kind == "republished" and source.original_id:
        return f"orig:{source.original_id}"
    return (source.outlet or "").lower() or f"src:{source.id}"


def _first_seen(reports: list[Report]) -> datetime | None:
    """When the development was first reported; None if a back-catalogue item already had it.

    A sentence that survived an edit of its article keeps the time it was first read, so fixing a
    typo in an old article does not make its news new again.
    """
    if any("backfill" in r.source.notes for r in reports):
        return None
    known = [t for r in reports if (t := r.sentence.first_seen or r.source.first_seen)]
    return min(known) if known else None


def mark_disputes(devs: list[Development], sources: Mapping[str, Source]) -> list[Development]:
    """Mark each side of a dispute with its partner (the LLM engine shows them as a pair)."""
    partner: dict[str, str] = {}
    for a, b in find_disputes(devs, sources, limit=DISPUTES_MARKED):
        partner[a.id], partner[b.id] = b.id, a.id
    return [replace(d, disputed_by=(partner[d.id],)) if d.id in partner else d for d in devs]
