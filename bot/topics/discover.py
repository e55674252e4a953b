"""Discovered storylines: recent articles no topic claims, grouped into candidate topics.

After each recompute the articles that belong to no topic (and have a date) are compared by
TF-IDF page vectors (``dating.page_vectors``, over the whole corpus so words every story uses
weigh little); pages similar enough are linked and each linked group is a storyline when
several outlets reported it on several days. A candidate proposes a topic: a slug and a title
from its most central headline, keywords (words most of its articles use and the rest of the
corpus rarely does), ``requires`` anchors (its distinctive names) and a summary quoted
verbatim from one of its articles.

Ids come from the articles, and a new group that shares most of its articles with a stored
candidate keeps that candidate's id, so a dismissed storyline stays dismissed as it grows.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.digest.dating import page_vectors
from bot.digest.events import cosine
from bot.models import Sentence, Source
from bot.store.topics import Candidate
from bot.topics.assign import page_text
from bot.topics.config import SLUG
from bot.topics.names import names_in
from bot.topics.text import STOPWORDS, normalize

SIMILAR = 0.2  # page cosine that links two articles into one storyline
NEAR = 0.1  # ... or a lower cosine, when they also share several names
SHARED_NAMES = 2
MAX_NAMES = 3  # ``requires`` anchors proposed
MAX_WORDS = 4  # keywords proposed besides the names
SUMMARY_WORDS = (8, 45)  # a summary sentence's length in words
SLUG_MAX = 40
MAX_POOL = 400  # newest unclaimed pages compared (pairwise) per recompute
_WORD = re.compile(r"[a-z][a-z'-]{3,}")


@dataclass(frozen=True, slots=True)
class Rules:
    """What makes a group of articles a storyline (settings ``discovery_*``)."""

    min_outlets: int = 3
    min_days: int = 2
    window_days: int = 30


def discover(
    sources: Mapping[str, Source],
    sentences: Mapping[str, list[Sentence]],
    claimed: Iterable[str],
    *,
    rules: Rules,
    taken: Iterable[str] = (),
    previous: Sequence[Candidate] = (),
) -> list[Candidate]:
    """The storylines among recent unclaimed articles, minus those dismissed or accepted before.

    ``claimed`` are the articles of existing topics (they never join a candidate); ``taken``
    the topic slugs a proposed slug must avoid; ``previous`` the stored candidates.
    """
    pool = _pool(sources, set(claimed), rules.window_days)
    if len(pool) < rules.min_outlets:
        return []
    vecs = page_vectors(sentences, only=pool)  # weighed over the whole corpus
    names = {sid: _names(sources[sid], sentences) for sid in pool}
    out: list[Candidate] = []
    slugs = set(taken)
    for group in _groups(pool, vecs, names):
        if not _is_storyline(group, sources, rules):
            continue
        match = _previous(group, previous)
        if match is not None and match.status in ("dismissed", "accepted"):
            continue
        found = _candidate(group, sources, sentences, vecs, slugs, match)
        slugs.add(found.slug)
        out.append(found)
    return out


def _pool(sources: Mapping[str, Source], claimed: set[str], window_days: int) -> list[str]:
    """Dated original articles no topic claims, published within the window of the newest.

    At most ``MAX_POOL`` of them, the newest: pages are compared pairwise.
    """
    dates = [s.published for s in sources.values() if s.published is not None]
    if not dates:
        return []
    start = max(dates) - timedelta(days=window_days)
    recent = [
        (s.published, sid)
        for sid, s in sources.items()
        if sid not in claimed
        and s.kind == "original"
        and s.published is not None
        and s.published >= start
    ]
    return sorted(sid for _, sid in sorted(recent, reverse=True)[:MAX_POOL])


def _groups(
    pool: list[str], vecs: Mapping[str, dict[str, float]], names: Mapping[str, set[str]]
) -> list[list[str]]:
    """Linked groups of similar pages (union-find over linked pairs).

    Two pages are linked when their vectors are ``SIMILAR``, or ``NEAR`` and they share
    ``SHARED_NAMES`` names: in a small corpus a storyline's own words are in many of its pages,
    so their weights (and the cosines) stay low while its names still tell it apart.
    """
    parent = {sid: sid for sid in pool}

    def root(sid: str) -> str:
        while parent[sid] != sid:
            parent[sid] = parent[parent[sid]]
            sid = parent[sid]
        return sid

    for i, a in enumerate(pool):
        for b in pool[i + 1 :]:
            alike = cosine(vecs.get(a, {}), vecs.get(b, {}))
            if alike >= SIMILAR or (alike >= NEAR and len(names[a] & names[b]) >= SHARED_NAMES):
                parent[root(b)] = root(a)
    groups: dict[str, list[str]] = {}
    for sid in pool:
        groups.setdefault(root(sid), []).append(sid)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def _is_storyline(group: list[str], sources: Mapping[str, Source], rules: Rules) -> bool:
    """Enough distinct outlets, on enough distinct days (an article of unknown outlet adds none)."""
    outlets = {sources[sid].outlet for sid in group if sources[sid].outlet}
    days = {sources[sid].published for sid in group}
    return len(outlets) >= rules.min_outlets and len(days) >= rules.min_days


def _previous(group: list[str], previous: Sequence[Candidate]) -> Candidate | None:
    """The stored candidate sharing most of its articles with this group, if any does."""
    mine = set(group)
    for old in previous:
        shared = len(mine & set(old.articles))
        if 2 * shared > len(mine) and 2 * shared > len(old.articles):
            return old
    return None


def candidate_id(articles: Iterable[str]) -> str:
    """A stable id from a group's article ids."""
    return hashlib.sha1("\n".join(sorted(articles)).encode()).hexdigest()[:10]


def _candidate(
    group: list[str],
    sources: Mapping[str, Source],
    sentences: Mapping[str, list[Sentence]],
    vecs: Mapping[str, dict[str, float]],
    taken: set[str],
    match: Candidate | None,
) -> Candidate:
    central = _central(group, vecs)
    rest = [sid for sid in sources if sid not in set(group)]
    requires = _distinctive(group, rest, lambda sid: _names(sources[sid], sentences), MAX_NAMES)
    words = _distinctive(group, rest, lambda sid: _words(sources[sid], sentences), MAX_WORDS + 4)
    covered = {w for name in requires for w in name.split()}
    keywords = tuple(dict.fromkeys([*requires, *(w for w in words if w not in covered)]))
    keywords = keywords[: len(requires) + MAX_WORDS]
    source = sources[central]
    quote = _summary(sentences.get(central, []), source.title, keywords)
    dates = sorted(sources[sid].published for sid in group)  # type: ignore[type-var]
    return Candidate(
        id=match.id if match else candidate_id(group),
        slug=_slug(requires[:1] or keywords[:2], source.title, taken),
        title=source.title.strip() or (requires or keywords or ("Storyline",))[0].title(),
        keywords=keywords or tuple(_words(source, sentences))[:MAX_WORDS],
        requires=requires,
        articles=tuple(sorted(group)),
        outlets=tuple(sorted({sources[sid].outlet or "" for sid in group} - {""})),
        first=dates[0].isoformat(),  # type: ignore[union-attr]
        last=dates[-1].isoformat(),  # type: ignore[union-attr]
        summary=quote,
        summary_source=central,
        summary_title=source.title,
        summary_outlet=source.outlet or "",
        summary_published=source.published.isoformat() if source.published else "",
        summary_url=source.url or "",
    )


def _central(group: list[str], vecs: Mapping[str, dict[str, float]]) -> str:
    """The article most like the others (its headline names the storyline best)."""

    def closeness(sid: str) -> float:
        return sum(cosine(vecs.get(sid, {}), vecs.get(o, {})) for o in group if o != sid)

    return max(sorted(group), key=closeness)


def _names(source: Source, sentences: Mapping[str, list[Sentence]]) -> set[str]:
    lines = [source.title, *(s.text for s in sentences.get(source.id, []))]
    return {n for line in lines for n in names_in(line) if len(n) > 2}


def _words(source: Source, sentences: Mapping[str, list[Sentence]]) -> set[str]:
    text = normalize(page_text(source, sentences))
    return {w for w in _WORD.findall(text) if w not in STOPWORDS}


def _distinctive(
    group: list[str], rest: list[str], read: Callable[[str], set[str]], limit: int
) -> tuple[str, ...]:
    """Features most of the group's articles have and few others do, most distinctive first."""
    inside: Counter[str] = Counter(f for sid in group for f in read(sid))
    outside: Counter[str] = Counter(f for sid in rest for f in read(sid))
    half = max(2, (len(group) + 1) // 2)
    scored = [
        (n / len(group) - outside[f] / max(1, len(rest)), f)
        for f, n in inside.items()
        if n >= half and outside[f] < n
    ]
    return tuple(f for _, f in sorted(scored, key=lambda p: (-p[0], p[1]))[:limit])


def _summary(sentences: list[Sentence], title: str, keywords: tuple[str, ...]) -> str:
    """The sentence of the central article that names the storyline most (verbatim)."""
    low, high = SUMMARY_WORDS
    fitting = [
        s
        for s in sentences
        if low <= len(s.text.split()) <= high and s.text.strip() != title.strip()
    ]
    if not fitting:
        fitting = [s for s in sentences if s.text.strip()] or []
    if not fitting:
        return title

    def named(s: Sentence) -> int:
        text = normalize(s.text)
        return sum(1 for k in keywords if k in text)

    return max(fitting, key=lambda s: (named(s), -s.index)).text


def _slug(terms: tuple[str, ...], title: str, taken: set[str]) -> str:
    """A slug from the storyline's leading names (else its headline), unused by any topic."""
    words = " ".join(terms) if terms else title
    base = re.sub(r"[^a-z0-9]+", "-", normalize(words)).strip("-")[:SLUG_MAX].strip("-")
    base = base if SLUG.match(base) else "storyline"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
