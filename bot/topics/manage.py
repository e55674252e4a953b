"""Topics managed from Discord and the CLI: validated, stored, merged with topics.toml's.

A topic from a topics.toml belongs to whoever edits that file on the host: Discord and the CLI
can read it but never change it (the reply says so). Managed topics live in the database, so
every process serving the database sees them; a slug is either one kind or the other.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime

from bot.errors import UsageError
from bot.models import Topic
from bot.store import Store
from bot.store.topics import Candidate
from bot.topics.config import SLUG

TITLE_MAX = 100
TERM_MAX = 80
TERMS_MAX = 30


class ReadOnlyTopic(UsageError):
    """A topics.toml topic cannot be changed from Discord or the CLI."""

    def __init__(self, slug: str) -> None:
        self.slug = slug
        super().__init__(
            f"Topic {slug!r} is defined in a topics.toml file, which is read-only from Discord "
            "and the CLI: edit that file on the bot's host instead."
        )


class TopicExists(UsageError):
    """A topic with this slug exists already."""

    def __init__(self, slug: str, *, in_toml: bool = False) -> None:
        self.slug = slug
        self.in_toml = in_toml
        how = (
            " in a topics.toml file (read-only from Discord and the CLI): pick another slug"
            if in_toml
            else f": use `topic edit {slug}` or pick another slug"
        )
        super().__init__(f"A topic {slug!r} exists already{how}.")


class NoSuchTopic(UsageError):
    """No managed topic has this slug."""

    def __init__(self, slug: str) -> None:
        self.slug = slug
        super().__init__(f"No topic {slug!r}: `topics` lists them.")


class NoSuchCandidate(UsageError):
    """No open suggested storyline has this id."""

    def __init__(self, cid: str) -> None:
        self.cid = cid
        super().__init__(
            f"No suggested storyline {cid!r} is open: `topics --suggested` lists the current ones."
        )


@dataclass(frozen=True, slots=True)
class TopicDetail:
    """What ``topic show`` prints: the definition, where it comes from, what it learned."""

    topic: Topic
    origin: str  # "topics.toml" or "database"
    names: tuple[str, ...]  # names the story acquired (drift), most telling first
    vocabulary: tuple[str, ...]  # learned sentence vocabulary, heaviest first
    articles: int
    joined_by_drift: int
    sentences: int
    developments: int
    ready: bool  # its stored results are those of the current definition


def terms(values: Iterable[str] | str | None) -> tuple[str, ...]:
    """Comma-separated (or repeated) terms, stripped and deduplicated, order kept."""
    if values is None:
        return ()
    items = [values] if isinstance(values, str) else list(values)
    out = [t.strip() for item in items for t in item.split(",") if t.strip()]
    for term in out:
        if len(term) > TERM_MAX:
            raise UsageError(f"A term is at most {TERM_MAX} characters: {term[:40]!r}…")
    if len(out) > TERMS_MAX:
        raise UsageError(f"At most {TERMS_MAX} terms per list, got {len(out)}.")
    return tuple(dict.fromkeys(out))


def check_slug(slug: str) -> str:
    """The slug, if it reads like ``minerals-deal`` (else a one-line UsageError)."""
    slug = slug.strip()
    if not SLUG.match(slug) or len(slug) > 60:
        raise UsageError(
            f"A slug is lowercase letters and digits joined by single hyphens, like "
            f"'minerals-deal' (at most 60 characters), got {slug[:60]!r}."
        )
    return slug


def build_topic(
    slug: str,
    title: str | None,
    *,
    keywords: Sequence[str],
    requires: Sequence[str] = (),
    aliases: Sequence[str] = (),
    description: str = "",
) -> Topic:
    """A validated topic: a slug, a title, at least one keyword."""
    slug = check_slug(slug)
    if not keywords:
        raise UsageError(
            f"Topic {slug!r} needs at least one keyword (comma-separated), e.g. "
            "keywords: minerals deal, rare earths."
        )
    title = (title or "").strip() or slug.replace("-", " ").capitalize()
    if len(title) > TITLE_MAX:
        raise UsageError(f"A title is at most {TITLE_MAX} characters.")
    return Topic(slug, title, description.strip(), tuple(keywords), tuple(aliases), tuple(requires))


class ManagedTopics:
    """Add, edit, remove managed topics; accept and dismiss suggested storylines."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(
        self, topic: Topic, toml: set[str], *, by: str | None, origin: str, now: datetime
    ) -> None:
        """Store a new topic (its slug unused by topics.toml and the database)."""
        if topic.slug in toml:
            raise TopicExists(topic.slug, in_toml=True)
        if self.store.topics.get(topic.slug) is not None:
            raise TopicExists(topic.slug)
        self.store.topics.put(topic, origin=origin, added_by=by, now=now)

    def edit(self, slug: str, toml: set[str], now: datetime, **changes: object) -> Topic:
        """Change some fields of a managed topic (the others stay as they were)."""
        old = self.mine(slug, toml)
        given = {k: v for k, v in changes.items() if v is not None}
        new = replace(old, **given)  # type: ignore[arg-type]
        new = build_topic(
            new.slug,
            new.title,
            keywords=new.keywords,
            requires=new.requires,
            aliases=new.aliases,
            description=new.description,
        )
        self.store.topics.put(new, origin="edit", added_by=None, now=now)
        return new

    def remove(self, slug: str, toml: set[str]) -> Topic:
        """Delete a managed topic."""
        old = self.mine(slug, toml)
        self.store.topics.delete(old.slug)
        return old

    def mine(self, slug: str, toml: set[str]) -> Topic:
        """The managed topic with this slug (a topics.toml one is refused as read-only)."""
        slug = slug.strip()
        if slug in toml:
            raise ReadOnlyTopic(slug)
        found = self.store.topics.get(slug)
        if found is None:
            raise NoSuchTopic(slug)
        return found

    def open_candidate(self, cid: str) -> Candidate:
        """A suggested storyline still open."""
        found = self.store.topics.candidate(cid.strip())
        if found is None or found.status != "open":
            raise NoSuchCandidate(cid.strip())
        return found

    def accept(self, cid: str, taken: set[str], *, by: str | None, now: datetime) -> Topic:
        """Make an open candidate a managed topic (a slug taken meanwhile gets a suffix)."""
        found = self.open_candidate(cid)
        topic = found.topic()
        slug, n = topic.slug, 2
        while slug in taken or self.store.topics.get(slug) is not None:
            slug, n = f"{topic.slug}-{n}", n + 1
        topic = replace(topic, slug=slug)
        self.store.topics.put(topic, origin="discovered", added_by=by, now=now)
        self.store.topics.set_status(found.id, "accepted", now)
        return topic

    def dismiss(self, cid: str, now: datetime) -> Candidate:
        """Dismiss an open candidate: it is not proposed again while its articles stay mostly the same."""
        found = self.open_candidate(cid)
        self.store.topics.set_status(found.id, "dismissed", now)
        return found


def topics_hash(toml_hash: str, managed: Sequence[Topic]) -> str:
    """One hash over topics.toml's and the database's topics, so an edit recomputes results."""
    if not managed:
        return toml_hash  # no managed topics: the results of a topics.toml-only corpus stand
    body = json.dumps([asdict(t) for t in managed], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{toml_hash}\n{body}".encode()).hexdigest()[:12]
