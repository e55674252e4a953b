"""The CLI at its edges: empty answers still say something, odd options give one clear line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bot.cli import main


@pytest.fixture
def cli(seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    def call(*argv: str, corpus: Path = seeds_dir) -> tuple[int, str, str]:
        code = main([*argv, "--corpus", str(corpus), "--db", str(tmp_path / "edge.db")])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    return call


def test_a_corpus_without_topics_says_how_to_add_them(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "a.txt").write_text("Talks Resume In Riyadh\n\nNegotiators met on Friday.\n", "utf-8")
    code, out, _ = cli("topics", corpus=bare)
    assert code == 0 and out == "No topics are defined yet: add a topics.toml to a corpus folder.\n"


def test_sources_of_a_topic_with_none_says_so(cli, seeds_dir: Path) -> None:  # type: ignore[no-untyped-def]
    with (seeds_dir / "topics.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[[topic]]\nslug = "mars"\nkeywords = ["martian habitat"]\n')
    code, out, _ = cli("sources", "mars")
    assert code == 0 and out.endswith("No sources are assigned to this topic yet.\n")


def test_a_corpus_path_that_is_a_file_is_named_as_such(cli, seeds_dir: Path) -> None:  # type: ignore[no-untyped-def]
    path = next(seeds_dir.glob("*.txt"))
    code, _, err = cli("status", "minerals", corpus=path)
    assert code == 2 and err == f"dispatch: Corpus path is a file, not a folder: {path}\n"


def test_a_long_question_is_shortened_in_the_heading_only(cli) -> None:  # type: ignore[no-untyped-def]
    question = "What did Bessent say about the minerals deal? " * 200
    code, out, _ = cli("ask", question)
    heading = out.splitlines()[0]
    assert code == 0 and len(heading) < 300 and "…" in heading
    code, out, _ = cli("ask", question, "--json")
    assert json.loads(out)["question"] == question


@pytest.mark.parametrize("limit", ["1", "100000", "99999999999999999999"])
def test_timeline_limits(cli, limit: str) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("timeline", "minerals-deal", "--limit", limit, "--json")
    statements = json.loads(out)["statements"]
    assert code == 0 and (len(statements) == 1 if limit == "1" else len(statements) > 1)


@pytest.mark.parametrize("limit", ["0", "-3", "ten"])
def test_bad_timeline_limits_are_usage_errors(cli, limit: str) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("timeline", "minerals-deal", "--limit", limit)
    assert code == 2 and err.strip().splitlines()[-1].startswith("dispatch: dispatch timeline:")


@pytest.mark.parametrize(
    ("since", "shown"),
    [
        ("2999-01-01", "2999-01-01T00:00:00+00:00"),
        ("2000-01-01T00:00:00+05:30", "2000-01-01T00:00:00+05:30"),
        ("2000-01-01T10:00Z", "2000-01-01T10:00:00+00:00"),
    ],
)
def test_digest_since_any_time_or_zone_is_valid_json(cli, since: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("digest", "--since", since, "--json")
    data = json.loads(out)
    assert code == 0 and data["since"] == shown
    assert (data["topics"] == []) == since.startswith("2999")


@pytest.mark.parametrize("since", ["yesterday", "2025-02-30", "2025-03-01T10:00+25:00"])
def test_digest_since_nonsense_is_a_usage_error(cli, since: str) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("digest", "--since", since)
    assert code == 2 and "expected YYYY-MM-DD or an ISO time" in err


def test_an_empty_corpus_value_is_refused_not_read_as_the_working_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = ["--db", str(tmp_path / "e.db")]
    assert main(["topics", "--corpus", "", *db]) == 2
    assert capsys.readouterr().err.endswith("--corpus: needs a folder name (got an empty string)\n")
    monkeypatch.setenv("DISPATCH_CORPUS", "")
    assert main(["topics", *db]) == 2
    assert capsys.readouterr().err == (
        "dispatch: No corpus folder: pass --corpus DIR or set DISPATCH_CORPUS\n"
    )


def test_read_commands_sum_up_rejected_files_and_ingest_says_why(cli, seeds_dir: Path) -> None:  # type: ignore[no-untyped-def]
    (seeds_dir / "broken.txt").write_bytes(b"\x81\x8d\x8f\x90")
    for _ in range(2):
        code, _, err = cli("status", "minerals-deal")
        assert code == 0 and err.splitlines()[-1].endswith(
            "1 rejected (`dispatch ingest` says why)"
        )
        assert "broken.txt" not in err
    code, _, err = cli("ingest")
    assert code == 0 and f"rejected    {seeds_dir / 'broken.txt'}: undecodable" in err


NO_LLM_SETTING = (
    "dispatch: the openai engine needs DISPATCH_OPENAI_API_KEY (or OPENAI_API_KEY) or "
    "DISPATCH_OPENAI_BASE_URL, and neither is set\n"
)


@pytest.mark.parametrize("how", ["flag", "env"])
@pytest.mark.parametrize("command", [["status", "minerals-deal"], ["ingest"], ["run"]])
def test_the_openai_engine_without_a_key_or_server_refuses_to_start(  # type: ignore[no-untyped-def]
    cli, monkeypatch: pytest.MonkeyPatch, network_guard, how: str, command: list[str]
) -> None:
    if how == "env":
        monkeypatch.setenv("DISPATCH_ENGINE", "openai")
    argv = [*command, "--engine", "openai"] if how == "flag" else command
    code, out, err = cli(*argv)
    assert (code, out, err) == (2, "", NO_LLM_SETTING)
    assert network_guard.strays == []


LATER = (
    " date 2025-03-07 Minerals deal talks resume\n\nUkraine and the United States resumed talks"
    " on the minerals deal on Friday. Zelenskyy said he is ready to sign the minerals deal.\n"
)


def test_read_commands_see_new_files_and_ingest_sees_edits_in_place(cli, seeds_dir: Path) -> None:  # type: ignore[no-untyped-def]
    old = 1_700_000_000 * 10**9  # the folder last changed long before the passes below
    os.utime(seeds_dir, ns=(old, old))
    cli("ingest")
    first = seeds_dir / "000_73d30c671a85fbfc.txt"
    first.write_text(first.read_text("utf-8").replace("Trump seeks", "Trump wants"), "utf-8")
    code, out, err = cli("sources", "minerals-deal")
    assert code == 0 and "Trump seeks" in out and "ingest:" not in err  # no folder changed
    (seeds_dir / "later.txt").write_text(LATER, "utf-8")
    code, out, err = cli("sources", "minerals-deal")  # a new file: the folder changed
    assert code == 0 and "Minerals deal talks resume" in out and "1 added" in err
    assert "Trump wants" in out  # the full pass that followed read the edit too
    first.write_text(first.read_text("utf-8").replace("Trump wants", "Trump asks"), "utf-8")
    os.utime(seeds_dir, ns=(old, old))
    code, _, err = cli("ingest")
    assert code == 0 and f"updated     {first}" in err
    assert "Trump asks" in cli("sources", "minerals-deal")[1]
