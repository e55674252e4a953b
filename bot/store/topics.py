"""Topics added from Discord or the CLI, and the storyline candidates discovery proposes."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from bot.models import Topic
from bot.store.db import Database

MIGRATIONS: list[tuple[str, str]] = [
    (
        "topics-001",
        """
        CREATE TABLE IF NOT EXISTS managed_topics (
            slug TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            keywords TEXT NOT NULL,
            aliases TEXT NOT NULL DEFAULT '[]',
            requires TEXT NOT NULL DEFAULT '[]',
            origin TEXT NOT NULL,
            added_by TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS storyline_candidates (
            id TEXT PRIMARY KEY,
            status TEXT NOT NULL DEFAULT 'open',
            articles TEXT NOT NULL,
            body TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
    ),
]

CandidateStatus = Literal["open", "dismissed", "accepted", "gone"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A storyline no topic claims yet: its articles and the topic it would make."""

    id: str
    slug: str
    title: str
    keywords: tuple[str, ...]
    requires: tuple[str, ...]
    articles: tuple[str, ...]
    outlets: tuple[str, ...]
    first: str  # ISO dates of its first and last article
    last: str
    summary: str  # a sentence quoted verbatim from one of its articles
    summary_source: str  # that article's id
    summary_title: str
    status: CandidateStatus = "open"
    summary_outlet: str = ""  # the cited article's outlet, date and URL, for the citation line
    summary_published: str = ""
    summary_url: str = ""

    def topic(self) -> Topic:
        """The topic accepting this candidate creates."""
        return Topic(self.slug, self.title, keywords=self.keywords, requires=self.requires)


_BODY = ("slug", "title", "keywords", "requires", "outlets", "first", "last", "summary")
_CITED = (
    "summary_source",
    "summary_title",
    "summary_outlet",
    "summary_published",
    "summary_url",
)


def _body(c: Candidate) -> str:
    data = {k: getattr(c, k) for k in _BODY}
    data |= {k: getattr(c, k) for k in _CITED}
    return json.dumps(data, ensure_ascii=False)


def _candidate(row: Any) -> Candidate:
    body = json.loads(row["body"])
    return Candidate(
        id=row["id"],
        slug=body["slug"],
        title=body["title"],
        keywords=tuple(body["keywords"]),
        requires=tuple(body["requires"]),
        articles=tuple(json.loads(row["articles"])),
        outlets=tuple(body["outlets"]),
        first=body["first"],
        last=body["last"],
        summary=body["summary"],
        status=row["status"],
        **{k: str(body.get(k) or "") for k in _CITED},
    )


def _topic(row: Any) -> Topic:
    return Topic(
        slug=row["slug"],
        title=row["title"],
        description=row["description"],
        keywords=tuple(json.loads(row["keywords"])),
        aliases=tuple(json.loads(row["aliases"])),
        requires=tuple(json.loads(row["requires"])),
    )


class TopicRepo:
    """Managed topics (read-write, unlike topics.toml) and discovered storyline candidates."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- managed topics --------------------------------------------------------------------
    def all(self) -> list[Topic]:
        """Every managed topic, in the order they were added."""
        rows = self.db.query("SELECT * FROM managed_topics ORDER BY created_at, slug")
        return [_topic(r) for r in rows]

    def get(self, slug: str) -> Topic | None:
        """One managed topic, or None."""
        row = self.db.one("SELECT * FROM managed_topics WHERE slug = ?", (slug,))
        return None if row is None else _topic(row)

    def put(self, topic: Topic, *, origin: str, added_by: str | None, now: datetime) -> None:
        """Add or replace a managed topic (its creation time and origin are kept on edit)."""
        lists = [json.dumps(list(v)) for v in (topic.keywords, topic.aliases, topic.requires)]
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO managed_topics (slug, title, description, keywords, aliases,"
                " requires, origin, added_by, created_at, updated_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(slug) DO UPDATE SET"
                " title = excluded.title, description = excluded.description,"
                " keywords = excluded.keywords, aliases = excluded.aliases,"
                " requires = excluded.requires, updated_at = excluded.updated_at",
                (topic.slug, topic.title, topic.description, *lists, origin, added_by,
                 now.isoformat(), now.isoformat()),
            )  # fmt: skip

    def delete(self, slug: str) -> bool:
        """Remove a managed topic; whether there was one."""
        with self.db.transaction() as cur:
            cur.execute("DELETE FROM managed_topics WHERE slug = ?", (slug,))
            return cur.rowcount > 0

    # -- storyline candidates --------------------------------------------------------------
    def candidates(self, *statuses: CandidateStatus) -> list[Candidate]:
        """Stored candidates with one of these statuses (all when none given), largest first."""
        rows = self.db.query("SELECT * FROM storyline_candidates ORDER BY id")
        found = [_candidate(r) for r in rows]
        found = [c for c in found if not statuses or c.status in statuses]
        return sorted(found, key=lambda c: (-len(c.articles), c.id))

    def candidate(self, cid: str) -> Candidate | None:
        """One stored candidate by id, or None."""
        row = self.db.one("SELECT * FROM storyline_candidates WHERE id = ?", (cid,))
        return None if row is None else _candidate(row)

    def replace_open(self, found: list[Candidate], now: datetime) -> None:
        """Store this recompute's candidates; open ones it no longer finds are marked gone.

        Dismissed and accepted candidates keep their status (and articles) so that a later
        recompute finding mostly the same articles is recognised and not proposed again.
        """
        stamp = now.isoformat()
        with self.db.transaction() as cur:
            cur.execute(
                "UPDATE storyline_candidates SET status = 'gone', updated_at = ?"
                " WHERE status = 'open'",
                (stamp,),
            )
            cur.executemany(
                "INSERT INTO storyline_candidates (id, status, articles, body, updated_at)"
                " VALUES (?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET status = excluded.status,"
                " articles = excluded.articles, body = excluded.body,"
                " updated_at = excluded.updated_at",
                [(c.id, c.status, json.dumps(list(c.articles)), _body(c), stamp) for c in found],
            )

    def set_status(self, cid: str, status: CandidateStatus, now: datetime) -> None:
        """Mark a candidate dismissed or accepted."""
        with self.db.transaction() as cur:
            cur.execute(
                "UPDATE storyline_candidates SET status = ?, updated_at = ? WHERE id = ?",
                (status, now.isoformat(), cid),
            )


def with_status(c: Candidate, status: CandidateStatus) -> Candidate:
    """The candidate with another status."""
    return replace(c, status=status)
