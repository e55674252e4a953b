"""Renamed, moved and deleted files: the stored sources follow the files, first-seen times stay."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

from bot.ingest.pipeline import Ingestor
from bot.store import Store
from tests.conftest import Clock
from tests.ingest.conftest import MESSY

ARTICLE = " date 2025-03-01 Talks resume\n\nNegotiators met in Riyadh on Friday. They agreed to meet again.\n"


def _report(report) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return sorted((Path(o.name).name, o.outcome, o.reason) for o in report.outcomes)


def test_a_renamed_file_keeps_its_source_and_first_seen(
    ingestor: Ingestor, store: Store, corpus: Path, clock: Clock
) -> None:
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    ingestor.ingest_folders([corpus])
    [before] = store.sources.all()
    clock.now += timedelta(days=1)
    (corpus / "sub").mkdir()
    (corpus / "a.txt").rename(corpus / "sub" / "b.txt")
    report = ingestor.ingest_folders([corpus])
    assert _report(report) == [("b.txt", "updated", f"moved from {corpus / 'a.txt'}")]
    [after] = store.sources.all()
    assert (after.id, after.first_seen) == (before.id, before.first_seen)
    assert after.path == str(corpus / "sub" / "b.txt")
    assert list(store.sources.files()) == [str(corpus / "sub" / "b.txt")]


def test_a_file_renamed_and_edited_is_its_new_version_not_a_copy_of_itself(
    ingestor: Ingestor, store: Store, corpus: Path
) -> None:
    text = (MESSY / "wire" / "wire_capitol_report.txt").read_text(encoding="utf-8")
    (corpus / "a.txt").write_text(text, encoding="utf-8")
    ingestor.ingest_folders([corpus])
    (corpus / "a.txt").unlink()
    (corpus / "b.txt").write_text(text.replace("Friday", "Thursday"), encoding="utf-8")
    report = ingestor.ingest_folders([corpus])
    assert _report(report) == [("b.txt", "updated", f"moved from {corpus / 'a.txt'}")]
    [source] = store.sources.all()
    assert (source.kind, source.original_id, source.path) == (
        "original",
        None,
        str(corpus / "b.txt"),
    )


def test_deleting_the_first_of_two_copies_points_the_source_at_the_other(
    ingestor: Ingestor, store: Store, corpus: Path
) -> None:
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "b.txt").write_text(ARTICLE, encoding="utf-8")
    ingestor.ingest_folders([corpus])
    (corpus / "a.txt").unlink()
    assert _report(ingestor.ingest_folders([corpus])) == [
        ("a.txt", "removed", ""),
        ("b.txt", "unchanged", ""),
    ]
    [source] = store.sources.all()
    assert source.path == str(corpus / "b.txt")


def test_deleting_an_original_makes_its_first_copy_the_original(
    ingestor: Ingestor, store: Store, corpus: Path
) -> None:
    shutil.copytree(MESSY / "wire", corpus / "wire")
    ingestor.ingest_folders([corpus])
    [original] = [s for s in store.sources.all() if s.kind == "original"]
    Path(original.path or "").unlink()
    ingestor.ingest_folders([corpus])
    sources = store.sources.all()
    [heir] = [s for s in sources if s.kind == "original"]
    [copy] = [s for s in sources if s.kind == "republished"]
    assert copy.original_id == heir.id and original.id not in {s.id for s in sources}
