"""Discovered storylines: recent articles no topic claims, grouped into candidate topics."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.service import Dispatch
from bot.topics.discover import Rules, discover
from tests.conftest import FIXTURES

DISCOVERY = FIXTURES / "discovery"
DAM = {"01-courier-dam.txt", "02-times-dam.txt", "03-wire-dam.txt", "04-courier-dam.txt"}
HARBOR = {"05-gazette-harbor.txt", "06-times-harbor.txt"}
LATER_DAM = (
    '---\ntitle: "Corvel Dam spillway work starts early"\noutlet: Evening Post\n'
    "date: 2025-03-04\n---\n"
    "Work on the cracked spillway of the Corvel Dam started early on Tuesday, the Halvern "
    "Water Authority said.\nThe reservoir above Millbrook stays lowered until the repairs "
    "are finished.\n"
)
ORCHESTRA = {"07-arts-orchestra.txt", "08-stage-orchestra.txt", "09-arts-orchestra.txt"}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the discovery fixture (a configured harbor-strike topic and two stories)."""
    folder = tmp_path / "corpus"
    shutil.copytree(DISCOVERY, folder)
    return folder


def ids_of(service: Dispatch, names: set[str]) -> set[str]:
    """Source ids of fixture files, by file name."""
    return {s.id for s in service.store.sources.all() if s.path and Path(s.path).name in names}


def ready(make_service: Callable[..., Dispatch], corpus: Path, **overrides: Any) -> Dispatch:
    service = make_service(corpus, **overrides)
    service.refresh()
    return service


def test_three_outlets_over_two_days_become_a_candidate(make_service: Any, corpus: Path) -> None:
    service = ready(make_service, corpus)
    [found] = service.suggested()
    assert set(found.articles) == ids_of(service, DAM)
    assert found.outlets == ("Metro Wire", "River Times", "Valley Courier")
    assert (found.first, found.last) == ("2025-03-01", "2025-03-03")
    assert found.slug == "corvel-dam" and "corvel dam" in found.requires
    titles = {s.title for s in service.store.sources.all() if s.id in found.articles}
    assert found.title in titles  # the most central headline
    assert "corvel dam" in found.keywords and "halvern water authority" in found.keywords
    cited = service.store.sources.get(found.summary_source)
    assert cited is not None and found.summary_source in found.articles
    assert found.summary in cited.text  # quoted verbatim


def test_two_outlets_are_not_enough(make_service: Any, corpus: Path) -> None:
    """The orchestra story: 3 articles on 3 days, but from 2 outlets only."""
    service = ready(make_service, corpus)
    orchestra = ids_of(service, ORCHESTRA)
    assert all(not orchestra & set(c.articles) for c in service.suggested())


def test_the_outlet_threshold_is_a_setting(make_service: Any, corpus: Path) -> None:
    service = ready(make_service, corpus, discovery_min_outlets=2)
    groups = [set(c.articles) for c in service.suggested()]
    assert ids_of(service, ORCHESTRA) in groups and ids_of(service, DAM) in groups


def test_one_day_is_not_enough(make_service: Any, corpus: Path) -> None:
    """The same dam articles, all published on one day, are no storyline yet (min 2 days)."""
    service = ready(make_service, corpus)
    sources = {s.id: s for s in service.store.sources.all()}
    same_day = {sid: replace(s, published=date(2025, 3, 3)) for sid, s in sources.items()}
    sentences = service.store.sources.all_sentences()
    claimed = ids_of(service, HARBOR)
    assert discover(sources, sentences, claimed, rules=Rules()) != []
    assert discover(same_day, sentences, claimed, rules=Rules()) == []
    assert discover(same_day, sentences, claimed, rules=Rules(min_days=1)) != []


def test_an_article_of_an_existing_topic_never_joins(make_service: Any, corpus: Path) -> None:
    """The harbor-strike article about the dam's delayed parts stays out of the dam storyline."""
    service = ready(make_service, corpus)
    harbor = ids_of(service, HARBOR)
    assert {sid for _, sid, _ in service.store.briefings.assignments("harbor-strike")} == harbor
    [found] = service.suggested()
    assert not harbor & set(found.articles)
    # without the topic, the same article is close enough to join: the exclusion is what held it
    sources = {s.id: s for s in service.store.sources.all()}
    sentences = service.store.sources.all_sentences()
    unclaimed = discover(sources, sentences, set(), rules=Rules())
    assert any(harbor & set(c.articles) for c in unclaimed)


def test_a_dismissed_candidate_stays_dismissed_as_its_story_grows(
    make_service: Any, corpus: Path
) -> None:
    service = ready(make_service, corpus, discovery_min_outlets=2)
    dam = next(c for c in service.suggested() if c.slug == "corvel-dam")
    service.dismiss_candidate(dam.id)
    (corpus / "10-post-dam.txt").write_text(LATER_DAM, encoding="utf-8")
    service.refresh()
    left = service.suggested()
    assert all(c.slug != "corvel-dam" and c.id != dam.id for c in left)
    assert any(set(c.articles) == ids_of(service, ORCHESTRA) for c in left)  # others still shown
    assert service.store.topics.candidate(dam.id).status == "dismissed"  # type: ignore[union-attr]


def test_an_open_candidate_keeps_its_id_when_an_article_joins(
    make_service: Any, corpus: Path
) -> None:
    service = ready(make_service, corpus)
    [before] = service.suggested()
    (corpus / "10-post-dam.txt").write_text(LATER_DAM, encoding="utf-8")
    service.refresh()
    [after] = service.suggested()
    assert after.id == before.id and len(after.articles) == len(before.articles) + 1


def test_accepting_makes_a_topic_that_claims_the_articles(make_service: Any, corpus: Path) -> None:
    service = ready(make_service, corpus)
    [found] = service.suggested()
    topic = service.accept_candidate(found.id)
    service.apply_topics()
    assert topic.slug in {t.slug for t in service.topic_list()}
    _, pairs = service.sources(topic.slug)
    assert set(found.articles) <= {s.id for s, _ in pairs}
    assert service.status(topic.slug).statements
    assert service.suggested() == []  # its articles now belong to a topic


def test_only_recent_articles_make_storylines(make_service: Any, corpus: Path) -> None:
    """A storyline whose articles are all far older than the newest article is not suggested."""
    service = ready(make_service, corpus)
    dam = ids_of(service, DAM)
    sources = {
        s.id: replace(s, published=s.published - timedelta(days=90)) if s.id in dam else s
        for s in service.store.sources.all()
        if s.published is not None
    }
    sentences = service.store.sources.all_sentences()
    claimed = ids_of(service, HARBOR)
    assert discover(sources, sentences, claimed, rules=Rules(window_days=30)) == []
    [found] = discover(sources, sentences, claimed, rules=Rules(window_days=120))
    assert set(found.articles) == dam
