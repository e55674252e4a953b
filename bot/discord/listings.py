"""Lists as embeds: a topic's sources, the known topics, and a daily digest."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord

from bot.discord.embeds import briefing_pages, plural, source_line
from bot.discord.limits import COLOR, DIGEST_COLOR, TITLE, Line, Page, clip, pack, safe, titled
from bot.models import Briefing, Source, Topic, TopicSummary


def _paged(
    title: str, pages: list[Page], empty: str, colour: discord.Colour = COLOR
) -> list[discord.Embed]:
    embeds = []
    for i, page in enumerate(pages, 1):
        embed = discord.Embed(
            title=clip(title, TITLE), description=page.description() or empty, colour=colour
        )
        if len(pages) > 1:
            embed.set_footer(text=f"Page {i}/{len(pages)}")
        embeds.append(embed)
    return embeds


def source_numbers(
    pairs: Sequence[tuple[Source, float]], status: Briefing | None
) -> list[tuple[int, Source, bool]]:
    """Number a topic's sources as its briefing does: cited ones first, then the rest."""
    cited = list(status.sources) if status else []
    assigned = {s.id: s for s, _ in pairs}
    out = [(n, s, True) for n, s in enumerate(cited, 1)]
    known = {s.id for s in cited}
    rest = [s for s in assigned.values() if s.id not in known]
    out += [(len(cited) + i, s, False) for i, s in enumerate(rest, 1)]
    return out


def sources_pages(
    topic: Topic, pairs: Sequence[tuple[Source, float]], status: Briefing | None
) -> list[discord.Embed]:
    """The sources behind a topic, numbered like its briefing's citations."""
    numbered = source_numbers(pairs, status)
    lines = [
        Line(source_line(n, s), "Cited in the briefing" if cited else "Also about this topic")
        for n, s, cited in numbered
    ]
    title = titled(safe(topic.title), f" — {plural(len(numbered), 'source')}")
    return _paged(
        title, pack(lines) if lines else [Page()], "No sources are assigned to this topic yet."
    )


def topics_pages(summaries: Sequence[TopicSummary]) -> list[discord.Embed]:
    """Every topic with its source count, latest date and current headline."""
    lines = []
    for s in summaries:
        latest = s.latest.isoformat() if s.latest else "undated"
        head = f"**{safe(s.topic.title)}** · `{s.topic.slug}` · {plural(s.sources, 'source')} · latest {latest}"
        state = clip(safe(s.headline), 220) if s.headline else "*No developments yet.*"
        lines.append(Line(f"{head}\n{state}"))
    title = f"Topics Dispatch follows · {len(summaries)}"
    return _paged(
        title,
        pack(lines) if lines else [Page()],
        "No topics are configured (add a topics.toml to a corpus folder).",
    )


def digest_header(since: datetime, briefings: Sequence[Briefing]) -> str:
    """The plain-text line above a digest's embeds."""
    when = discord.utils.format_dt(since, "f")
    if not briefings:
        return f"**Daily digest** · No new developments since {when}."
    n = sum(len(b.statements) for b in briefings)
    return f"**Daily digest** · {plural(n, 'new development')} in {plural(len(briefings), 'topic')} since {when}."


def digest_embeds(briefings: Sequence[Briefing]) -> list[discord.Embed]:
    """One or more embeds per topic with new developments."""
    return [embed for _, pages in digest_topic_embeds(briefings) for embed in pages]


def digest_topic_embeds(briefings: Sequence[Briefing]) -> list[tuple[str, list[discord.Embed]]]:
    """Per topic with new developments (by slug), its digest embeds."""
    out = []
    for briefing in briefings:
        pages = briefing_pages(briefing)
        for embed in pages:
            embed.colour = DIGEST_COLOR
        out.append((briefing.topic.slug if briefing.topic else "", pages))
    return out
