"""A recompute pauses Python's cyclic garbage collector and leaves it as it found it.

Reading the corpus from the store allocates millions of short-lived sentences; with the
collector running, its full collections walking everything the recompute holds took 30 % of a
recompute at 20,000 articles (``bench/``). Reference counting frees the rest.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.service import Dispatch

Factory = Callable[..., Dispatch]


@pytest.fixture
def collector() -> Iterator[None]:
    """Whatever a test does to the collector, the next test finds it enabled."""
    yield
    gc.enable()


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch, collector: None) -> list[bool]:
    """Whether the collector ran, seen from inside each recompute's topic assignment."""
    import bot.topics.assign as assign

    found: list[bool] = []
    real = assign.assign_topics

    def watched(*args: object, **kwargs: object) -> object:
        found.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(assign, "assign_topics", watched)
    return found


@pytest.fixture
def service(make_service: Factory, seeds_dir: Path) -> Dispatch:
    return make_service(seeds_dir)


def test_the_collector_is_paused_during_a_recompute_and_resumed_after(
    service: Dispatch, seen: list[bool]
) -> None:
    service.refresh()
    service.recompute(full=True)
    assert seen == [False, False]  # the refresh's recompute and the full one
    assert gc.isenabled()
    assert service.status("minerals-deal").statements  # and the results are stored


def test_a_collector_the_program_disabled_stays_disabled(
    service: Dispatch, seen: list[bool]
) -> None:
    gc.disable()
    service.refresh()
    assert seen == [False] and not gc.isenabled()


def test_a_failed_recompute_resumes_the_collector(
    service: Dispatch, monkeypatch: pytest.MonkeyPatch, collector: None
) -> None:
    import bot.topics.assign as assign

    def broken(*args: object, **kwargs: object) -> object:
        assert not gc.isenabled()
        raise RuntimeError("assignment failed")

    monkeypatch.setattr(assign, "assign_topics", broken)
    with pytest.raises(RuntimeError, match="assignment failed"):
        service.recompute(full=True)
    assert gc.isenabled()
