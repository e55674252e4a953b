"""Discord's message limits, safe text helpers, and packing lines into embeds that always fit."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import discord

CONTENT = 2000
TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
EMBEDS_PER_MESSAGE = 10
EMBED_TOTAL = 6000

# Budgets kept well inside the limits so a page's title, description, fields and footer
# can never add up past 6000 characters together.
DESCRIPTION_BUDGET = 3000
SOURCES_BUDGET = 2200
FOOTER_BUDGET = 300
LINE_MAX = 900

COLOR = discord.Colour(0x3B6EA8)
DIGEST_COLOR = discord.Colour(0x2F8F5B)

_WS = re.compile(r"\s+")
# What Discord turns into a mention, channel link, slash-command link, emoji or timestamp,
# whatever the digits: <@1>, <@&1>, <#1>, </cmd:1>, <:e:1>, <a:e:1>, <t:1:R>, <id:home>.
_ANGLE_MARKUP = re.compile(r"<(?=[@#/:]|a:|t:|id:)")


def inert(text: str) -> str:
    """Text whose mentions and ``<…>`` markup render literally instead of as links or pings."""
    return _ANGLE_MARKUP.sub("<\u200b", discord.utils.escape_mentions(text))


def safe(text: str) -> str:
    """Article text made inert: one line, markdown escaped, mentions and ``<…>`` markup broken."""
    flat = _WS.sub(" ", text or "").strip()
    return inert(discord.utils.escape_markdown(flat))


def clip(text: str, limit: int) -> str:
    """Shorten to ``limit`` characters with an ellipsis, never ending on a lone escape."""
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - 1)].rstrip()
    while cut.endswith("\\"):
        cut = cut[:-1]
    return cut + "…"


def titled(name: str, tail: str, limit: int = TITLE) -> str:
    """``name`` + ``tail`` within ``limit``, shortening the name so the tail always shows."""
    if len(tail) >= limit - 1:
        return clip(name + tail, limit)
    return clip(name, limit - len(tail)) + tail


def link(label: str, url: str | None, *, max_url: int = 300) -> str:
    """A masked link when ``url`` is a sane http(s) address, else the bare label."""
    if (
        not url
        or len(url) > max_url
        or not url.startswith(("https://", "http://"))
        or any(c in url for c in " <>")
    ):
        return label
    label = label.replace("[", "(").replace("]", ")")
    return f"[{label}]({url.replace(')', '%29')})"


@dataclass(slots=True)
class Line:
    """One line of a page: its text, an optional section header, and the sources it cites."""

    text: str
    section: str | None = None
    cites: tuple[int, ...] = ()


@dataclass(slots=True)
class Page:
    """Lines packed to fit one embed."""

    lines: list[Line] = field(default_factory=list)

    def description(self) -> str:
        """The page's lines, with a bold header wherever a section starts."""
        out: list[str] = []
        current: str | None = None
        for line in self.lines:
            if line.section and line.section != current:
                if out:
                    out.append("\u200b")  # an empty line that every renderer keeps
                out.append(f"**{line.section}**")
                current = line.section
            out.append(line.text)
        return "\n".join(out)

    def cites(self) -> list[int]:
        """Source numbers cited on this page, in ascending order."""
        return sorted({n for line in self.lines for n in line.cites})


def pack(
    lines: Iterable[Line],
    *,
    cost_of_source: dict[int, int] | None = None,
    max_lines: int | None = None,
) -> list[Page]:
    """Pack lines into pages whose description, cited-source list and line count stay within budget."""
    costs = cost_of_source or {}
    pages: list[Page] = [Page()]
    for line in lines:
        line.text = clip(line.text, LINE_MAX)
        page = pages[-1]
        trial = Page([*page.lines, line])
        too_long = len(trial.description()) > DESCRIPTION_BUDGET
        too_many = sum(costs.get(n, 0) for n in trial.cites()) > SOURCES_BUDGET
        too_tall = max_lines is not None and len(trial.lines) > max_lines
        if page.lines and (too_long or too_many or too_tall):
            pages.append(Page([line]))
        else:
            page.lines.append(line)
    return pages


def fit_lines(lines: Sequence[str], budget: int, more: str = "… and {n} more") -> list[str]:
    """As many lines as fit in ``budget`` characters (joined by newlines), then a '… and N more'."""
    kept: list[str] = []
    used = 0
    for i, text in enumerate(lines):
        rest = len(lines) - i - 1
        reserve = len(more.format(n=rest + 1)) + 1 if rest else 0
        if used + len(text) + 1 + reserve > budget:
            kept.append(more.format(n=len(lines) - i))
            return kept
        kept.append(text)
        used += len(text) + 1
    return kept


def chunk_field(lines: Sequence[str], limit: int = FIELD_VALUE) -> list[str]:
    """Join lines into field values of at most ``limit`` characters each."""
    chunks: list[str] = []
    current = ""
    for text in lines:
        text = clip(text, limit)
        candidate = f"{current}\n{text}" if current else text
        if len(candidate) > limit:
            chunks.append(current)
            candidate = text
        current = candidate
    if current:
        chunks.append(current)
    return chunks


def embed_size(embed: discord.Embed) -> int:
    """Characters Discord counts toward the 6000 total of one message."""
    return len(embed)


def group(embeds: Sequence[discord.Embed]) -> list[list[discord.Embed]]:
    """Split embeds into messages of at most 10 embeds and 6000 characters each."""
    messages: list[list[discord.Embed]] = []
    current: list[discord.Embed] = []
    size = 0
    for embed in embeds:
        n = embed_size(embed)
        if current and (len(current) == EMBEDS_PER_MESSAGE or size + n > EMBED_TOTAL):
            messages.append(current)
            current, size = [], 0
        current.append(embed)
        size += n
    if current:
        messages.append(current)
    return messages
