"""Feed documents (RSS 0.9x/1.0/2.0, Atom) into plain items, via ``feedparser``."""

from __future__ import annotations

import calendar
import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

MAX_ITEMS = 200
# feedparser flags these but reads the document fine.
_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


class FeedError(Exception):
    """A document that is not a usable feed; the message is one line for humans."""


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed."""

    guid: str
    link: str | None
    title: str
    summary: str
    published: datetime | None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed's title and its entries, newest first as the feed lists them."""

    title: str | None
    items: tuple[FeedItem, ...]
    version: str


def looks_like_feed(body: bytes) -> bool:
    """Whether a body's first bytes look like an RSS, RDF or Atom document."""
    head = body[:2048].lower()
    return any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf", b"<rdf"))


def parse_feed(body: bytes, *, url: str, content_type: str = "") -> ParsedFeed:
    """Parse a feed document; raise ``FeedError`` for something that is not a feed."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    doc = feedparser.parse(body, response_headers=headers, sanitize_html=True)
    if not doc.get("version") and not doc.entries:
        problem = doc.get("bozo_exception")
        detail = f": {_first_line(problem)}" if problem else ""
        raise FeedError(f"not a valid RSS or Atom feed{detail}")
    items = tuple(i for e in doc.entries[:MAX_ITEMS] if (i := _item(e)) is not None)
    problem = doc.get("bozo_exception")
    if not items and problem is not None and not isinstance(problem, _HARMLESS):
        raise FeedError(f"malformed feed XML: {_first_line(problem)}")
    title = _clean(doc.feed.get("title")) or None
    return ParsedFeed(title, items, doc.get("version") or "")


def _item(entry: Any) -> FeedItem | None:
    """One feedparser entry as a ``FeedItem`` (None when it has neither link nor text)."""
    link = (entry.get("link") or "").strip() or None
    title = _clean(entry.get("title"))
    summary = _summary(entry)
    if not link and not summary:
        return None
    guid = (entry.get("id") or "").strip() or link or _digest(title + summary)
    return FeedItem(guid, link, title, summary, _published(entry))


def _summary(entry: Any) -> str:
    """The longest text the feed gives for an entry (full content beats a summary)."""
    texts = [c.get("value", "") for c in entry.get("content", []) or []]
    texts.append(entry.get("summary", "") or "")
    return max(texts, key=len).strip()


def _published(entry: Any) -> datetime | None:
    """The entry's publication (or update) time, UTC."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed: time.struct_time | None = entry.get(key)
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _clean(text: Any) -> str:
    return " ".join(str(text or "").split())


def _digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _first_line(exc: Any) -> str:
    line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return line[:160]
