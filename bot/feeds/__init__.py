"""Live sources: RSS/Atom feeds and single article URLs, fetched safely and stored once.

``fetch`` does guarded HTTP, ``parse`` reads feeds, ``articles`` turns pages and summaries into
articles, ``poll`` decides what is due and what is new, ``sources`` manages the list (CLI and
Discord), and ``config`` reads feeds.toml.
"""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from bot.models import FileOutcome, IngestReport

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.feeds.fetch import Fetcher
    from bot.feeds.poll import Polled, Poller
    from bot.settings import Settings
    from bot.store import Store
    from bot.store.feeds import FeedSource

log = logging.getLogger(__name__)


class Host(Protocol):
    """What this package needs of its caller (the ``Dispatch`` service, which it never imports:
    the service sits above it)."""

    settings: Settings
    store: Store
    clock: Clock

    @property
    def folders(self) -> list[Path]:
        """The corpus folders (their feeds.toml files declare sources)."""
        ...

    def writer(self, *, wait: bool = True) -> AbstractContextManager[None]:
        """Be the only writer of the database for a block."""
        ...


def poll_due(service: Host, *, force: bool = False, fetcher: Fetcher | None = None) -> IngestReport:
    """Poll every feed or URL source that is due (all enabled ones with ``force``).

    Everything is fetched first, holding no lock, within ``poll_deadline_seconds`` for the whole
    poll (sources not reached stay due for the next poll); the writer lock is then taken only
    to store what came back.
    """
    from bot.feeds.fetch import Budget
    from bot.feeds.poll import Poller
    from bot.feeds.sources import sync_config

    with service.writer():
        sync_config(service)
    report = IngestReport()
    due = service.store.feeds.due(service.clock(), force=force)
    if not due:  # the common case in the bot's loop: no fetcher (nor its TLS context) needed
        return report
    poller = Poller(service.store, service.settings, service.clock, fetcher=fetcher)
    budget = Budget(service.settings.poll_deadline_seconds)
    polled: list[tuple[FeedSource, Polled | Exception]] = []
    for src in due:
        if budget.spent:
            log.warning(
                "%s: %d sources wait for the next poll", budget.reason(), len(due) - len(polled)
            )
            break
        try:
            polled.append((src, poller.fetch(src, budget)))
        except Exception as exc:  # stored (as a failure) with the rest, under the lock
            polled.append((src, exc))
    if polled:
        with service.writer():
            for src, got in polled:
                report.outcomes.extend(_store(poller, src, got))
    return report


def _store(poller: Poller, src: FeedSource, got: Polled | Exception) -> list[FileOutcome]:
    """Store one source's poll; one broken source must not stop the others."""
    try:
        if isinstance(got, Exception):
            raise got
        return poller.store_polled(got)
    except Exception as exc:
        log.exception("polling %s failed", src.url)
        reason = f"internal error ({type(exc).__name__}: {exc})"
        try:  # count it like any failure, so a source that keeps crashing backs off
            return poller.fail(src, reason)
        except Exception:
            return [FileOutcome(src.url, "rejected", reason)]
