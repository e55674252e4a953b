"""Polling: fetch due sources politely, store their new items once, back off on errors.

A poll is two steps. ``fetch`` does all the network work (the feed, then the article pages its
new items link to) holding no lock, within a ``Budget`` that bounds the whole poll; ``store``
then writes what came back, under the writer lock, without touching the network. A feed that
trickles its bytes (slowloris) costs at most the poll's budget and never blocks other writers.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from bot.feeds.articles import ArticleError, page_article, summary_article
from bot.feeds.fetch import Accept, Budget, Fetcher, FetchError, Refused, Response
from bot.feeds.parse import FeedError, FeedItem, ParsedFeed, parse_feed
from bot.feeds.urls import canonical_url, clean_url, item_link
from bot.ingest.parse import ParsedArticle
from bot.models import FileOutcome
from bot.settings import Settings
from bot.store.feeds import FINAL_OUTCOMES, FeedSource, SeenItem

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.ingest.pipeline import Ingestor
    from bot.store import Store

log = logging.getLogger(__name__)

MAX_FAILURES = 5  # consecutive failures before a source is disabled
MAX_BACKOFF = timedelta(days=1)
ITEM_ATTEMPTS = 3  # tries for an item whose page and summary both failed for a passing reason
# Article pages fetched per poll of one feed. A feed listing hundreds of new items (or a hostile
# one listing thousands: only the first ``parse.MAX_ITEMS`` are read at all) is worked through
# over several polls, newest first as the feed lists them, and the poll after one that stopped
# short skips the conditional GET so the rest are not lost behind a 304. On a first poll the
# items past the limit are stored from their feed summaries instead (the back catalogue: stored,
# not reported as new), so undated old items never trickle into later digests as news.
MAX_PAGE_FETCHES = 30


Fetched = Response | FetchError  # what one GET gave: a response, or why there is none


@dataclass(slots=True)
class Polled:
    """One source's network work, done before the writer lock is taken."""

    source: FeedSource
    now: datetime
    response: Fetched
    feed: ParsedFeed | FeedError | None = None  # a feed's parsed body (None: not a 200 feed)
    pages: dict[str, Fetched] = field(default_factory=dict)  # item link -> its page


@dataclass(slots=True)
class _Context:
    """What every item of one poll shares, and how many page fetches it has left."""

    source: FeedSource
    now: datetime
    first_poll: bool
    pages: Mapping[str, Fetched] = field(default_factory=dict)
    fetches_left: int = MAX_PAGE_FETCHES

    def page(self, link: str) -> Response:
        """The page fetched for ``link`` before the store step, or its ``FetchError``."""
        got = self.pages.get(link)
        if got is None:  # the store's state moved between the two steps (another process)
            raise FetchError("not fetched in this poll")
        if isinstance(got, FetchError):
            raise got
        return got


def _settled(seen: SeenItem | None) -> bool:
    """Whether a seen item needs no more work: a final outcome, or out of attempts."""
    return seen is not None and (seen.outcome in FINAL_OUTCOMES or seen.attempts >= ITEM_ATTEMPTS)


class Poller:
    """Polls sources and stores their new items through the ingester."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        clock: Clock,
        *,
        fetcher: Fetcher | None = None,
        ingestor: Ingestor | None = None,
    ) -> None:
        from bot.ingest.pipeline import Ingestor

        self.store = store
        self.settings = settings
        self.clock = clock
        self.fetcher = fetcher or Fetcher(settings, clock=clock)
        self.ingestor = ingestor or Ingestor(store, settings, clock)

    # -- one source: fetch (no lock), then store (under the writer lock) ---------------------
    def fetch(self, src: FeedSource, budget: Budget) -> Polled:
        """Do one source's network work: the source itself, then its new items' pages.

        Every problem is kept in the result (and becomes a rejected outcome when stored).
        """
        now = self.clock()
        accept: Accept = "page" if src.kind == "url" else "feed"
        try:
            resp = self.fetcher.get(
                src.url,
                accept=accept,
                etag=src.etag,
                last_modified=src.last_modified,
                budget=budget,
            )
        except FetchError as exc:
            return Polled(src, now, exc)
        polled = Polled(src, now, resp)
        if src.kind == "url" or resp.not_modified:
            return polled
        try:
            polled.feed = parse_feed(
                resp.body, url=resp.url, content_type=resp.headers.get("content-type", "")
            )
        except FeedError as exc:
            polled.feed = exc
            return polled
        for link in self._wanted_pages(src, polled.feed):
            try:
                polled.pages[link] = self.fetcher.get(link, accept="page", budget=budget)
            except FetchError as exc:
                polled.pages[link] = exc
        return polled

    def _wanted_pages(self, src: FeedSource, feed: ParsedFeed) -> list[str]:
        """The item links the store step will ask for, in its order and within its page limit."""
        wanted: list[str] = []
        claimed: set[str] = set()  # canonical URLs and GUIDs an earlier item of this feed takes
        for item in feed.items:
            link = item_link(item.link)
            if len(wanted) >= MAX_PAGE_FETCHES:
                break
            if not link or item.guid in claimed or not self._pending(src, item):
                continue
            canonical = canonical_url(link)
            if canonical not in claimed and self._earlier(canonical, link) is None:
                claimed.update((canonical, item.guid))
                wanted.append(link)
        return wanted

    def store_polled(self, polled: Polled) -> list[FileOutcome]:
        """Store what ``fetch`` brought back (no network); call it holding the writer lock."""
        src = self.store.feeds.get(polled.source.id)
        if src is None or src.last_polled != polled.source.last_polled:
            return []  # removed, or polled by another process since: its result stands
        now, resp = polled.now, polled.response
        if isinstance(resp, FetchError):
            return self._failed(
                src, now, resp.reason, retry_at=resp.retry_at, fatal=isinstance(resp, Refused)
            )
        if resp.not_modified:
            self._succeeded(src, now, resp)
            return []
        if src.kind == "url":
            outcome = self._page_source(src, resp)
            self.store.feeds.record_success(src.id, now=now, next_due=None)
            return [outcome]
        if isinstance(polled.feed, FeedError):
            return self._failed(src, now, str(polled.feed))
        assert polled.feed is not None  # a 200 feed is always parsed by ``fetch``
        return self._feed(src, now, resp, polled.feed, polled.pages)

    def _feed(
        self,
        src: FeedSource,
        now: datetime,
        resp: Response,
        feed: ParsedFeed,
        pages: Mapping[str, Fetched],
    ) -> list[FileOutcome]:
        """Handle each item of a parsed feed not seen before."""
        ctx = _Context(src, now, first_poll=src.last_ok is None, pages=pages)
        outcomes: list[FileOutcome] = []
        deferred = 0
        for item in feed.items:
            if ctx.fetches_left <= 0 and not ctx.first_poll and self._pending(src, item):
                deferred += 1  # next poll: the per-poll page limit is reached
            elif (outcome := self._guarded(ctx, item, feed.title)) is not None:
                outcomes.append(outcome)
        if deferred:
            log.info("%s: %d new items left for the next poll", src.url, deferred)
        self._succeeded(src, now, resp, title=feed.title, complete=not deferred)
        return outcomes

    def _pending(self, src: FeedSource, item: FeedItem) -> bool:
        """Whether an item still needs handling (never seen, or a retry with tries left)."""
        return not _settled(self.store.feeds.seen(src.id, item.guid))

    def _guarded(self, ctx: _Context, item: FeedItem, feed_title: str | None) -> FileOutcome | None:
        """``_item``, but an unexpected error fails that item only (retried, then given up)."""
        try:
            return self._item(ctx, item, feed_title)
        except Exception as exc:  # one broken item must not fail, and so disable, its whole feed
            log.exception("feed item %r of %s failed", item.guid, ctx.source.url)
            seen = self.store.feeds.seen(ctx.source.id, item.guid)
            given_up = seen is not None and seen.attempts + 1 >= ITEM_ATTEMPTS
            self.store.feeds.mark_seen(
                ctx.source.id,
                item.guid,
                canonical_url="",
                outcome="rejected" if given_up else "retry",
                now=ctx.now,
            )
            name = item.link or f"{ctx.source.url} item {item.title or item.guid}"
            return FileOutcome(name, "rejected", f"internal error ({type(exc).__name__}: {exc})")

    def _succeeded(
        self,
        src: FeedSource,
        now: datetime,
        resp: Response,
        title: str | None = None,
        *,
        complete: bool = True,
    ) -> None:
        """Record a poll; one that left items for later forgets the validators (no 304 next)."""
        self.store.feeds.record_success(
            src.id,
            now=now,
            next_due=now + timedelta(minutes=src.interval_minutes),
            etag=resp.headers.get("etag"),
            last_modified=resp.headers.get("last-modified"),
            title=title,
            keep_validators=complete,
        )

    def fail(self, src: FeedSource, reason: str) -> list[FileOutcome]:
        """Record a failure found outside the poll itself (an unexpected error)."""
        return self._failed(src, self.clock(), reason)

    def _failed(
        self,
        src: FeedSource,
        now: datetime,
        reason: str,
        *,
        retry_at: datetime | None = None,
        fatal: bool = False,
    ) -> list[FileOutcome]:
        """Back off exponentially (honouring Retry-After); disable after repeated failures."""
        failures = src.failures + 1
        delay = min(timedelta(minutes=src.interval_minutes) * 2**failures, MAX_BACKOFF)
        next_due = max(now + delay, retry_at or now)
        disabled = None
        if fatal or failures >= MAX_FAILURES:
            count = "" if fatal else f" after {failures} failures in a row"
            disabled = f"disabled{count} on {now:%Y-%m-%d %H:%M} UTC: {reason}"
        self.store.feeds.record_failure(
            src.id, now=now, next_due=next_due, error=reason, disabled_reason=disabled
        )
        log.warning("source %s failed: %s%s", src.url, reason, " (disabled)" if disabled else "")
        shown = (
            f"{disabled} (run `source add {src.url}` to retry)"
            if disabled
            else (f"{reason}; retrying after {next_due:%Y-%m-%d %H:%M} UTC")
        )
        return [FileOutcome(src.url, "rejected", shown)]

    # -- items -------------------------------------------------------------------------------
    def _item(self, ctx: _Context, item: FeedItem, feed_title: str | None) -> FileOutcome | None:
        """Store one feed item unless already handled; None when there is nothing to report."""
        src = ctx.source
        link = item_link(item.link)  # http(s) only: never a javascript: or data: link
        canonical = canonical_url(link) if link else ""
        seen = self.store.feeds.seen(src.id, item.guid)
        if _settled(seen):
            return None
        name = link or f"{src.url} item {item.title or item.guid}"
        earlier = self._earlier(canonical, link)
        if earlier is not None:
            self.store.feeds.mark_seen(
                src.id,
                item.guid,
                canonical_url=canonical,
                outcome="duplicate",
                now=ctx.now,
                article_id=earlier[1],
            )
            return FileOutcome(name, "duplicate", f"already read from {earlier[0]}", earlier[1])
        outcome, retry = self._store_item(ctx, item, link, name, feed_title)
        final = (
            outcome.outcome
            if not retry or (seen and seen.attempts + 1 >= ITEM_ATTEMPTS)
            else "retry"
        )
        self.store.feeds.mark_seen(
            src.id,
            item.guid,
            canonical_url=canonical,
            outcome=final,
            now=ctx.now,
            article_id=outcome.source_id,
        )
        return outcome

    def _earlier(self, canonical: str, link: str | None = None) -> tuple[str, str | None] | None:
        """(where, article id) when this URL was already read by another item or is in the corpus."""
        if not canonical:
            return None
        seen = self.store.feeds.seen_url(canonical)
        if seen is not None:
            other = self.store.feeds.get(seen.source_id)
            return (other.label if other else "an earlier source"), seen.article_id
        stored = self.store.sources.by_url(link) if link else None
        return ("the corpus", stored.id) if stored is not None else None

    def _store_item(
        self, ctx: _Context, item: FeedItem, link: str | None, name: str, feed_title: str | None
    ) -> tuple[FileOutcome, bool]:
        """Fetch the item's page (or fall back to its summary) and store it; (outcome, retry?)."""
        outlet = ctx.source.title or feed_title
        problem, transient = "the item has no link", False
        if link and ctx.fetches_left <= 0:  # a first poll past the page limit: summaries only
            problem, transient = "not fetched (per-poll page limit)", True
        elif link:
            ctx.fetches_left -= 1
            try:
                resp = ctx.page(link)
                parsed = page_article(
                    resp.body,
                    resp.headers,
                    url=link,
                    name=name,
                    title=item.title or None,
                    outlet=outlet,
                    published=item.published,
                )
                return self._add(ctx, parsed, name, link, ()), False
            except (FetchError, ArticleError) as exc:
                problem = exc.reason if isinstance(exc, FetchError) else str(exc)
                transient = isinstance(exc, FetchError) and not isinstance(exc, Refused)
        if item.summary:
            try:
                parsed = summary_article(
                    item.summary,
                    url=link,
                    name=name,
                    title=item.title or name,
                    outlet=outlet,
                    published=item.published,
                )
                return self._add(ctx, parsed, name, link, ("feed-summary",)), False
            except ArticleError as exc:
                problem = f"{problem}; summary: {exc}"
        return FileOutcome(name, "rejected", f"page: {problem}; no usable feed summary"), transient

    def _add(
        self,
        ctx: _Context,
        parsed: ParsedArticle,
        name: str,
        link: str | None,
        notes: tuple[str, ...],
    ) -> FileOutcome:
        """Store one article, marked "backfill" when it is back catalogue."""
        if self._is_backfill(ctx, parsed.published):
            notes = ("backfill", *notes)
        return self.ingestor.add_document(parsed, name=name, url=link, notes=notes)

    def _is_backfill(self, ctx: _Context, published: date | None) -> bool:
        """Back catalogue: older than ``feed_max_age_days``, or undated on a first poll."""
        if published is None:
            return ctx.first_poll
        cutoff = ctx.now - timedelta(days=self.settings.feed_max_age_days)
        return published < cutoff.date()

    # -- single article URLs -----------------------------------------------------------------
    def _page_source(self, src: FeedSource, resp: Response) -> FileOutcome:
        """Store the page of a single-URL source (fetched once)."""
        link = clean_url(resp.url)
        try:
            parsed = page_article(resp.body, resp.headers, url=link, name=src.url, title=src.title)
        except ArticleError as exc:
            return FileOutcome(src.url, "rejected", str(exc))
        canonical = canonical_url(src.url)
        earlier = self._earlier(canonical, link)
        if earlier is not None:
            outcome = FileOutcome(
                src.url, "duplicate", f"already read from {earlier[0]}", earlier[1]
            )
        else:
            ctx = _Context(src, self.clock(), first_poll=False)
            outcome = self._add(ctx, parsed, src.url, link, ())
        self.store.feeds.mark_seen(
            src.id,
            src.url,
            canonical_url=canonical,
            outcome=outcome.outcome,
            now=self.clock(),
            article_id=outcome.source_id,
        )
        return outcome
