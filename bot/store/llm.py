"""LLM results cache and token usage: what was asked once is never paid for twice."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from bot.store.db import Database

MIGRATIONS: list[tuple[str, str]] = [
    (
        "llm-001",
        """
        CREATE TABLE IF NOT EXISTS llm_cache (
            key TEXT PRIMARY KEY,
            purpose TEXT NOT NULL,
            model TEXT NOT NULL,
            prompt_version TEXT NOT NULL,
            body TEXT NOT NULL,
            created TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS llm_usage (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            day TEXT NOT NULL,
            model TEXT NOT NULL,
            purpose TEXT NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            counted_by TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS llm_usage_day ON llm_usage(day)
        """,
    ),
]


@dataclass(frozen=True, slots=True)
class UsageRecord:
    """One model call's token usage (``counted_by``: "server" or "tiktoken")."""

    at: datetime
    model: str
    purpose: str
    input_tokens: int
    output_tokens: int
    counted_by: str = "server"

    @property
    def day(self) -> date:
        """The UTC day the call counts against (whatever zone the clock reported in)."""
        return self.at.astimezone(UTC).date()


@dataclass(frozen=True, slots=True)
class DayUsage:
    """Token usage of one day and model."""

    day: date
    model: str
    calls: int
    input_tokens: int
    output_tokens: int

    @property
    def total(self) -> int:
        """Input plus output tokens."""
        return self.input_tokens + self.output_tokens


class LLMRepo:
    """Cached model results and recorded token usage."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- cache -------------------------------------------------------------------------------
    def cached(self, key: str) -> Any | None:
        """The stored result for a cache key, or None."""
        row = self.db.one("SELECT body FROM llm_cache WHERE key = ?", (key,))
        return None if row is None else json.loads(row[0])

    def put_cached(
        self, key: str, body: Any, *, purpose: str, model: str, prompt_version: str, at: datetime
    ) -> None:
        """Store a validated model result under its cache key."""
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO llm_cache(key, purpose, model, prompt_version, body, created) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET body = excluded.body, "
                "created = excluded.created",
                (key, purpose, model, prompt_version, json.dumps(body), at.isoformat()),
            )

    # -- usage -------------------------------------------------------------------------------
    def record_usage(self, record: UsageRecord) -> None:
        """Store one call's token usage."""
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO llm_usage(at, day, model, purpose, input_tokens, output_tokens, "
                "counted_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    record.at.isoformat(),
                    record.day.isoformat(),
                    record.model,
                    record.purpose,
                    record.input_tokens,
                    record.output_tokens,
                    record.counted_by,
                ),
            )

    def tokens_on(self, day: date) -> int:
        """Input plus output tokens used on a day, all models."""
        row = self.db.one(
            "SELECT COALESCE(SUM(input_tokens + output_tokens), 0) FROM llm_usage WHERE day = ?",
            (day.isoformat(),),
        )
        return int(row[0]) if row else 0

    def usage_since(self, first_day: date) -> list[DayUsage]:
        """Per day and model from ``first_day`` on, newest day first."""
        rows = self.db.query(
            "SELECT day, model, COUNT(*), SUM(input_tokens), SUM(output_tokens) FROM llm_usage "
            "WHERE day >= ? GROUP BY day, model ORDER BY day DESC, model",
            (first_day.isoformat(),),
        )
        return [DayUsage(date.fromisoformat(r[0]), r[1], r[2], r[3], r[4]) for r in rows]

    def calls(self, limit: int = 100) -> list[UsageRecord]:
        """The most recent calls, newest first."""
        rows = self.db.query(
            "SELECT at, model, purpose, input_tokens, output_tokens, counted_by FROM llm_usage "
            "ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [
            UsageRecord(datetime.fromisoformat(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in rows
        ]
