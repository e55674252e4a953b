"""Ingest hygiene: header lines after front matter, ledes kept beside repeated titles, credits."""

from __future__ import annotations

from datetime import date

import pytest

from bot.ingest.clean import clean_lines
from bot.ingest.parse import ParsedArticle, parse_document

LEDE = "Ukraine signed the minerals deal on Monday in Kyiv, officials said."
MORE = "The fund opens next month and will be run jointly."


def _parse(raw: str, suffix: str = ".txt") -> ParsedArticle:
    return parse_document(raw, name="a" + suffix, suffix=suffix, meta=None)


@pytest.mark.parametrize(
    "opener",
    [
        "---\noutlet: Globe\nurl: https://example.org/a\n---\n",
        '+++\noutlet = "Globe"\n+++\n',
        "---\noutlet: Globe\n---\n\n",
    ],
)
def test_header_line_after_front_matter_is_the_header(opener: str) -> None:
    doc = _parse(f"{opener} date 2025-03-03 Ukraine signs minerals deal\n{LEDE}\n{MORE}\n")
    assert doc.published == date(2025, 3, 3) and doc.title == "Ukraine signs minerals deal"
    assert doc.outlet == "Globe"
    assert "2025-03-03" not in doc.text and doc.text.startswith(LEDE)


def test_front_matter_date_wins_over_a_header_line_after_it() -> None:
    raw = f"---\ntitle: Deal signed\ndate: 2025-03-04\n---\n date 2025-03-03 Deal\n{LEDE}\n"
    doc = _parse(raw)
    assert (doc.title, doc.published) == ("Deal signed", date(2025, 3, 4))
    assert doc.text == LEDE


TITLE = "Ukraine Signs Minerals Deal"
FM = f"---\ntitle: {TITLE}\n---\n"


@pytest.mark.parametrize(
    "raw",
    [
        # a Markdown heading with the lede run on after it
        f"# {TITLE}. {LEDE}\n{MORE}\n",
        # front matter gives the title; the first body line repeats it, then the lede
        f"{FM}{TITLE} {LEDE}\n{MORE}\n",
        f"{FM}{TITLE}. {LEDE}\n{MORE}\n",
        f"{FM}{TITLE.upper()} {LEDE}\n{MORE}\n",
        f"{FM}{TITLE}: {LEDE}\n{MORE}\n",
        # a header line's title repeated on the first body line with the lede
        f" date 2025-03-03 {TITLE}\n{TITLE} — {LEDE}\n{MORE}\n",
    ],
)
def test_a_repeated_title_keeps_the_lede(raw: str) -> None:
    doc = _parse(raw, ".md")
    assert doc.title == TITLE
    assert doc.text == f"{LEDE}\n{MORE}"


@pytest.mark.parametrize(
    "raw",
    [
        f"{FM}# {TITLE}\n{LEDE}\n",
        f"{FM}{TITLE}.\n{LEDE}\n",
        f"{FM}{TITLE} - Globe\n{LEDE}\n",
        f"---\ntitle: {TITLE}.\n---\n{TITLE}\n{LEDE}\n",
        f" date 2025-03-03 {TITLE}\n{TITLE}\n{LEDE}\n",
    ],
)
def test_a_repeated_title_line_is_dropped(raw: str) -> None:
    assert _parse(raw, ".md").text == LEDE


@pytest.mark.parametrize(
    "lede",
    [
        "Trump meets Zelenskyy Friday in Washington, the White House said.",
        "Trump meets Zelenskyy with a new offer on the minerals deal.",
    ],
)
def test_a_lede_that_begins_with_the_title_words_is_kept_whole(lede: str) -> None:
    doc = _parse(f"---\ntitle: Trump meets Zelenskyy\n---\n{lede}\n{MORE}\n", ".md")
    assert doc.text == f"{lede}\n{MORE}"


@pytest.mark.parametrize(
    "line",
    [
        "Photo: AFP",
        "(AP Photo/Evan Vucci)",
        "AP Photo/Evan Vucci",
        "Getty Images",
        "Reuters/File",
        "REUTERS/Valentyn Ogirenko",
        "Photo by Jane Doe/Getty Images",
        "Jane Doe/AFP via Getty Images",
        "File photo: Reuters",
        "(Reuters)",
        "Image: NASA/Joel Kowsky",
        "Published by Jane Doe",
        "Posted by Newsroom",
        "Published by Globe Desk on March 3, 2025",
        "By Jane Doe | March 3, 2025",
        "By JANE DOE | Mar 3, 2025 10:15 AM",
        "Posted on March 3, 2025 by Jane Doe",
        # shapes seen on real pages (activision-deal, artemis-i corpora)
        "Featured image via Forbes.",
        "Source: Image via Xbox",
        "Kiyoshi Ota/Bloomberg/Getty Images",
        "Red Huber/Getty Images News/Getty Images",
        "A gamer plays a game on a mobile phone | Ina Fassbender/AFP via Getty Images",
        "The Orion spacecraft approaching Earth on Sunday. Credit:NASA via AP",
        "The start of the journey to the launchpad. Photo: Michael Galindo/Cosmic Chicago",
        "In this July 3, 2014, file photo, the Microsoft Corp. logo is displayed outside the...",
        "A photo of NASA's Orion spacecraft, with the moon in the background",
        "In this photo, taken by a drone, the rocket is seen on its pad before the launch.",
        # a gallery's caption, signed by the agency after its credit (german-election corpus)
        "People wait to see the chancellor at a campaign rally in Bielefeld, Germany, Monday, "
        "Jan. 13, 2025. (AP Photo/Martin Meissner)Meissner) ASSOCIATED PRESS",
        "The chancellor speaks at a party convention in Berlin, Germany, Saturday, Jan. 11, 2025. "
        "(AP Photo/Markus Schreiber) ASSOCIATED PRESS",
    ],
)
def test_credit_and_byline_shapes_are_dropped(line: str) -> None:
    assert clean_lines([LEDE, line, MORE]).lines == [LEDE, MORE]


@pytest.mark.parametrize(
    "line",
    [
        "Reuters reported that the deal was signed on Monday in Kyiv.",
        "Published by the ministry, the text runs to 40 pages and names the fund's board.",
        "Getty Images photographers were barred from the ceremony, the agency said.",
        "The image shows the capsule over the Pacific, NASA said.",
        "The photos were released by the agency on Friday, and show the crater in detail.",
        "Sales rose 5% in the quarter, helped by the new console | a record for the firm.",
    ],
)
def test_sentences_naming_agencies_are_kept(line: str) -> None:
    assert clean_lines([LEDE, line, MORE]).lines == [LEDE, line, MORE]


def test_byline_date_is_noted() -> None:
    cleaned = clean_lines(["By Jane Doe | March 3, 2025", LEDE])
    assert cleaned.dates == [date(2025, 3, 3)]


def test_a_sentence_on_a_header_line_after_front_matter_stays_the_lede() -> None:
    doc = _parse(f"---\noutlet: Globe\n---\n date 2025-03-03 {LEDE}\n\n{MORE}\n")
    assert doc.published == date(2025, 3, 3)
    assert doc.text == f"{LEDE}\n{MORE}" and doc.title == LEDE


@pytest.mark.parametrize("junk", ["Trending", "By Jane Doe •", "Skip to main content"])
def test_boilerplate_on_a_header_line_after_front_matter_is_dropped(junk: str) -> None:
    doc = _parse(f"---\noutlet: Globe\n---\n date 2025-03-03 {junk}\n{TITLE}\n{LEDE}\n")
    assert doc.published == date(2025, 3, 3)
    assert doc.title == TITLE and doc.text == LEDE


@pytest.mark.parametrize(
    "text",
    [
        "For the second time, a fuel leak has caused the launch of the rocket to be scrubbed:",
        "The UK regulator blocked the takeover of the games company, fearing that it would reduce customer choice",
    ],
)
def test_a_lede_without_its_full_stop_on_a_late_header_stays_in_the_body(text: str) -> None:
    doc = _parse(f"---\noutlet: Globe\n---\n date 2025-03-03 {text}\n{LEDE}\n")
    assert doc.text == f"{text}\n{LEDE}"


@pytest.mark.parametrize(
    "raw",
    [
        f"---\noutlet: Globe\ndate: 2025-03-03\n---\n date 2025-03-03 \n\n{LEDE}\n{MORE}\n",
        f"---\noutlet: Globe\n---\n date 2025-03 {TITLE}\n{LEDE}\n{MORE}\n",
        f"<html><head><title>date 2025-03-03 {TITLE}</title></head><body><article>"
        f"<p> date 2025-03-03 {TITLE}</p><p>{LEDE}</p><p>{MORE}</p></article></body></html>",
    ],
    ids=["a bare header", "a month header", "html"],
)
def test_a_header_marker_is_never_part_of_the_title_or_the_text(raw: str) -> None:
    doc = _parse(raw, ".html" if raw.startswith("<html>") else ".txt")
    assert not doc.title.startswith("date ") and "date 2025" not in doc.text
    assert doc.title in {TITLE, LEDE} and doc.text.startswith(LEDE)


@pytest.mark.parametrize(
    "junk",
    [
        "Tags: minerals | ukraine | rare earths | deals",
        "Filed under: Europe, Ukraine",
        "Topics: Ukraine war",
        "×",
    ],
)
def test_a_tag_list_above_the_headline_is_neither_title_nor_text(junk: str) -> None:
    doc = _parse(
        f"---\noutlet: Globe\n---\n date 2025-03-03 ×\n{junk}\n\n{TITLE}\n{LEDE}\n{MORE}\n"
    )
    assert doc.title == TITLE
    assert doc.text == f"{LEDE}\n{MORE}"
    assert doc.published == date(2025, 3, 3)


def test_a_date_line_above_the_headline_is_noted_and_the_headline_is_the_title() -> None:
    doc = _parse(f"March 3, 2025\n{TITLE}\n{LEDE}\n{MORE}\n")
    assert doc.title == TITLE and doc.text == f"{LEDE}\n{MORE}"
    assert doc.published == date(2025, 3, 3)


def test_a_tag_line_in_the_body_is_dropped_but_a_sentence_about_tags_is_not() -> None:
    kept = "Topics: the talks covered rare earths, ports and the fund's governance."
    out = clean_lines([LEDE, "Tags: minerals | ukraine", kept, MORE])
    assert out.lines == [LEDE, kept, MORE]


@pytest.mark.parametrize(
    "caption",
    [
        "WHO director general speaking at a microphone in front of a banner",
        "Ukrainian President Volodymyr Zelensky Speaks In Kyiv",
    ],
)
@pytest.mark.parametrize("credit", ["(Fabrice Coffrini/AFP via Getty Images)", "Jane Doe/Reuters"])
def test_a_caption_above_a_credit_goes_with_it(caption: str, credit: str) -> None:
    assert clean_lines([LEDE, caption, credit, MORE]).lines == [LEDE, MORE]
