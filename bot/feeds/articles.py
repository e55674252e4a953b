"""Fetched pages and feed summaries into ``ParsedArticle``s the ingester can store."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from urllib.parse import urlsplit

from bot.ingest.parse import ParsedArticle, parse_document
from bot.models import DateBasis

log = logging.getLogger(__name__)

MIN_WORDS = 25  # less than this from a page is a failed extraction, not an article
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


class ArticleError(Exception):
    """A page or summary with no usable article text; the message is one line for humans."""


def decode(body: bytes, headers: Mapping[str, str]) -> str:
    """Decode an HTML body: the header's charset, then a <meta charset>, then UTF-8."""
    candidates = []
    match = re.search(r"charset=([\w.:-]+)", headers.get("content-type", ""), re.IGNORECASE)
    if match:
        candidates.append(match.group(1))
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "ignore"))
    for charset in [*candidates, "utf-8"]:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", errors="replace")


def host_outlet(url: str) -> str | None:
    """A fallback outlet name: the URL's host without ``www.``."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def page_article(
    body: bytes,
    headers: Mapping[str, str],
    *,
    url: str,
    name: str,
    title: str | None = None,
    outlet: str | None = None,
    published: datetime | None = None,
) -> ParsedArticle:
    """Extract a page's main text, title, outlet and date (the feed's title and date first)."""
    raw = decode(body, headers)
    if "<" not in raw:
        raise ArticleError("the page is not HTML")
    try:
        parsed = parse_document(raw, name=name, suffix=".html", meta={"url": url})
    except Exception as exc:  # trafilatura/lxml raise many types on broken markup
        log.debug("page extraction failed for %s", url, exc_info=True)
        raise ArticleError(f"could not extract the page ({type(exc).__name__})") from None
    if len(parsed.text.split()) < MIN_WORDS:
        raise ArticleError("no article text found in the page")
    parsed = _dated(parsed, published)
    return replace(
        parsed,
        title=title or parsed.title,
        outlet=parsed.outlet or outlet or host_outlet(url),
    )


def summary_article(
    summary: str,
    *,
    url: str | None,
    name: str,
    title: str,
    outlet: str | None,
    published: datetime | None,
) -> ParsedArticle:
    """The feed's own summary of an item as an article, marked "feed-summary"."""
    text = summary if "<" in summary else f"<p>{html.escape(summary)}</p>"
    doc = f"<html><head><title>{html.escape(title)}</title></head><body><article><h1>{html.escape(title)}</h1>{text}</article></body></html>"
    try:
        parsed = parse_document(doc, name=name, suffix=".html", meta={"title": title, "url": url})
    except Exception:
        log.debug("summary extraction failed for %s", url, exc_info=True)
        parsed = None
    if parsed is None or not parsed.text.strip():
        parsed = _plain_summary(summary, title=title, url=url)
    if published is not None:
        parsed = _with_date(parsed, published.date(), "feed")
    return replace(parsed, outlet=parsed.outlet or outlet or (host_outlet(url) if url else None))


def _plain_summary(summary: str, *, title: str, url: str | None) -> ParsedArticle:
    """A summary stripped of markup, parsed as plain text."""
    plain = html.unescape(re.sub(r"<[^>]+>", " ", summary))
    plain = "\n".join(" ".join(line.split()) for line in plain.splitlines() if line.strip())
    if not plain:
        raise ArticleError("the feed item has no text")
    return parse_document(plain, name=title, suffix=".txt", meta={"title": title, "url": url})


def _dated(parsed: ParsedArticle, published: datetime | None) -> ParsedArticle:
    """Settle the date: the feed's first, else the page's own metadata (trafilatura/htmldate)."""
    if published is None:
        return parsed
    return _with_date(parsed, published.date(), "feed")


def _with_date(parsed: ParsedArticle, published: date, basis: DateBasis) -> ParsedArticle:
    """The article with a publication date and where it came from."""
    notes = tuple(n for n in parsed.notes if n != "no publication date")
    return replace(parsed, published=published, date_basis=basis, notes=notes)
