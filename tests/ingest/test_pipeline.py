"""Incremental ingest: outcomes per file, idempotence, dedupe, rejection without data loss."""

from __future__ import annotations

import os
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.ingest.parse import ParsedArticle
from bot.ingest.pipeline import Ingestor
from bot.settings import Settings
from bot.store import Store
from tests.conftest import Clock
from tests.ingest.conftest import DRIFT, MESSY

pytestmark = pytest.mark.backends


def _outcomes(report) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {Path(o.name).name: o.outcome for o in report.outcomes}


def _write(path: Path, text: str, bump_ns: int = 0) -> None:
    path.write_text(text, encoding="utf-8")
    if bump_ns:  # make sure the mtime moves even on coarse filesystem clocks
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + bump_ns))


ARTICLE = " date 2025-03-01 Talks resume\n\nNegotiators met in Riyadh on Friday. They agreed to meet again.\n"


def test_seeds_first_run_then_idempotent(ingestor: Ingestor, store: Store, seeds_dir: Path) -> None:
    first = ingestor.ingest_folders([seeds_dir])
    assert set(_outcomes(first).values()) == {"added"} and len(first.outcomes) == 3
    assert store.meta_get("corpus_version") == "1"
    second = ingestor.ingest_folders([seeds_dir])
    assert set(_outcomes(second).values()) == {"unchanged"}
    assert not second.changed
    assert store.meta_get("corpus_version") == "1"
    assert store.sources.count() == 3


def test_paths_are_as_given(
    ingestor: Ingestor, store: Store, seeds_dir: Path, tmp_path: Path
) -> None:
    ingestor.ingest_folders([Path("seeds")])  # tests run in tmp_path, which holds the copy
    paths = sorted(s.path or "" for s in store.sources.all())
    assert paths == [f"seeds{os.sep}{p.name}" for p in sorted(seeds_dir.glob("*.txt"))]


def test_sentence_spans_match_text(ingestor: Ingestor, store: Store, seeds_dir: Path) -> None:
    shutil.copytree(MESSY, seeds_dir / "messy")
    ingestor.ingest_folders([seeds_dir])
    sentences = store.sources.all_sentences()
    for source in store.sources.all():
        assert sentences[source.id], source.path
        for s in sentences[source.id]:
            assert source.text[s.start : s.end] == s.text


def _norm(text: str) -> str:
    text = text.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))
    return re.sub(r"\s+", " ", text)


def test_every_seed_sentence_is_verbatim_in_the_raw_file(
    ingestor: Ingestor, store: Store, seeds_dir: Path
) -> None:
    ingestor.ingest_folders([seeds_dir])
    sentences = store.sources.all_sentences()
    for source in store.sources.all():
        raw = _norm((seeds_dir / Path(source.path or "").name).read_text(encoding="utf-8"))
        for s in sentences[source.id]:
            assert _norm(s.text) in raw, s.text


def test_seed_sentences_carry_event_dates(
    ingestor: Ingestor, store: Store, seeds_dir: Path
) -> None:
    ingestor.ingest_folders([seeds_dir])
    dated = {
        s.text[:30]: (s.date, s.date_precision)
        for ss in store.sources.all_sentences().values()
        for s in ss
    }
    assert dated["And Treasury Secretary Scott B"] == (date(2025, 3, 2), "day")
    assert dated["Officials said the signing cer"] == (date(2025, 2, 26), "day")
    assert dated["White House press secretary Ka"] == (date(2025, 3, 5), "day")


def test_touched_file_is_unchanged_and_keeps_first_seen(
    ingestor: Ingestor, store: Store, corpus: Path, clock: Clock
) -> None:
    path = corpus / "a.txt"
    _write(path, ARTICLE)
    ingestor.ingest_folders([corpus])
    first_seen = store.sources.all()[0].first_seen
    assert first_seen == clock.now
    clock.now += timedelta(days=1)
    _write(path, ARTICLE, bump_ns=5_000_000_000)
    report = ingestor.ingest_folders([corpus])
    assert _outcomes(report) == {"a.txt": "unchanged"}
    assert store.sources.all()[0].first_seen == first_seen
    assert store.meta_get("corpus_version") == "1"


def test_changed_file_replaces_its_old_source(
    ingestor: Ingestor, store: Store, corpus: Path, clock: Clock
) -> None:
    path = corpus / "a.txt"
    _write(path, ARTICLE)
    ingestor.ingest_folders([corpus])
    old_id = store.sources.all()[0].id
    clock.now += timedelta(hours=3)
    _write(path, ARTICLE.replace("again", "again next month"), bump_ns=5_000_000_000)
    report = ingestor.ingest_folders([corpus])
    assert _outcomes(report) == {"a.txt": "updated"}
    [source] = store.sources.all()
    assert source.id != old_id and store.sources.get(old_id) is None
    assert store.sources.sentences(old_id) == []
    assert source.first_seen == clock.now
    assert store.meta_get("corpus_version") == "2"


def test_sidecar_change_updates_metadata_keeping_id(
    ingestor: Ingestor, store: Store, corpus: Path, clock: Clock
) -> None:
    path = corpus / "a.txt"
    _write(path, ARTICLE)
    ingestor.ingest_folders([corpus])
    before = store.sources.all()[0]
    clock.now += timedelta(hours=1)
    (corpus / "a.txt.meta.toml").write_text(
        'outlet = "Desk"\ndate = 2025-03-02\n', encoding="utf-8"
    )
    assert _outcomes(ingestor.ingest_folders([corpus])) == {"a.txt": "updated"}
    after = store.sources.all()[0]
    assert (after.id, after.first_seen) == (before.id, before.first_seen)
    assert (after.outlet, after.published.isoformat() if after.published else None) == (
        "Desk",
        "2025-03-02",
    )


def test_duplicates_are_recorded_not_stored_twice(
    ingestor: Ingestor, store: Store, corpus: Path
) -> None:
    _write(corpus / "a.txt", ARTICLE)
    _write(corpus / "b.txt", ARTICLE)  # byte-identical
    _write(
        corpus / "c.txt", ARTICLE.replace(" met ", "   met\n").replace("Negotiators", "NEGOTIATORS")
    )  # same normalised text
    report = ingestor.ingest_folders([corpus])
    assert _outcomes(report) == {"a.txt": "added", "b.txt": "duplicate", "c.txt": "duplicate"}
    assert store.sources.count() == 1
    ids = {o.source_id for o in report.outcomes}
    assert len(ids) == 1
    assert report.outcomes[1].reason == f"same text as {corpus / 'a.txt'}"


def test_duplicate_survives_deleting_the_first_copy(
    ingestor: Ingestor, store: Store, corpus: Path
) -> None:
    _write(corpus / "a.txt", ARTICLE)
    _write(corpus / "b.txt", ARTICLE)
    ingestor.ingest_folders([corpus])
    (corpus / "a.txt").unlink()
    report = ingestor.ingest_folders([corpus])
    assert _outcomes(report) == {"a.txt": "removed", "b.txt": "unchanged"}
    assert store.sources.count() == 1


def test_wire_copies_one_original_two_republished(
    ingestor: Ingestor, store: Store, corpus: Path
) -> None:
    shutil.copytree(MESSY / "wire", corpus / "wire")
    report = ingestor.ingest_folders([corpus])
    outcomes = sorted(_outcomes(report).values())
    assert outcomes == ["added", "republished", "republished"]
    sources = store.sources.all()
    [original] = [s for s in sources if s.kind == "original"]
    copies = [s for s in sources if s.kind == "republished"]
    assert len(copies) == 2 and all(c.original_id == original.id for c in copies)
    assert len({s.outlet for s in sources}) == 3
    for o in report.outcomes:
        if o.outcome == "republished":
            assert o.reason.startswith(f"near-copy of {original.path} (") and o.reason.endswith(
                "% similar)"
            )


def test_related_but_distinct_articles_are_not_republished(
    ingestor: Ingestor, corpus: Path
) -> None:
    shutil.copytree(DRIFT, corpus / "drift")
    report = ingestor.ingest_folders([corpus])
    assert set(_outcomes(report).values()) == {"added"} and len(report.outcomes) == 8


def test_bad_files_are_rejected_with_reasons_and_the_rest_go_on(
    store: Store, clock: Clock, corpus: Path
) -> None:
    for name in ("empty.txt", "binary.txt", "latin1.txt", "no_date.txt"):
        shutil.copy(MESSY / name, corpus / name)
    (corpus / "huge.txt").write_text("Word after word. " * 400, encoding="utf-8")
    (corpus / "blank.md").write_text("\n   \n\t\n", encoding="utf-8")
    (corpus / "only_boilerplate.txt").write_text(
        "Share this article\nAdvertisement\n", encoding="utf-8"
    )
    (corpus / "bad_meta.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "bad_meta.txt.meta.toml").write_text("title = \n", encoding="utf-8")
    ingestor = Ingestor(store, Settings(max_article_bytes=5000), clock)
    report = ingestor.ingest_folders([corpus])
    reasons = {Path(o.name).name: (o.outcome, o.reason) for o in report.outcomes}
    assert reasons["no_date.txt"] == ("added", "")
    assert reasons["empty.txt"] == ("rejected", "empty")
    assert reasons["blank.md"] == ("rejected", "empty")
    assert reasons["binary.txt"] == ("rejected", "binary file (NUL bytes)")
    assert reasons["latin1.txt"] == ("added", "read as Windows-1252 (not UTF-8)")
    assert reasons["huge.txt"][0] == "rejected" and reasons["huge.txt"][1].startswith("too large")
    assert reasons["only_boilerplate.txt"] == ("rejected", "no sentences")
    assert (
        reasons["bad_meta.txt"][0] == "rejected"
        and "bad_meta.txt.meta.toml" in reasons["bad_meta.txt"][1]
    )
    assert store.sources.count() == 2
    again = ingestor.ingest_folders([corpus])  # still reported, from a stat only
    again_reasons = {Path(o.name).name: (o.outcome, o.reason) for o in again.outcomes}
    assert again_reasons == {
        k: v if v[0] == "rejected" else ("unchanged", "") for k, v in reasons.items()
    }
    assert store.meta_get("corpus_version") == "1"


def test_default_size_cap_is_five_megabytes(ingestor: Ingestor, corpus: Path) -> None:
    (corpus / "big.txt").write_bytes(b"A sentence. " * 450_000)
    [outcome] = ingestor.ingest_folders([corpus]).outcomes
    assert outcome.outcome == "rejected" and "5,000,000" in outcome.reason


def test_file_turning_bad_keeps_its_old_source_until_fixed_or_deleted(
    ingestor: Ingestor, store: Store, corpus: Path, clock: Clock
) -> None:
    path = corpus / "a.txt"
    _write(path, ARTICLE)
    ingestor.ingest_folders([corpus])
    [good] = store.sources.all()
    path.write_bytes(b"\x81\x8d " + ARTICLE.encode())  # bytes no encoding we read defines
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    report = ingestor.ingest_folders([corpus])
    assert [(o.outcome, o.reason, o.source_id) for o in report.outcomes] == [
        ("rejected", "undecodable (neither UTF-8 nor Windows-1252 text)", good.id)
    ]
    assert store.sources.all() == [good] and store.sources.sentences(good.id)
    assert store.meta_get("corpus_version") == "1"
    clock.now += timedelta(days=1)
    _write(path, ARTICLE, bump_ns=10_000_000_000)  # fixed: same content as before
    assert _outcomes(ingestor.ingest_folders([corpus])) == {"a.txt": "unchanged"}
    assert store.sources.all() == [good]
    path.unlink()
    assert _outcomes(ingestor.ingest_folders([corpus])) == {"a.txt": "removed"}
    assert store.sources.count() == 0
    assert store.meta_get("corpus_version") == "2"


def test_skips_hidden_files_configs_and_other_suffixes(ingestor: Ingestor, corpus: Path) -> None:
    _write(corpus / "a.txt", ARTICLE)
    for name in (
        ".hidden.txt",
        "topics.toml",
        "feeds.toml",
        "a.txt.meta.toml",
        "notes.pdf",
        "data.json",
    ):
        (corpus / name).write_text("title = 'x'\n", encoding="utf-8")
    (corpus / ".git").mkdir()
    _write(corpus / ".git" / "b.txt", ARTICLE.replace("Riyadh", "Paris"))
    (corpus / "sub").mkdir()
    _write(
        corpus / "sub" / "c.HTML",
        "<html><body><article><p>"
        + "Officials met in Geneva on Monday and agreed to keep talking. " * 3
        + "</p></article></body></html>",
    )
    names = sorted(_outcomes(ingestor.ingest_folders([corpus])))
    assert names == ["a.txt", "c.HTML"]


def test_ingest_of_one_folder_leaves_another_alone(
    ingestor: Ingestor, store: Store, tmp_path: Path
) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    _write(one / "a.txt", ARTICLE)
    _write(two / "b.txt", ARTICLE.replace("Riyadh", "Paris"))
    ingestor.ingest_folders([one, two])
    report = ingestor.ingest_folders([one])
    assert _outcomes(report) == {"a.txt": "unchanged"}
    assert store.sources.count() == 2


def test_progress_bar_on_many_files(
    ingestor: Ingestor, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for i in range(25):
        _write(corpus / f"{i:02d}.txt", ARTICLE.replace("Riyadh", f"city number {i}"))
    report = ingestor.ingest_folders([corpus], progress=True)
    assert report.count("added") == 25
    assert capsys.readouterr().out == ""  # the bar never touches stdout


def _article(text: str, **kw: object) -> ParsedArticle:
    return ParsedArticle(title="Feed item", text=text, **kw)  # type: ignore[arg-type]


def test_add_document_stores_dedupes_and_bumps_version(
    ingestor: Ingestor, store: Store, corpus: Path
) -> None:
    text = "Officials met in Geneva on Monday. They agreed to keep talking about the fund."
    first = ingestor.add_document(
        _article(text), name="feed item", url="https://x.example/a", notes=("feed-summary",)
    )
    assert first.outcome == "added"
    source = store.sources.get(first.source_id or "")
    assert source is not None and source.url == "https://x.example/a" and source.path is None
    assert source.notes == ("feed-summary",)
    assert store.meta_get("corpus_version") == "1"
    again = ingestor.add_document(_article(text), name="feed item", url="https://x.example/a")
    assert (again.outcome, again.source_id) == ("duplicate", first.source_id)
    assert store.meta_get("corpus_version") == "1"
    assert ingestor.add_document(_article("   "), name="empty").outcome == "rejected"
    _write(corpus / "a.txt", ARTICLE)
    ingestor.ingest_folders([corpus])
    assert (
        store.sources.get(first.source_id or "") is not None
    )  # a file write never drops URL sources


def test_add_document_detects_a_republished_file_story(
    ingestor: Ingestor, store: Store, corpus: Path
) -> None:
    shutil.copy(MESSY / "wire" / "wire_kyiv_courier.txt", corpus / "wire.txt")
    ingestor.ingest_folders([corpus])
    text = (MESSY / "wire" / "wire_daily_ledger.txt").read_text("utf-8").split("\n", 2)[2]
    outcome = ingestor.add_document(
        _article(text), name="feed", url="https://ledger.example/x", notes=("backfill",)
    )
    assert outcome.outcome == "republished"
    stored = store.sources.get(outcome.source_id or "")
    assert stored is not None and stored.kind == "republished" and stored.original_id


def test_parser_version_change_reparses_without_changing_anything(
    ingestor: Ingestor, store: Store, seeds_dir: Path
) -> None:
    ingestor.ingest_folders([seeds_dir])
    store.meta_set("ingest_version", "old")
    report = ingestor.ingest_folders([seeds_dir])
    assert set(_outcomes(report).values()) == {"unchanged"}
    assert store.meta_get("corpus_version") == "1"
