"""Boilerplate removal on the seeds and the messy fixtures: by position and shape, never by topic."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.ingest.clean import clean_lines
from bot.ingest.parse import parse_document
from tests.conftest import SEEDS
from tests.ingest.conftest import MESSY

WORTHY = SEEDS / "004_19017910b96b3d84.txt"
NOTUS = SEEDS / "002_cf0c328f16e4fc48.txt"


def _parse(path: Path, meta: dict[str, object] | None = None) -> str:
    raw = path.read_text(encoding="utf-8")
    return parse_document(raw, name=path.name, suffix=path.suffix, meta=meta).text


def _tail_items() -> list[str]:
    """The "More Worthy News" items, straight from the raw seed."""
    lines = WORTHY.read_text(encoding="utf-8").splitlines()
    start = lines.index("More Worthy News")
    return [line for line in lines[start + 1 :] if line.strip()]


def test_worthy_news_tail_is_entirely_gone() -> None:
    text = _parse(WORTHY)
    items = _tail_items()
    assert len(items) == 7
    for item in items:
        assert item not in text
    for fragment in (
        "More Worthy News",
        "Schumer",
        "Temple Mount",
        "Geneva",
        "drones overnight",
        "Punjab",
    ):
        assert fragment not in text
    assert "Copyright" not in text and "1999" not in text


@pytest.mark.parametrize(
    ("path", "gone", "kept"),
    [
        (
            WORTHY,
            ["By Stefan J. Bos", "MAJOR DEAL", "LONDON GATHERING", "WASHINGTON (Worthy News)"],
            ["While hosting the first Cabinet meeting", "Lavrov told media."],
        ),
        (
            NOTUS,
            [
                "Julia Demaree Nikhinson/AP",
                "President Donald Trump and Ukraine President Zelenskyy\n",
                "Em Luetkemeyer",
                "NOTUS reporter",
            ],
            ["Karoline Leavitt said Wednesday", "moving forward."],
        ),
        (
            MESSY / "next_in_world.txt",
            [
                "Share this article",
                "Click to share",
                "Efrem Lukatsky/AP",
                "FUND GOVERNANCE",
                "Photo:",
                "Next In World",
                "Floods force",
                "prisoners",
            ],
            ["exchanged new drafts", "next week."],
        ),
        (
            MESSY / "also_read_middle.txt",
            [
                "ALSO READ",
                "sanctions package",
                "border crossing",
                "Farmers protest",
                "Reporting by",
                "KYIV (Kyiv Courier)",
            ],
            ["lithium, titanium and graphite", "Keith Kellogg", "ratification."],
        ),
        (
            MESSY / "wire" / "wire_capitol_report.txt",
            ["Share this article", "Related", "Senate panel", "Governors"],
            ["Officials in Washington did not immediately comment."],
        ),
        (
            MESSY / "wire" / "wire_daily_ledger.txt",
            ["By Wire staff", "Copyright", "All rights reserved"],
            ["sometimes strained"],
        ),
        (MESSY / "yaml_front_matter.md", ["# Minerals", "Photo:", "tags:"], ["338 lawmakers"]),
        (
            MESSY / "interested_in.html",
            [
                "You May Be Interested In",
                "Airline strike",
                "Share on",
                "Copyright",
                "(Reuters)",
                "Home",
            ],
            ["back on track", "end of the month."],
        ),
        (MESSY / "placeholder_date.txt", ["[Date]"], ["Ukraine's parliament will debate"]),
    ],
)
def test_boilerplate_removed_content_kept(path: Path, gone: list[str], kept: list[str]) -> None:
    text = _parse(path) + "\n"
    for fragment in gone:
        assert fragment not in text, fragment
    for fragment in kept:
        assert fragment in text, fragment


@pytest.mark.parametrize(
    "heading",
    [
        "ALSO READ",
        "Next In World",
        "You May Be Interested In",
        "Related",
        "More Kyiv Courier News",
        "Read more:",
    ],
)
def test_mid_text_list_only_drops_its_block(heading: str) -> None:
    lines = [
        "The first paragraph reports the news.",
        heading,
        "Storm hits the coast",
        "Markets close higher",
        "The article goes on after the list.",
        "And ends here.",
    ]
    assert clean_lines(lines).lines == [lines[0], lines[4], lines[5]]


def test_tail_teasers_with_full_stops_are_cut_to_the_end() -> None:
    lines = [
        "Body sentence one.",
        "Body sentence two.",
        "More Example News",
        "A teaser about floods.",
        "Another teaser.",
    ]
    assert clean_lines(lines).lines == lines[:2]


def test_only_drops_never_rewrites() -> None:
    """Every kept line is a line (or a line's tail) of the original, whitespace folded."""
    raw = WORTHY.read_text(encoding="utf-8")
    folded = " ".join(raw.split())
    for line in _parse(WORTHY).splitlines():
        assert line in folded


def test_dateline_gives_outlet_and_is_dropped() -> None:
    cleaned = clean_lines(
        [
            "WASHINGTON (Worthy News) – While hosting the first meeting, Trump said Wednesday it was over."
        ]
    )
    assert cleaned.outlet == "Worthy News"
    assert cleaned.lines == ["While hosting the first meeting, Trump said Wednesday it was over."]


@pytest.mark.parametrize(
    ("line", "rest", "outlet", "written"),
    [
        (
            "London [UK], May 7 (ANI/Sputnik): A case of monkeypox has been confirmed in England.",
            "A case of monkeypox has been confirmed in England.",
            "ANI/Sputnik",
            None,
        ),
        (
            "WASHINGTON (UrduPoint News / Sputnik - 28th May, 2022) The rocket will start its "
            "return trip to the pad.",
            "The rocket will start its return trip to the pad.",
            "UrduPoint News / Sputnik",
            date(2022, 5, 28),
        ),
        (
            "9 August 2022 - Today, the FDA issued an emergency use authorisation.",
            "Today, the FDA issued an emergency use authorisation.",
            None,
            date(2022, 8, 9),
        ),
        (
            "July 6, 2022 — The Health Department today announced the next phase.",
            "The Health Department today announced the next phase.",
            None,
            date(2022, 7, 6),
        ),
        (
            "(RTTNews) - The U.K. regulator on Thursday referred the takeover for a deeper probe.",
            "The U.K. regulator on Thursday referred the takeover for a deeper probe.",
            "RTTNews",
            None,
        ),
        (
            "Cape Canaveral, Florida: NASA's moon rocket blasted off early on Wednesday.",
            "NASA's moon rocket blasted off early on Wednesday.",
            None,
            None,
        ),
    ],
)
def test_datelines_are_dropped_keeping_their_outlet_and_date(
    line: str, rest: str, outlet: str | None, written: date | None
) -> None:
    cleaned = clean_lines([line])
    assert cleaned.lines == [rest]
    assert cleaned.outlet == outlet
    assert cleaned.dates == ([written] if written else [])


@pytest.mark.parametrize(
    "line",
    [
        "On July 6, 2022 - the department said it would publish its figures weekly.",
        "Bottom line: the deal is off until the regulator rules on the appeal.",
        "Officials said on Monday that talks had collapsed in Geneva: both sides left.",
    ],
)
def test_a_sentence_that_merely_starts_like_a_dateline_is_kept_whole(line: str) -> None:
    assert clean_lines([line]).lines == [line]


@pytest.mark.parametrize(
    "line",
    [
        "Share this article",
        "Click to share on X (Opens in new window)",
        "Julia Demaree Nikhinson/AP",
        "Photo: Lawmakers vote in Kyiv.",
        "Copyright 1999-2026 Worthy News. This article was originally published on Worthy News.",
        "MAJOR DEAL",
        "By Stefan J. Bos, Chief International Correspondent Worthy News",
        "Advertisement",
        "3 min read",
    ],
)
def test_single_boilerplate_lines(line: str) -> None:
    assert clean_lines(
        ["A real sentence comes first.", line, "A real sentence comes last."]
    ).lines == [
        "A real sentence comes first.",
        "A real sentence comes last.",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "More people read the news.",
        "Rutte is a former Dutch prime minister who now leads the alliance, an analyst said.",
        "On Feb. 28, 2025, talks collapsed.",
        "From Washington, the view is different.",
        "Related talks will take place in Geneva next week.",
    ],
)
def test_content_lines_that_look_like_boilerplate_are_kept(line: str) -> None:
    lines = ["A first sentence.", line, "A last sentence.", "The end."]
    assert clean_lines(lines).lines == lines
