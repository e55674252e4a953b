"""Feed documents: RSS 0.9x/1.0/2.0 and Atom read into items; non-feeds refused with a reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.feeds.parse import FeedError, looks_like_feed, parse_feed
from tests.feeds.conftest import Item, atom, rss1, rss2

WHEN = datetime(2025, 3, 5, 9, 30, tzinfo=UTC)
ITEMS = [
    Item(
        "Deal signed",
        "https://news.test/a/1",
        WHEN,
        guid="tag:news.test,1",
        summary="<p>Signed.</p>",
    ),
    Item("Deal delayed", "https://news.test/a/2", None, summary="Delayed."),
]


@pytest.mark.parametrize(
    ("render", "version"), [(rss2, "rss20"), (rss1, "rss10"), (atom, "atom10")]
)
def test_feed_formats_give_the_same_items(render: object, version: str) -> None:
    feed = parse_feed(render(ITEMS).encode(), url="https://news.test/feed")  # type: ignore[operator]
    assert feed.version == version
    assert [i.title for i in feed.items] == ["Deal signed", "Deal delayed"]
    assert [i.link for i in feed.items] == ["https://news.test/a/1", "https://news.test/a/2"]
    assert feed.items[0].published == WHEN
    assert feed.title and feed.title.endswith("Desk")


def test_rss_091_is_read() -> None:
    doc = (
        '<?xml version="1.0"?><rss version="0.91"><channel><title>Old Desk</title>'
        "<link>https://news.test/</link><description>d</description>"
        "<item><title>Old item</title><link>https://news.test/old</link>"
        "<description>Old news.</description></item></channel></rss>"
    )
    feed = parse_feed(doc.encode(), url="https://news.test/rss")
    assert feed.version.startswith("rss09") and feed.items[0].link == "https://news.test/old"


def test_guids_fall_back_to_links() -> None:
    feed = parse_feed(rss2(ITEMS).encode(), url="https://news.test/feed")
    assert feed.items[0].guid == "tag:news.test,1"
    assert feed.items[1].guid == "https://news.test/a/2"


def test_relative_links_resolve_against_the_feed_url() -> None:
    doc = rss2([Item("Rel", "/a/rel", WHEN)])
    feed = parse_feed(doc.encode(), url="https://news.test/feeds/main.xml")
    assert feed.items[0].link == "https://news.test/a/rel"


def test_script_in_summaries_is_sanitised() -> None:
    doc = rss2(
        [Item("X", "https://news.test/x", WHEN, summary="<p>Hi</p><script>alert(1)</script>")]
    )
    assert "script" not in parse_feed(doc.encode(), url="https://news.test/f").items[0].summary


@pytest.mark.parametrize(
    "body",
    [
        b"<html><head><title>Home</title></head><body><p>Just a page.</p></body></html>",
        b"\x00\x01\x02 not xml at all",
        b"",
    ],
)
def test_non_feeds_are_refused(body: bytes) -> None:
    with pytest.raises(FeedError, match="not a valid RSS or Atom feed"):
        parse_feed(body, url="https://news.test/feed")


def test_truncated_xml_keeps_complete_items_or_refuses() -> None:
    whole = rss2(ITEMS)
    first_end = whole.index("</item>") + len("</item>")
    feed = parse_feed(whole[: first_end + 30].encode(), url="https://news.test/feed")
    assert [i.title for i in feed.items] == ["Deal signed"]  # lenient: what is complete is kept
    with pytest.raises(FeedError, match="malformed feed XML"):
        parse_feed(whole[: whole.index("<item>") + 20].encode(), url="https://news.test/feed")


def test_looks_like_feed() -> None:
    assert looks_like_feed(rss2(ITEMS).encode()) and looks_like_feed(atom(ITEMS).encode())
    assert not looks_like_feed(b"<!doctype html><html><body>hi</body></html>")
