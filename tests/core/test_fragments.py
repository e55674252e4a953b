"""Citations of a source with a URL link to the quoted passage (URL text fragments)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from urllib.parse import unquote

import pytest

from bot.render.fragments import encode_term, fragment_link, text_directive
from tests.corpus import merger_corpus

ARTICLE = (
    "Regulators met on Monday. The board said the merger would be reviewed again in May. "
    "The board said the merger would not be reviewed before the vote, a spokesperson added. "
    "Shares rose."
)


@pytest.mark.parametrize(
    ("term", "encoded"),
    [
        ("Smith-Jones", "Smith%2DJones"),  # "-" is the directive's prefix/suffix mark
        ("yes, and no", "yes%2C%20and%20no"),  # "," separates start and end
        ("R&D", "R%26D"),  # "&" separates directives
        ("a b", "a%20b"),
        ("“quoted”", "%E2%80%9Cquoted%E2%80%9D"),  # curly quotes, UTF-8
        ("50% off #1", "50%25%20off%20%231"),
    ],
)
def test_terms_are_encoded_as_the_specification_says(term: str, encoded: str) -> None:
    assert encode_term(term) == encoded
    assert unquote(encoded) == term


def test_a_short_quote_is_given_whole() -> None:
    assert text_directive("Shares rose sharply on Friday.", ARTICLE) == (
        "text=Shares%20rose%20sharply%20on%20Friday."
    )


def test_a_long_quote_uses_a_start_unique_in_the_article_and_its_own_end() -> None:
    quote = "The board said the merger would not be reviewed before the vote, a spokesperson added."
    directive = text_directive(quote, ARTICLE)
    start, end = (unquote(t) for t in directive.removeprefix("text=").split(","))
    # "The board said the merger would" starts two sentences: the start must reach "not"
    assert ARTICLE.count(start) == 1 and quote.startswith(start) and quote.endswith(end)
    assert start.endswith("not") and len(start.split()) == 7
    assert ARTICLE.find(end, ARTICLE.find(start)) == ARTICLE.find(quote) + len(quote) - len(end)


def test_the_link_keeps_the_page_and_any_fragment_it_had() -> None:
    assert fragment_link("https://ex.com/a?b=1", "Shares rose.", ARTICLE) == (
        "https://ex.com/a?b=1#:~:text=Shares%20rose."
    )
    assert fragment_link("https://ex.com/a#top", "Shares rose.", ARTICLE) == (
        "https://ex.com/a#top:~:text=Shares%20rose."
    )


def test_json_citations_of_sources_with_a_url_carry_a_link(tmp_path: Path) -> None:
    from bot.cli import main

    corpus = merger_corpus(
        tmp_path,
        acme="---\ntitle: Acme merger approved\noutlet: Daily Example\ndate: 2025-03-03\n"
        "url: https://news.example/acme-merger\n---\n"
        "Regulators approved the Acme merger with Globex on Monday, ending a year-long review.\n"
        "The approval clears the way for the merged company to start trading in April.\n",
        local="---\ntitle: Acme merger talk\noutlet: Local Desk\ndate: 2025-03-04\n---\n"
        "Acme workers in Ohio said the merger would bring new jobs to the town's plant.\n",
    )
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        argv = ["--corpus", str(corpus), "--db", str(tmp_path / "d.db"), "timeline", "merger"]
        assert main([*argv, "--json"]) in (0, None)
    payload = json.loads(buf.getvalue())
    by_id = {s["id"]: s for s in payload["sources"]}
    citations = [c for st in payload["statements"] for c in st["citations"]]
    assert citations
    for c in citations:
        url = by_id[c["source"]]["url"]
        if url is None:
            assert c["link"] is None
        else:
            assert c["link"].startswith(url + "#:~:text=")
            start = unquote(c["link"].split("text=", 1)[1].split(",")[0])
            assert c["quote"].startswith(start)
    assert any(c["link"] for c in citations) and any(c["link"] is None for c in citations)
