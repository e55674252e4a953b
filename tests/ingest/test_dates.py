"""Publication dates (never invented) and relative event dates resolved against them."""

from __future__ import annotations

from datetime import date

import pytest

from bot.ingest.dates import (
    Ref,
    date_from_url,
    event_refs,
    is_recap,
    parse_date_line,
    parse_date_value,
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
        # seed 004 (Worthy News, Wednesday 2025-02-26): a future weekday is the next such day
        (
            "Officials said the signing ceremony is due as early as Friday when Zelenskyy visits Washington.",
            WORTHY,
            (date(2025, 2, 28), "day"),
        ),
        (
            "On Thursday, Russian and U.S. diplomats will meet in Istanbul, officials announced.",
            WORTHY,
            (date(2025, 2, 27), "day"),
        ),
        (
            "European leaders to meet in London on Sunday to discuss defense",
            WORTHY,
            (date(2025, 3, 2), "day"),
        ),
        # a future time that is not a calendar day keeps the report's date (a plan made public)
        ("The board will meet next week.", WORTHY, (WORTHY, "day")),
        # other relative and explicit forms
        ("He spoke yesterday.", WORTHY, (date(2025, 2, 25), "day")),
        ("The fund opened today.", WORTHY, (WORTHY, "day")),
        ("Exports fell last month.", WORTHY, (date(2025, 1, 1), "month")),
        ("The agreement was signed on April 30.", date(2025, 5, 2), (date(2025, 4, 30), "day")),
        ("The agreement was signed on Dec. 30.", date(2025, 1, 2), (date(2024, 12, 30), "day")),
        ("The text was agreed on Feb. 28, 2025.", None, (date(2025, 2, 28), "day")),
        ("The war broke out in February 2022.", WORTHY, (date(2022, 2, 1), "month")),
        # nothing to resolve
        ("He said Wednesday that talks were on.", None, (None, None)),
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


THU = date(2025, 3, 6)  # a Thursday
OCT = date(2022, 10, 10)
JUNE = date(2025, 6, 3)


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        # the main clause's date wins over a subordinate clause's
        (
            "Following last week's collapse of talks, the company said on Tuesday it would appeal.",
            NOTUS,
            (date(2025, 3, 4), "day"),
        ),
        (
            "The merger, which was announced in January, was approved on Friday.",
            NOTUS,
            (date(2025, 2, 28), "day"),
        ),
        (
            "The agreement, signed on Feb. 28, was ratified on March 15.",
            date(2025, 3, 20),
            (date(2025, 3, 15), "day"),
        ),
        (
            "After talks broke down on Monday, the union said Wednesday it would strike.",
            NOTUS,
            (NOTUS, "day"),
        ),
        ("Tuesday's vote was delayed, the speaker said on Wednesday.", NOTUS, (NOTUS, "day")),
        (
            "On Feb. 3, the ministers, who first met in January, signed the pact.",
            NOTUS,
            (date(2025, 2, 3), "day"),
        ),
        ("“We signed it on Friday,” he said.", NOTUS, (date(2025, 2, 28), "day")),
        # without a main-clause time: a future main clause is a plan made public that day
        (
            "Following last week's collapse of talks, the company said it would appeal.",
            NOTUS,
            (NOTUS, "day"),
        ),
        ("The firm appealed after talks collapsed last week.", NOTUS, (date(2025, 2, 24), "week")),
        # yearless days in future or scheduling sentences resolve forward
        (
            "The launch is scheduled for November 14.",
            date(2022, 11, 4),
            (date(2022, 11, 14), "day"),
        ),
        ("Lawmakers face a vote set for Jan. 15.", date(2023, 12, 20), (date(2024, 1, 15), "day")),
        ("The summit is slated for 15 January.", date(2023, 12, 20), (date(2024, 1, 15), "day")),
        ("The ruling is due on March 5.", NOTUS, (NOTUS, "day")),
        (
            "The company will report results on Jan. 3.",
            date(2025, 12, 29),
            (date(2026, 1, 3), "day"),
        ),
        ("On September 25, the company filed suit.", OCT, (date(2022, 9, 25), "day")),
        ("The suit was filed on 25 September.", OCT, (date(2022, 9, 25), "day")),
        ("The suit was filed on Nov. 25.", OCT, (date(2021, 11, 25), "day")),
        # weekdays by tense
        ("He said on Thursday that talks were on.", NOTUS, (date(2025, 2, 27), "day")),
        ("He said on Thursday that talks were on.", THU, (THU, "day")),
        ("He will sign on Thursday.", NOTUS, (THU, "day")),
        ("He will sign on Thursday.", THU, (date(2025, 3, 13), "day")),
        ("Talks resume next Monday.", NOTUS, (date(2025, 3, 10), "day")),
        ("He spoke last Wednesday.", NOTUS, (date(2025, 2, 26), "day")),
        ("The vote is tomorrow.", NOTUS, (date(2025, 3, 6), "day")),
        # months without a day: month precision, past by default, future forward
        ("Talks collapsed in April.", JUNE, (date(2025, 4, 1), "month")),
        ("Talks collapsed in early April.", NOTUS, (date(2024, 4, 1), "month")),
        ("Talks collapsed last April.", JUNE, (date(2025, 4, 1), "month")),
        ("Talks collapsed last April.", date(2025, 4, 20), (date(2024, 4, 1), "month")),
        ("Prices rose in mid-May 2023.", JUNE, (date(2023, 5, 1), "month")),
        ("Sales fell in June.", JUNE, (date(2025, 6, 1), "month")),
        ("The plant will open in April.", JUNE, (JUNE, "day")),
        ("Trump said in March he wants a deal.", JUNE, (date(2025, 3, 1), "month")),
        # future, not a calendar day: the publication date
        ("He is expected to sign next week.", WORTHY, (WORTHY, "day")),
        ("The fund will open later this month.", WORTHY, (WORTHY, "day")),
        # a modal "may" and a "Mayor" are not months
        ("The Mayor may resign, aides said.", WORTHY, (None, None)),
        ("The deal would have been signed on Friday.", NOTUS, (date(2025, 2, 28), "day")),
    ],
)
def test_resolve_event_date_by_clause_and_tense(
    sentence: str, published: date | None, expected: tuple[object, object]
) -> None:
    assert resolve_event_date(sentence, published) == expected


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        (
            "The launch, which slipped last week, is now scheduled for November 14.",
            date(2022, 11, 4),
            [
                Ref(date(2022, 10, 24), "week", "past", main=False),
                Ref(date(2022, 11, 14), "day", "future", main=True),
            ],
        ),
        (
            "Officials said on Monday the board will vote next month.",
            NOTUS,
            [
                Ref(date(2025, 3, 3), "day", "past", main=True),
                Ref(date(2025, 4, 1), "month", "future", main=True),
            ],
        ),
        (
            "The plant will open in April.",
            JUNE,
            [Ref(date(2026, 4, 1), "month", "future", main=True)],
        ),
        ("Nothing happened.", NOTUS, []),
        ("He said Wednesday that talks were on.", None, []),
    ],
)
def test_event_refs(sentence: str, published: date | None, expected: list[Ref]) -> None:
    assert event_refs(sentence, published) == expected


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("The deal was signed in April.", JUNE, True),
        ("On September 25, the company filed suit.", OCT, True),
        ("Microsoft originally agreed to buy the firm for $69 billion.", JUNE, True),
        ("The rocket was previously delayed by a hurricane.", JUNE, True),
        ("Initially the talks went well.", JUNE, True),
        ("The regulator blocked the deal last year.", JUNE, True),
        ("Earlier this year the ministry raised the cap.", JUNE, True),
        ("The war broke out in 2022.", JUNE, True),
        ("After months of talks, the deal fell apart.", JUNE, True),
        ("Prices have doubled since March.", JUNE, True),
        ("A year after the invasion, the front is static.", JUNE, True),
        ("The plan was first announced by the ministry.", JUNE, True),
        ("Back in the spring the firm hired 200 people.", JUNE, True),
        # news, not background
        ("The company said on Tuesday it signed the contract.", NOTUS, False),
        ("After months of talks, the two sides signed the deal on Friday.", NOTUS, False),
        ("The merger, which was announced in January, was approved on Friday.", NOTUS, False),
        ("Sales fell in June.", JUNE, False),
        ("The launch is scheduled for November 14.", date(2022, 11, 4), False),
        ("The plant will open in 2026.", JUNE, False),
        ("Trump wants a deal.", JUNE, False),
        ("The deal was signed in April.", None, False),
    ],
)
def test_is_recap(sentence: str, published: date | None, expected: bool) -> None:
    assert is_recap(sentence, published) is expected
