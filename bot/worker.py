"""``dispatch worker``: the bot's re-ingest loop without Discord, for a deployment of several processes.

One worker reads the corpus folders, polls due feeds and recomputes every ``reingest_minutes``;
bot processes started with ``--no-worker`` (``DISPATCH_WORKER=false``) only read what it stores
and post digests and alerts. Workers on one database take turns (the writer lock): two never
ingest at once. A stop signal ends the worker after the pass in hand (which commits file by file,
so even a kill leaves the database whole; the rest is read at the next pass).
"""

from __future__ import annotations

import logging
import signal
import threading
from typing import TYPE_CHECKING

from bot.errors import DispatchError
from bot.logs import formatter

if TYPE_CHECKING:
    from bot.models import IngestReport
    from bot.service import Dispatch
    from bot.settings import Settings

log = logging.getLogger("bot.worker")


def run_pass(service: Dispatch) -> IngestReport:
    """One pass: ingest changed folder files, poll due feeds, recompute what changed."""
    report = service.ingest()
    for notice in report.notices():
        log.warning("ingest: %s", notice)
    if report.changed:
        counts = ("added", "updated", "removed", "rejected")
        log.info("ingest: %s", ", ".join(f"{report.count(k)} {k}" for k in counts))
    return report


def work(service: Dispatch, stop: threading.Event) -> None:
    """Run passes until ``stop`` is set; a failed pass is logged and the next one runs on time."""
    minutes = service.settings.reingest_minutes
    while not stop.is_set():
        try:
            run_pass(service)
        except DispatchError as exc:  # a broken topics.toml, a vanished folder, a busy disk…
            log.error("ingest skipped: %s", exc)
        except Exception:
            log.exception("ingest failed; trying again in %g minutes", minutes)
        stop.wait(minutes * 60)


def stop_on_signals() -> threading.Event:
    """An event set by SIGTERM or SIGINT (the pass in hand finishes first)."""
    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        log.info("stopping on %s after the pass in hand", signal.Signals(signum).name)
        # set from another thread: this handler may interrupt this thread inside stop.wait(),
        # holding the event's (non-reentrant) lock
        threading.Thread(target=stop.set, daemon=True).start()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, on_signal)
    return stop


def configure_logging(settings: Settings) -> None:
    """Lines on stderr, readable or JSON (``DISPATCH_LOG_FORMAT``), as the bot logs them."""
    logging.basicConfig(level=settings.log_level.upper(), force=True)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter(settings.log_format))
