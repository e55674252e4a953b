"""`dispatch follow|unfollow|follows`: manage which Discord channels follow which topics.

Alerts themselves are posted by the running bot (`dispatch run`) after each re-ingest pass; these
commands only change or show the follows it reads from the database.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from bot.cli import settings_from


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``follow``, ``unfollow`` and ``follows``."""
    add = sub.add_parser(
        "follow",
        parents=[common],
        help="alert a Discord channel of a topic's corroborated news",
        description="Follow a topic in a Discord channel: the bot posts an alert there when a "
        "new development is corroborated (or is a major event), at most one an hour.",
    )
    add.add_argument("topic")
    _ids(add, guild=True)
    add.set_defaults(handler=_follow)
    remove = sub.add_parser("unfollow", parents=[common], help="stop a channel's alerts on a topic")
    remove.add_argument("topic")
    _ids(remove, guild=False)
    remove.set_defaults(handler=_unfollow)
    listing = sub.add_parser("follows", parents=[common], help="list the followed topics")
    listing.add_argument("--guild", type=_snowflake, metavar="ID", help="only this server's")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_follows)


def _ids(parser: argparse.ArgumentParser, *, guild: bool) -> None:
    parser.add_argument(
        "--channel", type=_snowflake, required=True, metavar="ID", help="the Discord channel id"
    )
    if guild:
        parser.add_argument(
            "--guild", type=_snowflake, required=True, metavar="ID", help="its server's id"
        )
    parser.add_argument("--json", action="store_true", help="print JSON")


def _snowflake(value: str) -> int:
    """A Discord id: a positive whole number (copy it with Developer Mode on)."""
    text = value.strip().strip("<#>")
    if not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"not a Discord id: {value!r}")
    return int(text)


def _service(args: argparse.Namespace) -> Any:
    from bot.service import Dispatch

    return Dispatch(settings_from(args))


def _follow(args: argparse.Namespace) -> int:
    service = _service(args)
    try:
        follow, topic, created = service.follows.follow(args.guild, args.channel, args.topic, "cli")
    finally:
        service.close()
    if args.json:
        print(json.dumps({**_as_dict(follow), "title": topic.title, "created": created}, indent=2))
    elif created:
        print(f"Channel {args.channel} now follows {topic.slug} ({topic.title}).")
    else:
        print(f"Channel {args.channel} already follows {topic.slug}.")
    return 0


def _unfollow(args: argparse.Namespace) -> int:
    service = _service(args)
    try:
        slug = service.follows.unfollow(args.channel, args.topic)
    finally:
        service.close()
    if args.json:
        print(json.dumps({"channel_id": args.channel, "topic": slug, "removed": True}, indent=2))
    else:
        print(f"Channel {args.channel} no longer follows {slug}.")
    return 0


def _follows(args: argparse.Namespace) -> int:
    service = _service(args)
    try:
        found = service.follows.listed(args.guild)
    finally:
        service.close()
    if args.json:
        print(json.dumps({"follows": [_as_dict(f) for f in found]}, indent=2))
    elif not found:
        print("Nothing is followed yet: `dispatch follow TOPIC --channel ID --guild ID`.")
    else:
        for f in found:
            print(
                f"server {f.guild_id}  channel {f.channel_id}  {f.topic}  since {f.created_at:%Y-%m-%d %H:%M} UTC"
            )
    return 0


def _as_dict(follow: Any) -> dict[str, Any]:
    return {
        "guild_id": follow.guild_id,
        "channel_id": follow.channel_id,
        "topic": follow.topic,
        "created_at": follow.created_at.isoformat(),
    }
