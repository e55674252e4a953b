"""Computed results: topic assignments and stored briefings, keyed by corpus version."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot.store.db import Database

MIGRATIONS: list[tuple[str, str]] = [
    (
        "briefings-001",
        """
        CREATE TABLE IF NOT EXISTS topic_sources (
            slug TEXT NOT NULL,
            source_id TEXT NOT NULL,
            score REAL NOT NULL,
            PRIMARY KEY (slug, source_id)
        );
        CREATE TABLE IF NOT EXISTS computed (
            slug TEXT NOT NULL,
            kind TEXT NOT NULL,
            engine TEXT NOT NULL,
            version TEXT NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (slug, kind, engine)
        )
        """,
    ),
]


class BriefingRepo:
    """Stored results of the engines, so commands read instead of recomputing."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def put(self, slug: str, kind: str, engine: str, version: str, body: Any) -> None:
        """Store one computed result (JSON-serialisable) for a topic."""
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT OR REPLACE INTO computed (slug, kind, engine, version, body)"
                " VALUES (?,?,?,?,?)",
                (slug, kind, engine, version, json.dumps(body, ensure_ascii=False)),
            )

    def put_many(self, rows: list[tuple[str, str, str, str, Any]]) -> None:
        """Store several results in one transaction."""
        with self.db.transaction() as cur:
            cur.executemany(
                "INSERT OR REPLACE INTO computed (slug, kind, engine, version, body)"
                " VALUES (?,?,?,?,?)",
                [(a, b, c, d, json.dumps(e, ensure_ascii=False)) for a, b, c, d, e in rows],
            )

    def put_provisional(
        self,
        stamped: str,
        version: str,
        rows: list[tuple[str, str, str, str, Any]],
        assignments: list[tuple[str, str, float]],
        meta: dict[str, str],
    ) -> None:
        """Store a quick update in one transaction: the results stamped ``stamped`` move to
        ``version`` (the topics it left untouched), ``rows`` replace those it rebuilt, the new
        articles' assignments are added and the ``meta`` keys set."""
        with self.db.transaction() as cur:
            cur.execute("UPDATE computed SET version = ? WHERE version = ?", (version, stamped))
            cur.executemany(
                "INSERT OR REPLACE INTO computed (slug, kind, engine, version, body)"
                " VALUES (?,?,?,?,?)",
                [(a, b, c, d, json.dumps(e, ensure_ascii=False)) for a, b, c, d, e in rows],
            )
            cur.executemany(
                "INSERT OR REPLACE INTO topic_sources (slug, source_id, score) VALUES (?,?,?)",
                assignments,
            )
            cur.executemany(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                list(meta.items()),
            )

    def get(self, slug: str, kind: str, engine: str, version: str | None = None) -> Any | None:
        """A stored result, or None if missing (or computed for another corpus version)."""
        row = self.db.one(
            "SELECT version, body FROM computed WHERE slug = ? AND kind = ? AND engine = ?",
            (slug, kind, engine),
        )
        if row is None or (version is not None and row["version"] != version):
            return None
        return json.loads(row["body"])

    def set_assignments(self, rows: list[tuple[str, str, float]]) -> None:
        """Replace all topic assignments with (slug, source id, score) rows."""
        with self.db.transaction() as cur:
            cur.execute("DELETE FROM topic_sources")
            cur.executemany(
                "INSERT INTO topic_sources (slug, source_id, score) VALUES (?,?,?)", rows
            )

    def topic_stats(self) -> dict[str, tuple[int, date | None]]:
        """Per topic: how many sources are assigned, and the newest publication date among them."""
        rows = self.db.query(
            "SELECT t.slug, COUNT(*) AS n, MAX(s.published) AS latest FROM topic_sources t"
            " JOIN sources s ON s.id = t.source_id GROUP BY t.slug"
        )
        return {
            r["slug"]: (int(r["n"]), date.fromisoformat(r["latest"]) if r["latest"] else None)
            for r in rows
        }

    def assignments(self, slug: str | None = None) -> list[tuple[str, str, float]]:
        """(slug, source id, score) rows, best first."""
        if slug is None:
            rows = self.db.query("SELECT * FROM topic_sources ORDER BY slug, score DESC, source_id")
        else:
            rows = self.db.query(
                "SELECT * FROM topic_sources WHERE slug = ? ORDER BY score DESC, source_id",
                (slug,),
            )
        return [(r["slug"], r["source_id"], r["score"]) for r in rows]
