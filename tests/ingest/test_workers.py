"""A large pass prepared in worker processes stores exactly what the serial pass stores."""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.ingest import prepare, workers
from bot.ingest.parse import ParsedArticle
from bot.ingest.pipeline import Ingestor
from bot.models import IngestReport
from bot.settings import Settings
from bot.store import Store
from tests.conftest import Clock
from tests.ingest.conftest import DRIFT, MESSY

MIN_FILES = 8  # the threshold for this test's small folders (200 in use)


def _article(i: int) -> str:
    return (
        f" date 2025-02-{1 + i % 28:02} Council note {i}\n\n"
        f"Council {i} met about road {i * 7} and budget line {i * 13} on Tuesday. "
        f"Member {i} said on Monday that item {i * 3} would be signed next week, "
        f"as agreed in January.\n"
    )


def _corpus(folder: Path) -> None:
    """Articles, their duplicates and near-copies, messy files (binary, empty, Latin-1, HTML)."""
    for i in range(40):
        (folder / f"n{i:03}.txt").write_text(_article(i), encoding="utf-8")
    (folder / "n010_copy.txt").write_text(_article(10), encoding="utf-8")
    near = _article(20).replace("Tuesday", "Tuesday evening")
    (folder / "n020_near.txt").write_text(near, encoding="utf-8")
    shutil.copytree(MESSY, folder / "messy")
    shutil.copytree(DRIFT, folder / "drift")


def _edit(folder: Path) -> None:
    """Every kind of change a second pass meets."""
    with (folder / "n001.txt").open("a", encoding="utf-8") as f:
        f.write("A late addition said on Friday that talks went on.\n")
    (folder / "n002.txt").unlink()
    (folder / "n003.txt").rename(folder / "n003_moved.txt")
    (folder / "n004.txt").write_bytes(b"\x00\x01\x02 binary now")  # keeps its old source
    stat = (folder / "n005.txt").stat()  # touched: same content, a new mtime
    os.utime(folder / "n005.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    (folder / "n006_again.txt").write_text(_article(6), encoding="utf-8")
    (folder / "n007_near.txt").write_text(_article(7).replace("budget", "the budget"))
    for i in range(40, 52):
        (folder / f"n{i:03}.txt").write_text(_article(i), encoding="utf-8")


def _rows(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row the ingest writes, in a stable order."""
    out = {}
    for table in ("sources", "sentences", "files", "forgotten"):
        rows = [tuple(r) for r in store.db.query(f"SELECT * FROM {table}")]
        out[table] = sorted(rows, key=repr)
    out["search"] = sorted(
        (tuple(r) for r in store.db.query("SELECT text, source_id, idx FROM sentences_fts")),
        key=repr,
    )
    return out


def _told(report: IngestReport) -> list[tuple[str, str, str, str | None]]:
    return [(o.name, o.outcome, o.reason, o.source_id) for o in report.outcomes]


@pytest.fixture
def other(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A second fresh store on the same backend."""
    if backend == "sqlite":
        db = Store(tmp_path / "other.db")
        yield db
        db.close()
        return
    server = request.getfixturevalue("pg_server")
    url = server.new_database()
    db = Store(url)
    yield db
    db.close()
    from bot.store.pg import close_all

    close_all()
    server.drop(url)


@pytest.fixture
def pooled(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Passes of more than ``MIN_FILES`` changed files use workers; how many files each had."""
    monkeypatch.setattr(workers, "PARALLEL_MIN_FILES", MIN_FILES)
    calls: list[int] = []
    real = workers.prepared

    def counted(tasks: list[prepare.Task], count: int) -> Iterator[prepare.Prepared]:
        calls.append(len(tasks))
        return real(tasks, count)

    monkeypatch.setattr(workers, "prepared", counted)
    return calls


def _ingestors(store: Store, other: Store, clock: Clock) -> tuple[Ingestor, Ingestor]:
    serial = Ingestor(store, Settings(ingest_workers=1), clock)
    return serial, Ingestor(other, Settings(ingest_workers=2), clock)


@pytest.mark.backends
def test_workers_store_what_the_serial_pass_stores_first_pass_and_after_edits(
    store: Store, other: Store, clock: Clock, corpus: Path, pooled: list[int]
) -> None:
    _corpus(corpus)
    serial, parallel = _ingestors(store, other, clock)
    one, two = serial.ingest_folders([corpus]), parallel.ingest_folders([corpus])
    assert len(pooled) == 1 and pooled[0] == len(one.outcomes)  # only the parallel pass
    assert _told(one) == _told(two)
    assert {"added", "duplicate", "republished", "rejected"} <= {o.outcome for o in one.outcomes}
    assert _rows(store) == _rows(other)
    _edit(corpus)
    clock.now = clock.now.replace(hour=13)
    one, two = serial.ingest_folders([corpus]), parallel.ingest_folders([corpus])
    assert len(pooled) == 2
    assert _told(one) == _told(two)
    kinds = {o.outcome for o in one.outcomes}
    assert {"added", "updated", "removed", "rejected", "unchanged", "duplicate"} <= kinds
    assert _rows(store) == _rows(other)


def test_a_small_pass_or_one_worker_stays_in_this_process(
    store: Store, clock: Clock, corpus: Path, pooled: list[int]
) -> None:
    for i in range(MIN_FILES):
        (corpus / f"n{i:03}.txt").write_text(_article(i), encoding="utf-8")
    Ingestor(store, Settings(ingest_workers=2), clock).ingest_folders([corpus])
    for i in range(MIN_FILES, 3 * MIN_FILES):
        (corpus / f"n{i:03}.txt").write_text(_article(i), encoding="utf-8")
    report = Ingestor(store, Settings(ingest_workers=1), clock).ingest_folders([corpus])
    assert report.count("added") == 2 * MIN_FILES
    assert pooled == []


def _fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers forked from this process, so they see this test's patches."""
    monkeypatch.setattr(workers, "_context", lambda: multiprocessing.get_context("fork"))


def test_a_parser_bug_in_a_worker_gives_the_serial_message(
    store: Store,
    other: Store,
    clock: Clock,
    corpus: Path,
    pooled: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _fork(monkeypatch)
    real_parse, real_sign = prepare.parse_document, prepare.signature

    def parse(raw: str, *, name: str, suffix: str, meta: object) -> ParsedArticle:
        if name == "n013.txt":
            raise RuntimeError("parser bug")
        return real_parse(raw, name=name, suffix=suffix, meta=meta)  # type: ignore[arg-type]

    def sign(text: str) -> object:
        if "Council 17 " in text:
            raise ZeroDivisionError("signature bug")
        return real_sign(text)

    monkeypatch.setattr(prepare, "parse_document", parse)
    monkeypatch.setattr(prepare, "signature", sign)
    _corpus(corpus)
    serial, parallel = _ingestors(store, other, clock)
    one, two = serial.ingest_folders([corpus]), parallel.ingest_folders([corpus])
    assert pooled
    reasons = {Path(o.name).name: o.reason for o in two.outcomes if o.outcome == "rejected"}
    assert reasons["n013.txt"] == "could not be parsed (RuntimeError)"
    assert reasons["n017.txt"] == "could not be parsed (ZeroDivisionError)"
    assert _told(one) == _told(two)
    assert _rows(store) == _rows(other)


def test_a_worker_that_dies_leaves_the_rest_of_the_pass_to_this_process(
    store: Store,
    other: Store,
    clock: Clock,
    corpus: Path,
    pooled: list[int],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _fork(monkeypatch)
    parent, real = os.getpid(), prepare.parse_document

    def parse(raw: str, *, name: str, suffix: str, meta: object) -> ParsedArticle:
        if name == "n030.txt" and os.getpid() != parent:
            os._exit(1)  # killed mid-file, as by the OOM killer
        return real(raw, name=name, suffix=suffix, meta=meta)  # type: ignore[arg-type]

    monkeypatch.setattr(prepare, "parse_document", parse)
    _corpus(corpus)
    serial, parallel = _ingestors(store, other, clock)
    one = serial.ingest_folders([corpus])
    with caplog.at_level(logging.WARNING, logger="bot.ingest.workers"):
        two = parallel.ingest_folders([corpus])
    assert pooled and "an ingest worker died" in caplog.text
    assert _told(one) == _told(two)
    assert _rows(store) == _rows(other)
    assert multiprocessing.active_children() == []


@pytest.mark.backends
def test_a_write_refused_mid_pass_stops_the_workers_and_keeps_earlier_batches(
    other: Store, clock: Clock, corpus: Path, pooled: list[int], backend: str
) -> None:
    from tests.ingest.test_batches import _allow, _refuse

    for i in range(150):
        (corpus / f"n{i:03}.txt").write_text(_article(i), encoding="utf-8")
    _refuse(other, backend, "Council note 100")  # in the second batch of 64
    parallel = Ingestor(other, Settings(ingest_workers=2), clock)
    with pytest.raises(Exception, match="refused"):
        parallel.ingest_folders([corpus])
    assert pooled
    assert multiprocessing.active_children() == []
    assert other.sources.count() == 64
    _allow(other, backend)
    report = Ingestor(other, Settings(ingest_workers=2), clock).ingest_folders([corpus])
    assert report.count("added") == 150 - 64
    assert other.sources.count() == 150


@pytest.mark.parametrize(
    ("setting", "cpus", "expected"), [(None, 8, 2), (None, 1, 1), (None, None, 1), (3, 8, 3)]
)
def test_worker_count(
    setting: int | None,
    cpus: int | None,
    expected: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    assert workers.worker_count(setting) == expected


@pytest.mark.parametrize(
    ("files", "count", "expected"), [(201, 2, True), (200, 2, False), (5000, 1, False)]
)
def test_only_a_large_pass_with_several_workers_uses_them(
    files: int, count: int, expected: bool
) -> None:
    assert workers.use_workers(files, count) is expected


def test_the_setting_reads_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPATCH_INGEST_WORKERS", "1")
    assert Settings().ingest_workers == 1
    monkeypatch.setenv("DISPATCH_INGEST_WORKERS", "0")
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        Settings()


CHILD = """
import sys
from pathlib import Path
from bot.clock import utcnow
from bot.ingest import workers
from bot.ingest.pipeline import Ingestor
from bot.settings import Settings
from bot.store import Store

workers.PARALLEL_MIN_FILES = 8
corpus, db = Path(sys.argv[1]), Path(sys.argv[2])
report = Ingestor(Store(db), Settings(ingest_workers=2), utcnow).ingest_folders([corpus])
print(report.count("added"))
"""


def _running(marker: str) -> list[int]:
    """The processes whose command line holds ``marker``."""
    out = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and marker in (proc / "cmdline").read_bytes().decode():
                out.append(int(proc.name))
        except OSError:
            continue
    return out


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
def test_an_ingest_killed_mid_pass_leaves_no_worker_behind_and_loses_nothing(
    tmp_path: Path, corpus: Path
) -> None:
    import subprocess
    import sys
    import time

    for i in range(40):
        (corpus / f"n{i:03}.txt").write_text(_article(i), encoding="utf-8")
    db = tmp_path / f"killed-{os.getpid()}.db"
    cmd = [sys.executable, "-c", CHILD, str(corpus), str(db)]
    env = {**os.environ, "DISPATCH_CRASH_AT": "store:batch-half-written"}
    root = Path(__file__).resolve().parents[2]
    killed = subprocess.run(cmd, env=env, cwd=root, capture_output=True, check=False)
    assert killed.returncode == -9
    deadline = time.monotonic() + 30  # a worker notices within PARENT_POLL_SECONDS
    while _running(str(db)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _running(str(db)) == []
    env.pop("DISPATCH_CRASH_AT")
    again = subprocess.run(cmd, env=env, cwd=root, capture_output=True, text=True, check=True)
    assert again.stdout.split()[-1] == "40"
    store = Store(db)
    assert store.sources.count() == 40 and len(store.sources.files()) == 40
    store.close()
