"""The public JSON shape of briefings (documented in the README; keep it stable), and its inverse."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.models import (
    Briefing,
    Citation,
    Development,
    Sentence,
    Source,
    Statement,
    Topic,
    TopicSummary,
    Verification,
)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def source_to_dict(number: int, s: Source) -> dict[str, Any]:
    """One numbered source entry."""
    return {
        "id": number,
        "source_id": s.id,
        "title": s.title,
        "outlet": s.outlet,
        "published": _iso(s.published),
        "url": s.url,
        "path": s.path,
        "kind": s.kind,
        "original_id": s.original_id,
        "published_estimated": s.published_estimated,
    }


def topic_to_dict(t: Topic) -> dict[str, Any]:
    """A topic's public fields."""
    return {"slug": t.slug, "title": t.title}


def briefing_to_dict(b: Briefing) -> dict[str, Any]:
    """A briefing as the public JSON object."""
    numbers = {s.id: i for i, s in enumerate(b.sources, 1)}
    head: dict[str, Any] = (
        {"question": b.question}
        if b.kind == "ask"
        else {"topic": topic_to_dict(b.topic) if b.topic else None}
    )
    return {
        **head,
        "kind": b.kind,
        "as_of": _iso(b.as_of),
        "engine": b.engine,
        "notes": list(b.notes),
        "verification": {"claims": b.verification.claims, "dropped": b.verification.dropped},
        "statements": [
            {
                "kind": st.kind,
                "date": _iso(st.date),
                "date_precision": st.date_precision,
                "dispute": st.dispute,
                "corroboration": st.corroboration,
                "related": st.related,
                "date_estimated": st.date_estimated,
                "text": st.text,
                "citations": [
                    {"source": numbers[c.source_id], "quote": c.quote, "link": c.link}
                    for c in st.citations
                ],
            }
            for st in b.statements
        ],
        "sources": [source_to_dict(i, s) for i, s in enumerate(b.sources, 1)],
    }


def briefing_from_dict(d: dict[str, Any]) -> Briefing:
    """Rebuild a briefing from its public JSON object (source texts are not included)."""
    sources = tuple(
        Source(
            id=s["source_id"],
            title=s["title"],
            text="",
            outlet=s.get("outlet"),
            published=_date(s.get("published")),
            url=s.get("url"),
            path=s.get("path"),
            kind=s.get("kind", "original"),
            original_id=s.get("original_id"),
            published_estimated=s.get("published_estimated", False),
        )
        for s in d["sources"]
    )
    ids = [s.id for s in sources]
    statements = tuple(
        Statement(
            kind=st["kind"],
            text=st["text"],
            citations=tuple(
                Citation(ids[c["source"] - 1], c["quote"], c.get("link")) for c in st["citations"]
            ),
            date=_date(st.get("date")),
            date_precision=st.get("date_precision"),
            dispute=st.get("dispute"),
            corroboration=st.get("corroboration", 1),
            related=st.get("related"),
            date_estimated=st.get("date_estimated", False),
        )
        for st in d["statements"]
    )
    topic = d.get("topic")
    return Briefing(
        kind=d.get("kind", "status"),
        statements=statements,
        sources=sources,
        engine=d.get("engine", "extractive"),
        topic=Topic(topic["slug"], topic["title"]) if topic else None,
        question=d.get("question"),
        notes=tuple(d.get("notes", [])),
        verification=Verification(**d.get("verification", {})),
    )


def development_to_dict(dev: Development) -> dict[str, Any]:
    """A development for storage."""
    return {
        "id": dev.id,
        "topic": dev.topic,
        "date": _iso(dev.date),
        "date_precision": dev.date_precision,
        "score": dev.score,
        "first_seen": _iso(dev.first_seen),
        "outlets": dev.outlets,
        "cues": list(dev.cues),
        "disputed_by": list(dev.disputed_by),
        "articles": dev.articles,
        "related": dev.related,
        "date_estimated": dev.date_estimated,
        "recap": dev.recap,
        "sentences": [
            [
                s.source_id,
                s.index,
                s.start,
                s.end,
                s.text,
                _iso(s.date),
                s.date_precision,
                _iso(s.first_seen),
                *([s.context] if s.context else []),
            ]
            for s in dev.sentences
        ],
    }


def development_from_dict(d: dict[str, Any]) -> Development:
    """A stored development."""
    return Development(
        id=d["id"],
        topic=d["topic"],
        date=_date(d["date"]),
        date_precision=d["date_precision"],
        score=d["score"],
        first_seen=datetime.fromisoformat(d["first_seen"]) if d["first_seen"] else None,
        outlets=d["outlets"],
        cues=tuple(d["cues"]),
        disputed_by=tuple(d["disputed_by"]),
        articles=d.get("articles", 1),
        related=d.get("related"),
        date_estimated=d.get("date_estimated", False),
        recap=d.get("recap", False),
        sentences=tuple(_stored_sentence(*row) for row in d["sentences"]),
    )


def _stored_sentence(
    sid: str,
    idx: int,
    start: int,
    end: int,
    text: str,
    when: str | None,
    prec: Any,
    seen: str | None = None,
    context: str = "",
) -> Sentence:
    return Sentence(
        sid,
        idx,
        start,
        end,
        text,
        _date(when),
        prec,
        datetime.fromisoformat(seen) if seen else None,
        context,
    )


def summary_to_dict(s: TopicSummary) -> dict[str, Any]:
    """A topics-listing entry."""
    return {
        "slug": s.topic.slug,
        "title": s.topic.title,
        "description": s.topic.description,
        "aliases": list(s.topic.aliases),
        "sources": s.sources,
        "latest": _iso(s.latest),
        "headline": s.headline,
    }
