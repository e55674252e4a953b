"""`ask` with whatever a user types: other scripts, FTS syntax, punctuation, 10,000 characters."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import FIXTURES

MEANINGLESS = "Ask a question with at least one meaningful word."


@pytest.fixture
def ask(seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    shutil.copy(FIXTURES / "messy" / "two_languages.txt", seeds_dir / "two_languages.txt")
    db = ["--corpus", str(seeds_dir), "--db", str(tmp_path / "ask.db")]

    def call(question: str) -> dict:  # type: ignore[type-arg]
        code = main(["ask", "--json", *db, "--", question])
        out, err = capsys.readouterr()
        assert code == 0 and "Traceback" not in err, err
        return json.loads(out)

    return call


def test_a_question_in_ukrainian_finds_the_ukrainian_sentence(ask) -> None:  # type: ignore[no-untyped-def]
    data = ask("Що сказала Галина Коваль?")
    assert data["notes"] == []
    assert any("Галина Коваль" in st["text"] for st in data["statements"])


def test_a_question_in_a_script_the_corpus_lacks_gets_the_sources_dont_say(ask) -> None:  # type: ignore[no-untyped-def]
    data = ask("日本の鉱物資源")
    assert data["statements"] == [] and data["notes"] == ["The sources don't say."]


@pytest.mark.parametrize("question", ["...", "?!", '"', "*", "'", "()", "-", "— …"])
def test_punctuation_only_asks_for_a_word(ask, question: str) -> None:  # type: ignore[no-untyped-def]
    assert ask(question)["notes"] == [MEANINGLESS]


@pytest.mark.parametrize(
    "question",
    [
        'minerals AND "deal',
        "NEAR(minerals deal)",
        "-deal",
        "(deal OR",
        "deal* ^minerals col:text",
        "NOT minerals",
        "Bessent's “not at present”",
    ],
)
def test_fts_syntax_is_just_words(ask, question: str) -> None:  # type: ignore[no-untyped-def]
    data = ask(question)
    assert data["question"] == question and data["statements"]


def test_a_ten_thousand_character_question_is_answered(ask) -> None:  # type: ignore[no-untyped-def]
    question = ("What did Bessent say about the minerals deal? " * 220)[:10_000]
    data = ask(question)
    assert any("Bessent" in st["text"] for st in data["statements"])
