"""feeds.toml, and `dispatch source add|remove|list` plus `dispatch ingest` from the command line."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.errors import ConfigError, UsageError
from bot.feeds import poll_due
from bot.feeds.sources import SourceError, add_source, list_sources, remove_source
from tests.conftest import T0
from tests.feeds.conftest import Item, Site, article, rss2, story

RSS = "application/rss+xml"


def write_feeds(corpus: Path, text: str) -> None:
    (corpus / "feeds.toml").write_text(text, encoding="utf-8")


def test_feeds_toml_is_synced_on_each_poll(site: Site, feed_service: Any, corpus: Path) -> None:
    site.put("/a", rss2([]), RSS)
    site.put("/b", rss2([]), RSS)
    write_feeds(
        corpus,
        f'[[feed]]\nurl = "{site.url("/a")}"\ninterval_minutes = 45\ntitle = "Desk A"\n\n[[feed]]\nurl = "{site.url("/b")}"\n',
    )
    poll_due(feed_service)
    found = {s.url: s for s in feed_service.store.feeds.all()}
    a, b = found[site.url("/a")], found[site.url("/b")]
    assert (a.origin, a.title, a.interval_minutes, b.interval_minutes) == (
        "config",
        "Desk A",
        45,
        30,
    )
    assert b.title == "Wire Desk"  # learnt from the feed when feeds.toml gives none
    write_feeds(corpus, f'[[feed]]\nurl = "{site.url("/a")}"\ninterval_minutes = 90\n')
    poll_due(feed_service)
    [only] = feed_service.store.feeds.all()
    assert (only.url, only.interval_minutes, only.last_ok) == (site.url("/a"), 90, T0)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[[feed]\nurl = 'x'", "not valid TOML"),
        ("[[feed]]\ninterval = 5\nurl = 'https://ex.com/rss'", "unknown key 'interval'"),
        ("[[feed]]\ntitle = 'no url'", "a url is required"),
        ("[[feed]]\nurl = 'ftp://ex.com/rss'", "Only http and https"),
        ("[[feed]]\nurl = 'https://ex.com/rss'\ninterval_minutes = 0", "at least 1"),
        ("[[feed]]\nurl = 'https://ex.com/rss'\ninterval_minutes = 'soon'", "number of minutes"),
        ("[[feeds]]\nurl = 'https://ex.com/rss'", "unknown table 'feeds'"),
        ("feed = 'https://ex.com/rss'", "declared as [[feed]]"),
    ],
)
def test_malformed_feeds_toml_is_a_clear_config_error(
    feed_service: Any, corpus: Path, text: str, problem: str
) -> None:
    write_feeds(corpus, text)
    with pytest.raises(ConfigError) as caught:
        poll_due(feed_service)
    message = str(caught.value)
    assert "feeds.toml" in message and problem in message and "\n" not in message


def test_config_sources_are_removed_in_feeds_toml_not_from_the_cli(
    site: Site, feed_service: Any, corpus: Path
) -> None:
    site.put("/a", rss2([]), RSS)
    write_feeds(corpus, f'[[feed]]\nurl = "{site.url("/a")}"\n')
    [src] = list_sources(feed_service)
    with pytest.raises(UsageError, match=r"remove it from that feeds\.toml"):
        remove_source(feed_service, str(src.id))


def test_sources_are_found_by_id_or_loosely_typed_url(site: Site, feed_service: Any) -> None:
    site.put("/feed/", rss2([]), RSS)
    src = add_source(feed_service, site.url("/feed/")).source
    typed = site.url("/feed").replace("http://", "")
    assert remove_source(feed_service, typed).id == src.id
    with pytest.raises(UsageError, match="No source"):
        remove_source(feed_service, str(src.id))


def test_a_page_advertising_a_feed_gets_a_hint(site: Site, feed_service: Any) -> None:
    html = article("Home", story("Home", 3)).replace(
        "</head>", '<link rel="alternate" type="application/rss+xml" href="/rss.xml"></head>'
    )
    site.put("/home", html)
    added = add_source(feed_service, site.url("/home"))
    assert added.source.kind == "url" and site.url("/rss.xml") in added.hint


def test_urls_that_are_neither_feed_nor_page_are_refused(site: Site, feed_service: Any) -> None:
    site.put("/pic", b"\x89PNG", "image/png")
    site.put("/broken", "<rss><channel><item><title>", RSS)
    with pytest.raises(
        SourceError, match="expected a feed or a web page, got content type 'image/png'"
    ):
        add_source(feed_service, site.url("/pic"))
    with pytest.raises(SourceError, match="malformed feed XML"):
        add_source(feed_service, site.url("/broken"))
    assert feed_service.store.feeds.all() == []


# -- command line -----------------------------------------------------------------------------
@pytest.fixture
def cli(
    corpus: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Any:
    monkeypatch.setenv("DISPATCH_FETCH_ALLOW", "127.0.0.1")

    def call(*argv: str) -> tuple[int, str, str]:
        code = main(["--corpus", str(corpus), "--db", str(tmp_path / "cli.db"), *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return call


def test_cli_adds_lists_ingests_and_removes(cli: Any, site: Site) -> None:
    site.put("/a1", article("One", story("One", 1)))
    site.put("/feed", rss2([Item("One", site.url("/a1"))], title="Desk"), RSS)
    code, out, _ = cli("source", "add", site.url("/feed"), "--interval", "15")
    assert code == 0 and out.startswith(f"Added feed #1: Desk <{site.url('/feed')}>")
    code, _, err = cli("ingest")
    assert code == 0 and re.search(rf"added\s+{re.escape(site.url('/a1'))}", err)
    code, out, _ = cli("source", "list")
    assert code == 0 and "#1 [ok] Desk (feed, every 15 min; cli)" in out
    code, out, _ = cli("source", "list", "--json")
    [entry] = json.loads(out)
    assert (entry["id"], entry["state"], entry["interval_minutes"], entry["disabled_reason"]) == (
        1,
        "ok",
        15,
        None,
    )
    code, out, _ = cli("source", "remove", site.url("/feed"))
    assert code == 0 and out.startswith("Removed #1: Desk")
    assert cli("source", "list")[1].startswith("No feeds or article URLs yet")


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (("source", "add", "ftp://example.com/feed"), 2, "Only http and https"),
        (("source", "add", "http://10.0.0.1/feed"), 2, "a private address"),
        (("source", "add", "{url}/missing"), 1, "HTTP 404"),
        (("source", "add", "{url}/feed", "--interval", "0"), 2, "at least 1"),
        (("source", "remove", "7"), 2, "No source '7'"),
    ],
)
def test_cli_errors_are_one_line(
    cli: Any, site: Site, argv: tuple[str, ...], code: int, message: str
) -> None:
    site.put("/feed", rss2([]), RSS)
    got, _, err = cli(*(a.format(url=site.url("")) for a in argv))
    assert (
        got == code
        and message in err
        and len(err.strip().splitlines()) == 1
        and "Traceback" not in err
    )


def test_cli_shows_disabled_sources_with_their_reason(cli: Any, site: Site) -> None:
    site.put("/feed", rss2([]), RSS)
    cli("source", "add", site.url("/feed"))
    site.put("/feed", "<html>moved</html>", "text/html", status=410)
    for _ in range(5):
        cli("ingest", "--force")
    _, out, _ = cli("source", "list")
    assert "[disabled]" in out and "after 5 failures in a row" in out and "HTTP 410" in out
