"""Two dispatch processes on one database: one writer at a time, readers answer meanwhile."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.service import Dispatch
from bot.settings import Settings
from bot.store.db import StoreBusy
from tests.conftest import T0, StalledRecompute


def _service(seeds_dir: Path, db: Path) -> Dispatch:
    return Dispatch(Settings(corpus=[seeds_dir], db=db, engine="extractive"))


def test_a_second_writer_is_told_the_database_is_busy(seeds_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    first, second = _service(seeds_dir, db), _service(seeds_dir, db)
    try:
        with first.store.db.writer():  # another process ingesting (a separate lock handle)
            with pytest.raises(StoreBusy):
                second.refresh(wait=False)
            assert second.store.sources.count() == 0
        report = second.refresh(wait=False)
        assert sorted({o.outcome for o in report.outcomes}) == ["added"]
    finally:
        first.close()
        second.close()


def test_a_waiting_writer_goes_on_when_the_other_finishes(seeds_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    first, second = _service(seeds_dir, db), _service(seeds_dir, db)
    outcomes: list[str] = []
    try:
        with first.store.db.writer():
            worker = threading.Thread(
                target=lambda: outcomes.extend(o.outcome for o in second.refresh().outcomes)
            )
            worker.start()
            worker.join(0.3)
            assert worker.is_alive() and not outcomes  # waiting, not writing
            first.refresh()  # the first process reads the corpus meanwhile
        worker.join(10)
        assert set(outcomes) == {"unchanged"}  # nothing read twice, nothing a "duplicate"
    finally:
        first.close()
        second.close()


def test_status_answers_from_stored_results_while_another_process_writes(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "shared.db"
    writer = _service(seeds_dir, db)
    writer.refresh()
    (seeds_dir / "new.txt").write_text(
        " date 2025-03-07 Deal signed\n\nUkraine signed the minerals deal on Friday.\n",
        encoding="utf-8",
    )
    try:
        with writer.store.db.writer():
            code = main(["status", "minerals-deal", "--corpus", str(seeds_dir), "--db", str(db)])
    finally:
        writer.close()
    out, err = capsys.readouterr()
    assert code == 0 and out.startswith("US–Ukraine minerals deal — as of 2025-03-05")
    assert "answering from the results stored before it started" in err
    assert "added" not in err


def test_reads_succeed_while_a_long_write_transaction_is_open(
    seeds_dir: Path, tmp_path: Path
) -> None:
    db = tmp_path / "shared.db"
    writer = _service(seeds_dir, db)
    writer.refresh()
    command = [sys.executable, "-m", "bot", "--corpus", str(seeds_dir), "--db", str(db)]
    try:  # an ingest in the middle of a long write: the lock file and SQLite's write lock held
        with writer.store.db.writer(), writer.store.db.transaction() as cur:
            cur.execute("INSERT INTO meta(key, value) VALUES ('long-write', 'open')")
            readers = [
                subprocess.Popen(
                    [*command, "status", "minerals-deal"],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    cwd=tmp_path,
                )
                for _ in range(4)
            ]
            answers = [(*r.communicate(timeout=120), r.returncode) for r in readers]
    finally:
        writer.close()
    for out, err, code in answers:
        assert code == 0, err
        assert out.startswith("US–Ukraine minerals deal — as of 2025-03-05 · 3 sources")
        assert "locked" not in err


def test_reads_complete_while_a_recompute_is_blocked_inside_the_write_connection(
    seeded: Dispatch,
) -> None:
    """Status, timeline, digest and ask answer from the results stored before, from other
    threads, while the bot's re-ingest is stopped inside its results transaction."""
    before = seeded.status("minerals-deal")
    with StalledRecompute(seeded) as recompute:
        answers = [
            seeded.status("minerals-deal"),
            seeded.timeline("minerals-deal"),
            *seeded.digest(T0 - timedelta(days=400)),
            seeded.ask("What did Bessent say about the minerals deal?"),
        ]
        stopped = recompute.stopped
    assert stopped, "the reads waited for the recompute"
    assert all(a.statements for a in answers) and len(answers) >= 4
    assert answers[0] == before
