"""`dispatch` subcommands of the llm area."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add this area's subcommands."""
