"""`dispatch run` and `dispatch sync`: the Discord bot (discord.py is imported only when they run)."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli import settings_from


def _run(args: argparse.Namespace) -> int:
    from bot.shards import parse_shards

    shards = parse_shards(args.shards) if args.shards is not None else None
    settings = settings_from(args)
    if args.worker is not None:
        settings = settings.model_copy(update={"worker": args.worker})
    from bot.discord.runner import run

    return run(settings, shards)


def _sync(args: argparse.Namespace) -> int:
    from bot.discord.runner import sync

    return sync(settings_from(args), args.guild)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``run`` and ``sync``."""
    run = sub.add_parser(
        "run",
        parents=[common],
        help="run the Discord bot (needs DISPATCH_DISCORD_TOKEN)",
        description="Run the Discord bot until interrupted. Slash commands are synced when they changed.",
    )
    run.add_argument(
        "--shards",
        metavar="IDS/COUNT",
        help="run these gateway shards of COUNT, e.g. 0-1/4 (default: unsharded)",
    )
    run.add_argument(
        "--worker",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also ingest, poll feeds and recompute (default: $DISPATCH_WORKER or on); "
        "--no-worker leaves that to a `dispatch worker` process",
    )
    run.set_defaults(handler=_run)
    sync = sub.add_parser(
        "sync",
        parents=[common],
        help="register slash commands with Discord now",
        description="Register the slash commands with Discord (globally, or in one server for testing).",
    )
    sync.add_argument(
        "--guild", type=int, metavar="ID", help="sync to this server only (appears instantly)"
    )
    sync.set_defaults(handler=_sync)
