"""`dispatch topic …` and `dispatch topics --suggested`: managed topics and storylines from the CLI."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import FIXTURES

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def corpus(tmp_path: Path, seeds_dir: Path) -> Path:
    """The seeds plus the discovery fixture in a subfolder (with its harbor-strike topic)."""
    folder = tmp_path / "corpus"
    shutil.copytree(seeds_dir, folder)
    shutil.copytree(FIXTURES / "discovery", folder / "discovery")
    return folder


@pytest.fixture
def cli(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    def call(*argv: str) -> tuple[int, str, str]:
        code = main(["--corpus", str(corpus), "--db", str(tmp_path / "cli.db"), *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return call


def test_add_then_show_status_and_topics(cli: Cli) -> None:
    code, out, err = cli(
        "topic", "add", "orchestra-tour", "Pellam Philharmonic tour",
        "--keywords", "Pellam Philharmonic, tour", "--requires", "Pellam Philharmonic",
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("Added topic orchestra-tour; its briefings are ready")
    assert "keywords: Pellam Philharmonic, tour" in out and "articles: 3" in out
    code, out, _ = cli("topic", "show", "orchestra-tour", "--json")
    shown = json.loads(out)["topic"]
    assert (shown["origin"], shown["read_only"], shown["ready"]) == ("database", False, True)
    assert shown["requires"] == ["Pellam Philharmonic"] and shown["counts"]["articles"] == 3
    code, out, _ = cli("status", "orchestra-tour", "--json")
    status = json.loads(out)
    assert code == 0 and status["topic"]["slug"] == "orchestra-tour"
    assert any("Pellam" in s["text"] for s in status["statements"])
    code, out, _ = cli("topics", "--json")
    assert "orchestra-tour" in {t["slug"] for t in json.loads(out)["topics"]}


def test_edit_recomputes_and_remove_forgets(cli: Cli) -> None:
    cli("topic", "add", "orchestra-tour", "--keywords", "Pellam Philharmonic")
    code, out, err = cli(
        "topic", "edit", "orchestra-tour", "--title", "Orchestra tour", "--keywords", "Corvel Dam"
    )
    assert code == 0, err
    shown = json.loads(cli("topic", "show", "orchestra-tour", "--json")[1])["topic"]
    assert shown["title"] == "Orchestra tour" and shown["keywords"] == ["Corvel Dam"]
    _, out, _ = cli("sources", "orchestra-tour", "--json")
    titles = [s["title"] for s in json.loads(out)["sources"]]
    assert titles and not any("Pellam" in t for t in titles)  # recomputed with the new keywords
    code, out, _ = cli("topic", "remove", "orchestra-tour", "--json")
    assert code == 0 and json.loads(out) == {
        "removed": {"slug": "orchestra-tour", "title": "Orchestra tour"}
    }
    code, _, err = cli("status", "orchestra-tour")
    assert code == 2 and "orchestra-tour" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("add", "Rail_Strike", "--keywords", "rail"), "A slug is lowercase letters"),
        (("add", "rail-strike", "--keywords", " , "), "needs at least one keyword"),
        (("add", "minerals-deal", "--keywords", "deal"), "exists already in a topics.toml"),
        (("edit", "minerals-deal", "--title", "Mine"), "read-only from Discord and the CLI"),
        (("remove", "nato-membership"), "read-only from Discord and the CLI"),
        (("remove", "no-such-topic"), "No topic 'no-such-topic'"),
        (("accept", "0000000000"), "No suggested storyline '0000000000'"),
    ],
)
def test_bad_input_gets_one_line_and_changes_nothing(
    cli: Cli, argv: tuple[str, ...], message: str
) -> None:
    before = json.loads(cli("topics", "--json")[1])
    code, out, err = cli("topic", *argv)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert json.loads(cli("topics", "--json")[1]) == before


def test_a_duplicate_managed_topic_is_refused(cli: Cli) -> None:
    assert cli("topic", "add", "orchestra-tour", "--keywords", "Pellam Philharmonic")[0] == 0
    code, _, err = cli("topic", "add", "orchestra-tour", "Other", "--keywords", "tour")
    assert code == 2 and "exists already" in err
    shown = json.loads(cli("topic", "show", "orchestra-tour", "--json")[1])["topic"]
    assert shown["keywords"] == ["Pellam Philharmonic"]


def test_suggested_then_accept_and_dismiss(cli: Cli) -> None:
    code, out, err = cli("topics", "--suggested")
    assert code == 0, err
    assert out.startswith("Suggested storylines (1)") and "3 outlets" in out
    code, out, _ = cli("topics", "--suggested", "--json")
    [found] = json.loads(out)["suggested"]
    assert found["slug"] == "corvel-dam" and found["articles"] == 4
    citation = found["summary"]["citation"]
    assert citation["quote"] == found["summary"]["text"] and citation["outlet"] in found["outlets"]
    assert found["first"] <= citation["published"] <= found["last"]
    code, out, err = cli("topic", "accept", found["id"], "--json")
    assert code == 0, err
    accepted = json.loads(out)["topic"]
    assert accepted["slug"] == "corvel-dam" and accepted["counts"]["articles"] >= 4
    _, out, _ = cli("status", "corvel-dam", "--json")
    assert json.loads(out)["statements"]
    assert json.loads(cli("topics", "--suggested", "--json")[1]) == {"suggested": []}
    code, _, err = cli("topic", "dismiss", found["id"])
    assert code == 2 and "No suggested storyline" in err  # accepted: no longer open


def test_dismissed_is_not_suggested_again(cli: Cli) -> None:
    [found] = json.loads(cli("topics", "--suggested", "--json")[1])["suggested"]
    code, out, _ = cli("topic", "dismiss", found["id"])
    assert code == 0 and out.startswith(f"Dismissed [{found['id']}]")
    assert json.loads(cli("topics", "--suggested", "--json")[1]) == {"suggested": []}
    cli("ingest")  # another pass recomputes nothing new, and keeps it dismissed
    assert json.loads(cli("topics", "--suggested", "--json")[1]) == {"suggested": []}
