"""The ``dispatch`` command line: a thin client of the ``Dispatch`` service.

Each area registers its own subcommands from a module here (``core``, ``feeds``, ``llm``,
``discord``); this module parses global options, builds settings once, and turns errors into a
one-line message and an exit code (0 ok, 2 usage or unknown topic, 1 anything else).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.errors import DispatchError

log = logging.getLogger("dispatch")

# Modules that add subcommands: each defines ``register(subparsers, common)``.
COMMAND_MODULES = (
    "bot.cli.core",
    "bot.cli.feeds",
    "bot.cli.llm",
    "bot.cli.follows",
    "bot.cli.discord",
    "bot.cli.topics",
    "bot.cli.worker",
)

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        raise SystemExit(_fail(f"{self.prog}: {message}", 2))


def _fail(message: str, code: int) -> int:
    print(f"dispatch: {message}", file=sys.stderr)
    return code


def _database(value: str) -> Path | str:
    """A --db value: a postgresql:// URL as given (a Path would fold its "//"), else a file."""
    from bot.settings import database_target

    return database_target(value)


def _folder(value: str) -> Path:
    """A --corpus value: an empty one (an unset shell variable) would mean the whole cwd."""
    if not value.strip():
        raise argparse.ArgumentTypeError("needs a folder name (got an empty string)")
    return Path(value)


def _globals(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--corpus",
        action="append",
        type=_folder,
        default=default,
        metavar="DIR",
        help="corpus folder (repeatable; default: $DISPATCH_CORPUS or seeds/)",
    )
    parser.add_argument(
        "--db",
        type=_database,
        default=default,
        metavar="PATH|URL",
        help="SQLite file or postgresql:// URL (default: $DISPATCH_DB or data/dispatch.db)",
    )
    parser.add_argument(
        "--engine",
        choices=["auto", "extractive", "openai"],
        default=default,
        help="briefing engine (default: $DISPATCH_ENGINE or auto)",
    )
    parser.add_argument(
        "--debug", action="store_true", default=default, help="show tracebacks and debug logs"
    )


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every area's subcommands."""
    parser = _Parser(prog="dispatch", description="Cited briefings on developing news stories.")
    _globals(parser, suppress=False)
    common = _Parser(add_help=False)
    _globals(common, suppress=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        module.register(sub, common)
    return parser


def settings_from(args: argparse.Namespace) -> Any:
    """Build settings once: flag, then ``DISPATCH_*`` (and ``.env``), then default.

    A configuration that cannot work is refused here, before anything runs: ``--engine openai``
    with neither a key nor a server would otherwise call api.openai.com with no key.
    """
    from bot.errors import ConfigError
    from bot.settings import load_settings

    settings = load_settings(corpus=args.corpus, db=args.db, engine=args.engine)
    problem = settings.engine_problem()
    if problem:
        raise ConfigError(problem)
    return settings


def _database_problem(exc: sqlite3.DatabaseError) -> str:
    """One line for an SQLite error met after the database opened."""
    if isinstance(exc, sqlite3.OperationalError):  # locked, disk full, read-only…
        return f"database error: {exc} (run with --debug for details)"
    return f"the database is damaged ({exc}): restore it, or move it away to start a new one"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``dispatch`` and ``python -m bot``."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed in one line
        return int(exc.code or 0)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return int(args.handler(args) or 0)
    except DispatchError as exc:
        if args.debug:
            raise
        return _fail(str(exc), exc.exit_code)
    except ValidationError as exc:
        if args.debug:
            raise
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return _fail(f"invalid setting: {problems}", 2)
    except sqlite3.DatabaseError as exc:
        if args.debug:
            raise
        return _fail(_database_problem(exc), 1)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if args.debug:
            raise
        return _unexpected(exc)


def _unexpected(exc: Exception) -> int:
    """One line for an error nobody turned into a message (PostgreSQL's, or a bug)."""
    if type(exc).__module__.startswith("psycopg"):  # the server refused or went away
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return _fail(f"database error: {first} (run with --debug for details)", 1)
    log.debug("unexpected error", exc_info=True)
    return _fail(f"{type(exc).__name__}: {exc} (run with --debug for details)", 1)
