"""Storage for the digests area (owned by that area; see bot/store/db.py for how migrations run)."""

from __future__ import annotations

from bot.store.db import Database

MIGRATIONS: list[tuple[str, str]] = []


class DigestRepo:
    """Queries for the digests area."""

    def __init__(self, db: Database) -> None:
        self.db = db
