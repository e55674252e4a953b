"""An exact incremental recompute: only topics whose inputs changed are rebuilt.

Whatever order the articles came in, and after additions, edits and removals, the stored
results equal those of a fresh full recompute of the same corpus; a topic whose inputs are the
same keeps its developments and briefings without building them again.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.service import Dispatch
from bot.settings import Settings
from tests.conftest import FIXTURES, Clock
from tests.core.test_quick_update import NEW_ARTICLE, _results, _topics_changed

Factory = Callable[..., Dispatch]
STORY = sorted(p.name for p in (FIXTURES / "story").glob("*.txt"))
EDIT = ("Attorneys general from six states", "Attorneys general from seven states")


def _fresh(folder: Path, tmp_path: Path, clock: Clock, name: str) -> Dispatch:
    settings = Settings(corpus=[folder], db=tmp_path / f"{name}.db", engine="extractive")
    return Dispatch(settings, clock=clock)


def _same_as_full(service: Dispatch, folder: Path, tmp_path: Path, clock: Clock) -> None:
    """The service's stored results equal a fresh full recompute's of the folder as it is."""
    fresh = _fresh(folder, tmp_path, clock, f"fresh{len(list(tmp_path.glob('fresh*.db')))}")
    fresh.refresh()
    try:
        assert _results(service) == _results(fresh)
    finally:
        fresh.close()


def _same_as_rebuilt(service: Dispatch) -> None:
    """The service's stored results equal those of rebuilding every topic over the same store
    (an edited article keeps its first-seen times there, so a fresh database would differ)."""
    kept = _results(service)
    service.recompute(full=True)
    assert _results(service) == kept


def _story(tmp_path: Path, names: list[str]) -> Path:
    """A corpus folder with the story's topics.toml and the named articles."""
    folder = tmp_path / "story"
    folder.mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "story" / "topics.toml", folder / "topics.toml")
    for name in names:
        shutil.copy(FIXTURES / "story" / name, folder / name)
    return folder


@pytest.mark.backends
@pytest.mark.parametrize(
    "order",
    [STORY, STORY[::-1], STORY[1::2] + STORY[::2]],
    ids=["in-order", "reversed", "interleaved"],
)
def test_built_in_increments_equals_a_full_recompute(
    make_service: Factory, tmp_path: Path, clock: Clock, order: list[str]
) -> None:
    folder = _story(tmp_path, order[:7])
    service = make_service(folder, quick_update=False)
    service.refresh()
    for start in (7, 14):
        _story(tmp_path, order[start : start + 7])
        service.refresh()
        _same_as_full(service, folder, tmp_path, clock)


@pytest.mark.backends
def test_edits_and_removals_equal_a_full_recompute(make_service: Factory, tmp_path: Path) -> None:
    folder = _story(tmp_path, STORY)
    service = make_service(folder, quick_update=False)
    service.refresh()
    suit = folder / "11-ledger-suit.txt"
    suit.write_text(suit.read_text().replace(*EDIT))
    assert service.refresh().count("updated") == 1
    assert service.rebuilt.built  # the edit changed a topic's inputs: something was rebuilt
    _same_as_rebuilt(service)
    (folder / "16-post-vote.txt").unlink()
    assert service.refresh().count("removed") == 1
    _same_as_rebuilt(service)
    (folder / "21-gazette-fine.txt").write_text(NEW_ARTICLE)
    service.refresh()
    _same_as_rebuilt(service)


def test_an_untouched_topic_is_not_rebuilt(make_service: Factory, tmp_path: Path) -> None:
    folder = _story(tmp_path, STORY)
    service = make_service(folder, quick_update=False)
    service.refresh()
    assert set(service.rebuilt.built) == {"rail-merger", "fares"}
    before = _results(service)
    (folder / "21-gazette-fine.txt").write_text(NEW_ARTICLE)  # the merger's news only
    service.refresh()
    assert service.rebuilt.built == ["rail-merger"]
    assert service.rebuilt.briefed == ["rail-merger"]
    after = _results(service)
    fares = {k for k in before if k.startswith("fares|")}
    assert fares and all(after[k] == before[k] for k in fares)
    rows = service.store.db.query("SELECT DISTINCT version FROM computed")
    assert [r["version"] for r in rows] == [service.corpus_version()]  # kept rows re-stamped


def test_a_topics_change_rebuilds_every_topic(make_service: Factory, tmp_path: Path) -> None:
    folder = _story(tmp_path, STORY)
    service = make_service(folder, quick_update=False)
    service.refresh()
    _topics_changed(folder)
    service.refresh()
    assert set(service.rebuilt.built) == {"rail-merger", "fares"}
    assert set(service.rebuilt.briefed) == {"rail-merger", "fares"}


def test_a_full_recompute_rebuilds_every_topic(make_service: Factory, tmp_path: Path) -> None:
    folder = _story(tmp_path, STORY)
    service = make_service(folder, quick_update=False)
    service.refresh()
    before = _results(service)
    service.refresh(force=True)  # `dispatch recompute --full`
    assert set(service.rebuilt.built) == {"rail-merger", "fares"}
    assert _results(service) == before


def test_a_briefing_changed_since_is_written_again(make_service: Factory, tmp_path: Path) -> None:
    folder = _story(tmp_path, STORY)
    service = make_service(folder, quick_update=False)
    service.refresh()
    before = _results(service)
    body = service.store.briefings.get("fares", "status", "extractive")
    service.store.briefings.put("fares", "status", "extractive", "x", {**body, "notes": ["x"]})
    service.recompute()
    assert "fares" in service.rebuilt.briefed and "fares" not in service.rebuilt.built
    assert _results(service) == before
