"""Storage for the llm area (owned by that area; see bot/store/db.py for how migrations run)."""

from __future__ import annotations

from bot.store.db import Database

MIGRATIONS: list[tuple[str, str]] = []


class LLMRepo:
    """Queries for the llm area."""

    def __init__(self, db: Database) -> None:
        self.db = db
