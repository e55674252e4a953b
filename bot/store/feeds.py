"""Live sources (feeds and article URLs) and the items already seen from them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.store.db import Database

FeedKind = Literal["feed", "url"]
Origin = Literal["config", "cli", "discord"]

MIGRATIONS: list[tuple[str, str]] = [
    (
        "feeds-001",
        """
        CREATE TABLE IF NOT EXISTS feed_sources (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            url TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL DEFAULT 'feed',
            title TEXT,
            interval_minutes REAL NOT NULL,
            etag TEXT,
            last_modified TEXT,
            next_due TEXT,
            last_polled TEXT,
            last_ok TEXT,
            last_error TEXT NOT NULL DEFAULT '',
            failures INTEGER NOT NULL DEFAULT 0,
            disabled_reason TEXT,
            added_by TEXT,
            origin TEXT NOT NULL DEFAULT 'cli',
            config_path TEXT,
            added_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS feed_items (
            source_id INTEGER NOT NULL,
            guid TEXT NOT NULL,
            canonical_url TEXT NOT NULL DEFAULT '',
            article_id TEXT,
            outcome TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 1,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (source_id, guid)
        );
        CREATE INDEX IF NOT EXISTS feed_items_url ON feed_items(canonical_url)
        """,
    ),
]

# Item outcomes that mean "done with this item": never fetched again.
FINAL_OUTCOMES = ("added", "updated", "unchanged", "duplicate", "republished", "rejected")
# Item outcomes whose URL names a stored article (later items with that URL are duplicates).
STORED_OUTCOMES = ("added", "updated", "unchanged", "duplicate", "republished")


@dataclass(frozen=True, slots=True)
class FeedSource:
    """One polled source: a feed, or a single article URL fetched once."""

    id: int
    url: str
    kind: FeedKind
    title: str | None
    interval_minutes: float
    etag: str | None
    last_modified: str | None
    next_due: datetime | None
    last_polled: datetime | None
    last_ok: datetime | None
    last_error: str
    failures: int
    disabled_reason: str | None
    added_by: str | None
    origin: Origin
    config_path: str | None
    added_at: datetime

    @property
    def label(self) -> str:
        """The title if known, else the URL."""
        return self.title or self.url

    @property
    def state(self) -> str:
        """A short human word for where the source stands."""
        if self.disabled_reason:
            return "disabled"
        if self.kind == "url" and self.next_due is None and self.last_ok is not None:
            return "fetched"
        if self.failures:
            return "failing"
        return "ok" if self.last_ok else "new"


@dataclass(frozen=True, slots=True)
class ConfigEntry:
    """A feed declared in a corpus folder's feeds.toml."""

    url: str
    interval_minutes: float
    title: str | None
    path: str


@dataclass(frozen=True, slots=True)
class SeenItem:
    """An item already handled for a source."""

    source_id: int
    guid: str
    canonical_url: str
    article_id: str | None
    outcome: str
    attempts: int


_ITEM_COLUMNS = "source_id, guid, canonical_url, article_id, outcome, attempts"


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _source(row: sqlite3.Row) -> FeedSource:
    return FeedSource(
        id=row["id"],
        url=row["url"],
        kind=row["kind"],
        title=row["title"],
        interval_minutes=row["interval_minutes"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        next_due=_dt(row["next_due"]),
        last_polled=_dt(row["last_polled"]),
        last_ok=_dt(row["last_ok"]),
        last_error=row["last_error"],
        failures=row["failures"],
        disabled_reason=row["disabled_reason"],
        added_by=row["added_by"],
        origin=row["origin"],
        config_path=row["config_path"],
        added_at=datetime.fromisoformat(row["added_at"]),
    )


class FeedRepo:
    """Queries over live sources and their seen items."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- sources: reads ----------------------------------------------------------------------
    def get(self, source_id: int) -> FeedSource | None:
        """One source by id."""
        row = self.db.one("SELECT * FROM feed_sources WHERE id = ?", (source_id,))
        return None if row is None else _source(row)

    def by_url(self, url: str) -> FeedSource | None:
        """One source by its URL."""
        row = self.db.one("SELECT * FROM feed_sources WHERE url = ?", (url,))
        return None if row is None else _source(row)

    def all(self) -> list[FeedSource]:
        """Every source, in the order they were added."""
        return [_source(r) for r in self.db.query("SELECT * FROM feed_sources ORDER BY id")]

    def due(self, now: datetime, *, force: bool = False) -> list[FeedSource]:
        """Enabled sources due at ``now`` (with ``force``, every enabled source still to poll)."""
        out = []
        for src in self.all():
            if src.disabled_reason or (src.kind == "url" and src.state == "fetched"):
                continue
            if force or src.next_due is None or src.next_due <= now:
                out.append(src)
        return out

    # -- sources: writes ---------------------------------------------------------------------
    def add(
        self,
        url: str,
        *,
        kind: FeedKind,
        interval_minutes: float,
        now: datetime,
        title: str | None = None,
        added_by: str | None = None,
        origin: Origin = "cli",
        config_path: str | None = None,
    ) -> FeedSource:
        """Insert a source, or update (and re-enable) the existing one with this URL."""
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO feed_sources (url, kind, title, interval_minutes, next_due, added_by,"
                " origin, config_path, added_at) VALUES (?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(url) DO UPDATE SET kind = excluded.kind,"
                " title = COALESCE(excluded.title, title),"
                " interval_minutes = excluded.interval_minutes,"
                " origin = CASE WHEN origin = 'config' THEN origin ELSE excluded.origin END,"
                " disabled_reason = NULL, failures = 0,"
                " next_due = CASE WHEN disabled_reason IS NOT NULL THEN excluded.next_due"
                " ELSE next_due END",
                (
                    url,
                    kind,
                    title,
                    interval_minutes,
                    _iso(now),
                    added_by,
                    origin,
                    config_path,
                    _iso(now),
                ),
            )
        found = self.by_url(url)
        assert found is not None
        return found

    def remove(self, source_id: int) -> None:
        """Stop polling a source (its stored articles and seen items stay)."""
        with self.db.transaction() as cur:
            cur.execute("DELETE FROM feed_sources WHERE id = ?", (source_id,))

    def record_success(
        self,
        source_id: int,
        *,
        now: datetime,
        next_due: datetime | None,
        etag: str | None = None,
        last_modified: str | None = None,
        title: str | None = None,
        keep_validators: bool = True,
    ) -> None:
        """A poll worked: reset failures, remember validators (unless told to forget them: the
        next poll then gets the whole feed, not a 304) and when to come back."""
        keep = 1 if keep_validators else 0
        with self.db.transaction() as cur:
            cur.execute(
                "UPDATE feed_sources SET failures = 0, last_error = '', last_polled = ?, last_ok = ?,"
                " next_due = ?,"
                " etag = CASE WHEN ? = 1 THEN COALESCE(?, etag) END,"
                " last_modified = CASE WHEN ? = 1 THEN COALESCE(?, last_modified) END,"
                " title = COALESCE(title, ?) WHERE id = ?",
                (
                    _iso(now),
                    _iso(now),
                    _iso(next_due),
                    keep,
                    etag,
                    keep,
                    last_modified,
                    title,
                    source_id,
                ),
            )

    def record_failure(
        self,
        source_id: int,
        *,
        now: datetime,
        next_due: datetime,
        error: str,
        disabled_reason: str | None = None,
    ) -> None:
        """A poll failed: count it, back off, and disable the source when told to."""
        with self.db.transaction() as cur:
            cur.execute(
                "UPDATE feed_sources SET failures = failures + 1, last_error = ?, last_polled = ?,"
                " next_due = ?, disabled_reason = ? WHERE id = ?",
                (error, _iso(now), _iso(next_due), disabled_reason, source_id),
            )

    # -- seen items --------------------------------------------------------------------------
    def seen(self, source_id: int, guid: str) -> SeenItem | None:
        """The item with this GUID in this source, if handled before."""
        row = self.db.one(
            f"SELECT {_ITEM_COLUMNS} FROM feed_items WHERE source_id = ? AND guid = ?",
            (source_id, guid),
        )
        return None if row is None else SeenItem(**dict(row))

    def seen_url(self, canonical_url: str) -> SeenItem | None:
        """The first handled item (from any source) with this canonical URL."""
        row = self.db.one(
            f"SELECT {_ITEM_COLUMNS} FROM feed_items WHERE canonical_url = ? AND outcome IN"
            f" ({','.join('?' * len(STORED_OUTCOMES))}) ORDER BY seen_at LIMIT 1",
            (canonical_url, *STORED_OUTCOMES),
        )
        return None if row is None else SeenItem(**dict(row))

    def mark_seen(
        self,
        source_id: int,
        guid: str,
        *,
        canonical_url: str,
        outcome: str,
        now: datetime,
        article_id: str | None = None,
    ) -> None:
        """Remember an item; repeated calls for the same GUID count attempts."""
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO feed_items (source_id, guid, canonical_url, article_id, outcome,"
                " attempts, seen_at) VALUES (?,?,?,?,?,1,?)"
                " ON CONFLICT(source_id, guid) DO UPDATE SET outcome = excluded.outcome,"
                " article_id = excluded.article_id, attempts = attempts + 1",
                (source_id, guid, canonical_url, article_id, outcome, _iso(now)),
            )

    def items(self, source_id: int) -> list[SeenItem]:
        """Every item handled for a source."""
        rows = self.db.query(
            f"SELECT {_ITEM_COLUMNS} FROM feed_items WHERE source_id = ? ORDER BY seen_at, guid",
            (source_id,),
        )
        return [SeenItem(**dict(r)) for r in rows]

    # -- feeds.toml --------------------------------------------------------------------------
    def sync_config(self, entries: Iterable[ConfigEntry], *, now: datetime) -> None:
        """Make the config-origin sources match the feeds.toml entries, in one transaction.

        New URLs are added, known ones take the declared title and interval (their polling
        state is kept), and config sources no longer declared anywhere are dropped.
        """
        wanted = {e.url: e for e in entries}
        with self.db.transaction() as cur:
            for e in wanted.values():
                cur.execute(
                    "INSERT INTO feed_sources (url, kind, title, interval_minutes, next_due,"
                    " origin, config_path, added_at) VALUES (?,'feed',?,?,?,'config',?,?)"
                    " ON CONFLICT(url) DO UPDATE SET title = COALESCE(excluded.title, title),"
                    " interval_minutes = excluded.interval_minutes, origin = 'config',"
                    " config_path = excluded.config_path",
                    (e.url, e.title, e.interval_minutes, _iso(now), e.path, _iso(now)),
                )
            rows = cur.execute(
                "SELECT id, url FROM feed_sources WHERE origin = 'config'"
            ).fetchall()
            stale = [(r["id"],) for r in rows if r["url"] not in wanted]
            cur.executemany("DELETE FROM feed_sources WHERE id = ?", stale)
