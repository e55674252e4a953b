"""Settings: env parsing traps, precedence, and .env.example kept in step with the fields."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import Settings, unknown_env_names

ROOT = Path(__file__).resolve().parents[2]


def test_env_example_lists_every_setting_and_nothing_else() -> None:
    text = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^(DISPATCH_[A-Z0-9_]+)=", text, re.M))
    fields = {"DISPATCH_" + name.upper() for name in Settings.model_fields}
    assert listed == fields


def test_every_field_has_a_description() -> None:
    assert all(f.description for f in Settings.model_fields.values())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("seeds", ["seeds"]),
        (f"a{os.pathsep}b", ["a", "b"]),
        ('["x", "y z"]', ["x", "y z"]),
    ],
)
def test_corpus_from_env(monkeypatch: pytest.MonkeyPatch, raw: str, expected: list[str]) -> None:
    monkeypatch.setenv("DISPATCH_CORPUS", raw)
    assert Settings().corpus == [Path(p) for p in expected]


def test_owner_ids_and_allow_list_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPATCH_OWNER_IDS", "12, 34")
    monkeypatch.setenv("DISPATCH_FETCH_ALLOW", "127.0.0.1,10.0.0.0/8, localhost:8080,[::1]:80")
    s = Settings()
    assert s.owner_ids == [12, 34]
    assert s.fetch_allow == ["127.0.0.1", "10.0.0.0/8", "localhost:8080", "[::1]:80"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("[::1]:8080", ["[::1]:8080"]),
        ("[fd00::1], 127.0.0.1:80", ["[fd00::1]", "127.0.0.1:80"]),
        ('["localhost:8080", "10.0.0.0/8"]', ["localhost:8080", "10.0.0.0/8"]),
    ],
)
def test_a_bracketed_ipv6_allow_entry_is_not_mistaken_for_json(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: list[str]
) -> None:
    monkeypatch.setenv("DISPATCH_FETCH_ALLOW", raw)
    assert Settings().fetch_allow == expected


def test_openai_key_read_from_openai_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    s = Settings()
    assert s.openai_api_key is not None and s.openai_api_key.get_secret_value() == "sk-test"
    assert s.use_llm and "sk-test" not in repr(s)


def test_engine_auto_is_offline_without_key() -> None:
    assert not Settings().use_llm
    assert Settings(openai_base_url="http://127.0.0.1:1/v1").use_llm
    assert not Settings(engine="extractive", openai_base_url="http://x/v1").use_llm


def test_unknown_names_warned_and_dotenv_extra_ignored(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("DISPATCH_PREFIX=?\nOTHER_TOOL_SETTING=1\nDISPATCH_TYPO=1\n")
    assert Settings().prefix == "?"
    assert unknown_env_names({"DISPATCH_TYPO": "1", "DISPATCH_DB": "x"}) == ["DISPATCH_TYPO"]


def test_unknown_names_in_env_and_dotenv_are_warned_once_with_the_closest_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / ".env").write_text("DISPATCH_OWNER_ID=1\nDISPATCH_PREFIX=?\nOTHER=1\n")
    monkeypatch.setenv("DISPATCH_REINGEST_MINUTE", "5")
    monkeypatch.setenv("DISPATCH_ZZZ", "1")
    assert main(["topics", "--corpus", str(ROOT / "seeds"), "--db", str(tmp_path / "s.db")]) == 0
    warned = [r.getMessage() for r in caplog.records if r.name == "bot.settings"]
    assert warned == [
        "ignoring unknown setting DISPATCH_OWNER_ID (in the .env); did you mean DISPATCH_OWNER_IDS?",
        "ignoring unknown setting DISPATCH_REINGEST_MINUTE (in the environment); "
        "did you mean DISPATCH_REINGEST_MINUTES?",
        "ignoring unknown setting DISPATCH_ZZZ (in the environment)",
    ]
