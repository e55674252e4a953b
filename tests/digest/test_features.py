"""Informative over generic: cues count once, a general event vocabulary, stand-alone text."""

from __future__ import annotations

import pytest

from bot.digest.features import STRONG, cue_weight, cues_of, event_groups, opposed, stands_alone


def test_cues_count_once_so_a_vague_remark_does_not_outrank_an_event() -> None:
    vague = (
        "An official said talks and meetings would continue, adding that he expected a deal "
        "soon and that negotiations were ready to resume."
    )
    event = "The judge ruled on Tuesday that the merger may proceed."
    assert len(cues_of(vague)) >= 3  # summed, these would outweigh one strong cue
    assert cue_weight(event) > cue_weight(vague)


@pytest.mark.parametrize(
    "sentence",
    [
        "A federal judge ruled that the deal may go ahead.",  # legal
        "The cabinet was sworn in by the king on Tuesday.",  # political
        "Regulators approved the takeover after a year-long review.",  # business
        "NASA scrubbed the launch after an engine sensor failed.",  # science
        "The capsule splashed down in the Pacific Ocean on Sunday.",
        "Troops captured the town after a week of fighting.",  # conflict
        "The company appealed the ruling to a higher court.",
        "Parliament voted to ratify the treaty.",
    ],
)
def test_a_general_event_vocabulary(sentence: str) -> None:
    assert cue_weight(sentence) >= STRONG


@pytest.mark.parametrize(
    ("sentence", "fit"),
    [
        ("The FTC sued on Thursday to block the $69 billion deal.", True),
        ("“We will fight this in court,” the company said in a statement.", True),
        ("The FTC sued on Thursday to block the $69 billion deal and said it would", False),
        ("and the board said it would review the deal next month.", False),
        ("Will the deal close before the deadline in July this year?", False),
        ("(AP Photo/Evan Vucci) Microsoft president Brad Smith speaks to reporters.", False),
        ("Published by the newsroom staff on Tuesday, 12 March 2024.", False),
        ("WHO launches this page with information on how to stay safe during an outbreak.", False),
        ("The information on this page is updated every Monday by the health department.", False),
        (
            "The purpose of the page is to provide information and public health advice to "
            "individuals and communities.",
            False,
        ),
        (
            "Editor’s note: This story was updated on May 20 to reflect the latest case counts.",
            False,
        ),
        ("This story has been updated to include comments from the health department.", False),
        ("The editor of the newspaper said the story was accurate and would stand.", True),
        ("The aim of the agreement is to open the market to smaller studios.", True),
        (
            "We’re on a 45-minute lunch break, so it’s time once again to recap the testimony.",
            False,
        ),
        ("We are not going to accept this ruling, the chief executive said on Friday.", True),
        ("“This is a great day for gamers and for the whole industry.”", False),
        ("Microsoft Activision Deal Latest News Updates And Analysis Today", False),
        ("Too short to stand.", False),
        (
            "NASA's new moon rocket sits on Launch Pad 39-B hours before liftoff Monday, "
            "Aug. 29, 2022, in Cape Canaveral, Fla.",
            False,
        ),
        ("The rocket lifted off on Wednesday, Nov. 16, 2022, after two scrubbed attempts.", True),
        ("The far side of the moon looms beyond the capsule in this image taken on Monday.", False),
        (
            "The Vehicle Assembly Building is seen in the foreground as the rocket rolls out.",
            False,
        ),
        ("The rocket and its capsule are pictured here on the launch pad at dawn.", False),
        ("Connect with top industry leaders in Chicago at the Freight Summit this May.", False),
        ("Register now for our webinar on the future of rail freight in Europe.", False),
        ("The rocket was moved to the pad ahead of the launch attempt on...", False),
        ("APRIL 8: The Artemis 1 Moon rocket with the Orion capsule sits on the pad.", False),
        # how a sentence ends: closing quotes and brackets after its stop, or a stop after them
        ("The agency said the deal was “a step forward for the sector”.", True),
        ("The agency approved the deal after a long review (its second this year).", True),
        ("The agency approved the deal after a long review, officials said (AFP)", False),
        # read without case: the spelling of a credit or chrome does not matter
        ("Photo BY a staff photographer of the rocket on the launch pad at dawn today.", False),
        ("PLEASE SUBSCRIBE to our newsletter for more stories like this one every day.", False),
        # letters that match a Latin letter only when case is ignored: "ſ", the Kelvin sign
        ("Pleaſe ſign up today to get more stories like these every single week.", False),
        ("Cl\u0130ck here to read the key points of the agreement signed on Monday.", False),
        ("Cl\u0131ck here to read the key points of the agreement signed on Monday.", False),
        # a shout, in any script
        ("THE AGENCY HAS APPROVED THE VACCINE FOR USE IN ADULTS, IT SAID TODAY.", False),
        ("ÉTAT D'URGENCE DÉCLARÉ PAR LE GOUVERNEMENT À PARIS CE MATIN.", False),
        ("L'état d'urgence a été déclaré par le gouvernement à Paris ce matin.", True),
    ],
)
def test_only_text_that_stands_alone_is_shown(sentence: str, fit: bool) -> None:
    assert stands_alone(sentence) is fit


@pytest.mark.parametrize(
    ("sentence", "recap"),
    [
        ("In January, Microsoft agreed to acquire Activision for $95 per share.", True),
        ("The deal, signed in April, took effect on Monday.", True),
        ("The law was previously approved by the senate.", True),
        ("After months of talks, the two sides met again.", True),
        ("After years of delays, the rocket roared skyward from the Florida coast.", True),
        ("The 47-year-old completed the astronaut training programme in 2011.", True),
        ("The outbreak was declared a global health emergency in July 2022.", True),
        ("The agency will review the vaccine in September 2022.", False),
        ("The FTC sued on Thursday to block the deal.", False),
        ("Microsoft said on Tuesday it would appeal in May.", False),
        ("The vote is scheduled for January 15.", False),
    ],
)
def test_a_recap_points_to_an_earlier_time(sentence: str, recap: bool) -> None:
    from datetime import date

    from bot.ingest.dates import is_recap

    assert is_recap(sentence, date(2022, 9, 15)) is recap


@pytest.mark.parametrize(
    ("a", "b", "against"),
    [
        ("The regulator approved the merger.", "The regulator blocked the merger.", True),
        ("The treaty was signed on Friday.", "Talks on the treaty collapsed on Friday.", True),
        ("The rocket launched at dawn.", "The launch was scrubbed at dawn.", False),  # both told
        ("The court cleared the deal after it had blocked it.", "The deal was blocked.", False),
        ("The regulator approved the merger.", "The regulator cleared the merger.", False),
    ],
)
def test_opposite_actions_are_told_apart(a: str, b: str, against: bool) -> None:
    assert opposed(event_groups(a), event_groups(b)) is against


@pytest.mark.parametrize(
    "sentence",
    ["It splashed down at 12:40 p.m. in the Pacific Ocean.", "She added that the vote was off."],
)
def test_a_sentence_whose_subject_is_elsewhere_leans_on_context(sentence: str) -> None:
    from bot.digest.features import leans_on_context

    assert leans_on_context(sentence)


@pytest.mark.parametrize(
    ("sentence", "done"),
    [
        ("Once launched, the capsule will be the first to orbit the moon in 50 years.", False),
        ("The merger could be approved as early as next week.", False),
        ("The merger has been approved by the board.", True),
        ("The rocket was launched on Wednesday after two scrubs.", True),
    ],
)
def test_a_participle_after_once_or_a_modal_is_not_done(sentence: str, done: bool) -> None:
    from bot.digest.features import tells_past_event

    assert tells_past_event(sentence) is done


def test_what_a_page_leads_with_weighs_more_than_its_details() -> None:
    """The sentence restating the headline's own news outranks a detail sharing only the story's
    everyday words; a page's first sentences count as its lede."""
    from datetime import date

    from bot.digest.developments import _report
    from bot.digest.events import idf_weights
    from bot.digest.features import event_terms
    from bot.models import Sentence, Source

    title = "Microsoft restructures Activision deal, selling cloud rights to Ubisoft"
    texts = [
        "Regulators have reviewed the Microsoft and Activision deal for many months now.",
        "Microsoft said on Tuesday it would sell the cloud rights to Ubisoft.",
        "Microsoft said on Tuesday it would sell the console rights to Sony.",
    ]
    story = [*texts, *("The Microsoft and Activision deal faces regulators." for _ in range(8))]
    idf = idf_weights(event_terms(t) for t in story)
    src = Source("a", title, "", outlet="X", published=date(2023, 8, 22), date_basis="header")

    def score(i: int, text: str) -> float:
        return _report(Sentence("a", i, 0, len(text), text), 1.0, src, idf, None).score

    assert score(5, texts[1]) > score(5, texts[2])  # restates the headline's news
    assert score(0, texts[0]) > score(5, texts[0])  # the lede


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # a verb's base form and its noun tell the same action as its past tense
        (
            "Microsoft and Activision have agreed to extend their merger deadline to October 18.",
            "Microsoft and Activision have extended their merger deadline to October 18.",
        ),
        ("The companies announced a one-year extension.", "The deadline was extended by a year."),
        (
            "Microsoft announced a major restructuring of the deal.",
            "Microsoft restructured the deal.",
        ),
        ("The board may accept the offer.", "The board accepted the offer."),
    ],
)
def test_forms_of_one_action_share_its_group(a: str, b: str) -> None:
    assert event_groups(a) & event_groups(b) - {"announce", "agree"}


def test_a_surname_its_page_introduced_earlier_leans_on_that_introduction() -> None:
    from bot.digest.features import introduced_surnames, surname_only

    page = [
        "NASA named the four astronauts who will fly around the Moon.",
        "Victor Glover will pilot the mission, and Christina Koch will serve as specialist.",
        "As part of the ISS Expedition 64, Glover completed 168 days in orbit.",
        "Koch has also been on six spacewalks.",
        "Victor Glover said the crew was ready.",
        "The Launch team praised the launch of the rocket.",
    ]
    introduced = introduced_surnames(page)
    assert [surname_only(t, i, introduced) for i, t in enumerate(page)] == [
        False,  # no one named
        False,  # the introduction itself
        True,  # "Glover" alone: who is Glover?
        True,
        False,  # the full name again
        False,  # "launch" is a word the page writes in lower case: no one's name
    ]


def test_a_bystanders_surname_costs_a_report_its_standing_but_the_storys_names_do_not() -> None:
    """A profile line naming someone by the surname its page introduced ranks below the same
    line with the full name; a name that three of the story's pages write needs no introduction."""
    from datetime import date

    from bot.digest.developments import Judged, _surname_only
    from bot.models import Sentence

    def page(sid: str, texts: list[str]) -> list[Sentence]:
        return [Sentence(sid, i, 0, len(t), t, date(2023, 4, 10)) for i, t in enumerate(texts)]

    sentences = {
        "crew": page("crew", ["Victor Glover will pilot the mission.",
                              "As part of the ISS Expedition 64, Glover completed 168 days."]),
        **{f"p{i}": page(f"p{i}", [f"Bill Nelson praised the team on day {i}.",
                                   f"Nelson said the flight on day {i} went well."])
           for i in range(3)},
    }  # fmt: skip
    candidates = [(s, 1.0) for sents in sentences.values() for s in sents]
    assert _surname_only(candidates, sentences, Judged()) == {
        "crew:1"
    }  # Nelson: known to the story


@pytest.mark.parametrize(
    ("sentence", "ending"),
    [
        ("NASA's 25-day mission came to a successful close on Sunday.", True),
        ("The coalition talks came to an end on Friday.", True),
        ("The mission ended with a splash in the Pacific.", True),
        ("The committee will come to a decision next week.", False),
        ("The talks continued on Friday.", False),
    ],
)
def test_what_tells_an_ending(sentence: str, ending: bool) -> None:
    from bot.digest.features import tells_ending

    assert tells_ending(sentence) is ending
