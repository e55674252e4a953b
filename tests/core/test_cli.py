"""The `dispatch` CLI end to end on the seeds: output, JSON contract, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(a, b)
    return re.sub(r"\s+", " ", text).strip().lower()


@pytest.fixture
def cli(seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    def call(*argv: str) -> tuple[int, str, str]:
        return run(capsys, "--corpus", str(seeds_dir), "--db", str(tmp_path / "cli.db"), *argv)

    return call


def test_status_text_has_sections_citations_and_sources(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("status", "minerals-deal")
    assert code == 0, err
    assert out.startswith("US–Ukraine minerals deal — as of 2025-03-05 · 3 sources")
    for heading in ("Where it stands", "Key developments", "Sources"):
        assert heading in out
    flat = " ".join(out.split())
    assert "[1]" in out and "NOTUS, 2025-03-05" in flat and "Worthy News, 2025-02-26" in flat
    assert "Traceback" not in out + err


def test_status_json_contract(cli, seeds_dir: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("status", "minerals-deal", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["topic"] == {"slug": "minerals-deal", "title": "US–Ukraine minerals deal"}
    assert data["as_of"] == "2025-03-05" and data["engine"] == "extractive"
    assert data["verification"] == {"claims": 0, "dropped": 0}
    assert [s["id"] for s in data["sources"]] == list(range(1, len(data["sources"]) + 1))
    kinds = [st["kind"] for st in data["statements"]]
    assert kinds[0] == "status" and "development" in kinds
    assert set(kinds) <= {"status", "development", "disputed"}
    first_use: list[int] = []
    for st in data["statements"]:
        assert st["citations"], st
        assert set(st) == {
            "kind",
            "date",
            "date_precision",
            "dispute",
            "corroboration",
            "related",
            "date_estimated",
            "text",
            "citations",
        }
        for c in st["citations"]:
            src = data["sources"][c["source"] - 1]
            raw = (
                (seeds_dir.parent / src["path"]).read_text()
                if not Path(src["path"]).is_absolute()
                else Path(src["path"]).read_text()
            )
            assert norm(c["quote"]) in norm(raw)
            if c["source"] not in first_use:
                first_use.append(c["source"])
    assert first_use == sorted(first_use), "sources are numbered in order of first citation"
    for s in data["sources"]:
        assert set(s) >= {"id", "source_id", "title", "outlet", "published", "url", "path"}


@pytest.mark.parametrize("command", ["timeline", "sources"])
def test_other_topic_commands_json(cli, command: str) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli(command, "minerals", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["topic"]["slug"] == "minerals-deal"
    assert data["sources"]


def test_timeline_is_chronological_and_limited(cli) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = cli("timeline", "minerals-deal", "--json", "--limit", "3")
    data = json.loads(out)
    dates = [st["date"] for st in data["statements"]]
    assert len(dates) == 3 and dates == sorted(dates)


def test_topics_json(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("topics", "--json")
    assert code == 0
    topics = {t["slug"]: t for t in json.loads(out)["topics"]}
    assert topics["minerals-deal"]["sources"] == 3
    assert topics["minerals-deal"]["latest"] == "2025-03-05"
    assert set(topics["minerals-deal"]) >= {
        "slug",
        "title",
        "description",
        "aliases",
        "sources",
        "latest",
    }


def test_digest_since_date(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("digest", "--since", "2020-01-01", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["since"].startswith("2020-01-01")
    assert "minerals-deal" in [t["topic"]["slug"] for t in data["topics"]]


def test_ask_answers_with_citations_or_says_so(cli) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = cli("ask", "What did Scott Bessent say about the deal?", "--json")
    data = json.loads(out)
    assert data["question"].startswith("What did")
    assert any("Bessent" in st["text"] for st in data["statements"])
    _, out, _ = cli("ask", "What is the price of bananas in Lisbon?", "--json")
    data = json.loads(out)
    assert data["statements"] == [] and "don't say" in data["notes"][0]


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (("status", "peace"), 2, "ambiguous: peace-talks, peacekeepers"),
        (("status", "bananas"), 2, "Unknown topic 'bananas'"),
        (("status",), 2, "the following arguments are required: topic"),
        (("timeline", "minerals", "--limit", "0"), 2, "must be at least 1"),
        (("digest", "--since", "yesterday"), 2, "expected YYYY-MM-DD"),
        (("frobnicate",), 2, "invalid choice"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    cli, argv: tuple[str, ...], code: int, message: str
) -> None:  # type: ignore[no-untyped-def]
    got, _out, err = cli(*argv)
    assert got == code
    assert message in err and "Traceback" not in err
    assert [line for line in err.splitlines() if line.startswith("dispatch")][-1]


def test_missing_corpus_folder_exits_2_naming_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(
        capsys,
        "--corpus",
        str(tmp_path / "nope"),
        "--db",
        str(tmp_path / "x.db"),
        "status",
        "minerals-deal",
    )
    assert code == 2 and "nope" in err and "Traceback" not in err


def test_global_options_after_subcommand(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "status",
        "minerals-deal",
        "--corpus",
        str(seeds_dir),
        "--db",
        str(tmp_path / "y.db"),
        "--json",
    )
    assert code == 0 and json.loads(out)["topic"]["slug"] == "minerals-deal"


def test_env_settings_used_when_no_flag(
    monkeypatch: pytest.MonkeyPatch,
    seeds_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DISPATCH_CORPUS", str(seeds_dir))
    monkeypatch.setenv("DISPATCH_DB", str(tmp_path / "env.db"))
    code, out, _ = run(capsys, "topics")
    assert code == 0 and "minerals-deal" in out
    assert (tmp_path / "env.db").exists()


def test_python_dash_m_bot_runs_as_a_process(seeds_dir: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "--corpus",
            str(seeds_dir),
            "--db",
            str(tmp_path / "p.db"),
            "status",
            "bananas",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1] == "dispatch: Unknown topic 'bananas'."
    assert "Traceback" not in proc.stderr


# What a read with nothing new to ingest may not import: parsing and the briefing engine (their
# patterns compile at import, a good part of a short process's time on a large corpus).
HEAVY = ("bot.ingest.parse", "bot.ingest.prepare", "bot.ingest.workers", "bot.digest.extractive")
PROBE = (
    "import sys\n"
    "from bot.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(' '.join(m for m in {heavy!r} if m in sys.modules))\n"
    "raise SystemExit(code)\n"
)


def test_a_read_with_nothing_new_imports_no_parser_and_no_engine(
    seeds_dir: Path, tmp_path: Path
) -> None:
    def status() -> subprocess.CompletedProcess[str]:
        args = [
            "--corpus",
            str(seeds_dir),
            "--db",
            str(tmp_path / "p.db"),
            "status",
            "minerals-deal",
        ]
        return subprocess.run(
            [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=120,
            env={**os.environ, "DISPATCH_ENGINE": "extractive"},
        )

    first = status()  # ingests the seeds and computes: parses and briefs
    assert first.returncode == 0 and "bot.ingest.parse" in first.stdout.splitlines()[-1]
    again = status()
    assert again.returncode == 0 and "Where it stands" in again.stdout
    assert again.stdout.splitlines()[-1] == ""  # none of them imported
