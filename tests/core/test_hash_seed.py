"""Stored results do not depend on PYTHONHASHSEED: ties between words, names and sentences are
broken by stable keys, never by the order a set of strings happens to iterate in."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES, ROOT

# real pages whose vocabulary, names and status lines tie (see git history: each of these
# corpora stored different results under different seeds)
CORPORA = [ROOT / "bench" / "quality" / "corpora" / "artemis-i", FIXTURES / "story"]


def _dispatch(db: Path, corpus: Path, seed: str, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISPATCH_", "OPENAI_"))}
    env |= {"PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed, "DISPATCH_ENGINE": "extractive"}
    command = [sys.executable, "-m", "bot", "--corpus", str(corpus), "--db", str(db), *args]
    proc = subprocess.run(command, cwd=db.parent, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def _stored(db: Path) -> list[tuple[str, str, str, str]]:
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute("SELECT slug, kind, engine, body FROM computed"))


def test_two_hash_seeds_store_the_same_results(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for folder in CORPORA:  # two stories in one corpus: their topics.toml files both count
        shutil.copytree(
            folder,
            corpus / folder.name,
            ignore=shutil.ignore_patterns("gold.toml", "README*", "notes"),
        )
    first = tmp_path / "first" / "d.db"
    first.parent.mkdir()
    _dispatch(first, corpus, "1", "ingest")  # the same pages, first seen at the same times
    second = tmp_path / "second" / "d.db"
    second.parent.mkdir()
    shutil.copy(first, second)
    _dispatch(second, corpus, "2", "recompute", "--full")
    _dispatch(first, corpus, "3", "recompute", "--full")
    found = _stored(first)
    assert len({slug for slug, *_ in found}) >= 3  # the stories' topics were computed
    assert _stored(second) == found
