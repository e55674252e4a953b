"""Hostile servers and documents: slow, lying, bombing, redirecting, or linking anywhere.

Only loopback servers started here are contacted; host names resolve through a fake table.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from bot.feeds import poll_due
from bot.feeds.fetch import Fetcher, FetchError, Refused
from bot.feeds.sources import add_source
from bot.settings import Settings
from bot.store.db import StoreBusy
from tests.conftest import T0, Clock
from tests.feeds.conftest import Item, Page, Site, article, rss2, story

RSS = "application/rss+xml"

FEED = b"<rss version='2.0'><channel><title>Slow Desk</title></channel></rss>" * 20


def fetcher(allow: list[str] | None = None, resolver: Any = None, **kw: Any) -> Fetcher:
    settings = Settings(fetch_allow=["127.0.0.1"] if allow is None else allow, **kw)
    return Fetcher(settings, clock=Clock(T0), resolver=resolver, timeout=0.5, deadline=1.0)


class RawSite:
    """A TCP server on 127.0.0.1 that answers every connection with ``respond``."""

    def __init__(self, respond: Callable[[socket.socket], None]) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.respond = respond
        threading.Thread(target=self._serve, daemon=True).start()

    def url(self, path: str = "/feed") -> str:
        """The URL of a path."""
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            conn.recv(65536)
            self.respond(conn)

    def close(self) -> None:
        """Stop accepting."""
        self.sock.close()


@pytest.fixture
def raw() -> Iterator[Callable[[Callable[[socket.socket], None]], RawSite]]:
    """Start raw sites; all closed at teardown."""
    made: list[RawSite] = []

    def start(respond: Callable[[socket.socket], None]) -> RawSite:
        made.append(RawSite(respond))
        return made[-1]

    yield start
    for site in made:
        site.close()


def _head(length: int) -> bytes:
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
        b"Content-Length: %d\r\n\r\n" % length
    )


def _trickle(data: bytes) -> Callable[[socket.socket], None]:
    def respond(conn: socket.socket) -> None:
        for byte in data:
            conn.sendall(bytes([byte]))
            time.sleep(0.05)

    return respond


def _headers_then_trickle(conn: socket.socket) -> None:
    conn.sendall(_head(len(FEED)))
    _trickle(FEED)(conn)


# -- time and length ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "respond", [_trickle(_head(len(FEED)) + FEED), _headers_then_trickle], ids=["head", "body"]
)
def test_a_trickling_server_is_stopped_at_the_deadline(raw: Any, respond: Any) -> None:
    site = raw(respond)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^timed out after 1 s$"):
        fetcher().get(site.url(), accept="feed")
    assert time.monotonic() - started < 2.0


def test_a_body_shorter_than_its_content_length_is_an_error(raw: Any) -> None:
    site = raw(lambda conn: conn.sendall(_head(100_000) + FEED))
    with pytest.raises(FetchError, match=f"connection closed after {len(FEED):,} of 100,000"):
        fetcher().get(site.url(), accept="feed")


def test_the_deadline_covers_a_whole_redirect_chain(site: Site) -> None:
    def slow_hop(n: int) -> Callable[[], Page]:
        def page() -> Page:
            time.sleep(0.3)
            return Page(b"", status=302, headers={"Location": f"/hop{n + 1}"})

        return page

    for n in range(5):
        site.pages[f"/hop{n}"] = slow_hop(n)
    with pytest.raises(FetchError, match="timed out after 1 s"):
        fetcher().get(site.url("/hop0"), accept="feed")
    assert len(site.hits) <= 4


# -- a whole poll's time, and the writer lock ---------------------------------------------------
def _could_write(other: Any) -> str:
    """Whether another process could update the database right now ("free"), or why not."""
    try:
        other.refresh(wait=False)
    except StoreBusy as exc:
        return f"busy: {exc}"
    return "free"


def _slowloris(content_type: str, probes: list[str], other: Any) -> Callable[[socket.socket], None]:
    """A response whose body trickles in a byte at a time, each well within the read timeout;
    once the headers are out it records whether the database could be updated meanwhile."""

    def respond(conn: socket.socket) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: 100000\r\n\r\n"
            % content_type.encode()
        )
        probes.append(_could_write(other))
        for _ in range(100_000):  # until the fetcher hangs up (an OSError ends the loop)
            conn.sendall(b" ")
            time.sleep(0.02)

    return respond


@pytest.mark.parametrize(
    ("deadlines", "stopped"),
    [
        (
            {"poll_deadline_seconds": 1},
            "stopped at the poll's 1 s deadline (DISPATCH_POLL_DEADLINE_SECONDS)",
        ),
        ({"fetch_deadline_seconds": 1}, "timed out after 1 s"),
    ],
    ids=["poll deadline", "fetch deadline"],
)
def test_a_slowloris_page_is_abandoned_at_its_deadline_and_holds_no_lock(
    site: Site, raw: Any, make_service: Any, corpus: Any, deadlines: dict[str, float], stopped: str
) -> None:
    service = make_service(corpus, fetch_allow=["127.0.0.1"], **deadlines)
    other = make_service(corpus)  # another process on the same database
    probes: list[str] = []
    slow = raw(_slowloris("text/html", probes, other))
    site.put("/feed", rss2([Item("Slow story", slow.url("/story"), T0)]), RSS)
    add_source(service, site.url("/feed"))
    (outcome,) = service.ingest().outcomes
    assert outcome.outcome == "rejected"
    assert outcome.reason == f"page: {stopped}; no usable feed summary"
    assert probes == ["free"]  # nobody held the writer lock while the page trickled in


def test_a_slowloris_feed_uses_up_the_poll_and_the_next_source_waits_its_turn(
    site: Site, raw: Any, make_service: Any, corpus: Any
) -> None:
    service = make_service(corpus, fetch_allow=["127.0.0.1"], poll_deadline_seconds=1)
    other = make_service(corpus)
    probes: list[str] = []
    slow = raw(_slowloris(RSS, probes, other))
    site.put("/feed", rss2([Item("Prompt story", site.url("/a"), T0, summary=_summary(1))]), RSS)
    feeds = service.store.feeds
    first = feeds.add(slow.url(), kind="feed", interval_minutes=30, now=T0)
    second = feeds.add(site.url("/feed"), kind="feed", interval_minutes=30, now=T0)
    (outcome,) = poll_due(service).outcomes
    assert outcome.name == slow.url() and outcome.outcome == "rejected"
    assert outcome.reason.startswith("stopped at the poll's 1 s deadline")
    assert feeds.get(first.id).failures == 1 and probes == ["free"]
    assert site.count("/feed") == 0 and feeds.get(second.id).last_polled is None  # still due
    assert [o.outcome for o in poll_due(service).outcomes] == ["added"]  # its turn came


# -- feed items --------------------------------------------------------------------------------
def _summary(n: int) -> str:
    return f"Officials said talks on item number {n} continued in the capital on Monday morning."


def test_items_with_unusable_links_fall_back_to_their_summary(
    site: Site, feed_service: Any
) -> None:
    links = ["javascript:alert(1)", "data:text/html,x", "", "http://example.com:99999/x"]
    items = [
        Item(f"Item {n}", link, T0, guid=f"g{n}", summary=_summary(n))
        for n, link in enumerate(links)
    ]
    site.put("/a", article("Alpha", story("alpha", 1)))
    items.append(Item("Relative", "/a", T0))
    site.put("/feed", rss2(items), RSS)
    add_source(feed_service, site.url("/feed"))
    report = poll_due(feed_service, force=True)
    assert [o.outcome for o in report.outcomes] == ["added"] * 5  # one bad link fails nothing
    stored = feed_service.store.sources.all()
    assert sorted(s.url or "" for s in stored) == ["", "", "", "", site.url("/a")]
    assert feed_service.store.feeds.all()[0].failures == 0


def test_an_item_link_with_credentials_is_fetched_and_stored_without_them(
    site: Site, feed_service: Any
) -> None:
    site.put("/a", article("Alpha", story("alpha", 1)))
    link = f"http://user:secret@127.0.0.1:{site.port}/a"
    site.put("/feed", rss2([Item("Alpha", link, T0)]), RSS)
    add_source(feed_service, site.url("/feed"))
    poll_due(feed_service, force=True)
    (stored,) = feed_service.store.sources.all()
    assert stored.url == site.url("/a")
    assert "authorization" not in site.hits[-1].headers


# -- names and addresses -----------------------------------------------------------------------
def _dns(table: dict[str, str]) -> Any:
    """A resolver from a table; numeric forms are parsed as the C library does, offline."""

    def resolve(host: str, port: int) -> list[str]:
        if host in table:
            return [table[host]]
        try:
            return [socket.inet_ntoa(socket.inet_aton(host))]  # 2130706433, 0x7f.1, 0177.0.0.1
        except OSError:
            return [host]  # an IPv6 literal

    return resolve


@pytest.mark.parametrize("allowed", ["пример.рф", "ПРИМЕР.РФ", "xn--e1afmkfd.xn--p1ai"])
@pytest.mark.parametrize("host", ["пример.рф", "xn--e1afmkfd.xn--p1ai", "Пример.РФ."])
def test_an_allowed_idn_host_is_allowed_in_either_spelling(
    site: Site, allowed: str, host: str
) -> None:
    site.put("/feed", FEED, RSS)
    dns = _dns({"xn--e1afmkfd.xn--p1ai": "127.0.0.1"})
    response = fetcher([allowed], dns).get(f"http://{host}:{site.port}/feed", accept="feed")
    assert response.body == FEED
    sent = site.hits[-1].headers["host"].replace(".:", ":")  # a trailing dot may stay
    assert sent == f"xn--e1afmkfd.xn--p1ai:{site.port}"


@pytest.mark.parametrize(
    "host",
    [
        "2130706433",  # decimal
        "0x7f.1",  # hex, short form
        "017700000001",  # octal
        "0177.0.0.1",
        "127.1",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "[0:0:0:0:0:ffff:7f00:1]",
        "0",
        "localhost",
        "xn--e1afmkfd.xn--p1ai",  # a name that resolves to loopback
    ],
)
def test_loopback_in_any_spelling_is_refused_unless_allow_listed(site: Site, host: str) -> None:
    site.put("/feed", FEED, RSS)
    url = f"http://{host}:{site.port}/feed"
    dns = _dns({"localhost": "127.0.0.1", "xn--e1afmkfd.xn--p1ai": "127.0.0.1"})
    with pytest.raises(Refused, match="refused to connect"):
        fetcher([], dns).get(url, accept="feed")
    assert site.hits == []


# -- subscriptions -----------------------------------------------------------------------------
def test_adding_a_followed_feed_under_another_spelling_does_not_subscribe_twice(
    site: Site, feed_service: Any
) -> None:
    for path in ("/feed", "/feed/", "/feed?utm_source=x&utm_medium=rss"):
        site.put(path, rss2([Item("Alpha", site.url("/a"), T0)]), RSS)
    site.pages["/old-feed"] = Page(b"", status=301, headers={"Location": "/feed"})
    first = add_source(feed_service, site.url("/feed"))
    variants = [
        site.url("/feed/"),
        site.url("/feed") + "#latest",
        site.url("/feed?utm_source=x&utm_medium=rss"),
        site.url("/feed").replace("http://", "HTTP://"),
        site.url("/old-feed"),  # redirects to the followed feed
    ]
    for variant in variants:
        added = add_source(feed_service, variant)
        assert not added.created and added.source.id == first.source.id
        assert added.source.url == site.url("/feed")
    assert [s.url for s in feed_service.store.feeds.all()] == [site.url("/feed")]
    assert "Already following this as" in add_source(feed_service, site.url("/feed/")).hint


def test_an_item_that_crashes_fails_alone_and_is_given_up_after_three_tries(
    site: Site, feed_service: Any, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.feeds.poll as poll

    real = poll.page_article

    def explode(body: bytes, headers: Any, **kw: Any) -> Any:
        if kw["url"].endswith("/boom"):
            raise RuntimeError("extractor bug")
        return real(body, headers, **kw)

    monkeypatch.setattr(poll, "page_article", explode)
    site.put("/a", article("Alpha", story("alpha", 1)))
    site.put("/boom", article("Boom", story("boom", 2)))
    items = [Item("Boom", site.url("/boom"), T0), Item("Alpha", site.url("/a"), T0)]
    site.put("/feed", rss2(items), RSS)
    add_source(feed_service, site.url("/feed"))
    first = poll_due(feed_service, force=True)
    assert [o.outcome for o in first.outcomes] == ["rejected", "added"]
    assert "RuntimeError: extractor bug" in first.outcomes[0].reason
    for _ in range(3):
        clock.now += timedelta(hours=1)
        poll_due(feed_service, force=True)
    assert site.count("/boom") == 3  # tried three times in all, then given up
    (src,) = feed_service.store.feeds.all()
    assert src.failures == 0 and src.disabled_reason is None


# -- bounded work per poll ---------------------------------------------------------------------
def _items(site: Site, first: int, count: int, when: Any) -> list[Item]:
    out = []
    for n in range(first, first + count):
        site.put(f"/a{n}", article(f"Story {n}", story(f"story {n}", n)))
        out.append(Item(f"Story {n}", site.url(f"/a{n}"), when, summary=_summary(n)))
    return out


def _pages(site: Site) -> int:
    return sum(1 for h in site.hits if h.path.startswith("/a"))


def test_a_huge_feed_costs_a_bounded_number_of_fetches_on_its_first_poll(
    site: Site, feed_service: Any
) -> None:
    from bot.feeds.parse import MAX_ITEMS
    from bot.feeds.poll import MAX_PAGE_FETCHES

    site.put("/feed", rss2(_items(site, 0, MAX_ITEMS + 50, T0 - timedelta(days=30))), RSS)
    add_source(feed_service, site.url("/feed"))
    report = poll_due(feed_service, force=True)
    assert _pages(site) == MAX_PAGE_FETCHES
    assert len(report.outcomes) == MAX_ITEMS  # the rest of the document is never read
    stored = feed_service.store.sources.all()
    assert sum("feed-summary" in s.notes for s in stored) == MAX_ITEMS - MAX_PAGE_FETCHES
    assert all("backfill" in s.notes for s in stored)  # the back catalogue, never news


def test_a_burst_of_new_items_is_worked_through_over_several_polls(
    site: Site, feed_service: Any, clock: Clock
) -> None:
    from bot.feeds.poll import MAX_PAGE_FETCHES

    site.put("/feed", rss2(_items(site, 0, 1, T0)), RSS, etag='"v1"')
    add_source(feed_service, site.url("/feed"))
    poll_due(feed_service, force=True)
    burst = _items(site, 1, MAX_PAGE_FETCHES + 15, T0)
    site.put("/feed", rss2(burst + _items(site, 0, 1, T0)), RSS, etag='"v2"')
    clock.now += timedelta(hours=1)
    second = poll_due(feed_service, force=True)
    assert len(second.outcomes) == MAX_PAGE_FETCHES
    clock.now += timedelta(hours=1)
    third = poll_due(feed_service, force=True)
    assert "if-none-match" not in site.hits[-16].headers  # no 304 hiding the rest
    assert [o.outcome for o in third.outcomes] == ["added"] * 15
    assert _pages(site) == 1 + MAX_PAGE_FETCHES + 15  # every page fetched exactly once
    clock.now += timedelta(hours=1)
    assert poll_due(feed_service, force=True).outcomes == []
    assert site.hits[-1].status == 304  # complete again: conditional GET is back


# -- hostile documents -------------------------------------------------------------------------
LAUGHS = "".join(
    ['<!ENTITY l0 "' + "ha" * 40 + '">']
    + [f'<!ENTITY l{n} "' + f"&l{n - 1};" * 10 + '">' for n in range(1, 10)]
)
HOSTILE_DOCTYPES = {
    "billion laughs": f"<!DOCTYPE rss [{LAUGHS}]>",
    "external entity": '<!DOCTYPE rss [<!ENTITY l9 SYSTEM "file:///etc/passwd">]>',
    "external parameter entity": '<!DOCTYPE rss [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',
    "entity fetched over http": '<!DOCTYPE rss [<!ENTITY l9 SYSTEM "http://127.0.0.1:9/x">]>',
}


@pytest.mark.parametrize("doctype", list(HOSTILE_DOCTYPES.values()), ids=list(HOSTILE_DOCTYPES))
def test_entities_in_feeds_are_never_expanded(site: Site, feed_service: Any, doctype: str) -> None:
    body = rss2([Item("Title &l9;", site.url("/gone"), T0, summary="x")])
    body = body.replace("&amp;l9;", "&l9;").replace("<rss", f"{doctype}<rss", 1)
    body += "<!-- " + _summary(1) + " -->"
    site.put("/feed", body.replace("<description>x", f"<description>{_summary(1)} &l9;"), RSS)
    add_source(feed_service, site.url("/feed"))
    started = time.monotonic()
    poll_due(feed_service, force=True)
    assert time.monotonic() - started < 5
    texts = [f"{s.title} {s.text}" for s in feed_service.store.sources.all()]
    assert texts and all("root:" not in t and "haha" not in t for t in texts)
    assert all(len(t) < 2_000 for t in texts)


@pytest.mark.parametrize(
    "target",
    ["file:///etc/passwd", "ftp://127.0.0.1/feed", "gopher://127.0.0.1:70/_x", "javascript:x"],
)
def test_redirects_to_other_schemes_are_refused(site: Site, target: str) -> None:
    site.pages["/feed"] = Page(b"", status=302, headers={"Location": target})
    with pytest.raises(Refused, match="only http and https"):
        fetcher().get(site.url("/feed"), accept="feed")


def test_an_item_republished_under_its_guid_with_new_content_is_read_once(
    site: Site, feed_service: Any, clock: Clock
) -> None:
    """First version wins: a feed cannot force refetches by churning an item under one GUID."""
    site.put("/a", article("Alpha", story("alpha", 1)))
    site.put("/a2", article("Alpha, updated", story("alpha", 1)[:3] + story("update", 9)[:3]))
    twice = [
        Item("Alpha", site.url("/a"), T0, guid="g1"),
        Item("Alpha 2", site.url("/a2"), T0, guid="g1"),
    ]
    site.put("/feed", rss2(twice), RSS)
    add_source(feed_service, site.url("/feed"))
    assert [o.outcome for o in poll_due(feed_service, force=True).outcomes] == ["added"]
    site.put("/feed", rss2([Item("Alpha, updated", site.url("/a2"), T0, guid="g1")]), RSS)
    clock.now += timedelta(hours=1)
    assert poll_due(feed_service, force=True).outcomes == []
    assert site.count("/a2") == 0 and len(feed_service.store.sources.all()) == 1
