"""Statements that point back ("She added …") are shown with the sentence they lean on."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.digest.context import in_context
from bot.digest.features import needs_antecedent
from bot.models import Sentence
from bot.service import Dispatch
from bot.settings import Settings
from tests.corpus import merger_corpus


def _article(*texts: str) -> list[Sentence]:
    out, at = [], 0
    for i, text in enumerate(texts):
        out.append(Sentence("a", i, at, at + len(text), text))
        at += len(text) + 1
    return out


@pytest.mark.parametrize(
    ("text", "needs"),
    [
        ("She added that the merger would not close this year.", True),
        ("And he said the vote would go ahead on Friday.", True),
        ("Additionally, they filed a second appeal with the court.", True),
        ("The union denied that.", True),
        ("The announcement comes after the regulator gave its final approval on Friday.", True),
        ("The company said it would appeal the ruling in March.", True),
        ("This week, the regulator approved the merger with conditions.", False),
        ("Additionally, Trump confirmed the deal would not include guarantees.", False),
        ("Microsoft said it would appeal the ruling in March.", False),
        ("Italy's parliament approved the budget on Friday.", False),
    ],
)
def test_which_sentences_need_the_one_before(text: str, needs: bool) -> None:
    assert needs_antecedent(text) is needs


def test_a_pointing_sentence_is_joined_to_the_one_before() -> None:
    article = _article(
        "Acme's chief executive, Jane Roe, spoke to reporters on Monday.",
        "She added that the merger was off.",
    )
    joined = in_context(article[1], article)
    assert joined.context == "Acme's chief executive, Jane Roe, spoke to reporters on Monday."
    assert joined.shown == f"{joined.context} She added that the merger was off."
    assert (joined.text, joined.index, joined.start) == (article[1].text, 1, article[1].start)


def test_two_pointing_sentences_reach_back_to_the_named_subject() -> None:
    article = _article(
        "Labor leader Ana Diaz addressed the strikers on Tuesday.",
        "She said the talks had failed.",
        "And she added that the strike would go on.",
    )
    assert in_context(article[2], article).shown.startswith("Labor leader Ana Diaz")


def test_a_sentence_that_reads_alone_and_a_heading_before_are_left_alone() -> None:
    article = _article("MERGER TALKS", "She added that the merger was off.", "Acme shares fell 4%.")
    assert in_context(article[1], article) is article[1]  # a heading explains nothing
    assert in_context(article[2], article) is article[2]


def test_ask_shows_who_said_it(tmp_path: Path) -> None:
    corpus = merger_corpus(
        tmp_path,
        acme="---\ntitle: Acme merger in doubt\noutlet: Daily Example\ndate: 2025-03-03\n---\n"
        "Acme's chief executive, Jane Roe, spoke to reporters in Chicago on Monday. "
        "She added that the merger with Globex was off for good. "
        "Shares in the company fell sharply in afternoon trading.\n",
    )
    d = Dispatch(Settings(corpus=[corpus], db=tmp_path / "d.db", engine="extractive"))
    try:
        d.refresh()
        answer = d.ask("is the Globex merger off?")
    finally:
        d.close()
    first = answer.statements[0]
    assert first.text.startswith("Acme's chief executive, Jane Roe")
    assert "merger with Globex was off" in first.citations[0].quote
