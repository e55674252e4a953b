"""Shared fixtures: an offline environment, a copy of the seeds, a service on a temp database."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
T0 = datetime(2025, 3, 6, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _offline_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees a real key, base URL or Dispatch setting from the developer's shell or .env."""
    for name in list(os.environ):
        if name.startswith(("DISPATCH_", "OPENAI_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # so a developer's .env in the repo is not read


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    """A private copy of the seed corpus."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


class Clock:
    """A settable clock for tests."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    """A settable clock starting at 2025-03-06 12:00 UTC."""
    return Clock()


@pytest.fixture
def make_service(tmp_path: Path, clock: Clock) -> Iterator[object]:
    """Build a Dispatch service over given folders on a temp database (closed at teardown)."""
    from bot.service import Dispatch
    from bot.settings import Settings

    made: list[Dispatch] = []

    def make(*folders: Path, **overrides: object) -> Dispatch:
        settings = Settings(
            corpus=list(folders), db=tmp_path / "dispatch.db", engine="extractive", **overrides
        )
        service = Dispatch(settings, clock=clock)
        made.append(service)
        return service

    yield make
    for s in made:
        s.close()


@pytest.fixture
def seeded(make_service: object, seeds_dir: Path) -> object:
    """A service over the seeds, already ingested."""
    service = make_service(seeds_dir)  # type: ignore[operator]
    service.refresh()
    return service
