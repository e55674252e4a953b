"""Broken front matter and sidecars: the body survives, nothing leaks, the author is told why."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest.parse import parse_document
from bot.ingest.pipeline import Ingestor

BODY = "Ukraine signed the minerals deal on Monday in Kyiv, officials said. The fund opens soon."


def _md(raw: str):  # type: ignore[no-untyped-def]
    return parse_document(raw, name="a.md", suffix=".md", meta=None)


def test_front_matter_without_its_closing_line_is_still_front_matter() -> None:
    parsed = _md(f"---\ntitle: Deal signed\ndate: 2025-03-03\noutlet: Globe\n{BODY}\n")
    assert (parsed.title, str(parsed.published), parsed.outlet) == (
        "Deal signed",
        "2025-03-03",
        "Globe",
    )
    assert parsed.text == BODY and "---" not in parsed.text
    assert parsed.warnings == ("front matter not closed with ---",)


@pytest.mark.parametrize("rule", ["---", "***", "* * *", "___", "• • •"])
def test_a_rule_is_never_a_title_or_a_sentence(rule: str) -> None:
    parsed = _md(f"{rule}\n{BODY}\n{rule}\nMore text follows here, officials said.\n")
    assert rule not in parsed.title and rule not in parsed.text


def test_invalid_toml_front_matter_keeps_the_body_and_says_so() -> None:
    parsed = _md(f'+++\ntitle = "unterminated\n+++\n{BODY}\n')
    assert parsed.text == BODY and parsed.warnings == ("front matter is not valid TOML",)


@pytest.mark.parametrize(
    ("sidecar", "warnings", "published"),
    [
        ('date = "March 5"\n', ("sidecar date 'March 5' not understood",), None),
        ('date = "[Date]"\n', ("sidecar date '[Date]' not understood",), None),
        ("date = 2025-03-05T23:30:00-05:00\n", (), "2025-03-05"),
        ('date = "2025-03-05"\ntitle = 5\n', ("sidecar title 5 is not text",), "2025-03-05"),
        (
            'url = ["https://x.example/a"]\n',
            ("sidecar url ['https://x.example/a'] is not text",),
            None,
        ),
    ],
)
def test_sidecar_values_of_the_wrong_shape_are_ignored_with_a_warning(
    ingestor: Ingestor, corpus: Path, sidecar: str, warnings: tuple[str, ...], published: str | None
) -> None:
    (corpus / "a.txt").write_text(f"Deal Signed In Kyiv Today\n\n{BODY}\n", encoding="utf-8")
    (corpus / "a.txt.meta.toml").write_text(sidecar, encoding="utf-8")
    [outcome] = ingestor.ingest_folders([corpus]).outcomes
    assert outcome.outcome == "added" and outcome.reason == "; ".join(warnings)
    source = ingestor.store.sources.get(outcome.source_id or "")
    assert source is not None and source.title == "Deal Signed In Kyiv Today"
    assert (str(source.published) if source.published else None) == published
    assert set(warnings) <= set(source.notes)


def test_a_markdown_h1_is_the_title_and_h2_subheads_are_dropped() -> None:
    parsed = _md(f"# Minerals Deal Signed In Kyiv\n\n{BODY}\n\n## Reaction\n\nMarkets rose.\n")
    assert parsed.title == "Minerals Deal Signed In Kyiv"
    assert parsed.text == f"{BODY}\nMarkets rose."
