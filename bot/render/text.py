"""Plain-text rendering for the terminal: numbered citations and a source list."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterable
from datetime import date, datetime

from bot.models import Briefing, Source, Statement, TopicSummary
from bot.topics.text import tokens

QUESTION_SHOWN = 200  # characters of a question repeated above its answer
NO_TOPICS = "No topics are defined yet: add a topics.toml to a corpus folder."
RESTATES = 0.75  # token overlap above which a corroborating quote is not printed again
SECTIONS = (
    ("status", "Where it stands"),
    ("development", "Key developments"),
    ("disputed", "What sources dispute"),
)


def date_label(when: date | None, precision: str | None, *, estimated: bool = False) -> str:
    """How a development's date reads: a day, 'week of' a day, a month, or 'undated'.

    A date resting on an estimated publication date reads "≈2025-03-18".
    """
    if when is None:
        return "undated"
    if estimated:
        return "≈" + date_label(when, precision)
    if precision == "week":
        return f"week of {when.isoformat()}"
    if precision == "month":
        return when.strftime("%Y-%m")
    return when.isoformat()


def source_line(number: int, s: Source) -> str:
    """``[n] Title — Outlet, date · link or file``."""
    bits = [s.outlet, s.published.isoformat() if s.published else "undated"]
    where = s.url or s.path
    tail = f" · {where}" if where else ""
    extra = " (republished copy)" if s.kind == "republished" else ""
    return f"[{number}] {s.title} — {', '.join(b for b in bits if b)}{extra}{tail}"


def _width() -> int:
    return max(60, min(110, shutil.get_terminal_size((100, 24)).columns))


def _cites(b: Briefing, st: Statement) -> str:
    return " " + "".join(
        f"[{n}]" for n in dict.fromkeys(b.number_of(c.source_id) for c in st.citations)
    )


def _restates(quote: str, text: str) -> bool:
    """Whether a quote says the statement again in nearly the same words (a wire copy)."""
    a, b = set(tokens(quote)), set(tokens(text))
    return bool(a and b) and len(a & b) / len(a | b) >= RESTATES


def _extra_quotes(b: Briefing, st: Statement, indent: str, width: int) -> list[str]:
    """The quotes behind a statement that it does not already show word for word."""
    lines = []
    for c in st.citations:
        if not _restates(c.quote, st.text):
            text = f"[{b.number_of(c.source_id)}] “{c.quote}”"
            lines += textwrap.wrap(
                text, width, initial_indent=indent, subsequent_indent=indent + "  "
            )
    return lines


def related_note(st: Statement) -> str:
    """A marker for a neighbouring topic's development shown in this topic."""
    return f" (related: {st.related})" if st.related else ""


def _dated(b: Briefing, st: Statement, width: int) -> list[str]:
    label = date_label(st.date, st.date_precision, estimated=st.date_estimated)
    body = textwrap.wrap(st.text + _cites(b, st) + related_note(st), width - 14)
    head = label.split(" of ") if label.startswith("week of") else [label]
    head = ["week of", head[1]] if len(head) == 2 else head
    rows = max(len(body), len(head))
    lines = [
        f" {(head[i] if i < len(head) else ''):<12} {body[i] if i < len(body) else ''}".rstrip()
        for i in range(rows)
    ]
    return lines + _extra_quotes(b, st, " " * 14, width)


def _bullet(b: Briefing, st: Statement, width: int) -> list[str]:
    lines = textwrap.wrap(
        st.text + _cites(b, st), width, initial_indent=" • ", subsequent_indent="   "
    )
    return lines + _extra_quotes(b, st, "   ", width)


def render_briefing(b: Briefing) -> str:
    """A briefing for the terminal."""
    width = _width()
    title = b.topic.title if b.topic else f"Q: {_shortened(b.question or '', QUESTION_SHOWN)}"
    as_of = f"as of {b.as_of.isoformat()}" if b.as_of else "undated"
    n = len(b.sources)
    out = [f"{title} — {as_of} · {n} source{'s' * (n != 1)}", ""]
    if b.kind in ("timeline", "digest"):
        label = "Timeline" if b.kind == "timeline" else "New developments"
        out += [label] + [line for st in b.statements for line in _dated(b, st, width)] + [""]
    elif b.kind == "ask":
        out += [line for st in b.statements for line in _bullet(b, st, width)] + (
            [""] if b.statements else []
        )
    else:
        for kind, heading in SECTIONS:
            chosen = [st for st in b.statements if st.kind == kind]
            if not chosen:
                continue
            fmt = _dated if kind == "development" else _bullet
            out += [heading] + [line for st in chosen for line in fmt(b, st, width)] + [""]
    if not b.statements and not b.notes:
        out += ["No developments found for this topic yet.", ""]
    for note in b.notes:
        out += [*textwrap.wrap(f"Note: {note}", width), ""]
    if b.sources:
        out += ["Sources"] + [
            line
            for i, s in enumerate(b.sources, 1)
            for line in textwrap.wrap(
                source_line(i, s), width, initial_indent=" ", subsequent_indent="     "
            )
        ]
    return "\n".join(out).rstrip() + "\n"


def _shortened(text: str, limit: int) -> str:
    """Text cut at a word boundary with an ellipsis when longer than ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def render_topics(summaries: Iterable[TopicSummary]) -> str:
    """The topic list with counts and the latest headline."""
    out = []
    for s in summaries:
        latest = s.latest.isoformat() if s.latest else "—"
        count = f"{s.sources} source{'s' * (s.sources != 1)}"
        out.append(f"{s.topic.slug:<18} {count:>12}  latest {latest}  {s.topic.title}")
        if s.headline:
            out += textwrap.wrap(
                s.headline, _width() - 4, initial_indent="    ", subsequent_indent="    "
            )
    if not out:
        out = [NO_TOPICS]
    return "\n".join(out) + "\n"


def render_sources(title: str, pairs: Iterable[tuple[Source, float]]) -> str:
    """A topic's sources, newest first."""
    lines = [f"Sources for {title}", ""]
    for i, (s, score) in enumerate(pairs, 1):
        lines.append(f" {source_line(i, s)}  (relevance {score:.2f})")
    if len(lines) == 2:
        lines.append("No sources are assigned to this topic yet.")
    return "\n".join(lines) + "\n"


def render_digest(since: datetime, briefings: list[Briefing]) -> str:
    """The digest: per topic, what is new since a time."""
    head = f"Digest — new since {since.isoformat(timespec='minutes')}"
    if not briefings:
        return f"{head}\n\nNo new developments.\n"
    return head + "\n\n" + "\n".join(render_briefing(b) for b in briefings)
