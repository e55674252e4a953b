"""Storage for the feeds area (owned by that area; see bot/store/db.py for how migrations run)."""

from __future__ import annotations

from bot.store.db import Database

MIGRATIONS: list[tuple[str, str]] = []


class FeedRepo:
    """Queries for the feeds area."""

    def __init__(self, db: Database) -> None:
        self.db = db
