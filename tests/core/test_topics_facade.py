"""Topic management goes through the façade: the CLI and Discord never reach its storage."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

EDGES = sorted((ROOT / "bot" / "cli").glob("*.py")) + sorted(
    (ROOT / "bot" / "discord").rglob("*.py")
)
# The topic repository on a store (``service.store.topics``, not the ``bot.store.topics`` module
# whose types they may name), and the code behind the Dispatch methods.
BEHIND_THE_FACADE = re.compile(
    r"(?<!bot)\.store\.topics\b|\bTopicRepo\b|\bManagedTopics\b|bot\.topics\.discover\b"
)


@pytest.mark.parametrize("path", EDGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_edges_manage_topics_only_through_dispatch(path: Path) -> None:
    code = path.read_text(encoding="utf-8")
    found = sorted({m.group(0) for m in BEHIND_THE_FACADE.finditer(code)})
    assert found == [], f"{path.name} reaches behind the façade: {found}"
