"""bench/verification.py: the kept/dropped table by kind, as the README quotes it."""

from __future__ import annotations

import pytest

from bench import verification
from tests.llm.paraphrases import CHANGED, FAITHFUL, KINDS, Rewrite


def test_table_counts_every_row_once_by_kind(capsys: pytest.CaptureFixture[str]) -> None:
    assert verification.main([]) == 0
    out = capsys.readouterr().out
    rows = {line.split("|")[1].strip(): line for line in out.splitlines() if line.startswith("| ")}
    assert set(rows) >= {*KINDS, "**all**"}
    misses = sum(r.miss for r in CHANGED)
    total = f"| {len(FAITHFUL)} / {len(FAITHFUL)} | {len(CHANGED) - misses} / {len(CHANGED)} |"
    assert rows["**all**"].endswith(total)
    listed = [line for line in out.splitlines() if line.startswith("- ")]
    assert len(listed) == misses and all(", kept: " in line for line in listed)


def test_a_wrong_verdict_is_listed_with_its_reason() -> None:
    faithful_but_dropped = Rewrite(
        "number", "The deal was signed.", "The deal was signed by 3 people.", True
    )
    verdicts = verification.judge([faithful_but_dropped])
    assert not verdicts[0].right
    assert verification.misses(verdicts).startswith("- number, dropped (number not in sources")
    assert "| number | 0 / 1 | – |" in verification.table(verdicts)
