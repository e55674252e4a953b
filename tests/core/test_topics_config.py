"""topics.toml edge cases: repeated slugs, aliases that are other slugs, unicode titles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.errors import AmbiguousTopic, ConfigError
from bot.models import Topic
from bot.topics.config import load_topics
from bot.topics.lookup import resolve_topic

TWO = """
[[topic]]
slug = "fund"
title = "Reconstruction fund"
keywords = ["fund"]

[[topic]]
slug = "fund"
title = "Another fund"
keywords = ["board"]
"""


def test_one_file_defining_a_slug_twice_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "topics.toml").write_text(TWO, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"topics #1 and #2 have the same slug 'fund'"):
        load_topics([tmp_path])


def test_files_defining_the_same_slug_are_merged(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "topics.toml").write_text(TWO.split("\n\n")[0], encoding="utf-8")
    (second / "topics.toml").write_text(TWO.split("\n\n")[1], encoding="utf-8")
    [topic] = load_topics([first, second])[0]
    assert topic.keywords == ("fund", "board")


def _topic(slug: str, title: str, *aliases: str) -> Topic:
    return Topic(slug=slug, title=title, description="", keywords=(), aliases=aliases)


def test_a_slug_wins_over_another_topics_alias() -> None:
    topics = [
        _topic("peace-talks", "Peace talks"),
        _topic("summit", "Summit", "peace-talks", "talks"),
    ]
    assert resolve_topic("peace-talks", topics).slug == "peace-talks"
    assert resolve_topic("Peace Talks", topics).slug == "peace-talks"
    assert resolve_topic("talks", topics).slug == "summit"  # an exact alias beats a prefix
    with pytest.raises(AmbiguousTopic):
        resolve_topic("peace", topics)  # a prefix of a slug and of an alias


@pytest.mark.parametrize("query", ["ünïcode tïtle ωmega", "unicode title", "UNICODE", "Ωmega-x"])
def test_titles_resolve_with_or_without_accents(query: str) -> None:
    topics = [_topic("omega", "Ünïcode Tïtle Ωmega"), _topic("minerals-deal", "Minerals deal")]
    assert resolve_topic(query.removesuffix("-x"), topics).slug == "omega"


def test_a_topic_matching_nothing_gives_valid_json_everywhere(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with (seeds_dir / "topics.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[[topic]]\nslug = "mars"\ntitle = "Mars colony 🚀 — Ærø"\nkeywords = []\n')
    db = ["--corpus", str(seeds_dir), "--db", str(tmp_path / "t.db")]
    for command in (["status", "mars"], ["timeline", "mars"], ["sources", "mars"], ["topics"]):
        assert main([*command, "--json", *db]) == 0
        data = json.loads(capsys.readouterr().out)
        if command[0] == "topics":
            [mars] = [t for t in data["topics"] if t["slug"] == "mars"]
            assert (mars["title"], mars["sources"]) == ("Mars colony 🚀 — Ærø", 0)
        else:
            assert data["topic"]["title"] == "Mars colony 🚀 — Ærø"
            assert data.get("statements", data.get("sources")) == []
    assert main(["digest", "--topic", "mars", "--since", "2000-01-01", "--json", *db]) == 0
    assert json.loads(capsys.readouterr().out)["topics"] == []


def test_a_topics_file_saved_with_a_bom_and_crlf_loads(tmp_path: Path) -> None:
    text = '[[topic]]\r\nslug = "bom"\r\ntitle = "Saved in Notepad"\r\nkeywords = ["deal"]\r\n'
    (tmp_path / "topics.toml").write_bytes(b"\xef\xbb\xbf" + text.encode())
    [topic] = load_topics([tmp_path])[0]
    assert (topic.slug, topic.title, topic.keywords) == ("bom", "Saved in Notepad", ("deal",))


@pytest.mark.parametrize("line", ["title = 5", 'description = ["a", "b"]'])
def test_a_title_or_description_that_is_not_text_is_a_config_error(
    tmp_path: Path, line: str
) -> None:
    (tmp_path / "topics.toml").write_text(f'[[topic]]\nslug = "x"\n{line}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"topic 'x': (title|description) must be text"):
        load_topics([tmp_path])


TYPOS = """
[[topic]]
slug = "fund"
titel = "Reconstruction fund"
keyword = ["fund"]
require = ["board"]
alias = ["the fund"]

[[topics]]
slug = "mars"
"""


def test_misspelt_keys_are_warned_with_the_closest_valid_name(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "topics.toml").write_text(TYPOS, encoding="utf-8")
    warnings: list[str] = []
    [topic] = load_topics([folder], warnings=warnings)[0]
    assert topic.keywords == ()  # what a typo gives: a topic that finds nothing, so say it
    assert warnings == [
        "corpus/topics.toml: unknown key 'topics' is ignored (did you mean 'topic'?)",
        "corpus/topics.toml: topic 'fund': unknown key 'alias' is ignored (did you mean 'aliases'?)",
        "corpus/topics.toml: topic 'fund': unknown key 'keyword' is ignored (did you mean 'keywords'?)",
        "corpus/topics.toml: topic 'fund': unknown key 'require' is ignored (did you mean 'requires'?)",
        "corpus/topics.toml: topic 'fund': unknown key 'titel' is ignored (did you mean 'title'?)",
    ]


def test_the_cli_warns_once_per_misspelt_key_in_the_log(
    seeds_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with (seeds_dir / "topics.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[[topic]]\nslug = "mars"\nkeyword = ["mars"]\n')
    db = ["--corpus", str(seeds_dir), "--db", str(tmp_path / "t.db")]
    line = (
        "seeds/topics.toml: topic 'mars': unknown key 'keyword' is ignored "
        "(did you mean 'keywords'?)"
    )
    for command in (["status", "minerals-deal"], ["topics"]):  # each loads topics repeatedly
        caplog.clear()
        assert main([*command, *db]) == 0
        assert [r.getMessage() for r in caplog.records].count(line) == 1
        assert [r.levelname for r in caplog.records if r.getMessage() == line] == ["WARNING"]


def test_the_cli_serves_the_last_good_topics_while_topics_toml_is_broken(
    seeds_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = ["--corpus", str(seeds_dir), "--db", str(tmp_path / "t.db")]
    assert main(["status", "minerals-deal", "--json", *db]) == 0
    good = (seeds_dir / "topics.toml").read_text(encoding="utf-8")
    (seeds_dir / "topics.toml").write_text(good.replace("[[topic]]", "[[topic]", 1))
    for command in (["status", "minerals-deal", "--json"], ["ingest"], ["topics", "--json"]):
        caplog.clear()
        assert main([*command, *db]) == 0  # a fresh process: the topics come from the database
        errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
        assert len(errors) == 1 and errors[0].startswith("seeds/topics.toml: not valid TOML (")
        assert (
            errors[0].endswith("; serving the last good topics") and str(tmp_path) not in errors[0]
        )


def test_a_topics_toml_broken_before_any_good_read_is_a_one_line_error(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (seeds_dir / "topics.toml").write_text("[[topic]\n", encoding="utf-8")
    assert (
        main(
            ["status", "minerals-deal", "--corpus", str(seeds_dir), "--db", str(tmp_path / "t.db")]
        )
        == 2
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("dispatch: seeds/topics.toml: not valid TOML (")
