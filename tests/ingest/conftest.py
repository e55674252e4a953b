"""Fixtures for ingest tests: a store on a temp database and an ingestor over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.ingest.pipeline import Ingestor
from bot.settings import Settings
from bot.store import Store
from tests.conftest import Clock

MESSY = Path(__file__).resolve().parent.parent / "fixtures" / "messy"
DRIFT = Path(__file__).resolve().parent.parent / "fixtures" / "drift"


@pytest.fixture
def store(database: Path | str) -> Iterator[Store]:
    """A fresh store on a temp database (SQLite, or PostgreSQL for tests marked ``backends``)."""
    db = Store(database)
    yield db
    db.close()


@pytest.fixture
def ingestor(store: Store, clock: Clock) -> Ingestor:
    """An ingestor with default settings and the settable test clock."""
    return Ingestor(store, Settings(), clock)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """An empty corpus folder."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    return folder
