"""Finding and reading corpus files: spellings of a folder, links, special files, bounded reads."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.feeds.config import load_feeds
from bot.ingest import files as fs
from bot.ingest.pipeline import Ingestor
from bot.settings import Settings
from bot.store import Store
from bot.topics.config import load_topics
from tests.conftest import Clock

ARTICLE = " date 2025-03-01 Talks resume\n\nNegotiators met in Riyadh on Friday. They agreed to meet again.\n"
OTHER = " date 2025-03-02 Fund meets\n\nThe fund's board met in Kyiv on Sunday. It approved two projects.\n"


def _outcomes(report) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return sorted((o.name, o.outcome) for o in report.outcomes)


@pytest.mark.parametrize(
    "spellings",
    [
        ["corpus", "corpus"],
        ["corpus", "./corpus/"],
        ["corpus", "{abs}/corpus"],
        ["corpus", "corpus/sub"],
        ["corpus/sub", "corpus"],
    ],
)
def test_one_folder_given_several_ways_reads_each_file_once(
    ingestor: Ingestor, corpus: Path, tmp_path: Path, spellings: list[str]
) -> None:
    (corpus / "sub").mkdir()
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "sub" / "b.txt").write_text(OTHER, encoding="utf-8")
    folders = [Path(s.format(abs=tmp_path)) for s in spellings]
    report = ingestor.ingest_folders(folders)
    assert sorted(o.outcome for o in report.outcomes) == ["added", "added"]


def test_a_folder_spelled_differently_later_is_the_same_files(
    ingestor: Ingestor, store: Store, corpus: Path, tmp_path: Path
) -> None:
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    ingestor.ingest_folders([Path("corpus")])
    for spelling in (tmp_path / "corpus", Path("./corpus/")):
        report = ingestor.ingest_folders([spelling])
        assert _outcomes(report) == [(f"corpus{os.sep}a.txt", "unchanged")]
    (corpus / "a.txt").unlink()
    report = ingestor.ingest_folders([tmp_path / "corpus"])
    assert _outcomes(report) == [(f"corpus{os.sep}a.txt", "removed")]
    assert store.sources.count() == 0 and store.sources.files() == {}


def test_deleting_a_file_is_noticed_when_the_corpus_is_the_working_directory(
    ingestor: Ingestor, store: Store, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(corpus)
    Path("a.txt").write_text(ARTICLE, encoding="utf-8")
    Path("b.txt").write_text(OTHER, encoding="utf-8")
    ingestor.ingest_folders([Path(".")])
    Path("b.txt").unlink()
    assert ("b.txt", "removed") in _outcomes(ingestor.ingest_folders([Path(".")]))
    assert store.sources.count() == 1


def test_linked_folders_are_followed_once_and_loops_end(
    store: Store, clock: Clock, corpus: Path, tmp_path: Path
) -> None:
    ingestor = Ingestor(store, Settings(follow_outside_links=True), clock)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "deep").mkdir(parents=True)
    (elsewhere / "deep" / "b.txt").write_text(OTHER, encoding="utf-8")
    (elsewhere / "topics.toml").write_text('[[topic]]\nslug = "fund"\n', encoding="utf-8")
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "linked").symlink_to(elsewhere, target_is_directory=True)
    (elsewhere / "deep" / "loop").symlink_to(elsewhere, target_is_directory=True)
    (elsewhere / "back").symlink_to(corpus, target_is_directory=True)
    report = ingestor.ingest_folders([corpus])
    assert _outcomes(report) == [
        (str(corpus / "a.txt"), "added"),
        (str(corpus / "linked" / "deep" / "b.txt"), "added"),
    ]
    assert [t.slug for t in load_topics([corpus])[0]] == ["fund"]


def test_special_files_are_rejected_without_blocking_or_reading_forever(
    ingestor: Ingestor, corpus: Path
) -> None:
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(corpus / "pipe.txt")  # opening it for reading would block forever
    (corpus / "zero.txt").symlink_to("/dev/zero")  # reading it would never end
    (corpus / "dangling.txt").symlink_to(corpus / "nowhere.txt")
    report = ingestor.ingest_folders([corpus])
    reasons = {Path(o.name).name: (o.outcome, o.reason) for o in report.outcomes}
    assert reasons == {
        "a.txt": ("added", ""),
        "pipe.txt": ("rejected", "not a regular file"),
        "zero.txt": ("rejected", "not a regular file"),
        "dangling.txt": ("rejected", "broken link"),
    }


def test_a_file_growing_past_the_cap_after_the_walk_is_read_no_further(
    corpus: Path, store: Store, clock: Clock
) -> None:
    path = corpus / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    [found] = fs.walk([corpus])
    path.write_text(ARTICLE * 100, encoding="utf-8")  # grows between the stat and the read
    with pytest.raises(fs.Rejected, match="too large"):
        fs.read_bytes(found, 1000)
    report = Ingestor(store, Settings(max_article_bytes=1000), clock).ingest_folders([corpus])
    assert [o.outcome for o in report.outcomes] == ["rejected"]


def test_file_names_that_are_not_utf8_or_hold_a_newline_are_read_not_fatal(
    ingestor: Ingestor, store: Store, corpus: Path
) -> None:
    odd = [os.fsdecode(b"caf\xe9.txt"), "two\nlines.txt", "space ü.txt"]
    for name, text in zip(odd, (ARTICLE, OTHER, ARTICLE.replace("Riyadh", "Jeddah")), strict=True):
        (corpus / name).write_text(text, encoding="utf-8")
    report = ingestor.ingest_folders([corpus])
    names = sorted(Path(o.name).name for o in report.outcomes)
    assert names == ["caf\\xe9.txt", "space ü.txt", "two\\nlines.txt"]
    assert {o.outcome for o in report.outcomes} == {"added"}
    assert sorted(Path(s.path or "").name for s in store.sources.all()) == names
    (corpus / odd[0]).unlink()
    assert "removed" in {o.outcome for o in ingestor.ingest_folders([corpus]).outcomes}


def test_a_file_rewritten_while_it_is_ingested_is_read_again_next_time(
    ingestor: Ingestor, store: Store, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = corpus / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    real = fs.read_bytes

    def rewritten_meanwhile(found: fs.Found, max_bytes: int) -> tuple[bytes, bytes]:
        data = real(found, max_bytes)  # the old text is read, then an editor saves the new one
        path.write_text(OTHER + "More text.\n", encoding="utf-8")
        return data

    monkeypatch.setattr(fs, "read_bytes", rewritten_meanwhile)
    ingestor.ingest_folders([corpus])
    monkeypatch.setattr(fs, "read_bytes", real)
    [old] = store.sources.all()
    assert "Riyadh" in old.text
    report = ingestor.ingest_folders([corpus])
    assert [o.outcome for o in report.outcomes] == ["updated"]
    [new] = store.sources.all()
    assert "board met in Kyiv" in new.text and "Riyadh" not in new.text
    assert [o.outcome for o in ingestor.ingest_folders([corpus]).outcomes] == ["unchanged"]


def _unblock(path: Path) -> None:
    """Open a FIFO's writing end once, so a reader stuck in ``open`` (the unfixed code) returns."""
    with contextlib.suppress(OSError):  # nobody is reading: nothing to release
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


def _finishes(call: Callable[[], object], fifo: Path) -> object:
    """Run ``call``; a call still blocked on the FIFO after a while is released and reported."""
    result: list[object] = []

    def run() -> None:
        try:
            result.append(call())
        except Exception as exc:  # the outcome under test, returned to the caller
            result.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(10)
    blocked = worker.is_alive()
    while worker.is_alive():
        _unblock(fifo)
        worker.join(0.1)
    assert not blocked, f"blocked reading the FIFO {fifo.name}"
    return result[0]


@pytest.mark.parametrize("where", ["topics.toml", "sub/topics.toml", "feeds.toml"])
def test_config_files_that_are_fifos_are_named_not_waited_on(
    corpus: Path, tmp_path: Path, where: str
) -> None:
    (corpus / "sub").mkdir()
    os.mkfifo(corpus / where)
    load = load_feeds if where == "feeds.toml" else load_topics
    error = _finishes(lambda: load([corpus]), corpus / where)
    assert isinstance(error, ConfigError)
    assert str(error) == f"corpus/{where}: not a regular file"  # no host path (Discord shows it)
    assert str(tmp_path) not in str(error)


@pytest.mark.parametrize("name", ["topics.toml", "feeds.toml"])
def test_config_files_linked_to_devices_or_huge_are_not_read_whole(
    corpus: Path, tmp_path: Path, name: str
) -> None:
    load = load_feeds if name == "feeds.toml" else load_topics
    (corpus / name).symlink_to("/dev/zero")  # read whole, it would fill the memory
    with pytest.raises(ConfigError, match=rf"^corpus/{name}: not a regular file$"):
        load([corpus])
    (corpus / name).unlink()
    with (corpus / name).open("wb") as handle:  # sparse: costs no disk
        handle.truncate(50_000_000)
    with pytest.raises(
        ConfigError, match=rf"^corpus/{name}: too large \(more than 1,000,000 bytes\)$"
    ):
        load([corpus])


def test_a_sidecar_that_is_a_fifo_a_device_or_huge_is_named_in_the_rejection(
    store: Store, clock: Clock, corpus: Path
) -> None:
    # links out of the corpus allowed: what guards the reads is then the type and size check
    ingestor = Ingestor(store, Settings(follow_outside_links=True), clock)
    for name in ("pipe", "zero", "huge"):
        (corpus / f"{name}.txt").write_text(ARTICLE.replace("Riyadh", name), encoding="utf-8")
    os.mkfifo(corpus / "pipe.txt.meta.toml")
    (corpus / "zero.txt.meta.toml").symlink_to("/dev/zero")
    with (corpus / "huge.txt.meta.toml").open("wb") as handle:
        handle.truncate(1_000_001)
    report = _finishes(lambda: ingestor.ingest_folders([corpus]), corpus / "pipe.txt.meta.toml")
    reasons = {Path(o.name).name: o.reason for o in report.outcomes}  # type: ignore[attr-defined]
    assert reasons == {
        "huge.txt": "sidecar huge.txt.meta.toml: too large (more than 1,000,000 bytes)",
        "pipe.txt": "sidecar pipe.txt.meta.toml: not a regular file",
        "zero.txt": "sidecar zero.txt.meta.toml: not a regular file",
    }


def test_a_link_to_a_file_outside_the_corpus_is_not_ingested_unless_allowed(
    store: Store, clock: Clock, corpus: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"  # stands for /etc/passwd: readable, outside every folder
    secret.write_text(OTHER, encoding="utf-8")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "inside.txt").symlink_to(corpus / "sub" / "a.txt")  # inside: followed
    (corpus / "passwd.txt").symlink_to(secret)
    allowed = Ingestor(store, Settings(follow_outside_links=True), clock).ingest_folders([corpus])
    assert ("passwd.txt", "added") in {(Path(o.name).name, o.outcome) for o in allowed.outcomes}
    report = Ingestor(store, Settings(), clock).ingest_folders([corpus])
    outcomes = {Path(o.name).name: (o.outcome, o.reason) for o in report.outcomes}
    assert outcomes["passwd.txt"] == (
        "rejected",
        "a link to a file outside the corpus folders "
        "(set DISPATCH_FOLLOW_OUTSIDE_LINKS=true to read it)",
    )
    assert outcomes["inside.txt"][0] in {"unchanged", "duplicate"}
    # what the link gave while it was allowed is no longer stored or quotable
    assert [s.title for s in store.sources.all()] == ["Talks resume"]


def test_a_sidecar_linked_from_outside_the_corpus_is_named_in_the_rejection(
    ingestor: Ingestor, store: Store, corpus: Path, tmp_path: Path
) -> None:
    (tmp_path / "elsewhere.toml").write_text('title = "Injected headline"\n', encoding="utf-8")
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "a.txt.meta.toml").symlink_to(tmp_path / "elsewhere.toml")
    [outcome] = ingestor.ingest_folders([corpus]).outcomes
    assert (outcome.outcome, outcome.reason) == (
        "rejected",
        "sidecar a.txt.meta.toml: a link to a file outside the corpus folders "
        "(set DISPATCH_FOLLOW_OUTSIDE_LINKS=true to read it)",
    )
    assert store.sources.all() == []
