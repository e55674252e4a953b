"""Quick passes for read commands: folder mtimes vouch for their files (``bot.ingest.scan``)."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.ingest import files as fs
from bot.ingest.pipeline import Ingestor
from bot.models import IngestReport
from bot.settings import Settings
from bot.store import Store
from tests.conftest import Clock

ARTICLE = " date 2025-03-01 Talks resume\n\nNegotiators met in Riyadh on Friday. They agreed to meet again.\n"
HOUR_AGO = time.time_ns() - 3600 * 10**9


def _settle(*folders: Path) -> None:
    """Date the folders' last change an hour back, long before any pass of this test."""
    for folder in folders:
        os.utime(folder, ns=(HOUR_AGO, HOUR_AGO))


def _outcomes(report: IngestReport) -> dict[str, str]:
    return {Path(o.name).name: o.outcome for o in report.outcomes}


@pytest.fixture
def stats(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every article file the ingest stats, in order."""
    seen: list[Path] = []
    real = fs._stat

    def counting(path: Path, **listed: bool | None) -> fs.Found:
        seen.append(path)
        return real(path, **listed)  # type: ignore[arg-type]

    monkeypatch.setattr(fs, "_stat", counting)
    return seen


@pytest.fixture
def corpus(seeds_dir: Path) -> Path:
    """The seeds plus one file that is rejected, settled after a full pass."""
    (seeds_dir / "sub").mkdir()
    (seeds_dir / "sub" / "talks.txt").write_text(ARTICLE, encoding="utf-8")
    (seeds_dir / "broken.txt").write_bytes(b"\x81\x8d\x8f\x90")
    _settle(seeds_dir, seeds_dir / "sub")
    return seeds_dir


def test_unchanged_tree_stats_no_file_and_reports_as_a_full_pass(
    ingestor: Ingestor, corpus: Path, stats: list[Path]
) -> None:
    ingestor.ingest_folders([corpus])
    stats.clear()
    quick = ingestor.ingest_folders([corpus], quick=True)
    assert stats == []
    full = ingestor.ingest_folders([corpus])
    assert len(stats) == 5
    assert sorted(quick.outcomes, key=str) == sorted(full.outcomes, key=str)
    assert _outcomes(quick)["broken.txt"] == "rejected" and not quick.changed


def _add(corpus: Path) -> tuple[str, str]:
    (corpus / "new.txt").write_text(ARTICLE.replace("Friday", "Monday"), encoding="utf-8")
    return "new.txt", "added"


def _add_below(corpus: Path) -> tuple[str, str]:
    (corpus / "sub" / "new.txt").write_text(ARTICLE.replace("Friday", "Monday"), "utf-8")
    return "new.txt", "added"


def _add_folder(corpus: Path) -> tuple[str, str]:
    (corpus / "deeper").mkdir()
    (corpus / "deeper" / "new.txt").write_text(ARTICLE.replace("Friday", "Monday"), "utf-8")
    return "new.txt", "added"


def _remove(corpus: Path) -> tuple[str, str]:
    (corpus / "sub" / "talks.txt").unlink()
    return "talks.txt", "removed"


def _move(corpus: Path) -> tuple[str, str]:
    (corpus / "sub" / "talks.txt").rename(corpus / "new.txt")
    return "new.txt", "updated"


def _add_sidecar(corpus: Path) -> tuple[str, str]:
    (corpus / "sub" / "talks.txt.meta.toml").write_text('outlet = "Wire"\n', encoding="utf-8")
    return "talks.txt", "updated"


@pytest.mark.parametrize("change", [_add, _add_below, _add_folder, _remove, _move, _add_sidecar])
def test_a_file_added_removed_or_renamed_is_seen_by_the_quick_pass(
    ingestor: Ingestor, corpus: Path, change: Callable[[Path], tuple[str, str]]
) -> None:
    ingestor.ingest_folders([corpus])
    name, expected = change(corpus)
    assert _outcomes(ingestor.ingest_folders([corpus], quick=True))[name] == expected


def test_an_edit_in_place_waits_for_the_full_pass(
    ingestor: Ingestor, store: Store, corpus: Path
) -> None:
    ingestor.ingest_folders([corpus])
    path = corpus / "sub" / "talks.txt"
    path.write_text(ARTICLE.replace("Talks resume", "Talks collapse"), encoding="utf-8")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert _outcomes(ingestor.ingest_folders([corpus], quick=True))["talks.txt"] == "unchanged"
    assert "Talks resume" in {s.title for s in store.sources.all()}
    assert _outcomes(ingestor.ingest_folders([corpus]))["talks.txt"] == "updated"
    assert "Talks collapse" in {s.title for s in store.sources.all()}


def test_a_folder_changed_just_before_the_pass_is_walked_again(
    ingestor: Ingestor, tmp_path: Path
) -> None:
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "talks.txt").write_text(ARTICLE, encoding="utf-8")
    ingestor.ingest_folders([fresh])
    before = fresh.stat().st_mtime_ns
    (fresh / "new.txt").write_text(ARTICLE.replace("Friday", "Monday"), encoding="utf-8")
    os.utime(fresh, ns=(before, before))  # a coarse clock: the folder's mtime did not move
    assert _outcomes(ingestor.ingest_folders([fresh], quick=True))["new.txt"] == "added"


def test_allowing_outside_links_is_a_full_pass(
    store: Store, clock: Clock, corpus: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text(ARTICLE.replace("Friday", "Sunday"), encoding="utf-8")
    (corpus / "link.txt").symlink_to(outside)
    _settle(corpus)
    Ingestor(store, Settings(), clock).ingest_folders([corpus])
    allowing = Ingestor(store, Settings(follow_outside_links=True), clock)
    assert _outcomes(allowing.ingest_folders([corpus], quick=True))["link.txt"] == "added"


def test_another_corpus_folder_is_a_full_pass(
    ingestor: Ingestor, corpus: Path, tmp_path: Path
) -> None:
    ingestor.ingest_folders([corpus])
    other = tmp_path / "other"
    other.mkdir()
    (other / "new.txt").write_text(ARTICLE.replace("Friday", "Monday"), encoding="utf-8")
    _settle(other)
    report = ingestor.ingest_folders([corpus, other], quick=True)
    assert _outcomes(report)["new.txt"] == "added"


def test_a_vanished_folder_is_reported_by_every_quick_pass(
    ingestor: Ingestor, corpus: Path
) -> None:
    ingestor.ingest_folders([corpus])
    shutil.rmtree(corpus / "sub")
    for path in corpus.glob("*.txt"):
        path.unlink()
    _settle(corpus)
    assert ingestor.ingest_folders([corpus]).vanished
    for _ in range(2):
        assert ingestor.ingest_folders([corpus], quick=True).vanished == {str(corpus): 4}


def test_a_corpus_folder_that_appears_after_the_pass_is_walked(
    ingestor: Ingestor, corpus: Path, tmp_path: Path
) -> None:
    later = tmp_path / "later"
    ingestor.ingest_folders([corpus, later])  # not there yet (an unmounted share)
    later.mkdir()
    (later / "new.txt").write_text(ARTICLE.replace("Friday", "Monday"), encoding="utf-8")
    _settle(later)
    assert _outcomes(ingestor.ingest_folders([corpus, later], quick=True))["new.txt"] == "added"
