"""Prepare the files of a large ingest pass in worker processes, handing results back in order.

The ingesting process still decides duplicates, copies and edits and writes, file by file in
the pass's order, so what it stores is what a serial pass stores. Only a pass of more than
``PARALLEL_MIN_FILES`` changed files uses workers (starting them costs more than a few files
save), and only when ``DISPATCH_INGEST_WORKERS`` allows more than one. Workers are forked from
a process with one thread (quick, and a script without a ``__main__`` guard is not run again);
from a process with other threads (the bot's event loop, a database pool) they are spawned, as
a fork could copy a lock another thread holds. At most ``AHEAD`` chunks are prepared ahead of the writer, so memory stays bounded
when writing is the slower side. If a worker dies (killed, out of memory), the rest of the pass
is prepared in this process, which then meets the same file.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from bot.ingest.prepare import Prepared, Task, prepare, prepare_many

log = logging.getLogger(__name__)

PARALLEL_MIN_FILES = 200  # a smaller pass stays in this process
CHUNK = 16  # files per task sent to a worker
AHEAD = 4  # chunks in flight per worker
PARENT_POLL_SECONDS = 0.5  # how often a worker checks that the ingesting process is alive


def worker_count(setting: int | None) -> int:
    """How many processes prepare files: the setting, else ``min(2, CPU count)``."""
    return setting if setting is not None else min(2, os.cpu_count() or 1)


def use_workers(files: int, workers: int) -> bool:
    """Whether a pass of this many changed files is worth preparing in worker processes."""
    return workers > 1 and files > PARALLEL_MIN_FILES


def prepared(tasks: list[Task], workers: int) -> Iterator[Prepared]:
    """Each task's result, in order, prepared by ``workers`` worker processes."""
    chunks = [tasks[i : i + CHUNK] for i in range(0, len(tasks), CHUNK)]
    done = 0  # tasks whose results were handed out
    pool = ProcessPoolExecutor(
        workers, mp_context=_context(), initializer=_watch_parent, initargs=(os.getpid(),)
    )
    try:
        waiting: deque[Future[list[Prepared]]] = deque()
        for chunk in chunks:
            waiting.append(pool.submit(prepare_many, chunk))
            if len(waiting) >= AHEAD * workers:
                results = waiting.popleft().result()
                done += len(results)
                yield from results
        while waiting:
            results = waiting.popleft().result()
            done += len(results)
            yield from results
    except BrokenProcessPool:
        log.warning("an ingest worker died: preparing the other %d files here", len(tasks) - done)
        for task in tasks[done:]:
            yield prepare(task)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _context() -> multiprocessing.context.BaseContext:
    """Fork when this process has no other thread (and can fork), else spawn."""
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _watch_parent(parent: int) -> None:
    """In a worker: exit once the ingesting process is gone. Killed (``kill -9``, out of
    memory), it cannot stop its workers, and a forked worker waiting for its next chunk would
    wait for ever (it holds the queue's other end itself)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="ingest-parent-watch", daemon=True).start()
