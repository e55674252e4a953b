"""Topic lookup by slug, title, alias, prefix and near-miss spelling; config errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import AmbiguousTopic, ConfigError, UnknownTopic
from bot.topics.config import load_topics
from bot.topics.lookup import resolve_topic, suggest_topics

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def topics() -> list:
    return load_topics([ROOT / "seeds"])[0]


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("minerals-deal", "minerals-deal"),
        ("MINERALS-DEAL", "minerals-deal"),
        ("minerals", "minerals-deal"),
        ("mineral-deal", "minerals-deal"),
        ("minerals deal", "minerals-deal"),
        ("min", "minerals-deal"),
        ("US–Ukraine minerals deal", "minerals-deal"),
        ("nato", "nato-membership"),
        ("peacek", "peacekeepers"),
        ("talks", "peace-talks"),
        ("aid", "us-aid"),
        ("peace-talsk", "peace-talks"),
        ("mineralz-dael", "minerals-deal"),
    ],
)
def test_resolves(topics: list, query: str, slug: str) -> None:
    assert resolve_topic(query, topics).slug == slug


def test_ambiguous_prefix_lists_candidates(topics: list) -> None:
    with pytest.raises(AmbiguousTopic) as err:
        resolve_topic("peace", topics)
    assert err.value.candidates == ["peace-talks", "peacekeepers"]
    assert err.value.exit_code == 2


def test_unknown_topic_suggests(topics: list) -> None:
    with pytest.raises(UnknownTopic) as err:
        resolve_topic("minerals-treaty", topics)
    assert err.value.suggestions[0] == "minerals-deal"
    assert "Did you mean: minerals-deal" in str(err.value)
    with pytest.raises(UnknownTopic) as err:
        resolve_topic("cryptocurrency", topics)
    assert "minerals-deal" not in err.value.suggestions


def test_autocomplete(topics: list) -> None:
    assert suggest_topics("min", topics)[0].slug == "minerals-deal"
    assert [t.slug for t in suggest_topics("peace", topics)][:2] == ["peace-talks", "peacekeepers"]
    assert len(suggest_topics("", topics)) == len(topics)


def test_five_seed_topics_with_titles_and_keywords(topics: list) -> None:
    slugs = {t.slug for t in topics}
    assert {"minerals-deal", "nato-membership", "peacekeepers", "peace-talks", "us-aid"} <= slugs
    assert all(t.title and t.description and t.keywords for t in topics)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[[topic]\nslug=", "not valid TOML"),
        ('[[topic]]\nslug = "Bad Slug"\n', "needs a slug"),
        ('[[topic]]\nslug = "ok"\nkeywords = "x"\n', "keywords must be a list"),
    ],
)
def test_bad_topics_toml_is_a_clear_error(tmp_path: Path, body: str, message: str) -> None:
    (tmp_path / "topics.toml").write_text(body)
    with pytest.raises(ConfigError, match=message):
        load_topics([tmp_path])


def test_topics_merge_across_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "topics.toml").write_text('[[topic]]\nslug = "x"\nkeywords = ["one"]\n')
    (tmp_path / "b" / "topics.toml").write_text('[[topic]]\nslug = "x"\nkeywords = ["two"]\n')
    topics, _ = load_topics([tmp_path / "a", tmp_path / "b"])
    assert topics[0].keywords == ("one", "two")


def test_no_topics_at_all_says_how_to_add_them() -> None:
    with pytest.raises(UnknownTopic, match=r"add a topics\.toml"):
        resolve_topic("anything", [])
