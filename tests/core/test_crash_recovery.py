"""A `dispatch` process killed (SIGKILL) at a chosen step: the next run recovers what it left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.crash import ENV
from bot.store import Store

NEW = " date 2025-03-07 Deal signed\n\nUkraine signed the minerals deal on Friday in Kyiv.\n"


def dispatch(
    tmp_path: Path, corpus: Path, *argv: str, crash: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot` as its own process, killed at ``crash`` when given."""
    env = {k: v for k, v in os.environ.items() if k != ENV}
    if crash:
        env[ENV] = crash
    where = ["--corpus", str(corpus), "--db", str(tmp_path / "c.db"), "--engine", "extractive"]
    return subprocess.run(
        [sys.executable, "-m", "bot", *where, *argv],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )


def test_a_kill_after_the_files_are_written_still_briefs_the_new_article(
    seeds_dir: Path, tmp_path: Path
) -> None:
    assert dispatch(tmp_path, seeds_dir, "ingest").returncode == 0
    (seeds_dir / "new.txt").write_text(NEW, encoding="utf-8")
    killed = dispatch(tmp_path, seeds_dir, "ingest", crash="ingest:files-written")
    assert killed.returncode == -signal.SIGKILL
    again = dispatch(tmp_path, seeds_dir, "ingest")
    assert again.returncode == 0, again.stderr
    status = dispatch(tmp_path, seeds_dir, "status", "minerals-deal")
    assert status.returncode == 0, status.stderr
    assert status.stdout.startswith("US–Ukraine minerals deal — as of 2025-03-07 · 4 sources")
    assert "Ukraine signed the minerals deal on Friday in Kyiv." in " ".join(status.stdout.split())


def test_a_kill_between_removal_batches_keeps_the_store_whole_and_the_next_run_finishes(
    seeds_dir: Path, tmp_path: Path
) -> None:
    extra = [seeds_dir / f"local_{i:03}.txt" for i in range(250)]
    for i, path in enumerate(extra):
        path.write_text(
            f" date 2025-01-{1 + i % 28:02} Council note {i}\n\nCouncil {i} met about road "
            f"{i * 7} and budget line {i * 13}; member {i} voted for item {i * 3}.\n",
            encoding="utf-8",
        )
    assert dispatch(tmp_path, seeds_dir, "ingest").returncode == 0
    for path in extra:
        path.unlink()
    killed = dispatch(tmp_path, seeds_dir, "ingest", crash="store:removal-batch")
    assert killed.returncode == -signal.SIGKILL
    store = Store(tmp_path / "c.db")
    try:
        left = len(store.sources.files())
        assert store.db.one("PRAGMA integrity_check")[0] == "ok"  # type: ignore[index]
    finally:
        store.close()
    assert 3 < left < 253  # a batch was committed, the rest was not
    again = dispatch(tmp_path, seeds_dir, "ingest")
    assert again.returncode == 0, again.stderr
    assert f"{left - 3} removed" in again.stderr
    status = dispatch(tmp_path, seeds_dir, "status", "minerals-deal")
    assert status.stdout.startswith("US–Ukraine minerals deal — as of 2025-03-05 · 3 sources")


def test_a_kill_in_the_middle_of_a_batch_write_leaves_nothing_of_the_batch(
    seeds_dir: Path, tmp_path: Path
) -> None:
    assert dispatch(tmp_path, seeds_dir, "ingest").returncode == 0
    for i in range(120):  # enough new files for ingest to write them in batches
        (seeds_dir / f"note_{i:03}.txt").write_text(
            f" date 2025-01-{1 + i % 28:02} Council note {i}\n\nCouncil {i} met about road "
            f"{i * 7}; member {i} voted for item {i * 3}.\n",
            encoding="utf-8",
        )
    killed = dispatch(tmp_path, seeds_dir, "ingest", crash="store:batch-half-written")
    assert killed.returncode == -signal.SIGKILL
    store = Store(tmp_path / "c.db")
    try:
        assert store.db.one("PRAGMA integrity_check")[0] == "ok"  # type: ignore[index]
        assert store.sources.count() == 3 and len(store.sources.files()) == 3
        assert (
            store.db.one("SELECT COUNT(*) FROM sentences_fts")[0]
            == store.db.one(  # type: ignore[index]
                "SELECT COUNT(*) FROM sentences"
            )[0]
        )
    finally:
        store.close()
    again = dispatch(tmp_path, seeds_dir, "ingest")
    assert again.returncode == 0, again.stderr
    store = Store(tmp_path / "c.db")
    try:
        assert store.sources.count() == 123
    finally:
        store.close()
