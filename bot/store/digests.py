"""Daily digest state: per-channel schedules, the posts log, failures to report, the synced command hash.

A scheduled post is *claimed* (one row per channel and local date, UNIQUE) before anything is
sent, so a restart or a second bot process can never post the same day twice. A claim whose
post died (its heartbeat older than the claim timeout) is taken back and the post resumed:
``bot.store.deliveries`` knows which of its messages already went out.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.store.db import Database

MIGRATIONS: list[tuple[str, str]] = [
    (
        "digests-001",
        """
        CREATE TABLE IF NOT EXISTS digest_channels (
            channel_id INTEGER PRIMARY KEY,
            guild_id INTEGER NOT NULL,
            post_time TEXT NOT NULL,
            timezone TEXT NOT NULL,
            enabled INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            cutoff TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS digest_channels_guild ON digest_channels(guild_id);
        CREATE TABLE IF NOT EXISTS digest_posts (
            channel_id INTEGER NOT NULL,
            local_date TEXT NOT NULL,
            scheduled_for TEXT NOT NULL,
            status TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            UNIQUE (channel_id, local_date)
        );
        CREATE TABLE IF NOT EXISTS digest_failures (
            guild_id INTEGER PRIMARY KEY,
            channel_id INTEGER NOT NULL,
            message TEXT NOT NULL,
            at TEXT NOT NULL
        )
        """,
    ),
    (
        # Keyed by (platform, channel) so another delivery surface can share the tables; a
        # claim's heartbeat (renewed as each message lands) and how often it was taken: a claim
        # whose heartbeat is older than the claim timeout belongs to a post that died.
        "digests-002",
        """
        CREATE TABLE digest_channels_v2 (
            platform TEXT NOT NULL DEFAULT 'discord',
            channel_id INTEGER NOT NULL,
            guild_id INTEGER NOT NULL,
            post_time TEXT NOT NULL,
            timezone TEXT NOT NULL,
            enabled INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            cutoff TEXT NOT NULL,
            PRIMARY KEY (platform, channel_id)
        );
        INSERT INTO digest_channels_v2(channel_id, guild_id, post_time, timezone, enabled, created_at, cutoff)
            SELECT channel_id, guild_id, post_time, timezone, enabled, created_at, cutoff FROM digest_channels;
        DROP TABLE digest_channels;
        ALTER TABLE digest_channels_v2 RENAME TO digest_channels;
        CREATE INDEX digest_channels_guild ON digest_channels(platform, guild_id);
        CREATE TABLE digest_posts_v2 (
            platform TEXT NOT NULL DEFAULT 'discord',
            channel_id INTEGER NOT NULL,
            local_date TEXT NOT NULL,
            scheduled_for TEXT NOT NULL,
            status TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            claimed_at TEXT,
            attempts INTEGER NOT NULL DEFAULT 1,
            UNIQUE (platform, channel_id, local_date)
        );
        INSERT INTO digest_posts_v2(channel_id, local_date, scheduled_for, status, detail, created_at)
            SELECT channel_id, local_date, scheduled_for, status, detail, created_at FROM digest_posts;
        DROP TABLE digest_posts;
        ALTER TABLE digest_posts_v2 RENAME TO digest_posts;
        CREATE TABLE digest_failures_v2 (
            platform TEXT NOT NULL DEFAULT 'discord',
            guild_id INTEGER NOT NULL,
            channel_id INTEGER NOT NULL,
            message TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (platform, guild_id)
        );
        INSERT INTO digest_failures_v2(guild_id, channel_id, message, at)
            SELECT guild_id, channel_id, message, at FROM digest_failures;
        DROP TABLE digest_failures;
        ALTER TABLE digest_failures_v2 RENAME TO digest_failures
        """,
    ),
    (
        # The topics a channel's digest is limited to (a JSON list of slugs); NULL: every topic.
        "digests-003",
        "ALTER TABLE digest_channels ADD COLUMN topics TEXT",
    ),
]

_COMMAND_HASH_KEY = "discord.command_hash"


@dataclass(frozen=True, slots=True)
class DigestChannel:
    """One channel's daily digest schedule and the cut-off its next digest starts from."""

    channel_id: int
    guild_id: int
    post_time: time
    timezone: str
    enabled: bool
    created_at: datetime
    cutoff: datetime
    topics: tuple[str, ...] | None = None  # the topics its digest names; None: every topic


@dataclass(frozen=True, slots=True)
class DigestFailure:
    """The last failed scheduled post in a guild, kept until an admin has been told."""

    guild_id: int
    channel_id: int
    message: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Claim:
    """A post this process may send: ``until`` is the first claim's instant, fixed across retries."""

    channel_id: int
    local_date: date
    until: datetime
    attempt: int


def _channel(row: sqlite3.Row) -> DigestChannel:
    hour, minute = (int(p) for p in row["post_time"].split(":"))
    return DigestChannel(
        channel_id=int(row["channel_id"]),
        guild_id=int(row["guild_id"]),
        post_time=time(hour, minute),
        timezone=row["timezone"],
        enabled=bool(row["enabled"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        cutoff=datetime.fromisoformat(row["cutoff"]),
        topics=None if row["topics"] is None else tuple(json.loads(row["topics"])),
    )


def _iso(moment: datetime) -> str:
    """UTC ISO text, so stored instants compare correctly as strings."""
    return moment.astimezone(UTC).isoformat()


def _move_cutoff(cur: sqlite3.Cursor, key: tuple[str, int], cutoff: datetime) -> None:
    """Cut-offs only move forward; per-topic cut-offs it overtakes are no longer needed."""
    cur.execute(
        "UPDATE digest_channels SET cutoff = ? WHERE platform = ? AND channel_id = ? AND cutoff < ?",
        (_iso(cutoff), *key, _iso(cutoff)),
    )
    cur.execute(
        "DELETE FROM digest_topic_cutoffs WHERE platform = ? AND channel_id = ? AND cutoff <= ?",
        (*key, _iso(cutoff)),
    )


# A row another process may take: given back after a transient failure, or a dead post's claim.
_TAKEABLE = "(status = 'retry' OR (status = 'claimed' AND COALESCE(claimed_at, created_at) < ?))"


class DigestRepo:
    """Queries for daily digests of one platform (every row is keyed by platform and channel)."""

    def __init__(self, db: Database, platform: str = "discord") -> None:
        self.db = db
        self.platform = platform

    # -- schedules ----------------------------------------------------------------------------
    def configure(
        self,
        guild_id: int,
        channel_id: int,
        post_time: time,
        timezone: str,
        now: datetime,
        topics: tuple[str, ...] | None = None,
    ) -> DigestChannel:
        """Create or update a channel's schedule (limited to ``topics``, if given); a new (or
        re-enabled) schedule starts at ``now``."""
        hhmm = f"{post_time.hour:02d}:{post_time.minute:02d}"
        chosen = None if topics is None else json.dumps(list(topics))
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO digest_channels(platform, channel_id, guild_id, post_time, timezone, enabled, created_at, cutoff, topics) "
                "VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?) "
                "ON CONFLICT(platform, channel_id) DO UPDATE SET guild_id = excluded.guild_id, "
                "post_time = excluded.post_time, timezone = excluded.timezone, enabled = 1, "
                "created_at = excluded.created_at, topics = excluded.topics, "
                "cutoff = CASE WHEN digest_channels.enabled = 1 THEN digest_channels.cutoff ELSE excluded.cutoff END",
                (self.platform, channel_id, guild_id, hhmm, timezone, _iso(now), _iso(now), chosen),
            )
        found = self.get(channel_id)
        assert found is not None
        return found

    def disable(self, channel_id: int) -> bool:
        """Stop a channel's daily digest; return whether one was enabled."""
        with self.db.transaction() as cur:
            cur.execute(
                "UPDATE digest_channels SET enabled = 0 WHERE platform = ? AND channel_id = ? AND enabled = 1",
                (self.platform, channel_id),
            )
            return cur.rowcount > 0

    def disable_guild(self, guild_id: int) -> int:
        """Stop every daily digest of a guild (the bot left it); return how many were enabled."""
        with self.db.transaction() as cur:
            cur.execute(
                "UPDATE digest_channels SET enabled = 0 WHERE platform = ? AND guild_id = ? AND enabled = 1",
                (self.platform, guild_id),
            )
            return cur.rowcount

    def get(self, channel_id: int) -> DigestChannel | None:
        """One channel's schedule, enabled or not."""
        row = self.db.one(
            "SELECT * FROM digest_channels WHERE platform = ? AND channel_id = ?",
            (self.platform, channel_id),
        )
        return None if row is None else _channel(row)

    def enabled(self) -> list[DigestChannel]:
        """Every enabled schedule."""
        rows = self.db.query(
            "SELECT * FROM digest_channels WHERE platform = ? AND enabled = 1 ORDER BY channel_id",
            (self.platform,),
        )
        return [_channel(r) for r in rows]

    def in_guild(self, guild_id: int) -> list[DigestChannel]:
        """A guild's schedules, enabled or not."""
        rows = self.db.query(
            "SELECT * FROM digest_channels WHERE platform = ? AND guild_id = ? ORDER BY channel_id",
            (self.platform, guild_id),
        )
        return [_channel(r) for r in rows]

    def move_cutoff(self, channel_id: int, cutoff: datetime) -> None:
        """The next digest of this channel reports what was first seen after ``cutoff``."""
        with self.db.transaction() as cur:
            _move_cutoff(cur, (self.platform, channel_id), cutoff)

    # -- the posts log ------------------------------------------------------------------------
    def claim(
        self,
        channel_id: int,
        local_date: date,
        scheduled_for: datetime,
        now: datetime,
        stale_after: timedelta,
    ) -> Claim | None:
        """Reserve (or take back) the post for one channel and local date; None when it is taken."""
        day = local_date.isoformat()
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO digest_posts(platform, channel_id, local_date, scheduled_for, status, created_at, claimed_at) "
                "VALUES (?, ?, ?, ?, 'claimed', ?, ?) ON CONFLICT(platform, channel_id, local_date) DO UPDATE SET "
                f"status = 'claimed', claimed_at = excluded.claimed_at, attempts = attempts + 1 WHERE {_TAKEABLE}",
                (
                    self.platform,
                    channel_id,
                    day,
                    _iso(scheduled_for),
                    _iso(now),
                    _iso(now),
                    _iso(now - stale_after),
                ),
            )
            if cur.rowcount == 0:
                return None
            row = cur.execute(
                "SELECT created_at, attempts FROM digest_posts "
                "WHERE platform = ? AND channel_id = ? AND local_date = ?",
                (self.platform, channel_id, day),
            ).fetchone()
        return Claim(channel_id, local_date, datetime.fromisoformat(row[0]), int(row[1]))

    def heartbeat(self, channel_id: int, local_date: date, now: datetime) -> None:
        """The post holding this claim is alive (a slow post is not taken over)."""
        with self.db.transaction() as cur:
            cur.execute(
                "UPDATE digest_posts SET claimed_at = ? "
                "WHERE platform = ? AND channel_id = ? AND local_date = ? "
                "AND status = 'claimed'",
                (_iso(now), self.platform, channel_id, local_date.isoformat()),
            )

    def release(self, channel_id: int, local_date: date) -> None:
        """Give back a claim after a transient failure, so the post can be resumed soon."""
        with self.db.transaction() as cur:
            cur.execute(
                "UPDATE digest_posts SET status = 'retry' "
                "WHERE platform = ? AND channel_id = ? AND local_date = ? "
                "AND status = 'claimed'",
                (self.platform, channel_id, local_date.isoformat()),
            )

    def takeable_at(
        self, channel_id: int, local_date: date, stale_after: timedelta
    ) -> datetime | None:
        """When this post may be claimed: at once (never claimed, or given back), when its
        claim goes stale (its process died), or never (None: it ended)."""
        row = self.db.one(
            "SELECT status, COALESCE(claimed_at, created_at) FROM digest_posts "
            "WHERE platform = ? AND channel_id = ? AND local_date = ?",
            (self.platform, channel_id, local_date.isoformat()),
        )
        if row is None or row[0] == "retry":
            return datetime.min.replace(tzinfo=UTC)
        if row[0] == "claimed":
            return datetime.fromisoformat(row[1]) + stale_after
        return None

    def finish(
        self,
        channel_id: int,
        local_date: date,
        status: str,
        detail: str = "",
        cutoff: datetime | None = None,
    ) -> None:
        """Record how a claimed post ended (``sent``, ``skipped``, ``failed``), moving the cut-off with it."""
        with self.db.transaction() as cur:
            cur.execute(
                "UPDATE digest_posts SET status = ?, detail = ? "
                "WHERE platform = ? AND channel_id = ? AND local_date = ?",
                (status, detail[:500], self.platform, channel_id, local_date.isoformat()),
            )
            if cutoff is not None:
                _move_cutoff(cur, (self.platform, channel_id), cutoff)

    def posts(self, channel_id: int) -> list[tuple[date, str, str]]:
        """A channel's post log as (local date, status, detail), oldest first."""
        rows = self.db.query(
            "SELECT local_date, status, detail FROM digest_posts "
            "WHERE platform = ? AND channel_id = ? ORDER BY local_date",
            (self.platform, channel_id),
        )
        return [(date.fromisoformat(r[0]), r[1], r[2]) for r in rows]

    # -- failures to report -------------------------------------------------------------------
    def record_failure(self, guild_id: int, channel_id: int, message: str, at: datetime) -> None:
        """Remember a guild's latest failed post until an admin is told."""
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO digest_failures(platform, guild_id, channel_id, message, at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(platform, guild_id) DO UPDATE SET channel_id = excluded.channel_id, "
                "message = excluded.message, at = excluded.at",
                (self.platform, guild_id, channel_id, message[:500], _iso(at)),
            )

    def take_failure(self, guild_id: int) -> DigestFailure | None:
        """Return and forget a guild's unreported failure."""
        with self.db.transaction() as cur:
            row = cur.execute(
                "SELECT * FROM digest_failures WHERE platform = ? AND guild_id = ?",
                (self.platform, guild_id),
            ).fetchone()
            if row is None:
                return None
            cur.execute(
                "DELETE FROM digest_failures WHERE platform = ? AND guild_id = ?",
                (self.platform, guild_id),
            )
        return DigestFailure(
            int(row["guild_id"]),
            int(row["channel_id"]),
            row["message"],
            datetime.fromisoformat(row["at"]),
        )

    # -- slash command sync -------------------------------------------------------------------
    def command_hash(self, application_id: int) -> str | None:
        """The hash of the command set last synced for this application."""
        row = self.db.one(
            "SELECT value FROM meta WHERE key = ?", (f"{_COMMAND_HASH_KEY}:{application_id}",)
        )
        return None if row is None else str(row[0])

    def set_command_hash(self, application_id: int, value: str) -> None:
        """Remember the command set just synced for this application."""
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (f"{_COMMAND_HASH_KEY}:{application_id}", value),
            )
