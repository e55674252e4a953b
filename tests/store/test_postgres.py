"""PostgreSQL for shared state: the backend itself, and several processes on one database."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import time, timedelta
from pathlib import Path

import pytest

from bot.cli import build_parser, main
from bot.crash import ENV as CRASH_AT
from bot.service import Dispatch
from bot.settings import Settings
from bot.store import Store
from bot.store.db import StoreBusy, all_migrations
from bot.store.sources import FileState
from tests.conftest import ROOT
from tests.postgres import PgServer


@pytest.fixture
def pg(database: str) -> str:
    """A fresh PostgreSQL database (these tests are about PostgreSQL only)."""
    return database


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """PostgreSQL, unless a test marked ``backends`` asks for both."""
    return str(getattr(request, "param", "postgresql"))


def spawn(*args: object, crash: str | None = None) -> subprocess.Popen[str]:
    """Run ``tests.store.processes`` in a process of its own (killed at ``crash``, if given)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if crash:
        env[CRASH_AT] = crash
    command = [sys.executable, "-m", "tests.store.processes", *map(str, args)]
    return subprocess.Popen(command, cwd=ROOT, env=env, text=True, stderr=subprocess.PIPE)


def finish(*procs: subprocess.Popen[str]) -> None:
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err


@pytest.fixture
def holder(pg: str, tmp_path: Path) -> Iterator[Path]:
    """Another process holding the ingest lock until the returned file is created."""
    ready, release = tmp_path / "ready", tmp_path / "release"
    proc = spawn("hold", pg, ready, release)
    from tests.store.processes import wait_for

    wait_for(ready)
    yield release
    release.touch()
    finish(proc)


def test_a_postgres_url_reaches_the_store_unfolded() -> None:
    url = "postgresql://dispatch:secret@db.internal:5432/dispatch"
    assert Settings(_env_file=None, db=url).db == url  # type: ignore[call-arg]
    assert build_parser().parse_args(["--db", url, "topics"]).db == url
    assert Settings(_env_file=None, db="data/x.db").db == Path("data/x.db")  # type: ignore[call-arg]


def test_the_same_ordered_migrations_run_once(pg: str) -> None:
    store = Store(pg)
    names = [r[0] for r in store.db.query("SELECT name FROM schema_migrations ORDER BY name")]
    assert names == sorted(name for name, _ in all_migrations())
    assert store.db.migrate() == []
    store.close()
    assert Store(pg).db.migrate() == []  # a second process finds the schema current


def test_opening_a_current_database_does_not_wait_for_a_write_in_progress(pg: str) -> None:
    import threading

    import psycopg

    from bot.store.pg import TRANSACTION_KEY

    Store(pg).close()
    opened: list[Store] = []
    with psycopg.connect(pg) as other:  # another process, in the middle of a write transaction
        other.execute("SELECT pg_advisory_xact_lock(%s)", (TRANSACTION_KEY,))
        reader = threading.Thread(target=lambda: opened.append(Store(pg)), daemon=True)
        reader.start()
        reader.join(timeout=60)  # a guard against hanging, not a speed check
        assert opened, "opening the database waited for the other process's write"
        assert opened[0].digests.enabled() == []
    opened[0].close()


def test_bot_ids_need_64_bits_and_survive(pg: str) -> None:
    from datetime import UTC, datetime

    store = Store(pg)
    snowflake = 1456074443980800012
    store.digests.configure(snowflake + 1, snowflake, time(9), "Europe/Kyiv", datetime.now(UTC))
    assert [c.channel_id for c in store.digests.enabled()] == [snowflake]


@pytest.mark.backends
def test_replacing_a_file_row_clears_its_missing_mark(database: Path | str) -> None:
    from datetime import UTC, datetime

    sources = Store(database).sources
    state = FileState("a.txt", 1, 2, "sha", None, "rejected", "empty")
    sources.record_file(state)
    sources.mark_missing(["a.txt"], datetime(2026, 1, 1, tzinfo=UTC))
    assert sources.files()["a.txt"].missing_since
    sources.record_file(state)  # INSERT OR REPLACE: columns it does not name start afresh
    assert sources.files()["a.txt"].missing_since is None


@pytest.mark.backends
def test_sources_without_their_text_are_the_same_sources_otherwise(  # type: ignore[no-untyped-def]
    make_service, seeds_dir: Path
) -> None:
    """A recompute reads sources without their text (their sentences hold it) on both backends."""
    from dataclasses import replace

    service = make_service(seeds_dir)
    service.refresh()
    full, lean = service.store.sources.all(), service.store.sources.all(text=False)
    assert full and all(s.text for s in full)
    assert lean == [replace(s, text="") for s in full]
    # every sentence as a page's own query reads it, its values shared across the corpus
    corpus = service.store.sources.all_sentences()
    assert corpus == {s.id: service.store.sources.sentences(s.id) for s in full}
    days = [x.date for page in corpus.values() for x in page if x.date]
    assert days and len({id(d) for d in days}) == len(set(days))


@pytest.mark.backends
def test_a_recompute_reads_the_corpus_from_the_store_as_it_uses_it(  # type: ignore[no-untyped-def]
    make_service, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``stored_sentences`` is ``all_sentences`` read a batch of pages at a time, on both
    backends; a page set on it (a recompute redating it) stays as set."""
    from bot.models import pages_of
    from bot.store import sources as repo

    monkeypatch.setattr(repo, "PAGES_READ", 2)  # batches end between pages
    monkeypatch.setattr(repo, "PAGES_CACHED", 1)
    service = make_service(seeds_dir)
    service.refresh()
    corpus = service.store.sources.all_sentences()
    view = service.store.sources.stored_sentences()
    ids = list(corpus)
    assert len(ids) >= 3 and list(view) == ids and len(view) == len(ids)
    assert dict(view.items()) == corpus and list(view.values()) == list(corpus.values())
    assert all(view[sid] == corpus[sid] for sid in reversed(ids))  # one page at a time
    backwards = [*reversed(ids), "no-such-page"]
    assert list(pages_of(view, backwards)) == [(i, corpus.get(i, [])) for i in backwards]
    assert "no-such-page" not in view and view.get("no-such-page") is None
    with pytest.raises(KeyError):
        view["no-such-page"]
    first, stored = ids[0], view.revision(ids[0])
    assert view.revision(ids[1]) is stored  # a page read again is the same page
    view[first] = corpus[first][:1]
    assert view[first] == corpus[first][:1] and dict(view.items())[first] == corpus[first][:1]
    assert view.revision(first) is not stored and view.revision(ids[1]) is stored
    added = "0" * len(ids[-1])  # sorts before every stored page, listed after them
    view[added] = corpus[ids[-1]]
    assert list(view)[-1] == added and dict(view.items()) == {
        **corpus,
        first: corpus[first][:1],
        added: corpus[ids[-1]],
    }
    del view[ids[1]]  # left out of this pass, not of the store
    assert ids[1] not in view and len(view) == len(ids) and ids[1] not in dict(view.items())
    assert service.store.sources.stored_sentences()[ids[1]] == corpus[ids[1]]


@pytest.mark.backends
def test_full_text_search_stems_and_ranks(make_service, seeds_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from bot.digest.ask import retrieve

    service = make_service(seeds_dir)
    service.refresh()
    found = retrieve(service.store, "ceremonies signed")
    assert found and all(score > 0 for _, score in found)
    assert any("ceremony" in s.text for s, _ in found)  # "ceremonies" found "ceremony"
    assert retrieve(service.store, 'quote" OR ") NEAR(') == []  # no syntax error either way


def test_while_another_process_ingests_a_read_answers_from_the_store(
    pg: str, seeds_dir: Path, holder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    service = Dispatch(Settings(_env_file=None, corpus=[seeds_dir], db=pg, engine="extractive"))  # type: ignore[call-arg]
    with pytest.raises(StoreBusy):
        service.refresh(wait=False)
    holder.touch()  # the other process ends its ingest
    service.refresh()
    assert service.status("minerals-deal").statements
    service.close()


def test_two_processes_ingesting_at_once_take_turns(
    pg: str, seeds_dir: Path, tmp_path: Path
) -> None:
    log, go = tmp_path / "log", tmp_path / "go"
    procs = [spawn("ingest", pg, seeds_dir, log, go) for _ in range(2)]
    go.touch()
    finish(*procs)
    events = [line.split() for line in log.read_text().splitlines()]
    assert len(events) == 4
    spans = sorted(
        (float(a[1]), float(b[1]))
        for a, b in zip(events[::2], events[1::2], strict=True)
        if a[0] == "start" and b[0] == "end" and a[2] == b[2]
    )
    assert len(spans) == 2, events  # each start is followed by its own end: no interleaving
    assert spans[0][1] <= spans[1][0]
    assert Store(pg).sources.count() == 3


def test_two_schedulers_in_two_processes_racing_for_a_digest_post_it_once(
    pg: str, tmp_path: Path
) -> None:
    from tests.store.processes import NINE

    Store(pg).digests.configure(10, 1, time(9), "Europe/Kyiv", NINE.replace(hour=5))
    sent, go = tmp_path / "sent", tmp_path / "go"
    procs = [spawn("digest", pg, sent, go) for _ in range(2)]
    go.touch()
    finish(*procs)
    lines = sent.read_text().splitlines()
    assert len([line for line in lines if line.startswith("news ")]) == 1, lines
    outcomes = [line.split()[1] for line in lines if line.startswith("outcome ")]
    assert len(outcomes) == 2 and outcomes.count("sent") == 1, lines
    assert set(outcomes) <= {"sent", "taken", "none"}, lines  # the other found it claimed or done
    assert Store(pg).digests.posts(1)[0][1] == "sent"


# where a scheduler process dies mid-digest (bot/subscriptions.py), and what the channel has then
KILLED_AT = {
    "digest:claimed": [],  # the post is claimed, nothing is recorded or sent
    "digest:sending": [],  # the first message is recorded as sending, not sent
    "digest:posted": ["minerals"],  # the channel took it, the database does not know
    "digest:delivered": ["minerals", "nato"],  # every message recorded, the post not finished
}


@pytest.mark.backends
@pytest.mark.parametrize("point", list(KILLED_AT))
def test_a_scheduler_killed_mid_digest_leaves_no_duplicate_and_no_lost_news(
    database: Path | str, tmp_path: Path, point: str
) -> None:
    from tests.store.processes import NINE

    Store(database).digests.configure(10, 1, time(9), "Europe/Kyiv", NINE.replace(hour=5))
    seen = {"minerals": NINE - timedelta(minutes=50), "nato": NINE - timedelta(minutes=40)}
    seen["peace"] = NINE + timedelta(hours=12)  # news of the day after
    channel, news = tmp_path / "channel", tmp_path / "news.json"
    news.write_text(json.dumps({topic: at.isoformat() for topic, at in seen.items()}))

    def scheduler(now: object, crash: str | None = None) -> subprocess.Popen[str]:
        return spawn("post", database, channel, news, now, crash=crash)

    killed = scheduler(NINE.isoformat(), crash=point)
    _, err = killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL, err  # really killed, no cleanup
    posted = channel.read_text().splitlines() if channel.exists() else []
    assert posted == KILLED_AT[point]
    timeout = Settings(_env_file=None).digest_claim_timeout_minutes  # type: ignore[call-arg]
    stale = NINE + timedelta(minutes=timeout + 1)
    finish(scheduler(stale.isoformat()))  # another process takes the dead claim over
    assert channel.read_text().splitlines() == ["minerals", "nato"]  # each once, none lost
    finish(scheduler((NINE + timedelta(days=1)).isoformat()))
    assert channel.read_text().splitlines() == ["minerals", "nato", "peace"]
    outcomes = channel.with_suffix(".outcomes").read_text().splitlines()
    assert outcomes == ["sent", "sent"]  # the killed process never got to write its outcome
    assert [status for _, status, _ in Store(database).digests.posts(1)] == ["sent", "sent"]


def test_an_unreachable_server_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nobody listens here once closed
    url = f"postgresql://dispatch:secret@127.0.0.1:{port}/dispatch"
    assert main(["--db", url, "topics"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        f"dispatch: Cannot reach the PostgreSQL database postgresql://dispatch@127.0.0.1:{port}/dispatch"
    )
    assert "Connection refused" in err  # the server's reason, not a pool timeout
    assert len(err.strip().splitlines()) == 1 and "secret" not in err


def test_the_server_fixture_is_real(pg_server: PgServer, pg: str) -> None:
    import psycopg

    with psycopg.connect(pg) as conn:
        assert (
            conn.execute("SELECT current_setting('server_version_num')::int").fetchone()[0]
            >= 160000
        )  # type: ignore[index]


def test_every_database_method_has_its_postgresql_version() -> None:
    """A method added to the SQLite ``Database`` would otherwise run SQLite code on a server."""
    from bot.store.db import Database
    from bot.store.pg import PgDatabase

    public = {n for n, v in vars(Database).items() if callable(v) and not n.startswith("_")}
    missing = {n for n in public if vars(PgDatabase).get(n) is None}
    assert not missing, f"PgDatabase must implement {sorted(missing)}"
