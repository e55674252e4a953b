"""Document shapes: header line, front matter, headline-first text, no headline, HTML, sidecars."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from bot.ingest.parse import ParsedArticle, parse_document
from tests.conftest import SEEDS
from tests.ingest.conftest import DRIFT, MESSY


def _parse(path: Path, *, sidecar: bool = True) -> ParsedArticle:
    meta_path = Path(str(path) + ".meta.toml")
    meta = tomllib.loads(meta_path.read_text("utf-8")) if sidecar and meta_path.exists() else None
    return parse_document(path.read_text("utf-8"), name=path.name, suffix=path.suffix, meta=meta)


def test_header_line_gives_date_and_title() -> None:
    doc = _parse(SEEDS / "000_73d30c671a85fbfc.txt")
    assert doc.published == date(2025, 2, 4) and doc.date_basis == "header"
    assert doc.title.startswith("Trump seeks a rare earth deal with Ukraine")
    assert not doc.text.startswith(" date") and "date 2025-02-04" not in doc.text


def test_headline_first_line_without_sidecar() -> None:
    doc = _parse(SEEDS / "002_cf0c328f16e4fc48.txt", sidecar=False)
    assert (
        doc.title
        == "The White House Said Trump Is in ‘Talks’ About Mineral Rights Deal with Ukraine"
    )
    assert doc.title not in doc.text
    assert doc.published is None and doc.date_basis == "unknown"
    assert "no publication date" in doc.notes


def test_no_headline_title_is_first_body_sentence_not_byline() -> None:
    doc = _parse(SEEDS / "004_19017910b96b3d84.txt", sidecar=False)
    assert doc.title.startswith(
        "While hosting the first Cabinet meeting since his recent inauguration"
    )
    assert "Bos" not in doc.title and "WASHINGTON" not in doc.title
    assert doc.outlet == "Worthy News"  # from the dateline
    assert doc.published is None  # "Copyright 1999-2026" is never a date


@pytest.mark.parametrize(
    ("name", "title", "outlet", "published"),
    [
        (
            "002_cf0c328f16e4fc48.txt",
            "The White House Said Trump Is in ‘Talks’ About Mineral Rights Deal with Ukraine",
            "NOTUS",
            date(2025, 3, 5),
        ),
        (
            "004_19017910b96b3d84.txt",
            "Trump says Ukraine “could forget about” joining NATO as minerals deal signing nears",
            "Worthy News",
            date(2025, 2, 26),
        ),
    ],
)
def test_seed_sidecars(name: str, title: str, outlet: str, published: date) -> None:
    doc = _parse(SEEDS / name)
    assert (doc.title, doc.outlet, doc.published, doc.date_basis) == (
        title,
        outlet,
        published,
        "sidecar",
    )
    assert doc.url is None


def test_sidecar_overrides_the_text() -> None:
    raw = " date 2025-01-01 Old headline\n\nThe body says something.\n"
    meta = {
        "title": "New title",
        "date": date(2025, 2, 2),
        "outlet": "Desk",
        "url": "https://x.example/a",
    }
    doc = parse_document(raw, name="a.txt", suffix=".txt", meta=meta)
    assert (doc.title, doc.published, doc.date_basis, doc.outlet, doc.url) == (
        "New title",
        date(2025, 2, 2),
        "sidecar",
        "Desk",
        "https://x.example/a",
    )


@pytest.mark.parametrize(
    ("name", "title", "outlet", "published", "basis", "url"),
    [
        (
            "yaml_front_matter.md",
            "Minerals Agreement Clears Ukrainian Parliament",
            "Kyiv Courier",
            date(2025, 5, 8),
            "front_matter",
            "https://kyivcourier.example/politics/minerals-agreement-ratified",
        ),
        (
            "toml_front_matter.md",
            "US Development Agency Names Staff for Ukraine Fund",
            "Capitol Report",
            date(2025, 6, 2),
            "front_matter",
            None,
        ),
        (
            "blog_post.txt",
            "Why the Minerals Fund Still Matters for Ukraine's Recovery",
            None,
            date(2025, 12, 29),
            "text",
            None,
        ),
        (
            "url_only.txt",
            "US and Ukraine Sign Agreement Creating Joint Investment Fund",
            "Capitol Report",
            date(2025, 4, 30),
            "url",
            "https://capitolreport.example/news/2025/04/30/us-ukraine-sign-fund-agreement",
        ),
        (
            "interested_in.html",
            "Treasury Says Minerals Fund Talks Are Back on Track",
            "Globe Desk",
            date(2025, 3, 12),
            "page",
            "https://globedesk.example/world/2025/03/12/treasury-minerals-fund-talks",
        ),
        (
            "no_date.txt",
            "Analysts Question the Value of Ukraine's Rare Earth Deposits",
            None,
            None,
            "unknown",
            None,
        ),
        (
            "placeholder_date.txt",
            "Ukrainian Parliament to Debate Minerals Agreement",
            None,
            None,
            "unknown",
            None,
        ),
    ],
)
def test_fixture_metadata(
    name: str, title: str, outlet: str | None, published: date | None, basis: str, url: str | None
) -> None:
    doc = _parse(MESSY / name)
    assert (doc.title, doc.outlet, doc.published, doc.date_basis, doc.url) == (
        title,
        outlet,
        published,
        basis,
        url,
    )


def test_blog_byline_and_date_line_are_not_body() -> None:
    doc = _parse(MESSY / "blog_post.txt")
    assert "Olena Marchenko" not in doc.text and "December 29" not in doc.text
    assert doc.text.startswith("Eight months after")


def test_two_languages_are_both_kept() -> None:
    doc = _parse(MESSY / "two_languages.txt")
    assert doc.language == "en+uk" and "mixed languages" in doc.notes
    assert "«Це наші ресурси, і ми повинні контролювати їх самі»" in doc.text
    assert "said pensioner Halyna Koval." in doc.text


def test_excerpt_cut_mid_word_keeps_its_last_sentence() -> None:
    doc = _parse(MESSY / "cut_off_excerpt.txt")
    assert doc.text.endswith("when it will meet in Kyi")


def test_drift_articles_take_dates_from_sidecars() -> None:
    dated = [_parse(path).published for path in sorted(DRIFT.glob("*.txt"))]
    assert len(dated) == 8 and all(dated)


def test_long_generated_title_is_shortened() -> None:
    raw = (
        "This is a very long first sentence "
        + "that keeps going " * 20
        + "until it ends.\nSecond one."
    )
    doc = parse_document(raw, name="x.txt", suffix=".txt", meta=None)
    assert len(doc.title) <= 161 and doc.title.endswith("…")


def test_broken_html_does_not_raise() -> None:
    doc = parse_document(
        "<html><body><p>Unclosed <b>tags", name="x.html", suffix=".html", meta=None
    )
    assert isinstance(doc, ParsedArticle)


def test_question_headline() -> None:
    raw = "Will Ukraine Sign the Minerals Deal?\nOfficials in Kyiv said on Monday that talks went on.\n"
    doc = parse_document(raw, name="q.txt", suffix=".txt", meta=None)
    assert doc.title == "Will Ukraine Sign the Minerals Deal?"
    assert doc.text == "Officials in Kyiv said on Monday that talks went on."
