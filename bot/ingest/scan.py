"""The scan index: the folders the last full ingest walked, so a read can tell nothing moved.

A folder's mtime changes when an entry is added, removed or renamed in it (a new article, a
deleted one, a new subfolder, an editor that saves by renaming); a file edited in place changes
only its own mtime. So before a read command (``dispatch status`` and the other reads) the CLI
stats the folders the last full pass walked, and when none of them changed it answers from the
stored results without naming or stat'ing a single article file: the cost grows with the number
of folders, not of files.

Edits in place are seen by the full pass, which stats every file: ``dispatch ingest``, the bot's
periodic re-ingest (every ``DISPATCH_REINGEST_MINUTES``), and any read after a folder changed.

A folder whose mtime lies within ``RACY_NS`` of the start of the pass that recorded it is not
trusted (a file added while the pass was listing it, or in the same tick of a coarse filesystem
clock, would otherwise go unseen): the next read walks again and records it settled.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.ingest.files import UNLISTED, corpus_folders, identity
from bot.models import FileOutcome, IngestReport
from bot.store import Store

INDEX = "scan_index"  # meta key
RACY_NS = 2_000_000_000


@dataclass(frozen=True, slots=True)
class ScanIndex:
    """What the last full pass walked (folder -> mtime) and what a pass of the same tree reports."""

    key: str
    dirs: dict[str, int]
    outcomes: tuple[FileOutcome, ...]


def scan_key(folders: list[Path], *, outside_links: bool, version: str) -> str:
    """What else a pass depends on: the folders (however spelled), the link rule, the parser."""
    roots = sorted(identity(str(f)) for f in corpus_folders(folders))
    return json.dumps([roots, outside_links, version])


def settled(dirs: Mapping[str, int], started_ns: int) -> dict[str, int]:
    """The folders' mtimes, with those too close to the pass's start marked untrusted."""
    return {p: UNLISTED if m >= started_ns - RACY_NS else m for p, m in dirs.items()}


def unchanged(dirs: Mapping[str, int]) -> bool:
    """Whether every folder still has its recorded mtime (nothing added, removed or renamed)."""
    for path, mtime in dirs.items():
        try:
            if mtime == UNLISTED or os.stat(path).st_mtime_ns != mtime:
                return False
        except OSError:
            return False
    return bool(dirs)


def replayed(report: IngestReport) -> tuple[FileOutcome, ...]:
    """What a pass over the same, unchanged files reports: unchanged, or still rejected."""
    return tuple(
        o if o.outcome == "rejected" else FileOutcome(o.name, "unchanged", source_id=o.source_id)
        for o in report.outcomes
        if o.outcome != "removed"
    )


def load(store: Store) -> ScanIndex | None:
    """The stored index, or None (never recorded, cleared, or unreadable)."""
    raw = store.meta_get(INDEX)
    if not raw:
        return None
    try:
        body = json.loads(raw)
        outcomes = tuple(FileOutcome(*row) for row in body["outcomes"])
        return ScanIndex(str(body["key"]), dict(body["dirs"]), outcomes)
    except (ValueError, KeyError, TypeError):  # damaged: a full pass records it again
        return None


def save(store: Store, index: ScanIndex | None) -> None:
    """Store the index (None clears it); a steady corpus writes nothing."""
    text = ""
    if index is not None:
        rows = [[o.name, o.outcome, o.reason, o.source_id] for o in index.outcomes]
        text = json.dumps({"key": index.key, "dirs": index.dirs, "outcomes": rows})
    if (store.meta_get(INDEX) or "") != text:
        store.meta_set(INDEX, text)
