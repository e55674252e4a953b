"""Topics from ``topics.toml`` files found in the corpus folders (merged by slug)."""

from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from bot.errors import ConfigError
from bot.ingest.files import config_files, corpus_folders, identity, read_config, shown
from bot.models import Topic

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TABLES = frozenset({"topic"})
KEYS = frozenset({"slug", "title", "description", "keywords", "aliases", "requires"})

TopicFiles = list[tuple[Path, bytes]]


def load_topics(
    folders: list[Path],
    kept: Mapping[str, TopicFiles] | None = None,
    warnings: list[str] | None = None,
) -> tuple[list[Topic], str]:
    """All topics defined under the folders, and a hash of their definitions.

    ``kept`` holds, by folder identity, the last topics.toml files of folders that vanished:
    they are read in the folder's place, so its topics (and the hash) stay as they were.
    Keys no topic reads (``keyword =``, ``[[topics]]``) are appended to ``warnings``, one line
    each with the closest valid name: a typo would otherwise give a topic with no sources.
    """
    merged: dict[str, Topic] = {}
    digest = hashlib.sha256()
    for path, raw in _topic_files(folders, kept or {}):
        digest.update(raw)
        for topic in _parse(shown(path, folders), raw, warnings if warnings is not None else []):
            merged[topic.slug] = _merge(merged.get(topic.slug), topic)
    return list(merged.values()), digest.hexdigest()[:12]


def topic_files(folder: Path) -> TopicFiles:
    """The topics.toml files under one folder, with their bytes."""
    return list(_read(config_files([folder], "topics.toml"), [folder]))


def _topic_files(
    folders: list[Path], kept: Mapping[str, TopicFiles]
) -> Iterator[tuple[Path, bytes]]:
    """Every topics.toml file to read: the folders' own, a vanished folder's kept copies."""
    if not kept:
        yield from _read(config_files(folders, "topics.toml"), folders)  # one walk, links once
        return
    for folder in corpus_folders(folders):
        yield from kept.get(identity(str(folder))) or topic_files(folder)


def _read(paths: Iterable[Path], folders: list[Path]) -> Iterator[tuple[Path, bytes]]:
    """Each file's bytes, through the bounded reader (regular files only, capped)."""
    for path in paths:
        yield path, read_config(path, folders)


def unknown_keys(where: str, names: Iterable[str], valid: frozenset[str]) -> list[str]:
    """One warning per name not in ``valid``, suggesting the closest valid one (difflib)."""
    out = []
    for name in sorted(set(names) - valid):
        close = difflib.get_close_matches(name, sorted(valid), n=1, cutoff=0.5)
        hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(valid))}"
        out.append(f"{where}: unknown key {name!r} is ignored ({hint})")
    return out


def _parse(path: str, raw: bytes, warnings: list[str]) -> list[Topic]:
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))  # Notepad saves UTF-8 with a BOM
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    warnings.extend(unknown_keys(path, data, TABLES))
    entries = data.get("topic", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: expected [[topic]] tables")
    topics = [_topic(path, i, entry) for i, entry in enumerate(entries, 1)]
    for number, entry in enumerate(entries, 1):
        where = f"{path}: topic {entry.get('slug') or f'#{number}'!r}"
        warnings.extend(unknown_keys(where, entry, KEYS))
    seen: dict[str, int] = {}
    for number, topic in enumerate(topics, 1):
        if topic.slug in seen:
            raise ConfigError(
                f"{path}: topics #{seen[topic.slug]} and #{number} have the same slug "
                f"{topic.slug!r}: give one of them another slug"
            )
        seen[topic.slug] = number
    return topics


def _strings(path: str, entry: dict[str, Any], key: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(
            f"{path}: topic {entry.get('slug', '?')!r}: {key} must be a list of strings"
        )
    return tuple(v.strip() for v in value if v.strip())


def _topic(path: str, number: int, entry: Any) -> Topic:
    if not isinstance(entry, dict):
        raise ConfigError(f"{path}: topic #{number} is not a table")
    slug = str(entry.get("slug", "")).strip()
    if not SLUG.match(slug):
        raise ConfigError(
            f"{path}: topic #{number} needs a slug like 'minerals-deal', got {slug!r}"
        )
    for key in ("title", "description"):
        if not isinstance(entry.get(key, ""), str):
            raise ConfigError(f"{path}: topic {slug!r}: {key} must be text")
    return Topic(
        slug=slug,
        title=str(entry.get("title") or slug.replace("-", " ").capitalize()),
        description=str(entry.get("description", "")),
        keywords=_strings(path, entry, "keywords"),
        aliases=_strings(path, entry, "aliases"),
        requires=_strings(path, entry, "requires"),
    )


def _merge(old: Topic | None, new: Topic) -> Topic:
    if old is None:
        return new
    return Topic(
        slug=new.slug,
        title=new.title or old.title,
        description=new.description or old.description,
        keywords=tuple(dict.fromkeys(old.keywords + new.keywords)),
        aliases=tuple(dict.fromkeys(old.aliases + new.aliases)),
        requires=tuple(dict.fromkeys(old.requires + new.requires)),
    )
