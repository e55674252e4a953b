"""Gold facts of a quality corpus (``gold.toml``) and the bot's own view of its pages.

A corpus folder holds article pages (``NNN-host.txt`` with front matter, or ``.html``), a
``topics.toml``, a ``gold.toml`` and optionally a ``HELDOUT`` marker. Only the pages directly in
the folder count (sub-folders such as a helper's ``_staging`` are ignored, here and by the scorer,
which copies just these pages before ingesting them).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CORPORA = Path(__file__).resolve().parent / "corpora"
GOLD = "gold.toml"
HELDOUT = "HELDOUT"
PAGE_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"})
SIDECAR = ".meta.toml"
SKIP_NAMES = frozenset({"topics.toml", "feeds.toml", GOLD, "README.md"})


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    date_text: str
    date: date | None  # None when ``date_text`` is not an ISO date
    fact: str
    regex: str
    files: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Current:
    as_of_text: str
    as_of: date | None
    fact: str
    regex: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Gold:
    folder: Path
    topic: str
    distractors: tuple[str, ...]
    facts: tuple[Fact, ...]
    current: Current | None
    problems: tuple[str, ...] = field(default=())  # shape problems found while loading

    @property
    def slug(self) -> str:
        return self.folder.name

    @property
    def heldout(self) -> bool:
        return (self.folder / HELDOUT).exists()


def iso_date(value: Any) -> date | None:
    """A ``YYYY-MM-DD`` string (or a TOML date) as a date; None otherwise."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return ()


def load_gold(folder: Path) -> Gold:
    """Read ``folder/gold.toml``; problems of shape are collected, not raised."""
    data = tomllib.loads((folder / GOLD).read_text(encoding="utf-8"))
    problems: list[str] = []
    facts = []
    for i, raw in enumerate(data.get("fact", []), 1):
        ident = str(raw.get("id") or f"#{i}")
        for key in ("id", "date", "fact", "regex", "files"):
            if key not in raw:
                problems.append(f"fact {ident}: missing `{key}`")
        if not isinstance(raw.get("regex", ""), str):
            problems.append(f"fact {ident}: `regex` must be one string")
        when = raw.get("date", "")
        facts.append(
            Fact(
                id=ident,
                date_text=str(when),
                date=iso_date(when),
                fact=str(raw.get("fact", "")),
                regex=str(raw.get("regex", "")),
                files=_strings(raw.get("files", [])),
            )
        )
    current = None
    if isinstance(data.get("current"), dict):
        raw = data["current"]
        when = raw.get("as_of", "")
        current = Current(
            str(when), iso_date(when), str(raw.get("fact", "")), _strings(raw.get("regex"))
        )
    topic = str(data.get("topic", ""))
    if not topic:
        problems.append("missing `topic`")
    return Gold(
        folder=folder,
        topic=topic,
        distractors=_strings(data.get("distractors", [])),
        facts=tuple(facts),
        current=current,
        problems=tuple(problems),
    )


def corpus_folders(root: Path = CORPORA) -> list[Path]:
    """Every corpus folder under ``root`` (sub-folders not starting with ``_`` or ``.``)."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def page_files(folder: Path) -> list[Path]:
    """The article pages directly in a corpus folder, by name."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and not p.name.startswith(".")
        and p.name not in SKIP_NAMES
        and not p.name.endswith(SIDECAR)
        and p.suffix.lower() in PAGE_SUFFIXES
    )


def read_page(p: Path) -> str:
    """A page's text: UTF-8, else the way the bot decodes it (Windows-1252 fallback)."""
    try:
        return p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        from bot.ingest.files import decode

        return decode(p.read_bytes(), html=p.suffix.lower() in {".html", ".htm"})[0]


def _sidecar(p: Path) -> dict[str, Any] | None:
    side = Path(str(p) + SIDECAR)
    if not side.is_file():
        return None
    return tomllib.loads(side.read_text(encoding="utf-8-sig"))


def parse_page(p: Path, *, sidecar: bool = True) -> Any:
    """The bot's ``ParsedArticle`` for a page (with its ``.meta.toml`` sidecar, as the bot reads it)."""
    from bot.ingest.parse import parse_document

    meta = _sidecar(p) if sidecar else None
    return parse_document(read_page(p), name=p.name, suffix=p.suffix, meta=meta)


@lru_cache(maxsize=4096)
def _sentences(path: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    from bot.ingest.parse import parse_document
    from bot.ingest.sentences import split_sentences

    p = Path(path)
    raw = read_page(p)
    art = parse_document(raw, name=p.name, suffix=p.suffix, meta=None)
    return tuple([art.text[a:b] for a, b in split_sentences(art.text)] + [art.title])


def sentences(p: Path) -> list[str]:
    """The bot's own cleaned sentences of a page, plus its title."""
    st = p.stat()
    return list(_sentences(str(p.resolve()), st.st_mtime_ns, st.st_size))


def published(p: Path) -> date | None:
    """A page's publication date as the bot reads it (front matter, html meta, sidecar…)."""
    return parse_page(p).published


def compile_regex(pattern: str) -> re.Pattern[str]:
    """A gold regex (raises ``re.error`` when it does not compile)."""
    return re.compile(pattern)
