"""Dispatch: a Discord bot that briefs a community on developing news stories, citing every statement.

Importing ``bot`` stays light: ``create_bot`` (which needs discord.py) is loaded on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["create_bot"]

if TYPE_CHECKING:
    from bot.discord import create_bot


def __getattr__(name: str) -> Any:
    if name == "create_bot":
        from bot.discord import create_bot

        return create_bot
    raise AttributeError(f"module 'bot' has no attribute {name!r}")
