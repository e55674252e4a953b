"""Stopping background work: wait a bounded time for work in flight, then leave it safely."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger(__name__)


async def finish_or_abandon(work: asyncio.Future[Any] | None, grace: float, what: str) -> bool:
    """Wait up to ``grace`` seconds for ``work`` to end; cancel it after that. True if it finished.

    Only work that is safe to cut off is handed here: a digest post resumes from its records at
    the next start, an ingest pass commits file by file (the database waits for the file in hand).
    """
    if work is None or work.done():
        return True
    done, _ = await asyncio.wait({work}, timeout=max(grace, 0.0))
    if done:
        return True
    work.cancel()
    log.warning("stopping with the %s unfinished: it is taken up again at the next start", what)
    return False
