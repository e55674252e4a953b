"""Rows of share buttons are boilerplate in any spelling; sentences naming a network are not."""

from __future__ import annotations

import pytest

from bot.ingest.clean import clean_lines
from bot.ingest.parse import parse_document

SENTENCE = "The fund will be managed jointly by both countries, officials said."


@pytest.mark.parametrize(
    "row",
    [
        "Share this article: Facebook Twitter Email",
        "Facebook Twitter LinkedIn",
        "Share on X | Email | Print",
        "Share via WhatsApp · Telegram · Copy link",
    ],
)
def test_share_rows_are_dropped(row: str) -> None:
    assert clean_lines([SENTENCE, row, SENTENCE]).lines == [SENTENCE, SENTENCE]


@pytest.mark.parametrize(
    "line",
    ["Email the minister about the deal today.", "Zelenskyy posted the letter on X on Sunday."],
)
def test_sentences_that_name_a_network_stay(line: str) -> None:
    assert clean_lines([line]).lines == [line]


def test_an_html_page_keeps_only_its_article() -> None:
    page = """<html><head><title>Minerals deal signed | The Daily Globe</title>
<script>var s = "Injected sentence about the minerals deal from a script.";</script></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Minerals deal signed</h1><p>By Jane Doe, Staff Reporter</p>
<p>Ukraine and the United States signed the minerals deal on Wednesday in Kyiv, officials said.</p>
<figure><figcaption>Officials at the ceremony. Photo: John Smith/Reuters</figcaption></figure>
<p>Share this article: Facebook Twitter Email</p>
<p>The fund will be managed jointly by both countries, officials said.</p></article>
<aside><h3>Most read</h3><ul><li>Peace talks stall over ceasefire terms</li></ul></aside>
<footer>© 2025 The Daily Globe. All rights reserved.</footer></body></html>"""
    parsed = parse_document(page, name="page.html", suffix=".html", meta=None)
    assert parsed.text.splitlines() == [
        "Ukraine and the United States signed the minerals deal on Wednesday in Kyiv, officials said.",
        SENTENCE,
    ]
