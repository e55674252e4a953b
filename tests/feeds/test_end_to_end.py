"""A new feed article flows into the next digest and into `status`; back catalogue does not flood."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.feeds.sources import add_source
from tests.conftest import T0, Clock
from tests.feeds.conftest import Item, Site, article, rss2

SIGNED = [
    "Ukraine and the United States signed the critical minerals deal in Washington on Thursday, "
    "ending weeks of uncertainty after the Oval Office clash.",
    "Ukrainian President Volodymyr Zelenskyy said the minerals agreement creates a joint fund for "
    "reconstruction that both countries will manage together.",
    "Treasury Secretary Scott Bessent said the rare earth deal gives American companies access to "
    "Ukraine's natural resources and mining projects.",
    "Officials in Kyiv said the first projects under the joint fund could start within months.",
]
OLD = [
    "Ukraine's parliament debated the rare earth minerals deal with the United States on Thursday, "
    "weeks before any signing.",
    "Lawmakers in Kyiv said the critical minerals agreement would need ratification before any "
    "mining projects could begin.",
    "Zelenskyy told reporters the mineral rights talks with Washington were continuing.",
]


def mentions(briefings: list[Any], needle: str) -> bool:
    return any(needle in s.text for b in briefings for s in b.statements)


def test_a_new_feed_article_reaches_digest_and_status(
    site: Site, make_service: Any, seeds_dir: Path, clock: Clock
) -> None:
    service = make_service(seeds_dir, fetch_allow=["127.0.0.1"])
    service.refresh()
    site.put("/signed", article("Minerals deal signed", SIGNED, site_name="Kyiv Courier"))
    site.put("/debate", article("Parliament debates minerals deal", OLD, site_name="Kyiv Courier"))
    site.put(
        "/feed",
        rss2(
            [
                Item("Minerals deal signed", site.url("/signed"), T0 - timedelta(hours=2)),
                Item(
                    "Parliament debates minerals deal", site.url("/debate"), T0 - timedelta(days=20)
                ),
            ],
            title="Kyiv Courier",
        ),
        "application/rss+xml",
    )
    add_source(service, site.url("/feed"))
    clock.now = T0 + timedelta(hours=1)
    report = service.ingest(force=True)
    assert report.count("added") >= 2 and report.changed

    digest = service.digest(since=T0)
    assert [b.topic.slug for b in digest if b.topic] and mentions(
        digest, "signed the critical minerals deal"
    )
    assert not mentions(digest, "parliament debated")  # stored as backfill: not news
    status = service.status("minerals-deal")
    assert any(src.url == site.url("/signed") for src in status.sources)
    assert status.as_of == (T0 - timedelta(hours=2)).date()

    clock.now = T0 + timedelta(hours=2)
    again = service.ingest(force=True)
    assert not again.changed and site.count("/signed") == 1
    assert service.digest(since=T0 + timedelta(hours=1, minutes=30)) == []


def test_implicit_refresh_never_touches_the_network(
    site: Site, make_service: Any, seeds_dir: Path
) -> None:
    service = make_service(seeds_dir, fetch_allow=["127.0.0.1"])
    site.put(
        "/feed",
        rss2([Item("Minerals deal signed", site.url("/signed"), T0)]),
        "application/rss+xml",
    )
    add_source(service, site.url("/feed"))
    hits = len(site.hits)
    service.refresh()
    service.status("minerals-deal")
    assert len(site.hits) == hits
