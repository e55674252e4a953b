"""`dispatch worker`: ingest, poll feeds and recompute on a schedule, for bots run with --no-worker."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli import settings_from


def _worker(args: argparse.Namespace) -> int:
    from bot.cli.core import report_ingest
    from bot.service import Dispatch
    from bot.worker import configure_logging, run_pass, stop_on_signals, work

    settings = settings_from(args)
    service = Dispatch(settings)
    try:
        if args.once:
            report_ingest(run_pass(service), verbose=True)
            return 0
        configure_logging(settings)
        work(service, stop_on_signals())
    finally:
        service.close()
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``worker``."""
    worker = sub.add_parser(
        "worker",
        parents=[common],
        help="ingest, poll feeds and recompute every DISPATCH_REINGEST_MINUTES (no Discord)",
        description="Do the bot's background ingest without Discord, so bot processes run with "
        "--no-worker (DISPATCH_WORKER=false) only read the results and post digests and alerts. "
        "Share the database with them: DISPATCH_DB=postgresql://…",
    )
    worker.add_argument("--once", action="store_true", help="run one pass and exit")
    worker.set_defaults(handler=_worker)
