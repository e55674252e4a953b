"""Sentence splitting: abbreviations, initials, quotes with mismatched marks, offsets."""

from __future__ import annotations

import pytest

from bot.ingest.sentences import split_sentences


def _texts(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two.", ["One.", "Two."]),
        (
            "The U.S. and Ukraine agreed. Talks go on.",
            ["The U.S. and Ukraine agreed.", "Talks go on."],
        ),
        (
            "Sen. Graham spoke. Mr. Smith and Dr. Jones left.",
            ["Sen. Graham spoke.", "Mr. Smith and Dr. Jones left."],
        ),
        (
            "Gov. Newsom said so on Jan. 5 at 9 a.m. Eastern. Then he left.",
            ["Gov. Newsom said so on Jan. 5 at 9 a.m. Eastern.", "Then he left."],
        ),
        (
            "By Stefan J. Bos, correspondent. He wrote.",
            ["By Stefan J. Bos, correspondent.", "He wrote."],
        ),
        (
            "President Donald J. Trump said it. Then he left.",
            ["President Donald J. Trump said it.", "Then he left."],
        ),
        # mismatched marks: opens with “ and closes with a straight quote
        (
            '“We made progress. We’ll see what happens," he added. Next.',
            ['“We made progress. We’ll see what happens," he added.', "Next."],
        ),
        # a quote ending in .” or ?" ends the sentence after the closing mark
        ("He said “it is over.” Then he left.", ["He said “it is over.”", "Then he left."]),
        ('She asked "why now?" Nobody answered.', ['She asked "why now?"', "Nobody answered."]),
        (
            "“Wouldn’t that be beautiful?” Trump asked.",
            ["“Wouldn’t that be beautiful?” Trump asked."],
        ),
        # a final sentence without its full stop is kept
        (
            "First sentence. And the excerpt ends in Kyi",
            ["First sentence.", "And the excerpt ends in Kyi"],
        ),
        # newlines split headlines and paragraphs
        ("MAJOR DEAL\nThe deal was signed.", ["MAJOR DEAL", "The deal was signed."]),
        ("  padded sentence.   \n\n  another one.  ", ["padded sentence.", "another one."]),
        ("the message … is a positive sign.", ["the message … is a positive sign."]),
        ("Prices rose 5.5 percent. Markets fell.", ["Prices rose 5.5 percent.", "Markets fell."]),
        ("It ended in 2022. 30,000 troops left.", ["It ended in 2022.", "30,000 troops left."]),
        ("", []),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


def test_offsets_are_trimmed_and_exact() -> None:
    text = '  Alpha beta.  Gamma delta!\n\n“Quote here," he said.  '
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "Alpha beta.",
        "Gamma delta!",
        '“Quote here," he said.',
    ]
    for a, b in spans:
        assert not text[a].isspace() and not text[b - 1].isspace()


def test_seed_000_quotes_stay_whole(seeds_dir) -> None:  # type: ignore[no-untyped-def]
    text = (seeds_dir / "000_73d30c671a85fbfc.txt").read_text(encoding="utf-8")
    sentences = _texts(text)
    assert (
        "“We’re giving them money, we’re giving them equipment, and the Europeans are not keeping up. "
        'They should be paying at least as much as us, but they are billions of dollars behind," Trump said.'
    ) in sentences
