"""The last topics.toml files of every corpus folder, so a folder that vanishes keeps its topics.

An unmounted share takes its topics.toml with it; briefings must not turn into "Unknown topic"
meanwhile. Ingest saves each present folder's files and the list of vanished folders in the
store's meta table (writing only what changed), and topics load the saved files in their place.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.errors import ConfigError
from bot.ingest.files import corpus_folders, identity
from bot.store import Store
from bot.topics.config import TopicFiles, topic_files

VANISHED = "vanished_folders"
SAVED = "topic_files"


def remember(store: Store, folders: list[Path], vanished: Iterable[str]) -> None:
    """Save the present folders' topics.toml files and which folders vanished."""
    gone = sorted(identity(f) for f in vanished)
    saved: dict[str, list[list[str]]] = _get(store, SAVED, {})
    for folder in corpus_folders(folders):
        key = identity(str(folder))
        if key in gone:
            continue
        try:
            files = topic_files(folder)
        except ConfigError:  # reported when the topics load; keep what was saved
            continue
        saved[key] = [[str(p), raw.decode("utf-8", "surrogateescape")] for p, raw in files]
    _put(store, SAVED, saved)
    _put(store, VANISHED, gone)


def kept(store: Store) -> dict[str, TopicFiles]:
    """The saved topics.toml files of the folders that vanished, by folder identity."""
    saved: dict[str, list[list[str]]] = _get(store, SAVED, {})
    return {
        key: [(Path(p), text.encode("utf-8", "surrogateescape")) for p, text in saved.get(key, [])]
        for key in _get(store, VANISHED, [])
    }


def _get(store: Store, key: str, default: Any) -> Any:
    value = store.meta_get(key)
    return default if value is None else json.loads(value)


def _put(store: Store, key: str, value: Any) -> None:
    text = json.dumps(value, sort_keys=True)
    if store.meta_get(key) != text:  # a steady corpus writes nothing
        store.meta_set(key, text)
