"""Publication dates (never invented) and relative event dates resolved against them."""

from __future__ import annotations

from datetime import date

import pytest

from bot.ingest.dates import (
    date_from_url,
    parse_date_line,
    parse_date_value,
    pinned_dates,
    referenced_dates,
    resolve_event_date,
)

NOTUS = date(2025, 3, 5)  # a Wednesday
WORTHY = date(2025, 2, 26)  # a Wednesday


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Monday, December 29, 2025", date(2025, 12, 29)),
        ("Feb. 26, 2025", date(2025, 2, 26)),
        ("Published: 2025-04-30 10:32 ET", date(2025, 4, 30)),
        ("Updated 28 February 2025, 9:15 a.m.", date(2025, 2, 28)),
        ("Copyright 1999-2026 Worthy News.", None),
        ("© 2025 Globe Desk", None),
        ("[Date]", None),
        ("KYIV, [Date] — Lawmakers met.", None),
        ("2025", None),
        ("The war broke out in February 2022 and has not stopped since then at all.", None),
        (
            "Officials said the deal was signed on Feb. 28, 2025 after weeks of talks in the capital.",
            None,
        ),
    ],
)
def test_parse_date_line(line: str, expected: date | None) -> None:
    assert parse_date_line(line) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-05", date(2025, 3, 5)),
        (date(2025, 3, 5), date(2025, 3, 5)),
        ("2025-03-12T09:30:00Z", date(2025, 3, 12)),
        ("March 5, 2025", date(2025, 3, 5)),
        ("[Date]", None),
        ("sometime", None),
        (2025, None),
    ],
)
def test_parse_date_value(value: object, expected: date | None) -> None:
    assert parse_date_value(value) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/news/2025/04/30/us-ukraine-sign", date(2025, 4, 30)),
        ("https://example.org/2025-02-26/story.html", date(2025, 2, 26)),
        ("https://example.org/world/story-2025", None),
        ("https://example.org/2025/13/45/bad", None),
        (None, None),
    ],
)
def test_date_from_url(url: str | None, expected: date | None) -> None:
    assert date_from_url(url) == expected


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        # seed 002 (NOTUS, Wednesday 2025-03-05)
        (
            "White House press secretary Karoline Leavitt said Wednesday that talks were on.",
            NOTUS,
            (date(2025, 3, 5), "day"),
        ),
        (
            "And Treasury Secretary Scott Bessent said Sunday that the deal was “not at present” being considered.",
            NOTUS,
            (date(2025, 3, 2), "day"),
        ),
        (
            "The deal was expected to be signed when Zelenskyy visited Washington last week, but fell apart.",
            NOTUS,
            (date(2025, 2, 24), "week"),
        ),
        (
            "In his joint address to Congress on Tuesday, Trump said he received a letter.",
            NOTUS,
            (date(2025, 3, 4), "day"),
        ),
        (
            "“Our meeting on Friday did not go the way it was supposed to be,” Zelenskyy wrote Tuesday on X.",
            NOTUS,
            (date(2025, 3, 4), "day"),
        ),
        ("Zelenskyy said this week he is ready to sign.", NOTUS, (date(2025, 3, 3), "week")),
        # seed 004 (Worthy News, Wednesday 2025-02-26): future references keep the report's date
        (
            "Officials said the signing ceremony is due as early as Friday when Zelenskyy visits Washington.",
            WORTHY,
            (WORTHY, "day"),
        ),
        (
            "On Thursday, Russian and U.S. diplomats will meet in Istanbul, officials announced.",
            WORTHY,
            (WORTHY, "day"),
        ),
        (
            "European leaders to meet in London on Sunday to discuss defense",
            WORTHY,
            (WORTHY, "day"),
        ),
        ("The board will meet next week.", WORTHY, (WORTHY, "day")),
        # other relative and explicit forms
        ("He spoke yesterday.", WORTHY, (date(2025, 2, 25), "day")),
        ("The fund opened today.", WORTHY, (WORTHY, "day")),
        ("Exports fell last month.", WORTHY, (date(2025, 1, 1), "month")),
        ("The agreement was signed on April 30.", date(2025, 5, 2), (date(2025, 4, 30), "day")),
        ("The agreement was signed on Dec. 30.", date(2025, 1, 2), (date(2024, 12, 30), "day")),
        ("The text was agreed on Feb. 28, 2025.", None, (date(2025, 2, 28), "day")),
        # a yearless date a few days after publication is this year's, whatever the tense; one
        # weeks after it, in a sentence about the past, is last year's
        (
            "NASA's SLS moon rocket is prepared for its first roll out to the pad on March 17.",
            date(2022, 3, 14),
            (date(2022, 3, 17), "day"),
        ),
        ("Return powered fly by on Dec 5.", date(2022, 12, 2), (date(2022, 12, 5), "day")),
        ("The rocket rolled out on March 17.", date(2022, 3, 1), (date(2021, 3, 17), "day")),
        # "we'll" speaks of the future like "will"
        (
            "The burn is one of two maneuvers we'll make ahead of splashdown on Dec 11.",
            date(2022, 12, 1),
            (date(2022, 12, 1), "day"),
        ),
        # nothing to resolve
        ("He said Wednesday that talks were on.", None, (None, None)),
        ("The war broke out in February 2022.", WORTHY, (None, None)),
        ("Trump wants a deal.", WORTHY, (None, None)),
        ("Copyright 1999-2026 Worthy News.", WORTHY, (None, None)),
    ],
)
def test_resolve_event_date(
    sentence: str, published: date | None, expected: tuple[object, object]
) -> None:
    assert resolve_event_date(sentence, published) == expected


def test_same_weekday_as_publication_is_the_publication_day() -> None:
    assert resolve_event_date("Trump said Wednesday it was over.", WORTHY) == (WORTHY, "day")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the main clause's time wins; a subordinate clause's cue does not date the sentence
        ("Following last week's collapse of talks, the two sides signed the agreement.", None),
        ("After last week's vote, the company said on Tuesday it would appeal.", date(2025, 2, 25)),
        ("The deal, agreed last week, was approved by regulators on Monday.", date(2025, 2, 24)),
        ("The FTC, which sued on Dec. 8, lost its appeal on Friday.", date(2025, 2, 21)),
        ("The law took effect in January.", date(2025, 1, 1)),
        ("The company filed for bankruptcy last November.", date(2024, 11, 1)),
    ],
)
def test_the_main_clause_dates_the_sentence(sentence: str, expected: date | None) -> None:
    assert resolve_event_date(sentence, date(2025, 2, 26))[0] == expected


@pytest.mark.parametrize(
    ("sentence", "published", "named", "dated"),
    [
        # a yearless date in a sentence about what is to come looks ahead, never to last year;
        # the sentence itself reports a plan, made public the day it was published
        (
            "The launch is scheduled for November 14.",
            date(2022, 11, 4),
            date(2022, 11, 14),
            date(2022, 11, 4),
        ),
        ("The trial is set to start on Jan. 15.", date(2023, 12, 20), date(2024, 1, 15), None),
        ("The vote was postponed to March 3.", date(2024, 2, 20), date(2024, 3, 3), None),
        # weekdays by tense: 2025-02-26 is a Wednesday
        (
            "The two leaders will sign the deal on Friday.",
            date(2025, 2, 26),
            date(2025, 2, 28),
            None,
        ),
        (
            "Zelenskyy said on Monday he was ready.",
            date(2025, 2, 26),
            date(2025, 2, 24),
            date(2025, 2, 24),
        ),
        # a passive or "is to be" future looks ahead too, though its participle ends in -ed
        ("It will be signed on December 7.", date(2021, 11, 24), date(2021, 12, 7), None),
        (
            "Olaf Scholz is to be elected chancellor in the week of December 6th.",
            date(2021, 11, 24),
            date(2021, 12, 6),
            date(2021, 11, 24),
        ),
        # an aim is ahead too: "wants to defend … in the elections on September 26"
        (
            "He wants to defend the chancellery in the federal elections on September 26.",
            date(2021, 8, 27),
            date(2021, 9, 26),
            date(2021, 8, 27),
        ),
        # ... but a date attached to a past verb stays in the past, whatever else the sentence says
        (
            "The next launch will be the third attempt after two launches were scrubbed on Aug. 29.",
            date(2022, 9, 20),
            date(2022, 8, 29),
            date(2022, 8, 29),
        ),
        (
            "On September 25 the board approved the plan.",
            date(2022, 10, 3),
            date(2022, 9, 25),
            date(2022, 9, 25),
        ),
    ],
)
def test_yearless_dates_follow_the_tense(
    sentence: str, published: date, named: date, dated: date | None
) -> None:
    assert named in [d for d, _, _ in referenced_dates(sentence, published)]
    if dated is not None:
        assert resolve_event_date(sentence, published)[0] == dated


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the future of what was said does not make the saying future: a time before the speech
        # verb tells when it was said (2022-07-01 is a Friday)
        (
            "Last week, the World Health Organization said it would not declare an emergency.",
            (date(2022, 6, 20), "week"),
        ),
        ("On Tuesday the agency said it will vote on the plan.", (date(2022, 6, 28), "day")),
        ("Last month the company announced it would appeal.", (date(2022, 6, 1), "month")),
        # ... while a time inside the reported words, or before a future verb, still looks ahead
        ("The agency said it will vote on Tuesday.", (date(2022, 7, 1), "day")),
        ("On Tuesday the agency will vote, it said.", (date(2022, 7, 1), "day")),
    ],
)
def test_reported_future_leaves_the_time_of_the_saying(
    sentence: str, expected: tuple[date, str]
) -> None:
    assert resolve_event_date(sentence, date(2022, 7, 1)) == expected


def test_a_month_by_name_has_month_precision() -> None:
    assert resolve_event_date("The law took effect in April.", date(2025, 6, 2)) == (
        date(2025, 4, 1),
        "month",
    )


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The mission came to a close on Sunday (Dec. 11) with a splashdown.",
            [(date(2022, 12, 11), False)],
        ),
        (
            "Officials said on Monday, May 15 that the deal was approved.",
            [(date(2023, 5, 15), False)],
        ),
        ("NASA has a back-up launch window on Saturday, Nov. 19.", [(date(2022, 11, 19), True)]),
        ("The launch took place on Wednesday, Nov. 16, 2022, in Florida.", []),  # has its year
        ("The vote is on Tuesday, March 40.", []),  # no such day
        ("The talks resumed on Friday, June 3.", [(date(2022, 6, 3), False)]),
    ],
)
def test_a_weekday_beside_a_yearless_date_pins_the_year(
    sentence: str, expected: list[tuple[date, bool]]
) -> None:
    assert pinned_dates(sentence, range(2021, 2024)) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Cases declined 21% in the week ended August 21, according to the WHO's latest report.",
        "Infections rose in the seven days to Aug. 14, the agency said.",
        "Sales fell in the quarter ending June 30.",
        # a financial year's end, and the two ends of a span, are no day of an event
        "The company still expects the deal to close in its financial year to June 30, 2023.",
        "The deal will not close until the next fiscal year, which runs from July 1, 2022 to "
        "June 30, 2023.",
    ],
)
def test_the_end_of_a_period_a_figure_covers_dates_nothing(sentence: str) -> None:
    # the figure is the news of the day it is reported, not of the last day it counts
    assert resolve_event_date(sentence, date(2022, 8, 25)) == (None, None)
    assert referenced_dates(sentence, date(2022, 8, 25)) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The man has been hospitalized at Mass. General Hospital since May 12.",
        "Coalition talks have stalled since early March.",
        "The two sides have not met since Monday.",
    ],
)
def test_the_day_a_state_began_dates_nothing(sentence: str) -> None:
    # "since May 12" tells when a state began; the sentence reports it as it stands when written
    assert resolve_event_date(sentence, date(2022, 5, 19)) == (None, None)


def test_a_state_start_leaves_the_main_clause_date() -> None:
    sentence = "Talks, stalled since March 3, resumed on Thursday."
    assert resolve_event_date(sentence, date(2022, 5, 20)) == (date(2022, 5, 19), "day")


def test_a_period_end_leaves_the_other_dates_of_a_sentence() -> None:
    sentence = "Cases fell 21% in the week to Aug. 21, the WHO said on Thursday."
    assert resolve_event_date(sentence, date(2022, 8, 25)) == (date(2022, 8, 25), "day")
    assert resolve_event_date("The deal was signed on August 21.", date(2022, 8, 25)) == (
        date(2022, 8, 21),
        "day",
    )
