"""Follows (a channel follows a topic) and the alerts each channel received.

An alert is recorded ``sending`` (with the fingerprint of its message) before it is posted, and
``sent`` once the channel took it: its row, keyed by (platform, channel, development), is what
makes a development alerted at most once per channel, across restarts and processes. The
sentences it reported are kept with it, so a development rebuilt under another id (its earliest
report changed) is still recognised as the one already alerted.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.store.db import Database

MIGRATIONS: list[tuple[str, str]] = [
    (
        "follows-001",
        """
        CREATE TABLE IF NOT EXISTS follows (
            platform TEXT NOT NULL,
            channel_id INTEGER NOT NULL,
            topic TEXT NOT NULL,
            guild_id INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT,
            PRIMARY KEY (platform, channel_id, topic)
        );
        CREATE INDEX IF NOT EXISTS follows_guild ON follows(platform, guild_id);
        CREATE TABLE IF NOT EXISTS alerts (
            platform TEXT NOT NULL,
            channel_id INTEGER NOT NULL,
            development TEXT NOT NULL,
            topic TEXT NOT NULL,
            sentences TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            state TEXT NOT NULL,
            message_id INTEGER,
            at TEXT NOT NULL,
            PRIMARY KEY (platform, channel_id, development)
        );
        CREATE INDEX IF NOT EXISTS alerts_topic ON alerts(platform, channel_id, topic, at)
        """,
    ),
]


@dataclass(frozen=True, slots=True)
class Follow:
    """A channel follows a topic: new developments first seen after ``created_at`` are alerted."""

    guild_id: int
    channel_id: int
    topic: str
    created_at: datetime
    created_by: str | None = None


@dataclass(frozen=True, slots=True)
class AlertRecord:
    """One alert of a channel: its development, and whether the channel is known to have it."""

    development: str
    topic: str
    sentences: tuple[str, ...]
    fingerprint: str
    sent: bool
    at: datetime


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _follow(row: sqlite3.Row) -> Follow:
    return Follow(
        int(row["guild_id"]),
        int(row["channel_id"]),
        row["topic"],
        datetime.fromisoformat(row["created_at"]),
        row["created_by"],
    )


def _alert(row: sqlite3.Row) -> AlertRecord:
    return AlertRecord(
        row["development"],
        row["topic"],
        tuple(json.loads(row["sentences"])),
        row["fingerprint"],
        row["state"] == "sent",
        datetime.fromisoformat(row["at"]),
    )


_KEY = "platform = ? AND channel_id = ? AND development = ?"


class FollowRepo:
    """Follows and alert records of one platform's channels."""

    def __init__(self, db: Database, platform: str = "discord") -> None:
        self.db = db
        self.platform = platform

    # -- follows -------------------------------------------------------------------------------
    def follow(
        self, guild_id: int, channel_id: int, topic: str, now: datetime, by: str | None = None
    ) -> tuple[Follow, bool]:
        """Follow a topic in a channel; the follow (an existing one is kept) and whether it is new."""
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO follows(platform, channel_id, topic, guild_id, created_at, created_by) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(platform, channel_id, topic) DO NOTHING",
                (self.platform, channel_id, topic, guild_id, _iso(now), by),
            )
            created = cur.rowcount > 0
            row = cur.execute(
                "SELECT * FROM follows WHERE platform = ? AND channel_id = ? AND topic = ?",
                (self.platform, channel_id, topic),
            ).fetchone()
        return _follow(row), created

    def unfollow(self, channel_id: int, topic: str) -> bool:
        """Stop following a topic in a channel; whether it was followed there."""
        with self.db.transaction() as cur:
            cur.execute(
                "DELETE FROM follows WHERE platform = ? AND channel_id = ? AND topic = ?",
                (self.platform, channel_id, topic),
            )
            return cur.rowcount > 0

    def follows(self, guild_id: int | None = None) -> list[Follow]:
        """Every follow (of one guild, if given), by channel then topic."""
        where, args = "platform = ?", list[object]([self.platform])
        if guild_id is not None:
            where += " AND guild_id = ?"
            args.append(guild_id)
        rows = self.db.query(
            f"SELECT * FROM follows WHERE {where} ORDER BY channel_id, topic", args
        )
        return [_follow(r) for r in rows]

    def drop_channel(self, channel_id: int) -> int:
        """Forget a channel's follows (it was deleted); how many there were."""
        with self.db.transaction() as cur:
            cur.execute(
                "DELETE FROM follows WHERE platform = ? AND channel_id = ?",
                (self.platform, channel_id),
            )
            return cur.rowcount

    def drop_guild(self, guild_id: int) -> int:
        """Forget a guild's follows (the bot left it); how many there were."""
        with self.db.transaction() as cur:
            cur.execute(
                "DELETE FROM follows WHERE platform = ? AND guild_id = ?", (self.platform, guild_id)
            )
            return cur.rowcount

    # -- alerts --------------------------------------------------------------------------------
    def alerts(self, channel_id: int, topic: str) -> list[AlertRecord]:
        """A channel's alerts on a topic, oldest first."""
        rows = self.db.query(
            "SELECT * FROM alerts WHERE platform = ? AND channel_id = ? AND topic = ? ORDER BY at",
            (self.platform, channel_id, topic),
        )
        return [_alert(r) for r in rows]

    def sending(
        self,
        channel_id: int,
        development: str,
        topic: str,
        sentences: tuple[str, ...],
        fingerprint: str,
        now: datetime,
    ) -> bool:
        """Claim an alert before posting it; False when it is already on record (sent, or
        being sent by another run)."""
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO alerts(platform, channel_id, development, topic, sentences, "
                "fingerprint, state, at) VALUES (?, ?, ?, ?, ?, ?, 'sending', ?) "
                "ON CONFLICT(platform, channel_id, development) DO NOTHING",
                (
                    self.platform,
                    channel_id,
                    development,
                    topic,
                    json.dumps(sentences),
                    fingerprint,
                    _iso(now),
                ),
            )
            return cur.rowcount > 0

    def delivered(self, channel_id: int, development: str, message_id: int) -> None:
        """The channel took the alert."""
        with self.db.transaction() as cur:
            cur.execute(
                f"UPDATE alerts SET state = 'sent', message_id = ? WHERE {_KEY}",
                (message_id, self.platform, channel_id, development),
            )

    def forget(self, channel_id: int, development: str) -> None:
        """An alert recorded as sending never reached the channel: drop its claim."""
        with self.db.transaction() as cur:
            cur.execute(
                f"DELETE FROM alerts WHERE {_KEY} AND state = 'sending'",
                (self.platform, channel_id, development),
            )

    def unsettled(self, before: datetime) -> list[tuple[int, AlertRecord]]:
        """Alerts left ``sending`` since before ``before`` (their run died), with their channel."""
        rows = self.db.query(
            "SELECT * FROM alerts WHERE platform = ? AND state = 'sending' AND at < ?",
            (self.platform, _iso(before)),
        )
        return [(int(r["channel_id"]), _alert(r)) for r in rows]
