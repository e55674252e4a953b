"""`dispatch source add|remove|list`: manage the feeds and article URLs Dispatch follows."""

from __future__ import annotations

import argparse
import json
from typing import Any

from bot.cli import settings_from


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``source`` command and its subcommands."""
    parser = sub.add_parser(
        "source",
        parents=[common],
        help="manage followed feeds and article URLs",
        description="Follow RSS/Atom feeds and single article URLs (`dispatch ingest` polls them).",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))
    actions.required = True
    add = actions.add_parser("add", parents=[common], help="follow a feed, or read one article URL")
    add.add_argument("url", help="feed or article URL (http or https)")
    add.add_argument(
        "--interval", type=float, metavar="MIN", help="minutes between polls (default 30)"
    )
    add.set_defaults(handler=_add)
    remove = actions.add_parser("remove", parents=[common], help="stop following a source")
    remove.add_argument(
        "ref", metavar="URL|ID", help="the source's URL or its id from `source list`"
    )
    remove.set_defaults(handler=_remove)
    listing = actions.add_parser("list", parents=[common], help="list sources and their state")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_list)


def _service(args: argparse.Namespace) -> Any:
    from bot.service import Dispatch

    return Dispatch(settings_from(args))


def _add(args: argparse.Namespace) -> int:
    service = _service(args)
    try:
        added = service.add_source(args.url, interval=args.interval, origin="cli")
    finally:
        service.close()
    src = added.source
    what = "feed" if src.kind == "feed" else "article"
    verb = "Added" if added.created else "Updated"
    print(f"{verb} {what} #{src.id}: {src.label}" + (f" <{src.url}>" if src.title else ""))
    if added.hint:
        print(added.hint)
    print("`dispatch ingest` fetches it now; the bot polls it on its schedule.")
    return 0


def _remove(args: argparse.Namespace) -> int:
    service = _service(args)
    try:
        src = service.remove_source(args.ref)
    finally:
        service.close()
    print(f"Removed #{src.id}: {src.label} (articles already read stay in the corpus).")
    return 0


def _list(args: argparse.Namespace) -> int:
    from bot.render.sources import as_dict, describe

    service = _service(args)
    try:
        sources = service.list_sources()
    finally:
        service.close()
    if args.json:
        print(json.dumps([as_dict(s) for s in sources], indent=2, ensure_ascii=False))
    elif not sources:
        print("No feeds or article URLs yet: `dispatch source add URL` adds one.")
    else:
        print("\n".join(describe(s) for s in sources))
    return 0
