"""A bad --db gets one clear line and an exit code; the user's file is never changed."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main


def _status(seeds_dir: Path, db: Path | str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["status", "minerals-deal", "--corpus", str(seeds_dir), "--db", str(db)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, err


def test_a_folder_as_the_database_is_a_usage_error(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _status(seeds_dir, tmp_path, capsys)
    assert (
        code == 2
        and err == f"dispatch: The database path {tmp_path} is a folder: give a file name\n"
    )


def test_a_database_under_a_file_is_a_usage_error(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    code, err = _status(seeds_dir, tmp_path / "plain" / "x.db", capsys)
    assert code == 2 and "a part of it is a file" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "content",
    [os.urandom(20_000), b"Just some notes I keep.\n" * 50],
    ids=["random bytes", "text file"],
)
def test_a_file_that_is_not_a_database_is_left_untouched(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    db = tmp_path / "mine.db"
    db.write_bytes(content)
    code, err = _status(seeds_dir, db, capsys)
    assert code == 1 and err.count("\n") == 1
    assert "not a usable Dispatch database" in err and "left untouched" in err
    assert db.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("mine")) == ["mine.db"]


def test_another_programs_sqlite_database_is_not_written_to(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "places.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE bookmarks (url TEXT)")
    before = db.read_bytes()
    code, err = _status(seeds_dir, db, capsys)
    assert code == 1 and "another program's SQLite database (tables: bookmarks)" in err
    assert db.read_bytes() == before


def test_a_database_damaged_inside_gives_one_line(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.service import Dispatch
    from bot.settings import Settings

    db = tmp_path / "cli.db"
    service = Dispatch(Settings(corpus=[seeds_dir], db=db, engine="extractive"))
    service.refresh()
    service.close()
    size = db.stat().st_size
    assert size > 40_000
    with db.open("r+b") as handle:  # keep the header and the schema page, break the rest
        handle.seek(8192)
        handle.write(os.urandom(size - 8192))
    code, err = _status(seeds_dir, db, capsys)
    assert code == 1 and err.count("\n") == 1
    assert "damaged" in err or "not a usable Dispatch database" in err
