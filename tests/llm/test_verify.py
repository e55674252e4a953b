"""Claim verification: what passes as support, and what never does."""

from __future__ import annotations

import re

import pytest

from bot.llm.schemas import BriefItem, Cited
from bot.llm.verify import (
    SUPPORT_THRESHOLD,
    check_claim,
    dates_in,
    entities_in,
    numbers_in,
    verify,
)
from bot.llm.wording import negation_scopes, proper_names
from bot.models import Sentence

BESSENT = "And Treasury Secretary Scott Bessent said Sunday that the deal was “not at present” being considered."
GUARANTEES = (
    "Additionally, Trump confirmed reporting by Worthy News that a rare earth minerals deal with Kyiv "
    "would not include specific U.S. security guarantees to Ukraine."
)
SIGNED = "The deal, worth $500 billion, was signed on April 30 in Washington."
PROGRESS = "Trump stated that discussions were progressing but did not provide further details."
INVADED = "The minerals deal could in part pay back the U.S. for aid it has sent to Ukraine since Russia invaded it three years ago."


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        ("Bessent said Sunday the deal was not being considered at present.", BESSENT),
        (
            "Trump confirmed the minerals deal with Kyiv would not include U.S. security guarantees.",
            GUARANTEES,
        ),
        (
            "Trump confirmed the rare earth deal would not include Ukrainian security guarantees.",
            GUARANTEES,
        ),
        ("The $500 billion deal was signed on April 30 in Washington.", SIGNED),
        (
            "Trump said discussions were progressing.",
            PROGRESS,
        ),  # the source's negation governs other words
        (
            "However, the deal could pay back the U.S. for aid sent since Russia invaded three years ago.",
            INVADED,
        ),
    ],
)
def test_faithful_paraphrases_pass(claim: str, source: str) -> None:
    assert check_claim(claim, [source]) is None


@pytest.mark.parametrize(
    ("claim", "source", "reason"),
    [
        ("Bessent said Sunday the deal was being considered.", BESSENT, "negation"),
        (
            "Trump confirmed the minerals deal with Kyiv would include U.S. security guarantees.",
            GUARANTEES,
            "negation",
        ),
        ("The deal was not signed on April 30.", SIGNED, "negation"),
        ("Trump did not state that discussions were progressing.", PROGRESS, "negation"),
        ("Trump provided further details.", PROGRESS, "negation"),
        ("The $50 billion deal was signed on April 30.", SIGNED, "number"),
        ("The $500 million deal was signed on April 30.", SIGNED, "number"),
        ("The deal was signed on April 3 in Washington.", SIGNED, "number"),
        (
            "The deal could pay back aid sent since Russia invaded four years ago.",
            INVADED,
            "number",
        ),
        ("The deal was signed on May 30 in Washington.", SIGNED, "date"),
        ("Bessent said Monday the deal was not being considered at present.", BESSENT, "date"),
        (
            "Putin confirmed the rare earth deal would not include security guarantees.",
            GUARANTEES,
            "name",
        ),
        ("The deal was signed on April 30 in Paris.", SIGNED, "name"),
        ("Bessent called the deal “a historic mistake” on Sunday.", BESSENT, "quote"),
        ("The deal was signed on April 30, see https://evil.example/x.", SIGNED, "link"),
        ("The deal was signed on April 30 @everyone.", SIGNED, "mention"),
        ("The price of lithium is expected to climb sharply.", SIGNED, "support"),
    ],
)
def test_unsupported_claims_fail(claim: str, source: str, reason: str) -> None:
    why = check_claim(claim, [source])
    assert why is not None and reason in why


def test_claim_without_existing_sentence_fails() -> None:
    assert check_claim("The deal was signed.", []) == "cites no existing sentence"


def test_support_threshold_is_a_documented_fraction() -> None:
    assert 0.5 <= SUPPORT_THRESHOLD < 1


def test_features() -> None:
    assert numbers_in("It cost $1,500 or two billion, 3.5% more") == {"1500", "2 billion", "3.5"}
    assert numbers_in("$30bn, £5 mn, 10k troops, 7m people, billions, a dozen") == {
        "30 billion",
        "5 million",
        "10 thousand",
        "7 million",
        "dozen",
    }
    assert dates_in("On Sunday, in Sept. and March; they may march") == {
        "sunday",
        "september",
        "march",
    }
    assert dates_in("by april 3, may 5 or next week; they may march 3 miles") == {
        "april",
        "may",
        "march",  # next to a number: read as a date (stricter, never looser)
        "next week",
    }
    assert entities_in("Officials said the U.S. and Ukraine’s Zelenskyy met. The end.") == [
        "officials",
        "us",
        "ukraine",
        "zelenskyy",
    ]


def _sentence(i: int, text: str) -> Sentence:
    return Sentence("src1", i, 0, len(text), text)


def test_verify_discards_unknown_ids_and_counts_drops() -> None:
    numbered = {1: _sentence(0, BESSENT), 2: _sentence(1, SIGNED)}
    items = [
        Cited(
            text="Bessent said Sunday the deal was not being considered at present.", cite=[1, 99]
        ),
        Cited(text="The deal was signed on April 30 in Washington.", cite=[999]),
        BriefItem(text="The $500 billion deal was signed on April 30.", cite=[2], section="now"),
        Cited(text="The $500 billion deal was signed on April 30.", cite=[2]),  # repeat: ignored
    ]
    outcome = verify(items, numbered)
    assert outcome.claims == 3 and len(outcome.dropped) == 1
    assert outcome.dropped[0][1] == "cites no existing sentence"
    assert [s.text for s in outcome.kept[0].sentences] == [BESSENT]  # id 99 never survives
    assert outcome.kept[1].section == "now"
    assert not outcome.too_many_dropped


def test_more_than_half_dropped_is_too_many() -> None:
    numbered = {1: _sentence(0, SIGNED)}
    items = [
        Cited(text="The deal was signed on April 30 in Washington.", cite=[1]),
        Cited(text="The deal was not signed.", cite=[1]),
        Cited(text="Paris signed it.", cite=[1]),
    ]
    assert verify(items, numbered).too_many_dropped
    assert verify([], numbered).too_many_dropped  # nothing left to show is a failure too


# -- a sentence always supports itself ---------------------------------------------------------
def _corpus_sentences() -> list[str]:
    from tests.conftest import FIXTURES, SEEDS

    paths = sorted([*SEEDS.rglob("*.txt"), *FIXTURES.rglob("*.txt")])
    texts = [p.read_text("utf-8", errors="replace") for p in paths]
    lines = (" ".join(s.split()) for t in texts for s in re.split(r"(?<=[.!?])\s+|\n", t))
    return [s for s in lines if 20 <= len(s) <= 500 and "://" not in s]


def test_every_corpus_sentence_supports_itself() -> None:
    sentences = _corpus_sentences()
    assert len(sentences) > 50
    failing = [(s, check_claim(s, [s])) for s in sentences]
    assert [f for f in failing if f[1]] == []


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        # "Ukrainian" stated plainly elsewhere does not make "Ukraine" count as negated
        (
            "Ukrainian officials said Ukraine will repay the aid.",
            "Ukrainian officials said it does not require Ukraine to repay aid.",
        ),
    ],
)
def test_a_negation_governs_only_its_own_words(claim: str, source: str) -> None:
    assert check_claim(source, [source]) is None
    assert "negation" in (check_claim(claim, [source]) or "")


# -- numbers keep their scale, dates any case -------------------------------------------------
FUND = "Treasury Secretary Scott Bessent said the fund would hold 30 billion dollars by April 30."
TALKS = "Officials said the talks may resume next week."


@pytest.mark.parametrize(
    ("claim", "source", "reason"),
    [
        ("Bessent said the fund would hold 3 billion dollars by April 30.", FUND, "number"),
        ("Bessent said the fund would hold 30 million dollars by April 30.", FUND, "number"),
        ("Bessent said the fund would hold $30m by April 30.", FUND, "number"),
        (
            "Bessent said the fund would hold 30 dollars.",
            FUND.replace("April 30", "April"),
            "number",
        ),
        ("Bessent said the fund would hold 30 billion dollars by April 3.", FUND, "number"),
        ("Bessent said the fund would hold 30 billion dollars by march 30.", FUND, "date"),
        ("Officials said the talks may resume last week.", TALKS, "date"),
        ("Rubio said the fund would hold 30 billion dollars by April 30.", FUND, "name"),
        (
            "Treasury Secretary Marco Rubio said the fund would hold 30 billion dollars.",
            FUND,
            "name",
        ),
    ],
)
def test_changed_numbers_dates_and_names_fail(claim: str, source: str, reason: str) -> None:
    why = check_claim(claim, [source])
    assert why is not None and reason in why, why


@pytest.mark.parametrize(
    "claim",
    [
        "Bessent said the fund would hold $30bn by April 30.",
        "Bessent said the fund would hold thirty billion dollars by April 30.",
    ],
)
def test_the_same_number_written_differently_passes(claim: str) -> None:
    assert check_claim(claim, [FUND]) is None


# -- negations and hedges ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("claim", "source", "reason"),
    [
        (
            "The ministry said troops had crossed the border.",
            "The ministry denied that troops had crossed the border.",
            "negation",
        ),
        ("Kyiv signed the agreement.", "Kyiv refused to sign the agreement.", "negation"),
        ("The bill passed with amendments.", "The bill passed without amendments.", "negation"),
        ("The company paid the fine.", "The company said it had never paid the fine.", "negation"),
        ("There was a deal.", "There was no deal.", "negation"),
        (
            "The deal is likely to pass the senate.",
            "The deal is unlikely to pass the senate.",
            "negation",
        ),
        ("Kyiv did not sign the agreement.", "Kyiv signed the agreement.", "negation"),
        ("Officials said the talks will resume next week.", TALKS, "only call possible"),
        ("Officials said the talks resumed.", TALKS, "only call possible"),
        (
            "The ceasefire will collapse.",
            "Rubio said the ceasefire could collapse.",
            "only call possible",
        ),
        (
            "The treaty was signed on Friday.",
            "The treaty is expected to be signed on Friday.",
            "only call possible",
        ),
        (
            "Troops crossed the border.",
            "Troops reportedly crossed the border.",
            "only call possible",
        ),
    ],
)
def test_flipped_negations_and_dropped_hedges_fail(claim: str, source: str, reason: str) -> None:
    why = check_claim(claim, [source])
    assert why is not None and reason in why, why


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        ("Officials said the talks could resume next week.", TALKS),  # another hedge is fine
        ("Officials said the talks may resume.", TALKS),
        ("Bessent said the fund may hold 30 billion dollars by April 30.", FUND),  # hedge added
        ("The deal is unlikely to pass the senate.", "The deal is unlikely to pass the senate."),
        ("The talks may resume in May.", "Officials said the talks may resume in May."),
    ],
)
def test_kept_or_added_hedges_pass(claim: str, source: str) -> None:
    assert check_claim(claim, [source]) is None


# -- what users see ----------------------------------------------------------------------------
NATO = "NATO foreign ministers met in Brussels on Thursday to discuss the alliance's budget."


@pytest.mark.parametrize(
    ("claim", "source", "reason"),
    [
        ("Bessent said the minerals deal was not being considered at present.", NATO, "name"),
        ("The fund would hold 30 billion dollars, see ftp://evil.example/x.", FUND, "link"),
        ("The fund would hold 30 billion dollars, see evil.example/fund.", FUND, "link"),
        ("The fund would hold 30 billion dollars, join discord.gg/abc.", FUND, "link"),
        ("The fund would hold 30 billion dollars <@&123>.", FUND, "mention"),
    ],
)
def test_foreign_sentences_links_and_mentions_fail(claim: str, source: str, reason: str) -> None:
    why = check_claim(claim, [source])
    assert why is not None and reason in why, why


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (
            "The **deal** was signed on `April 30` in _Washington_.",
            "The deal was signed on April 30 in Washington.",
        ),
        (
            "# The deal was signed on April 30 ||in Washington||.",
            "The deal was signed on April 30 in Washington.",
        ),
        (
            "The deal\u200b was signed\u202e on April 30 in Washington.",
            "The deal was signed on April 30 in Washington.",
        ),
    ],
)
def test_markdown_and_invisible_characters_are_stripped(raw: str, shown: str) -> None:
    outcome = verify([Cited(text=raw, cite=[1])], {1: _sentence(0, SIGNED)})
    assert [k.text for k in outcome.kept] == [shown]


@pytest.mark.parametrize("hidden", ["@\u200beveryone", "@here\u2060", "ht\u200btps://evil.example"])
def test_mentions_and_links_hidden_by_invisible_characters_are_dropped(hidden: str) -> None:
    claim = f"The deal was signed on April 30 in Washington {hidden}."
    outcome = verify([Cited(text=claim, cite=[1])], {1: _sentence(0, SIGNED)})
    assert outcome.kept == [] and "link or mention" in outcome.dropped[0][1]


# -- meaning changes that keep every word (issue 10, item 5) ----------------------------------
LETTER = (
    "In his joint address to Congress on Tuesday, Trump said he received a letter from Zelenskyy "
    "saying he was prepared to return to the negotiating table."
)
READY = "Zelenskyy said this week he is ready to sign the minerals deal “in any time and in any convenient format.”"
PUTIN = "The U.S. president also revealed he wants to speak with Russia’s President Vladimir Putin."


@pytest.mark.parametrize(
    ("claim", "source", "reason"),
    [
        (
            "Bessent said Sunday that the deal was not “not at present” being considered.",
            BESSENT,
            "drops a negation",
        ),
        (
            "In his address to Congress on Tuesday, Zelenskyy said he received a letter from Trump saying he was prepared to return to the negotiating table.",
            LETTER,
            "who",
        ),
        (
            "Zelenskyy said this week he is ready to sign the minerals deal unless the format is inconvenient.",
            READY,
            "adds a condition",
        ),
    ],
)
def test_issue_rewrites_that_keep_every_word_fail(claim: str, source: str, reason: str) -> None:
    why = check_claim(claim, [source])
    assert why is not None and reason in why, why


def test_a_lowercase_name_the_model_was_shown_elsewhere_fails() -> None:
    claim = "Trump said he received a letter from putin."
    assert check_claim(claim, [LETTER]) is None  # no context: nothing says "putin" is a name
    assert "name not in sources: putin" in (check_claim(claim, [LETTER], [PUTIN]) or "")
    same = claim.replace("putin", "zelenskyy")  # a name of the cited sentence, in any case
    assert check_claim(same, [LETTER], [PUTIN]) is None


def test_headlines_shown_to_the_model_name_nobody() -> None:
    headline = "Trump Seeks a Rare Earth Deal as a Condition for Continued Support"
    claim = "Trump said he received a letter from Zelenskyy as a condition for support."
    assert check_claim(claim, [LETTER], [headline, "MAJOR DEAL"]) is None
    assert proper_names([headline, "MAJOR DEAL", PUTIN]) == {"russia", "vladimir", "putin"}
    about = "The White House Said Trump Is in ‘Talks’ About Mineral Rights Deal with Ukraine"
    assert proper_names([about]) == set()
    assert proper_names(["Protests spread from Boston to Chicago on Saturday."]) == {
        "boston",
        "chicago",
    }


def test_verify_takes_names_from_every_numbered_sentence() -> None:
    numbered = {1: _sentence(0, LETTER), 2: _sentence(1, PUTIN)}
    claim = "Trump said he received a letter from putin saying he was prepared to return."
    outcome = verify([Cited(text=claim, cite=[1])], numbered)
    assert outcome.kept == [] and "putin" in outcome.dropped[0][1]


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("the deal was not “not at present” being considered", False),
        ("they would never fail to ratify the treaty", False),
        ("Kyiv did not refuse to sign", False),
        ("the deal was not signed", True),
        ("neither Kyiv nor Moscow signed", True),
        ("No, the deal was not signed", True),
    ],
)
def test_stacked_negations_count_by_parity(text: str, negated: bool) -> None:
    scopes, plain = negation_scopes(text)
    governed = {w for scope in scopes for w in scope}
    assert ("sign" in governed or "consider" in governed or "ratify" in governed) is negated
    assert ("sign" in plain or "consider" in plain or "ratify" in plain) is not negated


UNION = "The union said its members would return to work if the company restored the pension plan."


@pytest.mark.parametrize(
    ("claim", "kept"),
    [
        ("The union said its members would return to work.", False),  # condition dropped
        ("The union said its members would return to work if the plan was restored.", True),
        ("If the company restored the pension plan, members would return, the union said.", True),
        ("The union said its members would return to work unless the plan was cut.", False),
        ("The union said its members would return as long as the plan was restored.", True),
        ("The union called the pension plan generous.", False),  # unsupported anyway
    ],
)
def test_conditions_are_kept_like_hedges(claim: str, kept: bool) -> None:
    assert (check_claim(claim, [UNION]) is None) is kept, check_claim(claim, [UNION])


@pytest.mark.parametrize(
    ("claim", "source", "reason"),
    [
        (
            "Shareholders approved the merger, provided that regulators agree.",
            "Shareholders approved the merger.",
            "adds a condition",
        ),
        ("Scholz hosted Macron in Paris.", "Macron hosted Scholz in Paris.", "swaps"),
        ("Ukraine invaded Russia.", "Russia invaded Ukraine.", "swaps"),
        (
            "Zelenskyy said the ceremony is due when he visits.",
            "Officials said the ceremony is due when Zelenskyy visits.",
            "who said",
        ),
        (
            "Russian officials said talks with Ukraine failed.",
            "Ukrainian officials said talks with Russia failed.",
            "who said",
        ),
        ("The jets numbered fewer than 50.", "The jets numbered more than 50.", "bound"),
        ("It was the seventh cut.", "It was the sixth cut.", "number"),
        ("Russia invaded it three months ago.", "Russia invaded it three years ago.", "number"),
        ("The storm hit on Wednesday morning.", "The storm hit on Wednesday evening.", "date"),
        ("Diplomats met in Istanbul.", "Diplomats will meet in Istanbul.", "reports as done"),
        (
            "The carmaker has recalled the cars.",
            "The carmaker said it would recall the cars.",
            "reports as done",
        ),
        (
            "Shareholders will approve the merger.",
            "Shareholders approved the merger.",
            "will happen",
        ),
        ("Some of the 36 ports closed.", "All 36 ports closed.", "quantifier"),
        (
            "Results will not be known before Thursday.",
            "Results are unlikely to be known before Thursday.",
            "only call possible",
        ),
    ],
)
def test_roles_bounds_tense_and_quantifiers_fail(claim: str, source: str, reason: str) -> None:
    assert check_claim(source, [source]) is None
    why = check_claim(claim, [source])
    assert why is not None and reason in why, why


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        ("Scholz was hosted by Macron in Paris.", "Macron hosted Scholz in Paris."),  # passive
        ("Trump and Zelenskyy met.", "Trump met Zelenskyy."),
        ("Zelenskyy met Trump in Washington.", "In Washington, Trump met Zelenskyy."),  # symmetric
        ("Russia and Ukraine signed the accord.", "Ukraine signed the accord with Russia."),
        (
            "The ceremony is due on Friday, officials said.",
            "Officials said the ceremony is due on Friday.",
        ),
        (
            "Scott Bessent, the Treasury Secretary, said the deal was off.",
            "Treasury Secretary Scott Bessent said the deal was off.",
        ),
        ("Diplomats are due to meet in Istanbul.", "Diplomats will meet in Istanbul."),
        (
            "Dock workers at every one of the 36 ports walked out.",
            "Dock workers at all 36 ports walked out.",
        ),
        (
            "Shareholders of both companies approved it.",
            "Shareholders of the two companies approved it.",
        ),
        ("Some 30,000 troops would be deployed.", "About 30,000 troops would be deployed."),
        (
            "The plan would deploy almost 30,000 troops.",
            "The plan would deploy nearly 30,000 troops.",
        ),
    ],
)
def test_faithful_roles_tense_and_quantifiers_pass(claim: str, source: str) -> None:
    assert check_claim(claim, [source]) is None


def test_a_sentence_shown_with_its_context_supports_a_claim_that_names_who_acted() -> None:
    leaning = Sentence(
        "a",
        1,
        0,
        40,
        "She added that the merger with Globex was off for good.",
        context="Acme's chief executive, Jane Roe, spoke to reporters in Chicago on Monday.",
    )
    claim = "Jane Roe, Acme's chief executive, said the merger with Globex was off for good."
    outcome = verify([Cited(text=claim, cite=[1])], {1: leaning})
    assert outcome.dropped == [] and len(outcome.kept) == 1
    assert check_claim(claim, [leaning.text]) is not None  # the sentence alone names nobody
