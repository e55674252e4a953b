"""Topics follow a drifting story: the fund's later articles join without day-one keywords,
while near-misses (another country's minerals deal, another alliance's summit) stay out."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.topics.text import PhraseMatcher

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "drift"
SEED_TOPICS = Path(__file__).resolve().parents[2] / "seeds" / "topics.toml"


@pytest.fixture
def drift(make_service, tmp_path: Path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "drift"
    shutil.copytree(FIXTURES, folder)
    shutil.copy(SEED_TOPICS, folder)
    service = make_service(folder)
    service.refresh()
    return service


def _members(service, slug: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    by_id = {s.id: Path(s.path).name for s in service.store.sources.all()}
    return {by_id[sid]: score for _, sid, score in service.store.briefings.assignments(slug)}


def test_later_fund_articles_use_none_of_the_keywords(drift) -> None:  # type: ignore[no-untyped-def]
    topic = drift.resolve_topic("minerals-deal")
    matcher = PhraseMatcher(topic.keywords)
    for name in ("05_fund_board_meets.txt", "06_fund_first_projects.txt"):
        text = (FIXTURES / name).read_text()
        assert not matcher.any(text), name


def test_drifted_articles_join_and_near_misses_stay_out(drift) -> None:  # type: ignore[no-untyped-def]
    members = _members(drift, "minerals-deal")
    for name in ("01", "02", "03", "04", "05", "06"):
        assert any(m.startswith(name) for m in members), (name, sorted(members))
    assert not any(m.startswith(("07", "08")) for m in members), sorted(members)


def test_without_drift_the_fund_articles_would_be_missed(
    drift, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("bot.topics.assign.DRIFT_ROUNDS", 0)
    drift.recompute()
    members = _members(drift, "minerals-deal")
    assert not any(m.startswith(("05", "06")) for m in members)


def test_the_fund_shows_up_in_the_timeline(drift) -> None:  # type: ignore[no-untyped-def]
    timeline = drift.timeline("minerals-deal")
    text = " ".join(st.text for st in timeline.statements)
    cited = {Path(s.path or "").name for s in timeline.sources}
    assert {"05_fund_board_meets.txt", "06_fund_first_projects.txt"} <= cited
    assert "fund's board" in text
    assert "Congo" not in text and "The Hague" not in text
    status = drift.status("minerals-deal")
    assert status.as_of and status.as_of.isoformat() == "2025-09-15"
