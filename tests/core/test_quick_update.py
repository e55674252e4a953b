"""A few new articles show at once through the quick update; the exact recompute follows.

The quick update places new articles by what the last full recompute stored (topic models,
developments) and marks the results provisional; the full recompute then makes them exact,
equal to a fresh full recompute of the same corpus.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.service import PROVISIONAL_NOTE, QUICK_MAX, Dispatch
from bot.settings import Settings
from tests.conftest import FIXTURES, Clock

FINE = "Regulators fined Northwind Rail 12 million dollars on Friday over Contoso Freight safety lapses."
NEW_ARTICLE = f"""---
title: "Northwind fined over Contoso safety lapses"
outlet: Harbor Gazette
date: 2025-06-20
---
{FINE}
The rail merger's regulators said the Contoso fine was the largest in a decade.
Northwind said it would appeal the Contoso Freight ruling.
"""
UNRELATED = """---
title: "Bakery wins bread prize"
outlet: Harbor Gazette
date: 2025-06-20
---
A bakery on Mill Street won the county's bread prize on Saturday.
The judges praised its sourdough and its rye loaves.
"""

Factory = Callable[..., Dispatch]


@pytest.fixture
def story(tmp_path: Path) -> Path:
    """A private copy of the rail-merger story corpus."""
    target = tmp_path / "story"
    shutil.copytree(FIXTURES / "story", target)
    return target


@pytest.fixture
def full_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every full recompute, with the stored results it started from."""
    calls: list[dict[str, Any]] = []
    original = Dispatch.recompute

    def counted(self: Dispatch, **kwargs: Any) -> None:
        calls.append(_results(self))
        original(self, **kwargs)

    monkeypatch.setattr(Dispatch, "recompute", counted)
    return calls


def _results(service: Dispatch) -> dict[str, Any]:
    """The stored results (versions left out) and assignments."""
    rows = service.store.db.query("SELECT slug, kind, engine, body FROM computed")
    found: dict[str, Any] = {f"{r['slug']}|{r['kind']}|{r['engine']}": r["body"] for r in rows}
    found["assignments"] = service.store.briefings.assignments()
    return found


def _texts(service: Dispatch, kind: str, slug: str) -> list[str]:
    briefing = service.status(slug) if kind == "status" else service.timeline(slug)
    return [st.text for st in briefing.statements]


@pytest.mark.backends
def test_a_new_article_shows_through_the_quick_update(
    make_service: Factory, story: Path, full_calls: list[dict[str, Any]]
) -> None:
    service = make_service(story)
    service.refresh()
    assert len(full_calls) == 1 and not service.provisional()
    (story / "21-gazette-fine.txt").write_text(NEW_ARTICLE)
    service.refresh(exact=False)
    assert len(full_calls) == 1  # no full recompute: the quick update placed it
    assert service.provisional() and service.topics_ready()
    assert any(FINE in t for t in _texts(service, "timeline", "rail-merger"))
    assert any(FINE in t for t in _texts(service, "status", "rail-merger"))
    _, pairs = service.sources("rail-merger")
    assert "Harbor Gazette" in {s.outlet for s, _ in pairs}
    assert not any(FINE in t for t in _texts(service, "timeline", "fares"))
    assert PROVISIONAL_NOTE in service.status("rail-merger").notes  # Discord's footer shows it


def test_the_exact_pass_equals_a_fresh_full_recompute(
    make_service: Factory, story: Path, tmp_path: Path, clock: Clock, full_calls: list[Any]
) -> None:
    service = make_service(story)
    service.refresh()
    (story / "21-gazette-fine.txt").write_text(NEW_ARTICLE)
    service.refresh(exact=False)
    assert len(full_calls) == 1 and service.provisional()
    assert service.recompute_if_needed()  # provisional results need the exact pass
    assert len(full_calls) == 2 and not service.provisional()
    assert PROVISIONAL_NOTE not in service.timeline("rail-merger").notes
    fresh = Dispatch(
        Settings(corpus=[story], db=tmp_path / "fresh.db", engine="extractive"), clock=clock
    )
    fresh.refresh()
    try:
        assert _results(service) == _results(fresh)
    finally:
        fresh.close()


def test_an_article_for_no_topic_touches_no_topic(
    make_service: Factory, story: Path, full_calls: list[Any]
) -> None:
    service = make_service(story)
    service.refresh()
    before = _results(service)
    stamped = service.corpus_version()
    (story / "22-gazette-bakery.txt").write_text(UNRELATED)
    report = service.refresh(exact=False)
    assert report.count("added") == 1 and len(full_calls) == 1
    assert service.corpus_version() != stamped and service.provisional()
    assert _results(service) == before  # every topic's rows kept as they were
    rows = service.store.db.query("SELECT DISTINCT version FROM computed WHERE slug != '*'")
    assert [r["version"] for r in rows] == [service.corpus_version()]  # re-stamped


def _topics_changed(story: Path) -> None:
    toml = story / "topics.toml"
    toml.write_text(toml.read_text().replace('aliases = ["merger"]', 'aliases = ["merger", "nw"]'))
    (story / "21-gazette-fine.txt").write_text(NEW_ARTICLE)


def _many_articles(story: Path) -> None:
    for i in range(QUICK_MAX + 1):
        (story / f"3{i:02d}-fine.txt").write_text(NEW_ARTICLE.replace("12 million", f"{i} million"))


def _an_article_edited(story: Path) -> None:
    path = story / "17-ledger-close.txt"
    path.write_text(path.read_text().replace("in July", "in August"))


@pytest.mark.parametrize("change", [_topics_changed, _many_articles, _an_article_edited])
def test_topic_changes_edits_and_many_articles_take_the_full_path(
    make_service: Factory,
    story: Path,
    full_calls: list[Any],
    change: Callable[[Path], None],
) -> None:
    service = make_service(story)
    service.refresh()
    change(story)
    report = service.refresh(exact=False)
    assert report.changed
    assert len(full_calls) == 2 and not service.provisional()


def test_a_failing_quick_update_leaves_the_results_and_the_full_pass_runs(
    make_service: Factory,
    story: Path,
    full_calls: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.store.briefings import BriefingRepo

    service = make_service(story)
    service.refresh()
    before = _results(service)
    original = BriefingRepo.put_provisional

    def breaks_midway(self: BriefingRepo, stamped: str, version: str, *args: Any) -> None:
        rows = [("rail-merger", "status", "extractive", version, object())]  # not JSON: fails
        original(self, stamped, version, rows, *args[1:])

    monkeypatch.setattr(BriefingRepo, "put_provisional", breaks_midway)
    (story / "21-gazette-fine.txt").write_text(NEW_ARTICLE)
    service.refresh(exact=False)
    assert len(full_calls) == 2  # the full recompute placed the article instead
    assert full_calls[1] == before  # ... starting from the results as they were
    assert not service.provisional()
    assert any(FINE in t for t in _texts(service, "timeline", "rail-merger"))


def test_ingest_runs_the_quick_update_then_the_exact_pass(
    make_service: Factory, story: Path, full_calls: list[dict[str, Any]]
) -> None:
    service = make_service(story)
    service.refresh()
    (story / "21-gazette-fine.txt").write_text(NEW_ARTICLE)
    service.ingest()
    assert len(full_calls) == 2
    assert FINE in json.dumps(full_calls[1])  # the quick update was stored before the exact pass
    assert not service.provisional()


def test_cli_reads_say_provisional_and_recompute_finishes(
    story: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def cli(*argv: str) -> tuple[int, str, str]:
        code = main(["--corpus", str(story), "--db", str(tmp_path / "cli.db"), *argv])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _ = cli("status", "rail-merger", "--json")
    assert code == 0 and json.loads(out)["provisional"] is False
    (story / "21-gazette-fine.txt").write_text(NEW_ARTICLE)
    code, out, err = cli("timeline", "rail-merger", "--json")
    data = json.loads(out)
    assert code == 0 and data["provisional"] is True
    assert any(FINE in st["text"] for st in data["statements"])
    assert len([line for line in err.splitlines() if "provisional" in line]) == 1
    code, _, err = cli("recompute")
    assert code == 0 and "Traceback" not in err
    code, out, err = cli("status", "rail-merger", "--json")
    assert json.loads(out)["provisional"] is False and "provisional" not in err


SECOND_ROUND = """---
title: "Reconstruction fund backs a power line near Kharkiv"
outlet: Kyiv Courier
date: 2025-10-14
---
The United States–Ukraine Reconstruction Investment Fund approved a second round of projects on Tuesday, led by a rebuilt power line near Kharkiv.
DFC said the round was worth 80 million dollars and that the Ukrainian side matched it.
A DFC spokesperson said further rounds would follow in the spring.
"""
CONGO = """---
title: "Congo signs a minerals deal with the United States"
outlet: Wire
date: 2025-10-15
---
The Democratic Republic of Congo signed a minerals deal with the United States on Wednesday.
The critical minerals agreement covers cobalt and copper mines in the east of the country.
Officials in Kinshasa said the mining deal would bring security guarantees.
"""


def test_the_quick_update_follows_the_drift_and_keeps_near_misses_out(
    make_service: Factory, tmp_path: Path, full_calls: list[Any]
) -> None:
    folder = tmp_path / "drift"
    shutil.copytree(FIXTURES / "drift", folder)
    shutil.copy(FIXTURES.parent.parent / "seeds" / "topics.toml", folder)
    service = make_service(folder)
    service.refresh()
    (folder / "09_second_round.md").write_text(SECOND_ROUND)
    (folder / "10_congo.md").write_text(CONGO)
    service.refresh(exact=False)
    assert len(full_calls) == 1 and service.provisional()
    by_id = {s.id: Path(s.path or "").name for s in service.store.sources.all()}
    members = {by_id[sid] for _, sid, _ in service.store.briefings.assignments("minerals-deal")}
    assert "09_second_round.md" in members  # no keyword: it names what the story acquired
    assert "10_congo.md" not in members  # keywords, but another country's deal
    cited = {Path(s.path or "").name for s in service.timeline("minerals-deal").sources}
    assert "09_second_round.md" in cited


def test_the_quick_update_follows_a_new_name_while_the_story_runs(
    make_service: Factory, tmp_path: Path, full_calls: list[Any]
) -> None:
    folder, held = tmp_path / "renamed", tmp_path / "held"
    shutil.copytree(FIXTURES / "renamed", folder)
    held.mkdir()
    late = ("05-rollout.txt", "06-later-outbreak.txt")
    for name in late:
        (folder / name).rename(held / name)
    service = make_service(folder)
    service.refresh()
    assert service.topic_detail("tarn-fever").names[:1] == ("tarnosis",)  # learned from 01-04
    for name in late:
        (held / name).rename(folder / name)
    service.refresh(exact=False)
    assert len(full_calls) == 1 and service.provisional()
    members = {Path(s.path or "").name for s, _ in service.sources("tarn-fever")[1]}
    assert late[0] in members  # only says "tarnosis", a month after the rename
    assert late[1] not in members  # a later outbreak of the renamed disease, a year on
    timeline = service.timeline("tarn-fever")
    assert any("Madrid began vaccinating" in st.text for st in timeline.statements)
    assert not any("southern provinces" in st.text for st in timeline.statements)
