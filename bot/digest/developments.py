"""Turn a topic's relevant sentences into developments: scored, dated, merged across outlets.

A development is one thing that happened, with every sentence from every source that reports it.
Near-duplicate sentences (the same wire copy, or two outlets reporting the same fact in nearly
the same words) merge into one development that cites all of them; its corroboration counts
distinct outlets, a republished copy counting with its original.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache

from bot.models import Development, Sentence, Source, Topic
from bot.topics.assign import TopicIndex
from bot.topics.text import normalize, tokens

MERGE_JACCARD = 0.5  # token-set overlap above which two reports are the same development
MAX_DEVELOPMENTS = 300  # stored per topic; briefings use far fewer
MAX_CANDIDATES = 20_000  # best-scored sentences per topic that are clustered at all
MAX_COMPARE = 40  # clusters compared per shared rare term (the best-scored first)
MAX_REPORTS = 12  # sentences kept per development (the earliest reports); outlets counts them all

# Event cues: (words, phrases, weight). Words match whole words; phrases match as written.
CUES: dict[str, tuple[frozenset[str], tuple[str, ...], float]] = {
    "signed": (frozenset({"signed", "signing", "sign"}), (), 0.5),
    "agreed": (frozenset({"agreed", "agreement", "accord"}), (), 0.35),
    "rejected": (
        frozenset({"rejected", "reject", "rejects", "rejection", "refused", "refuses"}),
        (),
        0.4,
    ),
    "paused": (
        frozenset({"paused", "suspended", "halted", "froze", "frozen", "resumed"}),
        (),
        0.45,
    ),
    "collapsed": (
        frozenset({"collapsed", "scrapped", "canceled", "cancelled", "devolved"}),
        ("fell apart", "broke down"),
        0.5,
    ),
    "stalled": (
        frozenset(),
        (
            "not at present",
            "no longer",
            "off the table",
            "not considered",
            "not being considered",
            "walked away",
            "pulled out",
        ),
        0.4,
    ),
    "announced": (
        frozenset(
            {
                "announced",
                "confirmed",
                "approved",
                "ratified",
                "launched",
                "unveiled",
                "established",
                "created",
            }
        ),
        (),
        0.35,
    ),
    "talks": (frozenset({"talks", "discussions", "meeting", "summit"}), ("negotiat",), 0.2),
    "expected": (
        frozenset({"due", "will"}),
        ("ready to", "prepared to", "expected to", "plans to", "plan to"),
        0.15,
    ),
    "said": (frozenset({"said", "says", "told", "stated", "wrote", "added"}), (), 0.1),
}
CUE_WEIGHTS = {name: weight for name, (_, _, weight) in CUES.items()}
_WORDS = re.compile(r"[a-z]+")


@lru_cache(maxsize=262_144)
def cues_of(text: str) -> tuple[str, ...]:
    """The event cues a sentence carries (signed, agreed, rejected, …), in a fixed order."""
    lowered = text.lower()
    words = set(_WORDS.findall(lowered))
    return tuple(
        name
        for name, (cue_words, phrases, _) in CUES.items()
        if words & cue_words or any(p in lowered for p in phrases)
    )


DISPUTE = re.compile(
    r"\b(contradict\w*|den(?:y|ied|ies)|dismiss\w*|disputed?|rejection|false|not true|"
    r"nobody has|no one has|disagree\w*|refuted?)\b",
    re.I,
)
_UNINFORMATIVE = re.compile(r"^(?:[\"“”'‘’]|\W)*$")
_NAME = re.compile(r"(?<=\s)[A-Z][\w’'.-]+")
_NOT_NAMES = frozenset(
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "The",
        "A",
        "An",
        "And",
        "But",
        "He",
        "She",
        "They",
        "It",
    ]
)


def build_developments(
    topic: Topic,
    index: TopicIndex,
    sources: Mapping[str, Source],
    sentences: Mapping[str, list[Sentence]],
) -> list[Development]:
    """The topic's developments, most significant first."""
    relevance = index.sentences.get(topic.slug, {})
    source_ids = {k[0] for k in relevance}
    by_key = {(s.source_id, s.index): s for sid in source_ids for s in sentences.get(sid, [])}
    titles = {sid: normalize(sources[sid].title).strip(" .") for sid in source_ids}
    candidates = [
        (by_key[k], r)
        for k, r in relevance.items()
        if k in by_key and _usable(by_key[k].text, titles[k[0]])
    ]
    if not candidates:
        return []
    dates = [sources[s.source_id].published for s, _ in candidates]
    newest = max(
        (d for d in dates if d is not None),
        default=None,
    )
    topic_df: Counter[str] = Counter()
    toks = {s.key: token_set(s.text) for s, _ in candidates}
    for t in toks.values():
        topic_df.update(t)
    scored = sorted(
        (
            (
                s,
                _score(
                    s, rel, sources[s.source_id], newest, toks[s.key], topic_df, len(candidates)
                ),
            )
            for s, rel in candidates
        ),
        key=lambda p: (-p[1], p[0].source_id, p[0].index),
    )
    clusters = _merge(scored[:MAX_CANDIDATES], toks, topic_df)
    devs = [_development(topic, members, sources) for members in clusters[:MAX_DEVELOPMENTS]]
    devs = _mark_disputes(devs, toks)
    return sorted(devs, key=lambda d: (-d.score, d.id))


@lru_cache(maxsize=262_144)
def _usable(text: str, title: str) -> bool:
    """A sentence that can stand as a development: not the headline, not a fragment or a shout."""
    words = text.split()
    if not 6 <= len(words) <= 80 or normalize(text).strip(" .") == title:
        return False
    if _UNINFORMATIVE.match(text):
        return False
    letters = re.sub(r"[^A-Za-z]", "", text)
    return not letters or sum(1 for c in letters if c.isupper()) / len(letters) < 0.6


def _score(
    s: Sentence,
    rel: float,
    source: Source,
    newest: date | None,
    toks: frozenset[str],
    topic_df: Counter[str],
    n: int,
) -> float:
    score = rel + sum(CUE_WEIGHTS[name] for name in cues_of(s.text))
    if s.date and source.published and s.date != source.published:
        score += 0.15  # the sentence dates its own event
    if toks:
        score += 0.8 * sum(min(1.0, topic_df[t] / max(3.0, n * 0.15)) for t in toks) / len(toks)
    when = s.date or source.published
    if newest and when:
        score += 0.4 * math.exp(-max(0, (newest - when).days) / 21)
    score += min(0.4, 0.05 * _names(s.text))  # specific: names who and where
    if s.text.lstrip()[:1] in "“\"‘'":
        score -= 0.25  # a bare quotation tells less than the reporting around it
    if s.text.rstrip().endswith("?"):
        score -= 0.5
    return round(score, 4)


@lru_cache(maxsize=262_144)
def token_set(text: str) -> frozenset[str]:
    """A sentence's content words, cached (sentences recur across topics)."""
    return frozenset(tokens(text))


@lru_cache(maxsize=262_144)
def _names(text: str) -> int:
    """How many distinct names (capitalised words after the first) a sentence carries."""
    return len(set(_NAME.findall(text)) - _NOT_NAMES)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _merge(
    scored: list[tuple[Sentence, float]], toks: dict[str, frozenset[str]], df: Counter[str]
) -> list[list[tuple[Sentence, float]]]:
    """Greedy clustering in score order; candidates found through shared rare terms (``df``)."""
    clusters: list[list[tuple[Sentence, float]]] = []
    cluster_sources: list[set[str]] = []
    postings: dict[str, list[int]] = {}
    for s, score in scored:
        mine = toks[s.key]
        rare = sorted(mine, key=lambda t: (df[t], t))[:4]
        seen: set[int] = set()
        target = None
        for term in rare:
            for ci in postings.get(term, [])[:MAX_COMPARE]:
                if ci in seen:
                    continue
                seen.add(ci)
                if _jaccard(mine, toks[clusters[ci][0][0].key]) >= MERGE_JACCARD:
                    target = ci
                    break
            if target is not None:
                break
        if target is None:
            clusters.append([(s, score)])
            cluster_sources.append({s.source_id})
            for term in rare:
                postings.setdefault(term, []).append(len(clusters) - 1)
        elif s.source_id not in cluster_sources[target]:
            clusters[target].append((s, score))
            cluster_sources[target].add(s.source_id)
    return clusters


def _development(
    topic: Topic, members: list[tuple[Sentence, float]], sources: Mapping[str, Source]
) -> Development:
    rep, score = members[0]
    rest = sorted(
        members[1:], key=lambda p: (sources[p[0].source_id].published or date.max, p[0].source_id)
    )
    everyone = (rep, *(s for s, _ in rest))
    src = sources[rep.source_id]
    outlets = {_outlet_key(sources[s.source_id]) for s in everyone}
    return Development(
        id=hashlib.sha1(f"{topic.slug}:{rep.key}".encode()).hexdigest()[:12],
        topic=topic.slug,
        sentences=everyone[:MAX_REPORTS],
        date=rep.date or src.published,
        date_precision=rep.date_precision if rep.date else ("day" if src.published else None),
        score=round(score + min(1.2, 0.3 * math.log2(len(outlets))), 4),
        first_seen=_first_seen(everyone, sources),
        outlets=len(outlets),
        cues=cues_of(rep.text),
    )


def _outlet_key(source: Source) -> str:
    if source.kind == "republished" and source.original_id:
        return f"orig:{source.original_id}"
    return (source.outlet or "").lower() or f"src:{source.id}"


def _first_seen(sents: tuple[Sentence, ...], sources: Mapping[str, Source]) -> datetime | None:
    """When the development was first reported; None if a back-catalogue item already had it.

    A sentence that survived an edit of its article keeps the time it was first read, so fixing a
    typo in an old article does not make its news new again.
    """
    if any("backfill" in sources[s.source_id].notes for s in sents):
        return None
    seen = [s.first_seen or sources[s.source_id].first_seen for s in sents]
    known = [t for t in seen if t is not None]
    return min(known) if known else None


_CONTRADICTED = re.compile(
    r"\b(?:contradict\w*|den(?:y|ied|ies)|dismiss\w*|disput\w*|refut\w*)\s+(?:the\s+)?([A-Z][\w-]+)"
)


def _mark_disputes(devs: list[Development], toks: dict[str, frozenset[str]]) -> list[Development]:
    """Pair each development that contradicts a claim with the claim it most plausibly answers.

    Partners must share at least two terms that are not common to the whole topic, and must name
    the party whose claim is contradicted when the sentence names one ("contradicting Trump's").
    """
    from dataclasses import replace

    common = _common_terms(devs, toks)
    pairs: dict[str, str] = {}
    for d in devs:
        if d.id in pairs or not DISPUTE.search(d.text):
            continue
        mine = toks[d.sentences[0].key] - common
        party = _CONTRADICTED.search(d.text)
        best, best_score = None, 0.0
        for other in devs:
            if other.id == d.id or other.id in pairs:
                continue
            shared = len(mine & toks[other.sentences[0].key])
            if shared < 2 or (party and party.group(1) not in other.text):
                continue
            score = shared + (1.5 if party else 0.0)
            if score > best_score:
                best, best_score = other, score
        if best is not None:
            pairs[d.id], pairs[best.id] = best.id, d.id
    return [replace(d, disputed_by=(pairs[d.id],)) if d.id in pairs else d for d in devs]


def _common_terms(devs: list[Development], toks: dict[str, frozenset[str]]) -> set[str]:
    """Terms in at least a quarter of a topic's developments: shared by everything, they prove nothing."""
    df: Counter[str] = Counter(t for d in devs for t in toks[d.sentences[0].key])
    return {t for t, n in df.items() if n >= max(4, 0.25 * len(devs))}
