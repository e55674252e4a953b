"""Work a test runs in another process against the same database (``python -m`` this module).

hold URL READY RELEASE       be the writer (ingest lock) until RELEASE exists
ingest URL CORPUS LOG GO     once GO exists, ingest CORPUS; log when the ingest ran
digest URL SENT GO           once GO exists, post the due digest; log what was sent
post URL CHANNEL NEWS NOW    run the digest scheduler once at NOW (ISO): post what is due into a
                             file CHANNEL (one line a message) from the news in NEWS (JSON: topic
                             -> first seen); its outcomes go to CHANNEL.outcomes
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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


def news(topics: Mapping[str, datetime]) -> Any:
    """A composer over topics first seen at the given instants: one message per topic."""
    from bot.subscriptions import Composed, Message

    async def compose(
        since: datetime, until: datetime, cutoffs: Mapping[str, datetime], header: bool
    ) -> Composed[str]:
        new = [t for t, seen in topics.items() if max(since, cutoffs.get(t, since)) < seen <= until]
        messages = [Message(t, (t,), t) for t in new]
        if header and not new:
            messages = [Message("nothing new", (), "nothing new")]
        return Composed(messages, not new)

    return compose


class FileChannel:
    """A channel that is a file: a message is a line (its id, its line number), read back by
    the test and by ``find`` in a later process."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def lines(self) -> list[str]:
        return self.path.read_text().splitlines() if self.path.exists() else []

    async def post(self, payload: str) -> int:
        append(self.path, payload)
        return len(self.lines())

    async def find(self, fingerprint: str, since: datetime) -> int | None:
        return next((n for n, line in enumerate(self.lines(), 1) if line == fingerprint), None)


def post(url: str, channel: Path, news_file: Path, now: datetime) -> None:
    from bot.settings import Settings
    from bot.store import Store
    from bot.subscriptions import Subscriptions

    seen = {t: datetime.fromisoformat(at) for t, at in json.loads(news_file.read_text()).items()}
    store = Store(url)
    subs = Subscriptions(store, Settings(_env_file=None, db=url), lambda: now)  # type: ignore[call-arg]

    async def open_channel() -> FileChannel:
        return FileChannel(channel)

    async def run() -> list[str]:
        due, _ = subs.due(now)
        return [await subs.post(d, open_channel, news(seen)) for d in due]

    outcomes = asyncio.run(run())
    append(channel.with_suffix(".outcomes"), ",".join(outcomes) or "none")
    store.close()


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
    elif command == "post":
        post(rest[0], Path(rest[1]), Path(rest[2]), datetime.fromisoformat(rest[3]))
