"""A full disk: reads answer from the stored results; ingest fails in one line; nothing breaks.

Always simulated (SQLite's ``max_page_count`` capped at the file's size: every growth fails with
SQLITE_FULL), and for real on a small tmpfs where this machine lets the test mount one.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.store.db import Database

NEW = " date 2025-03-07 Deal signed\n\nUkraine signed the minerals deal on Friday in Kyiv.\n"
TITLE = "US–Ukraine minerals deal — as of 2025-03-05 · 3 sources"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def _integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every database opened from now on cannot grow by a single page."""
    opened = Database._open

    def capped(self: Database) -> None:
        opened(self)
        pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
        self.conn.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(Database, "_open", capped)


def test_simulated_full_disk_reads_answer_and_ingest_fails_cleanly(
    seeds_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    db = tmp_path / "full.db"
    where = ["--corpus", str(seeds_dir), "--db", str(db)]
    assert _run(capsys, *where, "ingest")[0] == 0
    (seeds_dir / "new.txt").write_text(NEW, encoding="utf-8")
    request.getfixturevalue("disk_full")
    code, out, err = _run(capsys, *where, "status", "minerals-deal")
    assert code == 0 and out.startswith(TITLE)
    [line] = err.splitlines()
    assert "disk" in line and "is full" in line and "answering from the results stored" in line
    code, _, err = _run(capsys, *where, "ingest")
    assert code == 1
    [line] = err.splitlines()
    assert "is full" in line and "free some space" in line
    assert _integrity(db) == "ok"
    assert _run(capsys, *where, "status", "minerals-deal")[1].startswith(TITLE)


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs, or a skip where this machine does not let the tests mount one."""
    mount = tmp_path / "small"
    mount.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def fill(path: Path) -> None:
    """Write zeros to ``path`` until the disk is full."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(handle, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(handle)


def _dispatch(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "--engine", "extractive", *argv],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )


def test_a_real_full_disk_reads_answer_and_ingest_fails_cleanly(
    seeds_dir: Path, tmp_path: Path, tmpfs: Path
) -> None:
    where = ["--corpus", str(seeds_dir), "--db", str(tmpfs / "d.db")]
    assert _dispatch(tmp_path, *where, "ingest").returncode == 0
    fill(tmpfs / "filler")
    (seeds_dir / "new.txt").write_text(NEW, encoding="utf-8")
    status = _dispatch(tmp_path, *where, "status", "minerals-deal")
    assert status.returncode == 0, status.stderr
    assert status.stdout.startswith(TITLE)
    [line] = status.stderr.splitlines()
    assert "is full" in line and "answering from the results stored" in line
    ingest = _dispatch(tmp_path, *where, "ingest")
    assert ingest.returncode == 1 and "Traceback" not in ingest.stderr
    assert "is full" in ingest.stderr.splitlines()[-1]
    (tmpfs / "filler").unlink()
    assert _integrity(tmpfs / "d.db") == "ok"
    again = _dispatch(tmp_path, *where, "status", "minerals-deal")
    assert again.returncode == 0 and "as of 2025-03-07 · 4 sources" in again.stdout
