"""Briefings as Discord embeds: cited statements, a per-page source list, pages that always fit."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.discord.limits import (
    COLOR,
    DIGEST_COLOR,
    FOOTER_BUDGET,
    SOURCES_BUDGET,
    TITLE,
    Line,
    Page,
    chunk_field,
    clip,
    fit_lines,
    link,
    pack,
    safe,
    titled,
)
from bot.models import Briefing, Source, Statement
from bot.render.text import date_label, related_note

SECTIONS = {"status": "Where it stands", "development": "Key developments", "disputed": "Disputed"}
# Dated lists read best in short pages; a status is already a curated few lines.
LINES_PER_PAGE = {"timeline": 8, "digest": 10}
QUOTES_PER_PAGE = 12
EMPTY = {
    "status": "No developments on this topic in the sources yet.",
    "timeline": "No dated developments on this topic in the sources yet.",
    "digest": "No new developments.",
    "ask": "The sources don't say.",
}


def plural(n: int, word: str) -> str:
    """``1 source`` / ``3 sources``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def source_line(number: int, source: Source) -> str:
    """``[n] Title — Outlet, date``, the title linked when the source has a URL.

    A local file's name (``004_19017910b96b3d84.txt``) means nothing to a reader, so it is not shown.
    """
    title = clip(safe(source.title) or "Untitled", 120)
    when = source.published.isoformat() if source.published else "undated"
    bits = ", ".join(b for b in (safe(source.outlet or ""), when) if b)
    extra = " (republished copy)" if source.kind == "republished" else ""
    return f"[{number}] {link(title, source.url)} — {bits}{extra}"


def citations(briefing: Briefing, statement: Statement) -> tuple[int, ...]:
    """The statement's source numbers, first use first, each once."""
    numbers: list[int] = []
    for citation in statement.citations:
        try:
            n = briefing.number_of(citation.source_id)
        except KeyError:
            continue
        if n not in numbers:
            numbers.append(n)
    return tuple(numbers)


def statement_line(briefing: Briefing, statement: Statement, *, dated: bool) -> Line:
    """One statement as a line ending in its ``[n]`` citations.

    ``statement.dispute`` only groups the two sides of a dispute; it is an id, never shown.
    """
    numbers = citations(briefing, statement)
    text = clip(safe(statement.text), 700) + " " + "".join(f"[{n}]" for n in numbers)
    if statement.related:
        text += " " + safe(related_note(statement).strip())
    if dated:
        when = date_label(
            statement.date, statement.date_precision, estimated=statement.date_estimated
        )
        text = f"`{when}` {text}"
    else:
        text = f"• {text}"
    return Line(text.rstrip(), None, numbers)


def briefing_lines(briefing: Briefing) -> list[Line]:
    """Every statement as a line, with the section it belongs to."""
    lines: list[Line] = []
    for statement in briefing.statements:
        if briefing.kind in ("timeline", "digest"):
            line = statement_line(briefing, statement, dated=True)
        else:
            line = statement_line(
                briefing, statement, dated=statement.kind in ("development", "disputed")
            )
            if briefing.kind == "status":
                line.section = SECTIONS.get(statement.kind, "Where it stands")
        lines.append(line)
    return lines


def title_of(briefing: Briefing) -> str:
    """``<Topic> — as of YYYY-MM-DD · N sources`` (or the question, for answers)."""
    n = plural(len(briefing.sources), "source")
    as_of = f"as of {briefing.as_of.isoformat()}" if briefing.as_of else "undated"
    name = safe(briefing.topic.title) if briefing.topic else ""
    if briefing.kind == "ask":
        return clip(f"Q: {safe(briefing.question or '')}", TITLE)
    if briefing.kind == "timeline":
        return titled(name, f" — timeline · {n}")
    if briefing.kind == "digest":
        return titled(name, f" — new developments · {n}")
    return titled(name, f" — {as_of} · {n}")


def footer_of(briefing: Briefing, page: int, pages: int) -> str:
    """Page number, the engine, and anything the engine wants readers to know."""
    bits = [f"Page {page}/{pages}"] if pages > 1 else []
    bits.append(f"{briefing.engine} engine")
    if briefing.verification.dropped:
        bits.append(f"{plural(briefing.verification.dropped, 'unsupported claim')} dropped")
    bits.extend(briefing.notes)
    return clip(" · ".join(bits), FOOTER_BUDGET)


def sources_fields(embed: discord.Embed, briefing: Briefing, numbers: Sequence[int]) -> None:
    lines = [
        source_line(n, briefing.sources[n - 1]) for n in numbers if 0 < n <= len(briefing.sources)
    ]
    lines = fit_lines(lines, SOURCES_BUDGET, "… and {n} more (see the sources command)")
    for i, value in enumerate(chunk_field(lines)):
        embed.add_field(name="Sources" if i == 0 else "Sources (cont.)", value=value, inline=False)


def briefing_pages(briefing: Briefing) -> list[discord.Embed]:
    """A briefing as one embed per page, each listing the sources its statements cite."""
    costs = {n: len(source_line(n, s)) + 1 for n, s in enumerate(briefing.sources, 1)}
    lines = briefing_lines(briefing)
    limit = LINES_PER_PAGE.get(briefing.kind)
    pages = pack(lines, cost_of_source=costs, max_lines=limit) if lines else [Page()]
    color = DIGEST_COLOR if briefing.kind == "digest" else COLOR
    embeds = []
    for i, page in enumerate(pages, 1):
        description = page.description() or EMPTY[briefing.kind]
        embed = discord.Embed(title=title_of(briefing), description=description, colour=color)
        sources_fields(embed, briefing, page.cites())
        embed.set_footer(text=footer_of(briefing, i, len(pages)))
        embeds.append(embed)
    return embeds


def quote_header(number: int, source: Source) -> str:
    """``[n] Title — Outlet, date``, short enough for a section header."""
    title = clip(safe(source.title) or "Untitled", 90)
    when = source.published.isoformat() if source.published else "undated"
    bits = ", ".join(b for b in (safe(source.outlet or ""), when) if b)
    return f"[{number}] {title} — {bits}"


def quote_lines(briefing: Briefing) -> list[Line]:
    """Every quote behind a briefing's citations, once each, grouped under its source in number order."""
    by_source: dict[int, dict[str, str | None]] = {}
    for statement in briefing.statements:
        for citation in statement.citations:
            try:
                n = briefing.number_of(citation.source_id)
            except KeyError:
                continue
            by_source.setdefault(n, {}).setdefault(citation.quote, citation.link)
    return [
        Line(
            f"• “{clip(safe(quote), 800)}”" + (f" [open ↗]({_markdown_url(link)})" if link else ""),
            quote_header(n, briefing.sources[n - 1]),
            (n,),
        )
        for n in sorted(by_source)
        for quote, link in by_source[n].items()
    ]


def _markdown_url(url: str) -> str:
    """A URL safe inside a Markdown link: no bare parentheses, spaces or angle brackets."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace(">", "%3E")


def quotes_embeds(briefing: Briefing) -> list[discord.Embed]:
    """The exact source sentence behind every citation, grouped by source, one embed per page."""
    name = safe(briefing.topic.title) if briefing.topic else "this answer"
    lines = quote_lines(briefing)
    pages = (
        pack(lines, max_lines=QUOTES_PER_PAGE) if lines else [Page([Line("No citations to show.")])]
    )
    embeds = []
    for i, page in enumerate(pages, 1):
        embed = discord.Embed(
            title=clip(f"Quotes behind {name}", TITLE), description=page.description(), colour=COLOR
        )
        if len(pages) > 1:
            embed.set_footer(text=f"Page {i}/{len(pages)}")
        embeds.append(embed)
    return embeds
