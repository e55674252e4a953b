"""A corpus folder that vanishes (unmounted, emptied, unreadable) loses nothing; a file that
comes back unchanged keeps the time it was first seen."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.ingest.pipeline import Ingestor
from bot.store import Store
from tests.conftest import Clock


def _run(
    capsys: pytest.CaptureFixture[str], folder: Path, db: Path, *argv: str
) -> tuple[int, str, str]:
    code = main(["--corpus", str(folder), "--db", str(db), *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("how", ["emptied", "removed"])
def test_a_vanished_folder_keeps_its_sources_and_says_so(
    how: str, seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "v.db"
    assert _run(capsys, seeds_dir, db, "ingest")[0] == 0
    away = shutil.move(seeds_dir, tmp_path / "away")
    if how == "emptied":
        seeds_dir.mkdir()  # an unmounted share leaves its empty mount point
    code, _, err = _run(capsys, seeds_dir, db, "ingest")
    assert code == 0, err
    assert f"ingest: corpus folder {seeds_dir} is missing or empty: kept 3 sources" in err
    assert "removed" not in err
    code, out, err = _run(capsys, seeds_dir, db, "status", "minerals-deal")
    assert code == 0, err
    assert out.startswith("US–Ukraine minerals deal — as of 2025-03-05 · 3 sources")
    store = Store(db)
    try:
        assert store.sources.count() == 3
        assert all(f.missing_since for f in store.sources.files().values())
    finally:
        store.close()
    if how == "emptied":
        seeds_dir.rmdir()
    shutil.move(away, seeds_dir)
    code, _, err = _run(capsys, seeds_dir, db, "ingest")
    assert code == 0 and "ingest: 3 unchanged" in err and "missing" not in err
    store = Store(db)
    try:
        assert not any(f.missing_since for f in store.sources.files().values())
    finally:
        store.close()


def test_a_folder_that_never_held_files_is_still_a_typo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, tmp_path / "seedz", tmp_path / "t.db", "ingest")
    assert code == 2 and err.strip().endswith(f"Corpus folder not found: {tmp_path / 'seedz'}")


def test_deleting_files_one_at_a_time_still_removes_them(
    ingestor: Ingestor, store: Store, seeds_dir: Path
) -> None:
    ingestor.ingest_folders([seeds_dir])
    files = sorted(seeds_dir.glob("*.txt"))
    for path in files[:-1]:
        path.unlink()
    report = ingestor.ingest_folders([seeds_dir])
    assert report.count("removed") == 2 and not report.vanished
    files[-1].unlink()  # the last one alone: an ordinary delete
    assert ingestor.ingest_folders([seeds_dir]).count("removed") == 1
    assert store.sources.count() == 0


def test_a_file_restored_unchanged_keeps_its_first_seen_times(
    ingestor: Ingestor, store: Store, seeds_dir: Path, clock: Clock
) -> None:
    ingestor.ingest_folders([seeds_dir])
    before = {s.id: s.first_seen for s in store.sources.all()}
    path = seeds_dir / "000_73d30c671a85fbfc.txt"
    kept = path.read_bytes()
    path.unlink()
    assert ingestor.ingest_folders([seeds_dir]).count("removed") == 1
    clock.now += timedelta(days=2)
    path.write_bytes(kept)
    [added] = [o for o in ingestor.ingest_folders([seeds_dir]).outcomes if o.outcome == "added"]
    assert {s.id: s.first_seen for s in store.sources.all()} == before
    assert added.source_id in before


def test_only_the_vanished_folder_is_kept_and_its_topics_stay(
    make_service: object, seeds_dir: Path, tmp_path: Path
) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "topics.toml").write_text(
        '[[topic]]\nslug = "jeddah-talks"\nkeywords = ["Jeddah"]\n', encoding="utf-8"
    )
    for n in (1, 2):
        (extra / f"j{n}.txt").write_text(
            f" date 2025-03-1{n} Jeddah talks day {n}\n\nDelegates met in Jeddah on day {n}.\n",
            encoding="utf-8",
        )
    service = make_service(seeds_dir, extra)  # type: ignore[operator]
    service.refresh()
    slugs = [t.slug for t in service.topic_list()]
    assert "jeddah-talks" in slugs
    shutil.rmtree(extra)
    (seeds_dir / "000_73d30c671a85fbfc.txt").unlink()  # an ordinary delete in the other folder
    report = service.refresh()
    assert report.notices() == [f"corpus folder {extra} is missing or empty: kept 2 sources"]
    assert report.count("removed") == 1
    assert [t.slug for t in service.topic_list()] == slugs
    assert service.store.sources.count() == 4
