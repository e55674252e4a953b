"""Polling feeds and article URLs: storing, conditional GET, backoff, duplicates, backfill."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from bot.feeds import poll_due
from bot.feeds.fetch import Fetcher
from bot.feeds.sources import add_source, list_sources
from bot.models import IngestReport
from bot.render.sources import describe
from tests.conftest import T0, Clock
from tests.feeds.conftest import Item, Site, article, atom, rss1, rss2, story

pytestmark = pytest.mark.backends

RSS = "application/rss+xml"


def page(site: Site, path: str, title: str, seed: int, outlet: str = "Test Gazette") -> str:
    site.put(path, article(title, story(title, seed), site_name=outlet))
    return site.url(path)


def outcomes(report: IngestReport) -> list[tuple[str, str]]:
    return [(o.outcome, o.name.rsplit("/", 1)[-1]) for o in report.outcomes]


@pytest.mark.parametrize("render", [rss2, rss1, atom])
def test_feed_items_are_fetched_and_stored(
    site: Site, feed_service: Any, render: Callable[..., str]
) -> None:
    when = T0 - timedelta(hours=3)
    items = [
        Item("Deal signed", page(site, "/a1", "Deal signed", 1), when),
        Item("Deal delayed", page(site, "/a2", "Deal delayed", 2), when),
    ]
    site.put("/feed", render(items), RSS)
    add_source(feed_service, site.url("/feed"))
    report = poll_due(feed_service)
    assert outcomes(report) == [("added", "a1"), ("added", "a2")]
    stored = {s.url: s for s in feed_service.store.sources.all()}
    first = stored[site.url("/a1")]
    assert (first.title, first.outlet, first.published, first.date_basis) == (
        "Deal signed",
        "Test Gazette",
        when.date(),
        "feed",
    )
    assert "day 1-0" in first.text and "Home" not in first.text and first.notes == ()


def test_second_poll_is_a_conditional_get_and_refetches_nothing(
    site: Site, feed_service: Any, clock: Clock
) -> None:
    site.put("/feed", rss2([Item("One", page(site, "/a1", "One", 1), T0)]), RSS, etag='"v1"')
    add_source(feed_service, site.url("/feed"))
    assert poll_due(feed_service).changed
    assert poll_due(feed_service).outcomes == []  # not due yet: no request at all
    assert site.count("/feed") == 2  # the add check and the first poll
    clock.now = T0 + timedelta(minutes=31)
    assert poll_due(feed_service).outcomes == []
    assert site.count("/feed", status=304) == 1 and site.count("/a1") == 1
    src = list_sources(feed_service)[0]
    assert src.etag == '"v1"' and src.next_due == clock.now + timedelta(minutes=30)


def test_unchanged_feed_without_validators_stores_nothing_twice(
    site: Site, feed_service: Any
) -> None:
    site.put("/feed", rss2([Item("One", page(site, "/a1", "One", 1), T0)]), RSS)
    add_source(feed_service, site.url("/feed"))
    poll_due(feed_service)
    again = poll_due(feed_service, force=True)
    assert again.outcomes == [] and site.count("/a1") == 1
    assert feed_service.store.sources.count() == 1


def test_failures_back_off_exponentially_then_disable_the_source(
    site: Site, feed_service: Any, clock: Clock
) -> None:
    site.put("/feed", rss2([]), RSS)
    src = add_source(feed_service, site.url("/feed"), interval=10).source
    site.put("/feed", "oops", "text/plain", status=500)
    waits = []
    for _ in range(5):
        report = poll_due(feed_service)
        assert report.outcomes[0].outcome == "rejected" and "HTTP 500" in report.outcomes[0].reason
        state = feed_service.store.feeds.get(src.id)
        waits.append(state.next_due - clock.now)
        assert poll_due(feed_service).outcomes == []  # backing off: not due
        clock.now = state.next_due
    assert waits[:4] == [timedelta(minutes=m) for m in (20, 40, 80, 160)]
    state = feed_service.store.feeds.get(src.id)
    assert state.state == "disabled" and "after 5 failures in a row" in state.disabled_reason
    assert "HTTP 500" in describe(state) and "source add" in describe(state)
    hits = site.count("/feed")
    assert poll_due(feed_service, force=True).outcomes == [] and site.count("/feed") == hits
    site.put("/feed", rss2([]), RSS)
    revived = add_source(feed_service, site.url("/feed")).source
    assert revived.state != "disabled" and revived.failures == 0 and revived.interval_minutes == 10


def test_retry_after_is_honoured(site: Site, feed_service: Any, clock: Clock) -> None:
    site.put("/feed", rss2([]), RSS)
    src = add_source(feed_service, site.url("/feed")).source
    site.put("/feed", "busy", "text/plain", status=503, headers={"Retry-After": "7200"})
    poll_due(feed_service)
    assert feed_service.store.feeds.get(src.id).next_due == T0 + timedelta(hours=2)


def test_an_absurd_retry_after_waits_a_day_and_says_so(
    site: Site, feed_service: Any, clock: Clock
) -> None:
    site.put("/feed", rss2([]), RSS)
    src = add_source(feed_service, site.url("/feed")).source
    headers = {"Retry-After": "99999999999999999999"}
    site.put("/feed", "busy", "text/plain", status=503, headers=headers)
    (outcome,) = poll_due(feed_service).outcomes
    assert outcome.outcome == "rejected" and "internal error" not in outcome.reason
    stored = feed_service.store.feeds.get(src.id)
    assert stored.next_due == T0 + timedelta(days=1)
    assert "server asked to wait 1,157,407,407,407,407 days; waiting 1 day" in describe(stored)


def test_the_same_story_in_two_feeds_is_stored_once(
    site: Site, make_service: Any, corpus: Any
) -> None:
    service = make_service(corpus, fetch_allow=["127.0.0.1"])
    dns = {"news.test": ["127.0.0.1"], "www.news.test": ["127.0.0.1"]}
    fetcher = Fetcher(service.settings, clock=service.clock, resolver=lambda h, p: dns.get(h, [h]))
    page(site, "/story", "Shared story", 7)
    plain = f"http://news.test:{site.port}/story"
    variant = f"http://www.news.test:{site.port}/story/?utm_source=feed&utm_medium=rss#top"
    site.put("/feed-a", rss2([Item("Shared story", plain, T0)], title="Desk A"), RSS)
    site.put("/feed-b", rss2([Item("Shared story", variant, T0, guid="b-1")], title="Desk B"), RSS)
    for path in ("/feed-a", "/feed-b"):
        add_source(service, site.url(path), fetcher=fetcher)
    report = poll_due(service, fetcher=fetcher)
    assert [o.outcome for o in report.outcomes] == ["added", "duplicate"]
    assert "already read from Desk A" in report.outcomes[1].reason
    assert site.count("/story") == 1 and service.store.sources.count() == 1


def test_same_text_at_another_url_is_a_duplicate(site: Site, feed_service: Any) -> None:
    body = article("Same", story("Same", 3))
    site.put("/one", body)
    site.put("/two", body)
    site.put(
        "/feed", rss2([Item("Same", site.url("/one"), T0), Item("Same", site.url("/two"), T0)]), RSS
    )
    add_source(feed_service, site.url("/feed"))
    assert outcomes(poll_due(feed_service)) == [("added", "one"), ("duplicate", "two")]


def test_a_republished_wire_copy_is_marked_republished(site: Site, feed_service: Any) -> None:
    paragraphs = story("Wire", 11, n=10)
    edited = [p.replace("held", "stood") if i == 3 else p for i, p in enumerate(paragraphs)]
    site.put("/wire", article("Wire story", paragraphs, site_name="Wire Agency"))
    site.put(
        "/copy",
        article(
            "Wire story (copy)",
            [*edited, "Reporting by the wire agency."],
            site_name="Daily Reprint",
        ),
    )
    site.put(
        "/feed",
        rss2([Item("Wire story", site.url("/wire"), T0), Item("Wire copy", site.url("/copy"), T0)]),
        RSS,
    )
    add_source(feed_service, site.url("/feed"))
    report = poll_due(feed_service)
    assert outcomes(report) == [("added", "wire"), ("republished", "copy")]
    copy = feed_service.store.sources.get(report.outcomes[1].source_id)
    assert copy.kind == "republished" and copy.original_id == report.outcomes[0].source_id


def test_first_poll_marks_the_back_catalogue_as_backfill(
    site: Site, feed_service: Any, clock: Clock
) -> None:
    items = [
        Item("Fresh", page(site, "/fresh", "Fresh", 21), T0 - timedelta(hours=1)),
        Item("Old", page(site, "/old", "Old", 22), T0 - timedelta(days=10)),
        Item("Undated", page(site, "/undated", "Undated", 23)),
    ]
    site.put("/feed", rss2(items), RSS)
    add_source(feed_service, site.url("/feed"))
    poll_due(feed_service)
    notes = {s.url.rsplit("/", 1)[-1]: s.notes for s in feed_service.store.sources.all()}
    assert "backfill" not in notes["fresh"]
    assert "backfill" in notes["old"] and "backfill" in notes["undated"]
    site.put("/feed", rss2([Item("Later", page(site, "/later", "Later", 24)), *items]), RSS)
    clock.now = T0 + timedelta(hours=1)
    assert outcomes(poll_due(feed_service)) == [("added", "later")]
    assert "backfill" not in feed_service.store.sources.by_url(site.url("/later")).notes


def test_malformed_feed_xml_is_rejected_and_stores_nothing(site: Site, feed_service: Any) -> None:
    site.put("/feed", rss2([Item("One", page(site, "/a1", "One", 1), T0)]), RSS)
    src = add_source(feed_service, site.url("/feed")).source
    poll_due(feed_service)
    before = feed_service.store.sources.count()
    site.put("/feed", "<rss version='2.0'><channel><title>x</title><item><title>Broken", RSS)
    report = poll_due(feed_service, force=True)
    assert (
        report.outcomes[0].outcome == "rejected"
        and "malformed feed XML" in report.outcomes[0].reason
    )
    assert feed_service.store.sources.count() == before
    assert feed_service.store.feeds.get(src.id).failures == 1


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body><div><p>tiny</p></div></body></html>",
        b"<html><body><<<</p></div><p>\x00\xff broken",
        b"\x89PNG\r\n\x1a\n not html",
    ],
)
def test_unusable_pages_fall_back_to_the_feed_summary(
    site: Site, feed_service: Any, body: bytes
) -> None:
    summary = " ".join(story("Summary", 5, n=2))
    site.put("/bad", body)
    site.put("/feed", rss2([Item("Bad page", site.url("/bad"), T0, summary=summary)]), RSS)
    add_source(feed_service, site.url("/feed"))
    report = poll_due(feed_service)
    assert [o.outcome for o in report.outcomes] == ["added"]
    stored = feed_service.store.sources.get(report.outcomes[0].source_id)
    assert (
        "feed-summary" in stored.notes and "day 5-0" in stored.text and stored.title == "Bad page"
    )


def test_unusable_page_without_summary_is_rejected_with_a_reason(
    site: Site, feed_service: Any, clock: Clock
) -> None:
    site.put("/gone", "no", "text/plain", status=500)
    site.put("/feed", rss2([Item("Gone", site.url("/gone"), T0)]), RSS)
    add_source(feed_service, site.url("/feed"))
    first = poll_due(feed_service)
    assert first.outcomes[0].outcome == "rejected" and "HTTP 500" in first.outcomes[0].reason
    for _ in range(3):  # a passing error is retried a few times, then given up
        poll_due(feed_service, force=True)
    assert site.count("/gone") == 3 and feed_service.store.sources.count() == 0


def test_oversize_pages_and_feeds_are_refused(site: Site, make_service: Any, corpus: Any) -> None:
    service = make_service(corpus, fetch_allow=["127.0.0.1"], max_article_bytes=20_000)
    site.put("/huge", article("Huge", ["word " * 10_000]))
    site.put(
        "/feed",
        rss2([Item("Huge", site.url("/huge"), T0, summary="A short summary of the huge page.")]),
        RSS,
    )
    add_source(service, site.url("/feed"))
    report = poll_due(service)
    stored = service.store.sources.get(report.outcomes[0].source_id)
    assert "feed-summary" in stored.notes
    site.put(
        "/feed",
        rss2([Item(f"Item {i}", site.url(f"/x{i}"), T0, summary="s" * 500) for i in range(60)]),
        RSS,
    )
    report = poll_due(service, force=True)
    assert (
        report.outcomes[0].outcome == "rejected"
        and "larger than the 20,000-byte cap" in report.outcomes[0].reason
    )


def test_items_linking_to_private_addresses_are_not_fetched(site: Site, feed_service: Any) -> None:
    site.put("/feed", rss2([Item("Sneaky", "http://169.254.169.254/latest/meta-data/", T0)]), RSS)
    add_source(feed_service, site.url("/feed"))
    report = poll_due(feed_service)
    assert report.outcomes[0].outcome == "rejected" and "metadata" in report.outcomes[0].reason


def test_a_single_article_url_is_fetched_once(site: Site, feed_service: Any) -> None:
    url = page(site, "/article", "Standalone", 31)
    added = add_source(feed_service, url)
    assert added.source.kind == "url"
    assert outcomes(poll_due(feed_service)) == [("added", "article")]
    assert poll_due(feed_service, force=True).outcomes == []
    assert site.count("/article") == 2  # the add check and the one fetch
    assert list_sources(feed_service)[0].state == "fetched"


def test_an_unexpected_error_in_one_source_is_reported_and_backed_off(
    site: Site, feed_service: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.put("/feed", rss2([Item("One", page(site, "/a1", "One", 1), T0)]), RSS)
    src = add_source(feed_service, site.url("/feed")).source

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("parser bug")

    monkeypatch.setattr("bot.feeds.poll.parse_feed", boom)
    report = poll_due(feed_service)
    assert (
        report.outcomes[0].outcome == "rejected"
        and "RuntimeError: parser bug" in report.outcomes[0].reason
    )
    state = feed_service.store.feeds.get(src.id)
    assert state.failures == 1 and state.next_due > T0 and feed_service.store.sources.count() == 0
