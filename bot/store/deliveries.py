"""What each digest message delivered, and each topic's cut-off per channel.

A post goes out as one or more messages. Before a message is sent it is recorded as ``sending``
(with a fingerprint of its text); once Discord takes it, it is recorded ``sent`` in the same
transaction that moves the cut-off of every topic it completed. So a crash or a refused message
leaves exactly what went out on record: the rest is sent later, what went out never again, and a
message caught between Discord and the database is found again by its fingerprint.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from bot.store.db import Database

MIGRATIONS: list[tuple[str, str]] = [
    (
        "deliveries-001",
        """
        CREATE TABLE IF NOT EXISTS digest_messages (
            platform TEXT NOT NULL,
            channel_id INTEGER NOT NULL,
            local_date TEXT NOT NULL,
            part INTEGER NOT NULL,
            topics TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            state TEXT NOT NULL,
            message_id INTEGER,
            at TEXT NOT NULL,
            PRIMARY KEY (platform, channel_id, local_date, part)
        );
        CREATE TABLE IF NOT EXISTS digest_topic_cutoffs (
            platform TEXT NOT NULL,
            channel_id INTEGER NOT NULL,
            topic TEXT NOT NULL,
            cutoff TEXT NOT NULL,
            PRIMARY KEY (platform, channel_id, topic)
        )
        """,
    ),
]


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message of a post: the topics it completes, and whether Discord is known to have it."""

    part: int
    topics: tuple[str, ...]
    fingerprint: str
    sent: bool


_PART = "platform = ? AND channel_id = ? AND local_date = ? AND part = ?"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


class DeliveryRepo:
    """Per-message delivery records and per-topic cut-offs of one platform's channels."""

    def __init__(self, db: Database, platform: str = "discord") -> None:
        self.db = db
        self.platform = platform

    def messages(self, channel_id: int, local_date: date) -> list[Delivery]:
        """The messages of one post recorded so far, in order."""
        rows = self.db.query(
            "SELECT part, topics, fingerprint, state FROM digest_messages "
            "WHERE platform = ? AND channel_id = ? AND local_date = ? ORDER BY part",
            (self.platform, channel_id, local_date.isoformat()),
        )
        return [Delivery(int(r[0]), tuple(json.loads(r[1])), r[2], r[3] == "sent") for r in rows]

    def sending(
        self,
        channel_id: int,
        local_date: date,
        part: int,
        topics: tuple[str, ...],
        fingerprint: str,
        now: datetime,
    ) -> None:
        """Record that a message is about to be sent (it may land even if we never hear back)."""
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT OR REPLACE INTO digest_messages"
                "(platform, channel_id, local_date, part, topics, fingerprint, state, at) "
                "VALUES (?, ?, ?, ?, ?, ?, 'sending', ?)",
                (
                    self.platform,
                    channel_id,
                    local_date.isoformat(),
                    part,
                    json.dumps(topics),
                    fingerprint,
                    _iso(now),
                ),
            )

    def delivered(
        self, channel_id: int, local_date: date, part: int, message_id: int, until: datetime
    ) -> None:
        """Discord took the message: mark it sent and move the cut-off of each topic it completed."""
        key = (self.platform, channel_id, local_date.isoformat(), part)
        with self.db.transaction() as cur:
            row = cur.execute(f"SELECT topics FROM digest_messages WHERE {_PART}", key).fetchone()
            cur.execute(
                f"UPDATE digest_messages SET state = 'sent', message_id = ? WHERE {_PART}",
                (message_id, *key),
            )
            for topic in json.loads(row[0]) if row else []:
                cur.execute(
                    "INSERT INTO digest_topic_cutoffs(platform, channel_id, topic, cutoff) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT(platform, channel_id, topic) DO UPDATE SET "
                    "cutoff = excluded.cutoff WHERE excluded.cutoff > digest_topic_cutoffs.cutoff",
                    (self.platform, channel_id, topic, _iso(until)),
                )

    def forget(self, channel_id: int, local_date: date, part: int) -> None:
        """A message recorded as sending never reached the channel: drop its record."""
        with self.db.transaction() as cur:
            cur.execute(
                f"DELETE FROM digest_messages WHERE {_PART} AND state = 'sending'",
                (self.platform, channel_id, local_date.isoformat(), part),
            )

    def topic_cutoffs(self, channel_id: int) -> dict[str, datetime]:
        """Per topic, the instant up to which its developments already reached this channel."""
        rows = self.db.query(
            "SELECT topic, cutoff FROM digest_topic_cutoffs WHERE platform = ? AND channel_id = ?",
            (self.platform, channel_id),
        )
        return {r[0]: datetime.fromisoformat(r[1]) for r in rows}
