"""Canonical URLs: one key per article whatever tracking, host spelling or fragment it carries."""

from __future__ import annotations

import pytest

from bot.errors import UsageError
from bot.feeds.urls import canonical_url, check_url, clean_url, item_link

BASE = "https://example.com/news/minerals-deal"


@pytest.mark.parametrize(
    "variant",
    [
        BASE,
        "https://www.example.com/news/minerals-deal",
        "https://WWW.Example.COM/news/minerals-deal/",
        "http://example.com/news/minerals-deal",
        "https://example.com:443/news/minerals-deal",
        "https://example.com/news/minerals-deal#comments",
        "https://example.com/news/minerals-deal?utm_source=rss&utm_medium=feed",
        "https://example.com/news/minerals-deal?fbclid=abc&gclid=def&mc_cid=1&mc_eid=2",
    ],
)
def test_url_variants_share_one_canonical_form(variant: str) -> None:
    assert canonical_url(variant) == canonical_url(BASE)


def test_meaningful_query_is_kept_and_sorted() -> None:
    assert canonical_url("https://ex.com/a?b=2&a=1&utm_term=x") == "https://ex.com/a?a=1&b=2"
    assert canonical_url("https://ex.com/a?id=1") != canonical_url("https://ex.com/a?id=2")


def test_non_default_port_and_path_case_are_kept() -> None:
    assert canonical_url("http://127.0.0.1:8080/A/") == "https://127.0.0.1:8080/A"


def test_clean_url_drops_tracking_but_keeps_host_spelling() -> None:
    assert clean_url("https://www.ex.com/a/?utm_source=x&id=3#top") == "https://www.ex.com/a/?id=3"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://example.com/feed", "Only http and https"),
        ("file:///etc/passwd", "Only http and https"),
        ("javascript:alert(1)", "Only http and https"),
        ("https:///nohost", "no host"),
        ("http://example.com:99999/", "Not a valid URL"),
    ],
)
def test_check_url_refuses_with_a_reason(url: str, problem: str) -> None:
    with pytest.raises(UsageError, match=problem):
        check_url(url)


def test_check_url_strips_angle_brackets_and_fragment() -> None:
    assert check_url(" <https://example.com/feed#x> ") == "https://example.com/feed"


# -- hostile URLs ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "data:text/html,<b>hi</b>",
        "mailto:desk@example.com",
        "file:///etc/passwd",
        "http://example.com:99999/x",  # a port out of range
        "http://[::1/x",  # an unclosed IPv6 literal
        "//example.com/x",  # scheme-relative links are resolved by the feed parser, or dropped
        "",
        None,
    ],
)
def test_unusable_item_links_are_dropped(link: str | None) -> None:
    assert item_link(link) is None


def test_usable_item_links_are_cleaned() -> None:
    assert item_link(" https://Ex.com/a?utm_source=x#top ") == "https://Ex.com/a"


@pytest.mark.parametrize(
    "url",
    [
        "http://user:secret@example.com/feed",
        "https://token@example.com/feed",
        "http://:pw@example.com/",
    ],
)
def test_urls_with_credentials_are_refused_without_echoing_them(url: str) -> None:
    with pytest.raises(UsageError, match="user name or password") as caught:
        check_url(url)
    assert "secret" not in str(caught.value) and "token" not in str(caught.value)


def test_credentials_never_survive_cleaning_or_canonical_forms() -> None:
    url = "http://user:secret@Example.com:8080/a?utm_source=x"
    assert clean_url(url) == "http://Example.com:8080/a"
    assert canonical_url(url) == "https://example.com:8080/a"
    assert item_link(url) == "http://Example.com:8080/a"


@pytest.mark.parametrize(
    "variant",
    ["http://пример.рф/news", "https://ПРИМЕР.РФ/news/", "https://www.xn--e1afmkfd.xn--p1ai/news"],
)
def test_idn_hosts_share_one_canonical_form(variant: str) -> None:
    assert canonical_url(variant) == "https://xn--e1afmkfd.xn--p1ai/news"


def test_ipv6_hosts_stay_bracketed() -> None:
    assert canonical_url("http://[2001:db8::1]:8080/a/") == "https://[2001:db8::1]:8080/a"
    assert canonical_url("https://[2001:db8::1]/a") == "https://[2001:db8::1]/a"
