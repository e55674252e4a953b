"""Managing live sources: add, remove, list, and syncing feeds.toml (CLI and Discord share these)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.errors import DispatchError, UsageError
from bot.feeds.config import DEFAULT_INTERVAL_MINUTES, check_interval, load_feeds
from bot.feeds.fetch import Fetcher, FetchError, Refused
from bot.feeds.parse import FeedError, looks_like_feed, parse_feed
from bot.feeds.urls import check_url
from bot.store.feeds import FeedKind, FeedSource, Origin

if TYPE_CHECKING:
    from bot.feeds import Host

_ALTERNATE = re.compile(
    r"""<link[^>]+type=["']application/(?:rss|atom)\+xml["'][^>]*>""", re.IGNORECASE
)
_HREF = re.compile(r"""href=["']([^"']+)["']""", re.IGNORECASE)


class SourceError(DispatchError):
    """A source could not be added (unreachable, refused, or neither a feed nor a page)."""


@dataclass(frozen=True, slots=True)
class Added:
    """The result of ``add_source``: the source, whether it is new, and a hint for the user."""

    source: FeedSource
    created: bool
    hint: str = ""


def sync_config(service: Host) -> None:
    """Make the feeds declared in the corpus folders' feeds.toml files the config sources."""
    entries = load_feeds(service.folders)
    service.store.feeds.sync_config(entries, now=service.clock())


def list_sources(service: Host) -> list[FeedSource]:
    """Every live source (feeds.toml ones included), in the order they were added."""
    sync_config(service)
    return service.store.feeds.all()


def add_source(
    service: Host,
    url: str,
    *,
    interval: float | None = None,
    added_by: str | None = None,
    origin: Origin = "cli",
    fetcher: Fetcher | None = None,
) -> Added:
    """Check a URL by fetching it once, then follow it as a feed or a single article page."""
    url = check_url(url)
    minutes = check_interval(interval) if interval is not None else DEFAULT_INTERVAL_MINUTES
    existing = service.store.feeds.by_url(url) or _by_loose_url(service, url)
    fetcher = fetcher or Fetcher(service.settings, clock=service.clock)
    kind, title, hint, landed = _classify(fetcher, url)
    existing = existing or _by_loose_url(service, landed)  # a redirect to a followed source
    if existing is not None:
        if existing.url != url:  # a variant of a followed URL: that source, never a second one
            hint = f"Already following this as {existing.url}. {hint}".strip()
        url = existing.url
        minutes = existing.interval_minutes if interval is None else minutes
    src = service.store.feeds.add(
        url,
        kind=kind,
        interval_minutes=minutes,
        now=service.clock(),
        title=title,
        added_by=added_by,
        origin=origin,
    )
    return Added(src, existing is None, hint)


def _classify(fetcher: Fetcher, url: str) -> tuple[FeedKind, str | None, str, str]:
    """(kind, title, hint, final URL): a feed, or an HTML page read once as a single article."""
    try:
        resp = fetcher.get(url, accept="any")
    except Refused as exc:
        raise UsageError(f"Cannot add {url}: {exc.reason}.") from None
    except FetchError as exc:
        raise SourceError(f"Cannot add {url}: {exc.reason}.") from None
    if resp.is_page and not looks_like_feed(resp.body):
        return "url", None, _feed_hint(resp.body, resp.url), resp.url
    try:
        feed = parse_feed(
            resp.body, url=resp.url, content_type=resp.headers.get("content-type", "")
        )
    except FeedError as exc:
        raise SourceError(f"Cannot add {url}: {exc}.") from None
    return "feed", feed.title, "", resp.url


def _feed_hint(body: bytes, base: str) -> str:
    """A note pointing at the site's own feed when a page advertises one."""
    from urllib.parse import urljoin

    text = body[:200_000].decode("utf-8", errors="replace")
    link = _ALTERNATE.search(text)
    href = _HREF.search(link.group(0)) if link else None
    if href is None:
        return ""
    return (
        f"This page advertises a feed, {urljoin(base, href.group(1))}; add that to follow the site."
    )


def remove_source(service: Host, ref: str) -> FeedSource:
    """Stop following a source given its URL or id (its stored articles stay)."""
    sync_config(service)
    src = find_source(service, ref)
    if src.origin == "config":
        raise UsageError(
            f"{src.url} is declared in {src.config_path}; remove it from that feeds.toml instead."
        )
    service.store.feeds.remove(src.id)
    return src


def find_source(service: Host, ref: str) -> FeedSource:
    """The source a user meant by an id or a URL, or ``UsageError``."""
    ref = ref.strip().strip("<>")
    src = service.store.feeds.get(int(ref)) if ref.isdigit() else None
    if src is None and not ref.isdigit():
        src = service.store.feeds.by_url(ref) or _by_loose_url(service, ref)
    if src is None:
        raise UsageError(f"No source {ref!r}; `source list` shows the ids and URLs.")
    return src


def _by_loose_url(service: Host, ref: str) -> FeedSource | None:
    """Match a URL typed slightly differently (scheme, www., trailing slash)."""
    from bot.feeds.urls import canonical_url

    key = canonical_url(ref if "://" in ref else f"https://{ref}")
    return next((s for s in service.store.feeds.all() if canonical_url(s.url) == key), None)
