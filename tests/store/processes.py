"""Work a test runs in another process against the same database (``python -m`` this module).

hold URL READY RELEASE       be the writer (ingest lock) until RELEASE exists
ingest URL CORPUS LOG GO     once GO exists, ingest CORPUS; log when the ingest ran
digest URL SENT GO           once GO exists, post the due digest; log what was sent
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

NINE = datetime(2026, 1, 1, 7, tzinfo=UTC)  # 09:00 in Kyiv, when the digest is due


def wait_for(path: Path, limit: float = 60) -> None:
    """Block until a file appears (the test's start signal)."""
    deadline = time.monotonic() + limit
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"no signal {path}")
        time.sleep(0.005)


def append(path: Path, line: str) -> None:
    """One line, written whole even if the other process appends at the same time."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(fd, f"{line}\n".encode())
    finally:
        os.close(fd)


def hold(url: str, ready: Path, release: Path) -> None:
    from bot.store import Store

    store = Store(url)
    with store.db.writer():
        ready.touch()
        wait_for(release)
    store.close()


def ingest(url: str, corpus: Path, log: Path, go: Path) -> None:
    from bot.ingest import pipeline
    from bot.service import Dispatch
    from bot.settings import Settings

    real = pipeline.Ingestor.ingest_folders

    def logged(self: pipeline.Ingestor, *args: object, **kwargs: object) -> object:
        append(log, f"start {time.time():.6f} {os.getpid()}")
        time.sleep(0.5)  # a long ingest: without the lock the other would start meanwhile
        try:
            return real(self, *args, **kwargs)  # type: ignore[arg-type]
        finally:
            append(log, f"end {time.time():.6f} {os.getpid()}")

    pipeline.Ingestor.ingest_folders = logged  # type: ignore[method-assign]
    service = Dispatch(Settings(_env_file=None, corpus=[corpus], db=url, engine="extractive"))  # type: ignore[call-arg]
    wait_for(go)
    service.refresh()
    service.close()


def digest(url: str, sent: Path, go: Path) -> None:
    from bot.settings import Settings
    from bot.store import Store
    from bot.subscriptions import Composed, Message, Subscriptions

    settings = Settings(_env_file=None, db=url)  # type: ignore[call-arg]
    store = Store(url)
    subs = Subscriptions(store, settings, lambda: NINE)

    class Channel:
        async def post(self, payload: str) -> int:
            append(sent, f"{payload} {os.getpid()}")
            return os.getpid()

        async def find(self, fingerprint: str, since: datetime) -> int | None:
            return None

    async def compose(since: datetime, until: datetime, cutoffs: object, header: bool) -> object:
        return Composed([Message("news", ("minerals",), "news")], False)

    async def open_channel() -> Channel:
        return Channel()

    async def run() -> list[str]:
        due, _ = subs.due(NINE)
        return [await subs.post(d, open_channel, compose) for d in due]  # type: ignore[arg-type]

    wait_for(go)
    outcomes = asyncio.run(run())
    append(sent, f"outcome {','.join(outcomes) or 'none'} {os.getpid()}")
    store.close()


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "hold":
        hold(rest[0], Path(rest[1]), Path(rest[2]))
    elif command == "ingest":
        ingest(rest[0], Path(rest[1]), Path(rest[2]), Path(rest[3]))
    elif command == "digest":
        digest(rest[0], Path(rest[1]), Path(rest[2]))
