"""Find the topic a user meant: slug, title, alias, unique prefix, or a near-miss spelling."""

from __future__ import annotations

import difflib
import re
import unicodedata

from bot.errors import AmbiguousTopic, UnknownTopic
from bot.models import Topic


def _norm(text: str) -> str:
    """Lowercase, accents off ("Ærø" → "ærø", "Ünïcode" → "unicode"), spaces as hyphens."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[\s_]+", "-", plain.strip().casefold()).strip("-")


def _names(topic: Topic) -> list[str]:
    return [topic.slug, _norm(topic.title), *(_norm(a) for a in topic.aliases)]


def _distance(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbours as one edit (optimal string alignment)."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(
                d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


def _unique(query: str, found: list[Topic]) -> Topic | None:
    distinct = list({t.slug: t for t in found}.values())
    if len(distinct) == 1:
        return distinct[0]
    if len(distinct) > 1:
        raise AmbiguousTopic(query, sorted(t.slug for t in distinct))
    return None


def resolve_topic(query: str, topics: list[Topic]) -> Topic:
    """The one topic ``query`` names; raise AmbiguousTopic or UnknownTopic otherwise."""
    q = _norm(query)
    if not topics:
        raise UnknownTopic(
            query, hint="No topics are defined yet: add a topics.toml to a corpus folder."
        )
    if not q:
        raise UnknownTopic(query, [t.slug for t in topics][:5])
    exact = [t for t in topics if t.slug == q]  # a slug beats another topic's alias
    if exact:
        return exact[0]
    for stage in (
        lambda n: n == q,
        lambda n: n.startswith(q),
    ):
        hit = _unique(query, [t for t in topics if any(stage(n) for n in _names(t))])
        if hit:
            return hit
    close = [t for t in topics if min(_distance(q, n) for n in _names(t)) <= max(1, len(q) // 6)]
    hit = _unique(query, close)
    if hit:
        return hit
    raise UnknownTopic(query, _suggestions(q, topics))


def _suggestions(q: str, topics: list[Topic]) -> list[str]:
    scored = sorted(
        (
            (max(difflib.SequenceMatcher(None, q, n).ratio() for n in _names(t)), t.slug)
            for t in topics
        ),
        reverse=True,
    )
    return [slug for ratio, slug in scored if ratio >= 0.4][:3]


def suggest_topics(text: str, topics: list[Topic], *, limit: int = 25) -> list[Topic]:
    """Topics for autocomplete: prefix matches first, then substring matches, then the rest."""
    q = _norm(text)
    if not q:
        return topics[:limit]

    def rank(t: Topic) -> int:
        names = _names(t) + [_norm(k) for k in t.keywords]
        if any(n.startswith(q) for n in names):
            return 0
        if any(q in n for n in names) or q in t.description.lower():
            return 1
        return 2

    ranked = sorted(topics, key=lambda t: (rank(t), t.slug))
    return [t for t in ranked if rank(t) < 2][:limit]
