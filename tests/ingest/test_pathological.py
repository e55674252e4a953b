"""Inputs shaped to be slow: splitting and parsing stay linear in the size of the text."""

from __future__ import annotations

import time

import pytest

from bot.ingest.parse import parse_document
from bot.ingest.sentences import split_sentences


@pytest.mark.parametrize(
    "text",
    [
        "U.S. " * 20_000,
        "Mr. " * 25_000 + "Smith said so.",
        "Sen. J. Doe of Calif. met Gov. Roe. " * 3_000,
    ],
    ids=["dotted", "titles", "mixed"],
)
def test_full_stops_that_end_no_sentence_do_not_make_splitting_quadratic(text: str) -> None:
    started = time.perf_counter()
    spans = split_sentences(text)
    assert time.perf_counter() - started < 2.0  # was 40 s for the first one
    assert spans and spans[-1][1] == len(text.rstrip())


def test_a_huge_one_line_article_gets_a_short_title_quickly() -> None:
    text = "Ukraine signed the minerals deal on Monday in Kyiv. " + "U.S. " * 200_000
    started = time.perf_counter()
    parsed = parse_document(text, name="big.txt", suffix=".txt", meta=None)
    assert time.perf_counter() - started < 10.0
    assert parsed.title == "Ukraine signed the minerals deal on Monday in Kyiv."
