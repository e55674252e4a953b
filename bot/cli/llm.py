"""`dispatch usage`: LLM calls and tokens per day, and what is left of today's budget."""

from __future__ import annotations

import argparse
import json
from typing import Any

from bot.cli import settings_from


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``usage`` command."""
    parser = sub.add_parser(
        "usage",
        parents=[common],
        help="LLM calls and tokens per day, and today's budget",
        description="Token usage of the LLM engine per day and model (input and output tokens).",
    )
    parser.add_argument(
        "--days", type=_days, default=7, metavar="N", help="days to show (default 7)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=_usage)


def _days(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not 1 <= number <= 3660:
        raise argparse.ArgumentTypeError("must be between 1 and 3660")
    return number


def _usage(args: argparse.Namespace) -> int:
    from bot.service import Dispatch

    settings = settings_from(args)
    service = Dispatch(settings)
    try:
        report = service.usage(args.days)
    finally:
        service.close()
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        engine = f"openai:{settings.openai_model}" if settings.use_llm else "extractive"
        print("\n".join(report.lines(engine)))
    return 0
