"""The quality harness (bench/quality): gold checks and metrics on tiny hand-made inputs.

The CLI and the LexRank venv are not run here; the metrics work on JSON dicts.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bench.quality import check_gold, metrics, score
from bench.quality import gold as g

TOPICS = """
[[topic]]
slug = "widget-merger"
title = "Widget merger"
description = "Acme's takeover of Widgetco."
keywords = ["Widgetco", "Acme"]
"""

PAGES = {
    "001-news-com.txt": (
        "2024-01-10",
        "Acme agrees to buy Widgetco",
        "Acme agreed on Wednesday to buy Widgetco for $2 billion.\n\n"
        "Regulators in Brussels will review the deal.",
    ),
    "002-wire-com.txt": (
        "2024-02-01",
        "Brussels opens a probe into the Acme deal",
        "The European Commission opened an in-depth probe into the Widgetco takeover on Thursday.\n\n"
        "Acme said it would cooperate.",
    ),
    "003-food-com.txt": (
        "2024-01-20",
        "A recipe for pancakes",
        "Whisk the flour and the eggs.\n\nPancakes are best eaten warm.",
    ),
}

GOLD = """
topic = "widget-merger"
distractors = ["003-food-com.txt"]

[[fact]]
id = "deal-agreed"
date = "2024-01-10"
fact = "Acme agrees to buy Widgetco."
regex = "(?i)agreed.{0,40}to buy Widgetco"
files = ["001-news-com.txt"]

[[fact]]
id = "eu-probe"
date = "2024-02-01"
fact = "The Commission opens an in-depth probe."
regex = "(?i)in-depth probe"
files = ["002-wire-com.txt"]

[current]
as_of = "2024-02-01"
fact = "The EU is investigating."
regex = ["(?i)\\\\bprobe\\\\b"]
"""


def _page(day: str, title: str, body: str) -> str:
    return f"---\nurl: https://example.com/{day}\noutlet: Example\ndate: {day}\ntitle: {title}\n---\n{body}\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "widget-merger"
    folder.mkdir()
    (folder / "topics.toml").write_text(TOPICS, "utf-8")
    for name, (day, title, body) in PAGES.items():
        (folder / name).write_text(_page(day, title, body), "utf-8")
    (folder / "gold.toml").write_text(GOLD, "utf-8")
    return folder


def _regold(folder: Path, old: str, new: str) -> None:
    path = folder / "gold.toml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


# --- gold and check_gold -------------------------------------------------------------------


def test_sentences_are_the_bots_own_plus_title(corpus: Path) -> None:
    sents = g.sentences(corpus / "001-news-com.txt")
    assert sents[0] == "Acme agreed on Wednesday to buy Widgetco for $2 billion."
    assert sents[-1] == "Acme agrees to buy Widgetco"
    assert g.published(corpus / "001-news-com.txt") == date(2024, 1, 10)


def test_a_sound_gold_passes(corpus: Path) -> None:
    report = check_gold.check(corpus)
    assert report.ok, report.failures
    assert (report.facts, report.pages, report.distractors) == (2, 3, 1)


def test_a_regex_matching_a_distractor_fails(corpus: Path) -> None:
    _regold(corpus, '"(?i)in-depth probe"', '"(?i)in-depth probe|eaten warm"')
    report = check_gold.check(corpus)
    assert not report.ok
    assert any("distractor 003-food-com.txt" in f for f in report.failures)
    assert check_gold.main([str(corpus)]) == 1


def test_a_current_regex_matching_a_distractor_fails(corpus: Path) -> None:
    _regold(corpus, 'regex = ["', 'regex = ["(?i)pancakes", "')
    assert any("[current]" in f and "distractor" in f for f in check_gold.check(corpus).failures)


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ('date = "2024-01-10"', 'date = "10 January 2024"', "not ISO"),
        ('"(?i)in-depth probe"', '"(?i)in-depth (probe"', "does not compile"),
        ('files = ["002-wire-com.txt"]', 'files = ["009-gone-com.txt"]', "does not exist"),
        ('"(?i)in-depth probe"', '"(?i)no such words"', "matches no sentence"),
    ],
)
def test_broken_facts_fail(corpus: Path, old: str, new: str, needle: str) -> None:
    _regold(corpus, old, new)
    assert any(needle in f for f in check_gold.check(corpus).failures)


def test_an_unlisted_matching_page_only_warns(corpus: Path) -> None:
    _regold(corpus, '"(?i)agreed.{0,40}to buy Widgetco"', '"(?i)Acme"')
    report = check_gold.check(corpus)
    assert report.ok, report.failures
    assert any("unlisted 002-wire-com.txt" in w for w in report.warnings)


def test_every_real_corpus_gold_is_honest() -> None:
    folders = [f for f in g.corpus_folders() if (f / g.GOLD).is_file()]
    if not folders:
        pytest.skip("no corpus with a gold.toml under bench/quality/corpora yet")
    bad = {f.name: check_gold.check(f).failures for f in folders}
    assert not any(bad.values()), {k: v[:5] for k, v in bad.items() if v}


# --- metrics on hand-made JSON -------------------------------------------------------------


@pytest.mark.parametrize(
    ("shown", "precision", "gold", "ok"),
    [
        ("2024-01-10", "day", "2024-01-13", True),
        ("2024-01-10", "day", "2024-01-07", True),
        ("2024-01-10", "day", "2024-01-14", False),
        ("2024-01-10", None, "2024-01-12", True),
        ("2024-01-08", "week", "2024-01-05", True),  # date - 3
        ("2024-01-08", "week", "2024-01-17", True),  # date + 9
        ("2024-01-08", "week", "2024-01-04", False),
        ("2024-01-08", "week", "2024-01-18", False),
        ("2024-01-01", "month", "2024-01-01", False),
        (None, "day", "2024-01-01", False),
    ],
)
def test_date_tolerance(shown: str | None, precision: str | None, gold: str, ok: bool) -> None:
    assert metrics.date_ok(shown, precision, date.fromisoformat(gold)) is ok


def _st(
    text: str, when: str | None, precision: str = "day", source: int = 1, quote: str = ""
) -> dict:
    return {
        "kind": "development",
        "date": when,
        "date_precision": precision if when else None,
        "dispute": None,
        "text": text,
        "citations": [{"source": source, "quote": quote or text}],
    }


def _payload(kind: str, statements: list[dict], sources: list[dict]) -> dict:
    return {
        "topic": {"slug": "widget-merger", "title": "Widget merger"},
        "kind": kind,
        "statements": statements,
        "sources": sources,
    }


SOURCES = [
    {"id": 1, "path": "corpus/001-news-com.txt", "published": "2024-01-10"},
    {"id": 2, "path": "corpus/002-wire-com.txt", "published": "2024-02-01"},
    {"id": 3, "path": "corpus/003-food-com.txt", "published": "2024-01-20"},
]


def test_recall_dated_and_quote_recall_from_json(corpus: Path) -> None:
    gold = g.load_gold(corpus)
    timeline = _payload(
        "timeline",
        [
            _st("Acme agreed on Wednesday to buy Widgetco for $2 billion.", "2024-01-25"),
            _st("Acme agreed to buy Widgetco.", "2024-01-10", "week"),  # week: 01-07 … 01-19
            _st(
                "Brussels acts.",
                "2024-02-01",
                source=2,
                quote="The European Commission opened an in-depth probe into the Widgetco takeover on Thursday.",
            ),
        ],
        SOURCES,
    )
    results = {r.id: r for r in metrics.fact_results(gold.facts, timeline)}
    assert results["deal-agreed"].recalled and results["deal-agreed"].dated
    assert not results["eu-probe"].recalled and results["eu-probe"].quote_recalled
    row = metrics.score_bot(gold, timeline, None, lambda path: None)
    assert (row["recalled"], row["quote_recalled"], row["dated"]) == (1, 2, 1)
    assert row["recall"] == 0.5 and row["dated_share"] == 1.0
    assert row["missed"] == [{"id": "eu-probe", "date": "2024-02-01"}]


def test_citations_of_fact_statements_are_checked_by_the_gold_regexes(corpus: Path) -> None:
    gold = g.load_gold(corpus)
    deal = "Acme agreed on Wednesday to buy Widgetco for $2 billion."
    statement = _st(deal, "2024-01-10")
    statement["citations"] = [
        {"source": 1, "quote": deal},  # states the fact
        {"source": 2, "quote": "The Commission opened an in-depth probe."},  # another fact
        {"source": 2, "quote": "Acme said it would cooperate."},  # neither: not counted as wrong
    ]
    unrelated = _st("Pancakes are best eaten warm.", "2024-01-20", source=3)  # states no fact
    timeline = _payload("timeline", [statement, unrelated], SOURCES)
    check = metrics.citation_check(gold.facts, timeline)
    assert (check.total, check.same, check.other) == (3, 1, 1)
    row = metrics.score_bot(gold, timeline, None, lambda path: None)
    assert (row["citations_on_facts"], row["citations_same_fact"]) == (3, 1)
    assert "1/3 (33%) / 1" in score.table_row("widget-merger", row)


def test_only_the_first_30_timeline_statements_count(corpus: Path) -> None:
    gold = g.load_gold(corpus)
    filler = [_st(f"Filler statement {i}.", "2024-01-01") for i in range(30)]
    late = _st("The European Commission opened an in-depth probe.", "2024-02-01")
    timeline = _payload("timeline", [*filler, late], SOURCES)
    assert not any(r.recalled for r in metrics.fact_results(gold.facts, timeline))


def test_misdated_fact_is_reported(corpus: Path) -> None:
    gold = g.load_gold(corpus)
    timeline = _payload("timeline", [_st("Acme agreed to buy Widgetco.", "2024-03-01")], SOURCES)
    row = metrics.score_bot(gold, timeline, None, lambda path: None)
    assert row["dated"] == 0 and row["dated_share"] == 0.0
    assert row["misdated"] == [
        {"id": "deal-agreed", "gold": "2024-01-10", "shown": ["2024-03-01 (day)"]}
    ]


def test_status_current_looks_at_the_first_three(corpus: Path) -> None:
    gold = g.load_gold(corpus)
    early = [_st("One.", "2024-01-01"), _st("Two.", "2024-01-01"), _st("The probe goes on.", None)]
    assert metrics.status_current(gold, _payload("status", early, SOURCES))
    late = [_st("One.", "2024-01-01")] * 3 + [_st("The probe goes on.", "2024-02-01")]
    assert not metrics.status_current(gold, _payload("status", late, SOURCES))
    assert (
        metrics.undated(_payload("status", early, SOURCES), _payload("timeline", late, SOURCES))
        == 1
    )


def test_quote_failures_and_distractors_cited(corpus: Path) -> None:
    gold = g.load_gold(corpus)
    status = _payload(
        "status",
        [
            _st(
                "Acme  agreed on Wednesday\nto buy Widgetco for $2 billion.", "2024-01-10"
            ),  # spacing aside
            _st("Acme bought everything.", "2024-01-10"),  # not in the page
            _st("Pancakes are best eaten warm.", "2024-01-20", source=3),
            _st("Orphan.", "2024-01-20", source=9),  # no such source
        ],
        SOURCES,
    )
    text_of = score.source_text(corpus.parent)
    failures = metrics.quote_failures(
        [status], lambda p: text_of(p.replace("corpus/", "widget-merger/"))
    )
    assert len(failures) == 2
    assert any("Acme bought everything" in f for f in failures)
    assert metrics.distractors_cited(gold, status) == ["003-food-com.txt"]


def test_baseline_scoring(corpus: Path) -> None:
    gold = g.load_gold(corpus)
    picked = [
        ("Acme agreed on Wednesday to buy Widgetco for $2 billion.", date(2024, 1, 20)),
        ("The Commission opened an in-depth probe.", date(2024, 2, 2)),
    ]
    assert metrics.score_baseline(gold, picked) == {
        "recalled": 2,
        "dated": 1,
        "recall": 1.0,
        "dated_share": 0.5,
    }


def test_table_row_and_heldout_json(corpus: Path) -> None:
    gold = g.load_gold(corpus)
    timeline = _payload("timeline", [_st("Acme agreed to buy Widgetco.", "2024-01-10")], SOURCES)
    row = metrics.score_bot(gold, timeline, None, lambda path: None)
    row["baseline"] = {"recalled": 0, "dated": 0, "recall": 0.0, "dated_share": None}
    row["ratio"] = score._ratio(row)
    line = score.table_row("widget-merger", row)
    assert line.count("|") == score.HEADER.count("|") and "∞" in line
    public = score._public(row, hidden=True)
    assert "missed" not in public and public["ratio"] == "inf"
