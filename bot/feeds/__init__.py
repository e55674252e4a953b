"""Live sources: RSS/Atom feeds and single article URLs, fetched safely and stored once.

``fetch`` does guarded HTTP, ``parse`` reads feeds, ``articles`` turns pages and summaries into
articles, ``poll`` decides what is due and what is new, ``sources`` manages the list (CLI and
Discord), and ``config`` reads feeds.toml.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.models import FileOutcome, IngestReport

if TYPE_CHECKING:
    from bot.feeds.fetch import Fetcher
    from bot.service import Dispatch

log = logging.getLogger(__name__)


def poll_due(
    service: Dispatch, *, force: bool = False, fetcher: Fetcher | None = None
) -> IngestReport:
    """Poll every feed or URL source that is due (all enabled ones with ``force``)."""
    from bot.feeds.poll import Poller
    from bot.feeds.sources import sync_config

    sync_config(service)
    report = IngestReport()
    due = service.store.feeds.due(service.clock(), force=force)
    if not due:
        return report
    poller = Poller(service.store, service.settings, service.clock, fetcher=fetcher)
    for src in due:
        try:
            report.outcomes.extend(poller.poll(src))
        except Exception as exc:  # one broken source must not stop the others
            log.exception("polling %s failed", src.url)
            reason = f"internal error ({type(exc).__name__}: {exc})"
            try:  # count it like any failure, so a source that keeps crashing backs off
                report.outcomes.extend(poller.fail(src, reason))
            except Exception:
                report.outcomes.append(FileOutcome(src.url, "rejected", reason))
    return report
