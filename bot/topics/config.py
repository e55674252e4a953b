"""Topics from ``topics.toml`` files found in the corpus folders (merged by slug)."""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path
from typing import Any

from bot.errors import ConfigError
from bot.ingest.files import config_files, read_config, shown
from bot.models import Topic

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def load_topics(folders: list[Path]) -> tuple[list[Topic], str]:
    """All topics defined under the folders, and a hash of their definitions."""
    merged: dict[str, Topic] = {}
    digest = hashlib.sha256()
    for path in config_files(folders, "topics.toml"):
        raw = read_config(path, folders)
        digest.update(raw)
        for topic in _parse(shown(path, folders), raw):
            merged[topic.slug] = _merge(merged.get(topic.slug), topic)
    return list(merged.values()), digest.hexdigest()[:12]


def _parse(path: str, raw: bytes) -> list[Topic]:
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))  # Notepad saves UTF-8 with a BOM
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    entries = data.get("topic", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: expected [[topic]] tables")
    topics = [_topic(path, i, entry) for i, entry in enumerate(entries, 1)]
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
