"""Managed topics and suggested storylines as terminal text and public JSON."""

from __future__ import annotations

from typing import Any

from bot.store.topics import Candidate
from bot.topics.manage import TopicDetail


def candidate_to_dict(c: Candidate) -> dict[str, Any]:
    """A suggested storyline's public fields, with its cited one-line summary."""
    return {
        "id": c.id,
        "slug": c.slug,
        "title": c.title,
        "keywords": list(c.keywords),
        "requires": list(c.requires),
        "articles": len(c.articles),
        "article_ids": list(c.articles),
        "outlets": list(c.outlets),
        "first": c.first,
        "last": c.last,
        "summary": {
            "text": c.summary,
            "citation": {
                "source_id": c.summary_source,
                "quote": c.summary,
                "title": c.summary_title,
                "outlet": c.summary_outlet or None,
                "published": c.summary_published or None,
                "url": c.summary_url or None,
            },
        },
    }


def detail_to_dict(d: TopicDetail) -> dict[str, Any]:
    """``topic show`` as JSON."""
    t = d.topic
    return {
        "slug": t.slug,
        "title": t.title,
        "description": t.description,
        "origin": d.origin,
        "read_only": d.origin == "topics.toml",
        "keywords": list(t.keywords),
        "requires": list(t.requires),
        "aliases": list(t.aliases),
        "learned_names": list(d.names),
        "learned_vocabulary": list(d.vocabulary),
        "counts": {
            "articles": d.articles,
            "joined_by_drift": d.joined_by_drift,
            "sentences": d.sentences,
            "developments": d.developments,
        },
        "ready": d.ready,
    }


def render_candidates(found: list[Candidate]) -> str:
    """The suggested storylines, each with how to accept or dismiss it."""
    if not found:
        return (
            "No suggested storylines: every recent article belongs to a topic, or no group of "
            "them was reported by enough outlets on enough days.\n"
        )
    lines = [f"Suggested storylines ({len(found)})", ""]
    for c in found:
        span = c.first if c.first == c.last else f"{c.first} to {c.last}"
        lines += [
            f"[{c.id}] {c.title}",
            f"  {len(c.articles)} articles, {len(c.outlets)} outlets ({', '.join(c.outlets)}), {span}",
            f"  slug: {c.slug} · keywords: {', '.join(c.keywords)}"
            + (f" · requires: {', '.join(c.requires)}" if c.requires else ""),
            f'  "{c.summary}" [{cited(c)}]',
            f"  accept: dispatch topic accept {c.id} · dismiss: dispatch topic dismiss {c.id}",
            "",
        ]
    return "\n".join(lines)


def cited(c: Candidate) -> str:
    """The summary's source: title — outlet, date (what is known of them)."""
    known = ", ".join(v for v in (c.summary_outlet, c.summary_published) if v)
    return f"{c.summary_title} — {known}" if known else c.summary_title


def _listed(values: tuple[str, ...]) -> str:
    return ", ".join(values) if values else "—"


def render_detail(d: TopicDetail) -> str:
    """``topic show`` as text."""
    t = d.topic
    where = (
        "topics.toml (read-only from Discord and the CLI)"
        if d.origin == "topics.toml"
        else "database (topic edit / topic remove)"
    )
    lines = [
        f"{t.title} ({t.slug})",
        f"  defined in: {where}",
        f"  keywords: {_listed(t.keywords)}",
        f"  requires: {_listed(t.requires)}",
        f"  aliases: {_listed(t.aliases)}",
        f"  learned names: {_listed(d.names)}",
        f"  learned words: {_listed(d.vocabulary)}",
        f"  articles: {d.articles} ({d.joined_by_drift} joined by learned names) · "
        f"sentences: {d.sentences} · developments: {d.developments}",
    ]
    if t.description:
        lines.insert(1, f"  {t.description}")
    if not d.ready:
        lines.append("  (recompute pending: counts are from before the last change)")
    return "\n".join(lines) + "\n"
