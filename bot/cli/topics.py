"""`dispatch topic add|edit|remove|show|accept|dismiss` and `dispatch topics --suggested`.

A change is stored first, then the corpus is recomputed in this process before the command
returns, so the reply can say the topic is ready (the bot picks the change up on its next pass).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from bot.render.storylines import (
    candidate_to_dict,
    detail_to_dict,
    render_candidates,
    render_detail,
)
from bot.service import Dispatch

Handler = Callable[[argparse.Namespace], int]


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``topic`` command and its actions."""
    parser = sub.add_parser(
        "topic",
        parents=[common],
        help="add, edit, remove, show topics; accept or dismiss suggested storylines",
        description="Manage the topics stored in the database (topics.toml ones are read-only).",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))
    actions.required = True

    def action(name: str, handler: Handler, help_: str) -> argparse.ArgumentParser:
        p = actions.add_parser(name, parents=[common], help=help_, description=help_)
        p.add_argument("--json", action="store_true", help="print the public JSON object")
        p.set_defaults(handler=handler)
        return p

    add = action("add", _add, "add a topic (stored in the database)")
    add.add_argument("slug", help="like minerals-deal: lowercase words joined by hyphens")
    add.add_argument("title", nargs="?", default=None, help="its title (default: from the slug)")
    _definition(add, keywords_required=True)
    edit = action("edit", _edit, "change some fields of a topic added from Discord or the CLI")
    edit.add_argument("slug")
    edit.add_argument("--title", default=None)
    _definition(edit, keywords_required=False)
    action("remove", _remove, "remove a topic added from Discord or the CLI").add_argument("slug")
    action("show", _show, "a topic's keywords, the names it learned, its counts").add_argument(
        "topic"
    )
    action("accept", _accept, "make a suggested storyline a topic").add_argument("id")
    action("dismiss", _dismiss, "dismiss a suggested storyline for good").add_argument("id")


def _definition(p: argparse.ArgumentParser, *, keywords_required: bool) -> None:
    p.add_argument(
        "--keywords",
        nargs="+",
        required=keywords_required,
        default=None,
        metavar="KW",
        help="words that name the story (several, or comma-separated)",
    )
    p.add_argument("--requires", nargs="+", default=None, metavar="NAME", help="anchor names")
    p.add_argument("--aliases", nargs="+", default=None, metavar="NAME", help="other names")
    p.add_argument("--description", default=None)


def _service(args: argparse.Namespace) -> Dispatch:
    from bot.cli import settings_from

    return Dispatch(settings_from(args))


def _print(args: argparse.Namespace, payload: Any, text: str) -> int:
    if args.json:
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(text)
    return 0


def _ready(args: argparse.Namespace, service: Dispatch, slug: str, verb: str) -> int:
    """Recompute with the change, then print the topic as it now stands."""
    service.refresh()
    detail = service.topic_detail(slug)
    head = f"{verb} topic {slug}; its briefings are ready: `dispatch status {slug}`.\n"
    return _print(args, {"topic": detail_to_dict(detail)}, head + render_detail(detail))


def _add(args: argparse.Namespace) -> int:
    service = _service(args)
    topic = service.add_topic(
        args.slug,
        args.title,
        keywords=args.keywords,
        requires=args.requires,
        aliases=args.aliases,
        description=args.description or "",
        origin="cli",
    )
    return _ready(args, service, topic.slug, "Added")


def _edit(args: argparse.Namespace) -> int:
    service = _service(args)
    topic = service.edit_topic(
        args.slug,
        title=args.title,
        keywords=args.keywords,
        requires=args.requires,
        aliases=args.aliases,
        description=args.description,
    )
    return _ready(args, service, topic.slug, "Edited")


def _remove(args: argparse.Namespace) -> int:
    service = _service(args)
    topic = service.remove_topic(args.slug)
    service.refresh()
    payload = {"removed": {"slug": topic.slug, "title": topic.title}}
    return _print(args, payload, f"Removed topic {topic.slug} (its articles stay in the corpus).\n")


def _show(args: argparse.Namespace) -> int:
    from bot.cli.core import _fresh

    detail = _fresh(args).topic_detail(args.topic)
    return _print(args, {"topic": detail_to_dict(detail)}, render_detail(detail))


def _accept(args: argparse.Namespace) -> int:
    service = _service(args)
    topic = service.accept_candidate(args.id, by=None)
    return _ready(args, service, topic.slug, "Accepted the storyline as")


def _dismiss(args: argparse.Namespace) -> int:
    service = _service(args)
    found = service.dismiss_candidate(args.id)
    text = f"Dismissed [{found.id}] {found.title}: it will not be suggested again.\n"
    return _print(args, {"dismissed": candidate_to_dict(found)}, text)


def cmd_suggested(args: argparse.Namespace, service: Dispatch) -> int:
    """`dispatch topics --suggested`."""
    found = service.suggested()
    payload = {"suggested": [candidate_to_dict(c) for c in found]}
    return _print(args, payload, render_candidates(found))
