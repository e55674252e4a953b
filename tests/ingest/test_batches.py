"""Ingest writes files in batches: the same outcomes as one file per transaction, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest import pipeline
from bot.ingest.pipeline import Ingestor
from bot.store import Store

pytestmark = pytest.mark.backends

COUNT = 150  # more than FEW_FILES (batching on) and than two batches


def _article(i: int) -> str:
    return (
        f" date 2025-02-{1 + i % 28:02} Council note {i}\n\n"
        f"Council {i} met about road {i * 7} and budget line {i * 13}. "
        f"Member {i} voted for item {i * 3} on Tuesday.\n"
    )


def _corpus(folder: Path) -> None:
    for i in range(COUNT):
        (folder / f"n{i:03}.txt").write_text(_article(i), encoding="utf-8")


def _consistent(store: Store) -> None:
    """Every source is held by a file, every sentence by a source, and FTS matches sentences."""
    one = store.db.one
    assert one("SELECT COUNT(*) FROM sources WHERE id NOT IN (SELECT source_id FROM files"
               " WHERE source_id IS NOT NULL)")[0] == 0  # fmt: skip
    assert (
        one("SELECT COUNT(*) FROM sentences WHERE source_id NOT IN (SELECT id FROM sources)")[0]
        == 0
    )
    assert one("SELECT COUNT(*) FROM sentences")[0] == one("SELECT COUNT(*) FROM sentences_fts")[0]


def test_a_batch_finds_duplicates_and_copies_of_files_in_the_same_batch_and_rejects_a_bad_one(
    ingestor: Ingestor, store: Store, corpus: Path
) -> None:
    _corpus(corpus)
    (corpus / "n010_copy.txt").write_text(_article(10), encoding="utf-8")  # same batch as n010
    (corpus / "n020_bad.txt").write_bytes(b"\x00\x01binary")  # in the middle of a batch
    near = _article(30).replace("Tuesday", "Tuesday evening")
    (corpus / "n030_near.txt").write_text(near, encoding="utf-8")
    report = ingestor.ingest_folders([corpus])
    outcomes = {Path(o.name).name: o.outcome for o in report.outcomes}
    assert outcomes["n010_copy.txt"] == "duplicate"
    assert outcomes["n020_bad.txt"] == "rejected"
    assert outcomes["n030_near.txt"] in ("republished", "added")
    assert report.count("added") + report.count("republished") == COUNT + 1
    assert store.sources.count() == COUNT + 1
    assert len(store.sources.files()) == COUNT + 3
    _consistent(store)
    hits = store.sources.search('"budget" OR "line"', limit=500)
    assert {s.source_id for s, _ in hits} == set(store.sources.ids())
    again = Ingestor(store, ingestor.settings, ingestor.clock).ingest_folders([corpus])
    assert not again.changed


def test_an_edited_file_and_a_new_file_holding_its_old_text_in_one_batch(
    ingestor: Ingestor, store: Store, corpus: Path
) -> None:
    _corpus(corpus)
    ingestor.ingest_folders([corpus])
    old = store.sources.files()[str(corpus / "n005.txt")].source_id
    (corpus / "n005.txt").write_text(_article(5) + "\nA late addition.\n", encoding="utf-8")
    for i in range(COUNT, COUNT + 60):  # enough changed files for batching to be on
        (corpus / f"n{i:03}.txt").write_text(_article(i), encoding="utf-8")
    (corpus / "n999.txt").write_text(_article(5), encoding="utf-8")  # n005's old text
    report = Ingestor(store, ingestor.settings, ingestor.clock).ingest_folders([corpus])
    outcomes = {Path(o.name).name: o.outcome for o in report.outcomes}
    assert outcomes["n005.txt"] == "updated"
    assert store.sources.files()[str(corpus / "n999.txt")].source_id == old
    assert store.sources.get(old) is not None  # still held by n999: not dropped as an orphan
    _consistent(store)


def test_a_write_refused_mid_batch_keeps_earlier_batches_and_nothing_partial(
    ingestor: Ingestor, store: Store, corpus: Path, backend: str
) -> None:
    _corpus(corpus)
    _refuse(store, backend, "Council note 100")  # in the second batch
    with pytest.raises(Exception, match="refused"):
        ingestor.ingest_folders([corpus])
    stored = store.sources.count()
    assert stored == pipeline.BATCH  # the first batch, whole; nothing of the second
    assert len(store.sources.files()) == pipeline.BATCH
    _consistent(store)
    _allow(store, backend)
    report = Ingestor(store, ingestor.settings, ingestor.clock).ingest_folders([corpus])
    assert report.count("added") == COUNT - pipeline.BATCH
    assert store.sources.count() == COUNT
    _consistent(store)


def _refuse(store: Store, backend: str, title: str) -> None:
    """Make the database itself refuse to store a source with this title (a trigger)."""
    with store.db.transaction() as cur:
        if backend == "sqlite":
            cur.execute(
                "CREATE TRIGGER refuse BEFORE INSERT ON sources"
                f" WHEN NEW.title = '{title}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
            return
        cur.execute(
            "CREATE FUNCTION refuse_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            f" IF NEW.title = '{title}' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$"
        )
        cur.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON sources FOR EACH ROW EXECUTE FUNCTION refuse_fn()"
        )


def _allow(store: Store, backend: str) -> None:
    with store.db.transaction() as cur:
        cur.execute("DROP TRIGGER refuse" + ("" if backend == "sqlite" else " ON sources"))
