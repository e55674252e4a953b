"""LLM engine (placeholder until the LLM area lands)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.digest.engine import Engine
    from bot.settings import Settings
    from bot.store import Store


def build_engine(settings: Settings, store: Store, fallback: Engine, *, clock: Clock) -> Engine:
    """Build the OpenAI-compatible engine; ``fallback`` answers when it cannot."""
    return fallback
