"""`dispatch worker`: one process ingests and recomputes; any other process reads what it stored."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.service import Dispatch
from bot.settings import Settings
from tests.conftest import ROOT

pytestmark = pytest.mark.backends


def worker(
    database: Path | str, corpus: Path, tmp_path: Path, *extra: str
) -> subprocess.Popen[str]:
    """``dispatch worker`` in a process of its own (no .env read: it runs in tmp_path)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DISPATCH_ENGINE": "extractive"}
    command = [sys.executable, "-m", "bot", "--corpus", str(corpus), "--db", str(database),
               "worker", *extra]  # fmt: skip
    return subprocess.Popen(
        command, cwd=tmp_path, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def reader(database: Path | str, corpus: Path) -> Dispatch:
    return Dispatch(Settings(_env_file=None, corpus=[corpus], db=database, engine="extractive"))  # type: ignore[call-arg]


def test_one_pass_stores_results_another_process_reads_without_recomputing(
    database: Path | str, seeds_dir: Path, tmp_path: Path
) -> None:
    proc = worker(database, seeds_dir, tmp_path, "--once")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert err.strip().splitlines()[-1] == "ingest: 3 added"
    service = reader(database, seeds_dir)
    try:
        assert service.store.meta_get("computed_version") == service.corpus_version()
        assert not service.recompute_if_needed()  # current already: the worker's results
        briefing = service.status("minerals-deal")
        assert briefing.statements and len(briefing.sources) == 3
    finally:
        service.close()


def test_a_stop_signal_ends_the_worker_after_its_pass(
    database: Path | str, seeds_dir: Path, tmp_path: Path
) -> None:
    service = reader(database, seeds_dir)  # the schema is there before the worker starts
    proc = worker(database, seeds_dir, tmp_path)
    try:
        while service.store.meta_get("computed_version") is None:  # its first pass is done
            assert proc.poll() is None, proc.communicate()[1]
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
    finally:
        service.close()
    assert proc.returncode == 0, err
    assert "stopping on SIGTERM after the pass in hand" in err
    assert "Traceback" not in err


def test_a_reader_names_the_topics_the_worker_recomputed_with(
    make_service: object, seeds_dir: Path
) -> None:
    from bot.errors import UnknownTopic

    worker_side: Dispatch = make_service(seeds_dir)  # type: ignore[operator]
    bot_side: Dispatch = make_service(seeds_dir)  # type: ignore[operator]
    worker_side.ingest()
    bot_side.results_version()
    with pytest.raises(UnknownTopic):
        bot_side.resolve_topic("grain-corridor")  # the bot has read the topics once, cached
    with (seeds_dir / "topics.toml").open("a") as toml:
        toml.write('\n[[topic]]\nslug = "grain-corridor"\ntitle = "Black Sea grain corridor"\n'
                   'keywords = ["grain corridor"]\n')  # fmt: skip
    worker_side.ingest()  # the worker applies the new topics.toml and recomputes
    bot_side.results_version()  # the bot's watch sees the worker's new results
    assert bot_side.resolve_topic("grain-corridor").title == "Black Sea grain corridor"
