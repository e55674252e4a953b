"""Turn one document (text, Markdown or HTML, plus an optional sidecar) into a ``ParsedArticle``.

Shapes understood: a first line `` date YYYY-MM-DD <headline>`` (also right after front matter);
YAML (``---``) or TOML (``+++``) front matter; plain text whose first line is the headline; text with no headline at all (the
title is then the first body sentence, never a byline, dateline or credit); HTML. A sidecar
``<file>.meta.toml`` (title, outlet, date, url) overrides what the text says. A body that repeats
the title on its first line loses the title, never the lede run on after it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.ingest.clean import Cleaned, clean_lines, fold, is_headline_like, is_title_case
from bot.ingest.dates import date_from_url, parse_date_value
from bot.ingest.sentences import split_sentences
from bot.models import DateBasis

_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s+(.+?)\s*$")
# What is left of a header after the parse: `` date 2023-04-26`` alone, a month (`` date 2023-05
# WHO Ends …``), or the same marker in an HTML page's <title> and first paragraph.
_MARKER = re.compile(r"^\s*date\s+\d{4}-\d{2}(?:-\d{2})?(?:\s+|$)")
_YAML_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
_MD_H1 = re.compile(r"^#[ \t]+(\S.*)$")
_TOML_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*=")
_LABELS = {"sidecar": "sidecar", "front_matter": "front matter", "header": "header"}
_TITLE_SEPARATOR = re.compile(r"\s*(?:[.:!?|•·]|\s[–—-]{1,2})\s+")
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*$")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
TITLE_MAX = 160
HEADLINE_WORDS = 14  # a longer line in sentence case is a lede that lost its full stop
HEADLINE_AFTER = 3  # boilerplate lines (a tag list, a rule) a headline may sit below
FIRST_SENTENCE_WINDOW = 4000  # characters split to find a first sentence (a title)


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """One article as read: cleaned body text plus what we know about it."""

    title: str
    text: str
    outlet: str | None = None
    published: date | None = None
    date_basis: DateBasis = "unknown"
    url: str | None = None
    language: str | None = None
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # problems in the file its author can fix (also in notes)


@dataclass(slots=True)
class _Head:
    """Metadata gathered from header, front matter and sidecar, with where the date came from."""

    title: str | None = None
    outlet: str | None = None
    published: date | None = None
    basis: DateBasis = "unknown"
    url: str | None = None
    warnings: list[str] = field(default_factory=list)

    def merge(self, values: dict[str, Any], basis: DateBasis) -> None:
        """Take title/outlet/date/url from ``values``; later merges override earlier ones."""
        where = _LABELS.get(basis, basis)
        title = self._text(values, ("title", "headline"), where)
        outlet = self._text(values, ("outlet", "site", "source", "publisher"), where)
        url = self._text(values, ("url", "link", "canonical"), where)
        raw_date = values.get("date") or values.get("published") or values.get("pubdate")
        self.title = title or self.title
        self.outlet = outlet or self.outlet
        self.url = url or self.url
        found = parse_date_value(raw_date) if raw_date is not None else None
        if found is not None:
            self.published, self.basis = found, basis
        elif raw_date is not None:
            self.warnings.append(f"{where} date {_shown(raw_date)} not understood")

    def _text(self, values: dict[str, Any], keys: tuple[str, ...], where: str) -> str | None:
        """The first of ``keys`` set in ``values``, as folded text; a non-text value is ignored."""
        key = next((k for k in keys if values.get(k) not in (None, "")), None)
        if key is None:
            return None
        value = values[key]
        if not isinstance(value, str):
            self.warnings.append(f"{where} {key} {_shown(value)} is not text")
            return None
        return fold(value) or None


def _shown(value: Any) -> str:
    """A value as a warning quotes it, cut short."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def parse_document(
    raw: str, *, name: str, suffix: str, meta: dict[str, Any] | None
) -> ParsedArticle:
    """Parse a document's decoded text; ``meta`` is its sidecar's content, if any."""
    if suffix.lower() in {".html", ".htm"}:
        from bot.ingest.html import extract_html

        url = (meta or {}).get("url")
        body, head = extract_html(raw, url=url if isinstance(url, str) else None)
        lines = body.splitlines()
        header_title = False
    else:
        lines, head, header_title = _split_head(raw.lstrip("\ufeff").splitlines())
    if meta:
        head.merge(meta, "sidecar")
    return _assemble(lines, head, header_title=header_title, name=name)


def _split_head(lines: list[str]) -> tuple[list[str], _Head, bool]:
    """Separate a header line or front matter from the body lines."""
    head = _Head()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return [], head, False
    opener = lines[first].strip()
    if opener in {"---", "+++"}:
        block, body = _front_block(lines, first, head)
        if block is not None:
            head.merge(_front_matter(block, toml=opener == "+++", head=head), "front_matter")
            body, lede = _late_header(body, head)
            return body, head, head.title is not None or lede
    m = _HEADER.match(lines[first])
    if m:
        head.merge({"date": m.group(1), "title": m.group(2)}, "header")
        return lines[first + 1 :], head, True
    return lines[first:], head, False


def _late_header(body: list[str], head: _Head) -> tuple[list[str], bool]:
    """Consume a `` date YYYY-MM-DD <text>`` line right after front matter (front matter wins).

    Its text is often the page's first line rather than a headline: a sentence stays in the
    body as the lede, boilerplate ("Trending", a byline) goes, and a short headline is the title.
    True with the body when the lede was kept (so no later line is taken for a headline).
    """
    first = next((i for i, line in enumerate(body) if line.strip()), None)
    m = _HEADER.match(body[first]) if first is not None else None
    if first is None or m is None:
        return body, False
    values: dict[str, Any] = {"date": m.group(1)} if head.published is None else {}
    title, lede = _header_text(fold(m.group(2)))
    if title and head.title is None:
        values["title"] = title
    if values:
        head.merge(values, "header")
    return lede + body[first + 1 :], bool(lede)


def _header_text(text: str) -> tuple[str | None, list[str]]:
    """A late header's text as a title, or as the body's first line when it is a sentence."""
    if not clean_lines([text]).lines:
        return None, []  # boilerplate: neither title nor body
    if not _header_headline(text):
        return None, [text]  # the lede, not a headline: the title comes from the body
    return (text if len(text.split()) >= 3 else None), []


def _header_headline(text: str) -> bool:
    """Whether a late header's text reads as a headline: short or title case, not a sentence."""
    if _SENTENCE_END.search(text) or text.endswith((":", ",", ";")) or not is_headline_like(text):
        return False
    return len(text.split()) <= HEADLINE_WORDS or is_title_case(text)


def _front_block(lines: list[str], first: int, head: _Head) -> tuple[str | None, list[str]]:
    """The front-matter block opened at ``lines[first]`` and the body lines after it.

    Without its closing line, the block is the run of ``key: value`` (or ``key = value``)
    lines after the opener, and a warning says so; None when there is no such line.
    """
    opener = lines[first].strip()
    close = next((i for i in range(first + 1, len(lines)) if lines[i].strip() == opener), None)
    if close is not None:
        return "\n".join(lines[first + 1 : close]), lines[close + 1 :]
    key = _TOML_KEY if opener == "+++" else _YAML_KEY
    end = first + 1
    while end < len(lines) and key.match(lines[end]):
        end += 1
    if end == first + 1:
        return None, lines
    head.warnings.append(f"front matter not closed with {opener}")
    return "\n".join(lines[first + 1 : end]), lines[end:]


def _front_matter(block: str, *, toml: bool, head: _Head) -> dict[str, Any]:
    """Parse a front-matter block: TOML, or the flat ``key: value`` subset of YAML."""
    if toml:
        try:
            return tomllib.loads(block)
        except tomllib.TOMLDecodeError:
            head.warnings.append("front matter is not valid TOML")
            return {}
    values: dict[str, Any] = {}
    for line in block.splitlines():
        m = _YAML_KEY.match(line)
        if m and not line.startswith((" ", "\t")):
            values[m.group(1).lower()] = _unquote(m.group(2).strip())
    return values


def _unquote(value: str) -> str:
    """Strip one pair of matching YAML quotes."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _assemble(lines: list[str], head: _Head, *, header_title: bool, name: str) -> ParsedArticle:
    """Clean the body, pick the title, and settle the publication date."""
    notes: list[str] = []
    lines = _unmarked_lines(lines)
    if head.title is not None:
        head.title = _MARKER.sub("", head.title).strip() or None
    if head.title is None and not header_title:
        lines = _take_headline(lines, head)
    cleaned = clean_lines(lines)
    if head.title and cleaned.lines:
        _drop_repeated_title(cleaned, head.title)
    text = cleaned.text
    title = head.title or _first_sentence(text) or name
    published, basis = _publication(head, cleaned)
    if published is None:
        notes.append("no publication date")
    language = _language(text)
    if language and "+" in language:
        notes.append("mixed languages")
    return ParsedArticle(
        title=_short(title),
        text=text,
        outlet=head.outlet or cleaned.outlet,
        published=published,
        date_basis=basis,
        url=head.url,
        language=language,
        notes=tuple(notes + head.warnings),
        warnings=tuple(head.warnings),
    )


def _unmarked_lines(lines: list[str]) -> list[str]:
    """The body without a header marker on its first line (its text, if any, stays)."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not _MARKER.match(lines[first]):
        return lines
    rest = _MARKER.sub("", lines[first]).strip()
    return [*lines[:first], *([rest] if rest else []), *lines[first + 1 :]]


def _same(line: str, title: str) -> bool:
    """Whether a body line is the title again (case, spacing, Markdown marks, a full stop aside)."""
    return _folded_title(line.lstrip("# ")) == _folded_title(title)


def _folded_title(text: str) -> str:
    return fold(text).rstrip(".").casefold()


def _drop_repeated_title(cleaned: Cleaned, title: str) -> None:
    """Drop the title where the page repeats it on its first line, keeping any lede after it."""
    line = cleaned.lines[0]
    if _same(line, title):
        cleaned.lines.pop(0)  # the page repeats its headline above the body
        return
    rest = _after_title(line.lstrip("# "), fold(title).rstrip("."))
    if rest is None:
        return
    cleaned.dropped.append(("title", line[: len(line) - len(rest)]))
    if len(rest.split()) <= 4 and not _SENTENCE_END.search(rest):
        cleaned.lines.pop(0)  # "Title - Globe": the title and the site's name
    else:
        cleaned.lines[0] = rest  # "Title. Lede …" on one line: the lede stays


def _after_title(line: str, title: str) -> str | None:
    """What follows the title at the start of a line, when the title ends there, else None.

    The title must end at a separator ("Title. Lede", "Title — Lede") or, with no separator,
    be set apart by its case ("TITLE Lede", "Title Case Headline Lede") and be followed by a
    capital: a lede that merely begins with the title's words is not the title repeated.
    """
    if not title or not line.casefold().startswith(title.casefold()):
        return None
    rest = line[len(title) :]
    m = _TITLE_SEPARATOR.match(rest)
    if m and m.end() < len(rest):
        return rest[m.end() :]
    if title.endswith(("?", "!")) and rest[:1].isspace() and rest.strip():
        return rest.lstrip()
    prefix, tail = line[: len(title)], rest.lstrip()
    if not rest[:1].isspace() or not tail[:1].isupper():
        return None
    set_apart = prefix.isupper() or is_title_case(prefix)
    return tail if set_apart else None


def _take_headline(lines: list[str], head: _Head) -> list[str]:
    """Use the first line as the title when it is headline-shaped and more text follows."""
    body = [i for i, line in enumerate(lines) if line.strip()]
    for _ in range(HEADLINE_AFTER):
        line = fold(lines[body[0]]) if body else ""
        if len(body) > 2 and not _MD_H1.match(line) and not clean_lines([line]).lines:
            body.pop(0)  # a tag list or a rule above the headline: dropped with the boilerplate
    if len(body) < 2:
        return lines
    first = fold(lines[body[0]])
    h1 = _MD_H1.match(first)
    if h1:  # a Markdown page's "# Heading" is its title, and a lede run on after it stays
        title, lede = _split_heading(h1.group(1).strip("# "))
        head.title = title
        return lines[: body[0]] + ([lede] if lede else []) + lines[body[0] + 1 :]
    probe = clean_lines([first])
    question = first.endswith(("?", "!")) and len(first.split()) <= 20 and is_title_case(first)
    if probe.lines and (is_headline_like(first) or question) and len(first.split()) >= 3:
        head.title = first
        return lines[: body[0]] + lines[body[0] + 1 :]
    return lines


def _split_heading(text: str) -> tuple[str, str]:
    """A heading's title and the lede run on after it on the same line ("Title. Lede …")."""
    spans = split_sentences(text)
    if len(spans) < 2 or len(text[: spans[0][1]].split()) > 25:
        return text, ""
    return text[: spans[0][1]].rstrip("."), text[spans[1][0] :]


def _first_sentence(text: str) -> str | None:
    """The first sentence of the cleaned body (only its start is split: titles are short)."""
    head = text[:FIRST_SENTENCE_WINDOW]
    spans = split_sentences(head)
    return head[spans[0][0] : spans[0][1]] if spans else None


def _short(title: str) -> str:
    """A title cut at a word boundary when it is very long."""
    title = fold(title)
    if len(title) <= TITLE_MAX:
        return title
    return title[:TITLE_MAX].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _publication(head: _Head, cleaned: Cleaned) -> tuple[date | None, DateBasis]:
    """The publication date by precedence: sidecar/header/front matter, text, then URL."""
    if head.published is not None:
        return head.published, head.basis
    if cleaned.dates:
        return cleaned.dates[0], "text"
    from_url = date_from_url(head.url)
    if from_url is not None:
        return from_url, "url"
    return None, "unknown"


_ASCII_LETTERS = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))


def _ascii_letters(text: str) -> int:
    """How many of the text's characters are ASCII letters (A-Z, a-z), counted in C: in
    UTF-8 every other character's bytes are non-ASCII."""
    data = text.encode("utf-8", "surrogatepass")
    return len(data) - len(data.translate(None, _ASCII_LETTERS))


def _language(text: str) -> str | None:
    """A coarse language guess from the script: "en", "uk", or "en+uk" for a mix."""
    cyrillic = 0 if text.isascii() or not _CYRILLIC.search(text) else len(_CYRILLIC.findall(text))
    latin = _ascii_letters(text)
    if not cyrillic and not latin:
        return None
    share = cyrillic / (cyrillic + latin)
    if share < 0.05:
        return "en"
    other = "uk" if re.search(r"[іїєґІЇЄҐ]", text) else "ru"
    return other if share > 0.95 else f"en+{other}" if latin >= cyrillic else f"{other}+en"
