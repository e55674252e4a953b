"""``feeds.toml`` in corpus folders: feeds declared alongside the articles."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.errors import ConfigError, UsageError
from bot.feeds.urls import check_url
from bot.ingest.files import read_config, shown
from bot.store.feeds import ConfigEntry

FILENAME = "feeds.toml"
DEFAULT_INTERVAL_MINUTES = 30.0
MIN_INTERVAL_MINUTES = 1.0
KEYS = frozenset({"url", "title", "interval_minutes"})

EXAMPLE = '[[feed]] then url = "https://…/rss.xml" (and optionally title, interval_minutes)'


def check_interval(value: Any) -> float:
    """A polling interval in minutes, at least one minute (``UsageError`` otherwise)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise UsageError(f"The interval must be a number of minutes, not {value!r}.")
    if value < MIN_INTERVAL_MINUTES:
        raise UsageError(f"The interval must be at least {MIN_INTERVAL_MINUTES:g} minute.")
    return float(value)


def load_feeds(folders: Iterable[Path]) -> list[ConfigEntry]:
    """Every feed declared in the folders' feeds.toml files (first declaration of a URL wins)."""
    seen: dict[str, ConfigEntry] = {}
    folders = list(folders)
    for folder in folders:
        path = Path(folder) / FILENAME
        if path.exists() or path.is_symlink():  # a FIFO or a broken link is named, not skipped
            for entry in _read(path, folders):
                seen.setdefault(entry.url, entry)
    return list(seen.values())


def _read(path: Path, folders: list[Path]) -> list[ConfigEntry]:
    """The entries of one feeds.toml, or ``ConfigError`` naming the file and the problem."""
    raw = read_config(path, folders)
    name = shown(path, folders)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{name}: not valid TOML ({exc}).") from None
    extra = sorted(set(data) - {"feed"})
    if extra:
        raise ConfigError(f"{name}: unknown table {extra[0]!r}; declare each feed as {EXAMPLE}.")
    feeds = data.get("feed", [])
    if not isinstance(feeds, list) or not all(isinstance(f, dict) for f in feeds):
        raise ConfigError(f"{name}: feeds are declared as {EXAMPLE}.")
    return [_entry(f, f"{name} feed #{n}", path) for n, f in enumerate(feeds, 1)]


def _entry(table: dict[str, Any], where: str, path: Path) -> ConfigEntry:
    """One [[feed]] table, validated."""
    unknown = sorted(set(table) - KEYS)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(KEYS))})."
        )
    url = table.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ConfigError(f"{where}: a url is required.")
    try:
        url = check_url(url)
    except UsageError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    title = table.get("title")
    if title is not None and not isinstance(title, str):
        raise ConfigError(f"{where}: title must be a string.")
    try:
        interval = check_interval(table.get("interval_minutes", DEFAULT_INTERVAL_MINUTES))
    except UsageError as exc:
        raise ConfigError(f"{where}: interval_minutes: {exc}") from None
    return ConfigEntry(url, interval, (title or "").strip() or None, str(path))
