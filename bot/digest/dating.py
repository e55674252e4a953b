"""Date pages that carry no date, from the corpus: what they write and what similar pages say.

A quarter of scraped news pages come without a date. Such a page gets the later of the latest
date it writes itself and the earliest publication date among its most similar dated pages
(reports of one event appear on or after it), marked as an estimate; its relative references
("on Thursday") are then resolved around that estimate.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date

from bot.digest.events import cosine
from bot.digest.features import token_set
from bot.ingest.dates import resolve_event_date
from bot.models import Sentence, Source

NEAREST = 3  # similar dated pages consulted
MIN_SIMILARITY = 0.2  # below this a dated page says nothing about an undated one
DOC_TERMS = 60  # a page's most distinctive words, which stand for it
MAX_POSTING = 300


def estimate_dates(
    sources: Mapping[str, Source],
    sentences: Mapping[str, list[Sentence]],
    members: Iterable[str],
) -> dict[str, date]:
    """Estimated publication dates for the undated pages among ``members``."""
    ids = sorted({sid for sid in members if sid in sources})
    undated = [sid for sid in ids if sources[sid].published is None]
    if not undated:
        return {}
    vecs = _vectors({sid: sentences.get(sid, []) for sid in ids})
    postings: dict[str, list[str]] = {}
    for sid in ids:
        if sources[sid].published is not None:
            for t in vecs[sid]:
                postings.setdefault(t, []).append(sid)
    out = {}
    for sid in undated:
        similar = _nearest(sid, vecs, postings)
        written = [s.date for s in sentences.get(sid, []) if s.date is not None]
        seen = [p for o in similar if (p := sources[o].published) is not None]
        candidates = [min(seen)] if seen else []
        if written:
            candidates.append(max(written))
        if candidates:
            out[sid] = max(candidates)
    return out


def redate(source: Source, sents: list[Sentence], estimate: date) -> tuple[Source, list[Sentence]]:
    """A page with its estimated date, its sentences' relative dates resolved around it."""
    dated = replace(source, published=estimate, published_estimated=True)
    out = []
    for s in sents:
        if s.date is None:
            when, precision = resolve_event_date(s.text, estimate)
            s = replace(s, date=when, date_precision=precision)
        out.append(s)
    return dated, out


def _vectors(docs: Mapping[str, list[Sentence]]) -> dict[str, dict[str, float]]:
    """TF-IDF vectors of whole pages, cut to their most distinctive words."""
    counts = {
        sid: Counter(t for s in sents for t in token_set(s.text)) for sid, sents in docs.items()
    }
    df: Counter[str] = Counter(t for c in counts.values() for t in c)
    n = len(counts)
    out = {}
    for sid, c in counts.items():
        weights = {t: (1 + math.log(k)) * math.log((n + 1) / (df[t] + 0.5)) for t, k in c.items()}
        top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:DOC_TERMS]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        out[sid] = {t: w / norm for t, w in top if w > 0}
    return out


def _nearest(
    sid: str, vecs: Mapping[str, dict[str, float]], postings: Mapping[str, list[str]]
) -> list[str]:
    """The dated pages most similar to an undated one (above the similarity floor)."""
    mine = vecs[sid]
    overlap: dict[str, float] = {}
    for t, w in mine.items():
        for other in postings.get(t, ())[:MAX_POSTING]:
            overlap[other] = overlap.get(other, 0.0) + w
    likely = sorted(overlap, key=lambda o: (-overlap[o], o))[: 4 * NEAREST]
    scored = [(cosine(mine, vecs[o]), o) for o in likely]
    best = sorted((p for p in scored if p[0] >= MIN_SIMILARITY), key=lambda p: (-p[0], p[1]))
    return [o for _, o in best[:NEAREST]]
