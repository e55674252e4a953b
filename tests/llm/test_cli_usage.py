"""`dispatch usage`: per-day token usage and today's budget, as text and JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.store import Store
from bot.store.llm import UsageRecord


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "usage.db"
    store = Store(path)
    now = datetime.now(UTC)
    store.llm.record_usage(UsageRecord(now, "gpt-4o-mini", "map", 1200, 300))
    store.llm.record_usage(UsageRecord(now, "gpt-4o-mini", "status", 800, 200, "tiktoken"))
    store.llm.record_usage(
        UsageRecord(datetime(2001, 1, 1, tzinfo=UTC), "gpt-4o-mini", "map", 5, 5)
    )
    store.close()
    return path


def test_usage_text(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPATCH_DAILY_TOKEN_BUDGET", "10000")
    assert main(["--db", str(db), "usage"]) == 0
    out = capsys.readouterr().out
    assert "engine: extractive" in out
    assert "gpt-4o-mini" in out and "2,000" in out and "2,500" in out
    assert "Today: 2,500 of 10,000 tokens of the daily budget, 7,500 left." in out
    assert "2001" not in out  # outside the window


def test_usage_json(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(db), "usage", "--json", "--days", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["totals"] == {
        "calls": 2,
        "input_tokens": 2000,
        "output_tokens": 500,
        "total_tokens": 2500,
    }
    assert data["today"]["tokens"] == 2500 and data["today"]["budget"] is None


def test_usage_empty_and_bad_days(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "new.db"), "usage"]) == 0
    assert "No LLM calls recorded in the last 7 days." in capsys.readouterr().out
    assert main(["--db", str(tmp_path / "new.db"), "usage", "--days", "0"]) == 2
    assert "must be between 1 and 3660" in capsys.readouterr().err
