"""Core `dispatch` subcommands: ingest, topics, status, timeline, digest, sources, ask."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the core subcommands."""
