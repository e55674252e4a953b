"""Hand-built developments and sources for the digest's pure functions."""

from __future__ import annotations

import hashlib
from datetime import date

from bot.models import Development, Sentence, Source


class Topic:
    """A topic's developments and sources, built one report at a time."""

    def __init__(self) -> None:
        self.devs: list[Development] = []
        self.sources: dict[str, Source] = {}

    def source(self, article: str, outlet: str, published: date) -> str:
        """The id of an article (made once)."""
        sid = hashlib.sha1(article.encode()).hexdigest()[:16]
        self.sources.setdefault(
            sid, Source(sid, article, "", outlet=outlet, published=published, date_basis="header")
        )
        return sid

    def add(
        self,
        text: str,
        when: str,
        *reports: tuple[str, str],
        score: float = 2.0,
        recap: bool = False,
        precision: str = "day",
    ) -> Development:
        """A development reported by (article, outlet) pairs, the first one representative."""
        day = date.fromisoformat(when)
        sentences = tuple(
            Sentence(self.source(article, outlet, day), len(self.devs), 0, len(text), text, day)
            for article, outlet in reports
        )
        dev = Development(
            id=hashlib.sha1(f"{text}|{when}".encode()).hexdigest()[:12],
            topic="t",
            sentences=sentences,
            date=day,
            date_precision=precision,  # type: ignore[arg-type]
            score=score,
            first_seen=None,
            outlets=len({o for _, o in reports}),
            articles=len({a for a, _ in reports}),
            recap=recap,
        )
        self.devs.append(dev)
        return dev
