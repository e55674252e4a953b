"""Shared fixtures: an offline environment, a copy of the seeds, a service on a temp database."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.postgres import PgServer, start_server

if TYPE_CHECKING:
    from bot.service import Dispatch

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


class StrayNetworkCall(BaseException):
    """A test tried to reach a non-loopback address (a BaseException: ``except Exception``
    in the code under test, such as the openai client's retry loop, must not swallow it)."""


def _stays_local(host: Any, *, lookup: bool) -> bool:
    """Whether connecting to (or, with ``lookup``, resolving) ``host`` stays on this machine.

    Resolving an address literal asks no server, so a lookup only refuses names; a connect
    refuses every address that is not loopback.
    """
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host in ("", "localhost"):
        return True
    try:
        ip = ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return False  # a name: resolving it would already ask the network
    mapped = getattr(ip, "ipv4_mapped", None)
    return lookup or ip.is_loopback or bool(mapped and mapped.is_loopback)


class NetworkGuard:
    """Refuses (and records) every connect or DNS lookup that would leave the machine."""

    def __init__(self) -> None:
        self.strays: list[str] = []
        self._connect = socket.socket.connect
        self._connect_ex = socket.socket.connect_ex
        self._getaddrinfo = socket.getaddrinfo

    def _check(self, what: str, host: Any, port: Any = None) -> None:
        if not _stays_local(host, lookup=what == "DNS lookup"):
            self.strays.append(f"{what} {host!r}:{port}")
            raise StrayNetworkCall(f"a test tried to reach {host!r} (port {port}): {what}")

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Patch socket connects and lookups for one test."""
        guard = self

        def connect(sock: socket.socket, address: Any) -> Any:
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                guard._check("connect", address[0], address[1])
            return guard._connect(sock, address)

        def connect_ex(sock: socket.socket, address: Any) -> Any:
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                guard._check("connect", address[0], address[1])
            return guard._connect_ex(sock, address)

        def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            if host is not None:
                guard._check("DNS lookup", host, port)
            return guard._getaddrinfo(host, port, *args, **kwargs)

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture(autouse=True)
def network_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[NetworkGuard]:
    """No test reaches the network: only loopback (and unix sockets) can be connected to.

    The refusal is raised where the connect happens and also checked after the test, so a
    refusal that the code under test caught and turned into a fallback still fails the test.
    """
    guard = NetworkGuard()
    guard.install(monkeypatch)
    yield guard
    assert not guard.strays, f"stray network calls: {guard.strays}"


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


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``backends`` that reach the database run once on SQLite, once on PostgreSQL."""
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("backends"):
        # A PostgreSQL call is a round trip to a server, several times SQLite's cost: simulated
        # Discord's settle deadline (a guard against hangs, not a speed check) gets more time.
        postgres = pytest.param("postgresql", marks=pytest.mark.simcord(settle_timeout=30))
        metafunc.parametrize("backend", ["sqlite", postgres], indirect=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One real PostgreSQL server for the whole session (skips its tests where none can start)."""
    server = start_server()
    if isinstance(server, str):
        pytest.skip(server)
    yield server
    server.stop()


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """Which database the test runs on: SQLite unless the test is marked ``backends``."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def database(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Path | str]:
    """The ``Settings.db`` of a test: an SQLite file in tmp_path, or a fresh PostgreSQL database."""
    if backend == "sqlite":
        yield tmp_path / "dispatch.db"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    url = server.new_database()
    yield url
    from bot.store.pg import close_all

    close_all()  # stores a test left open must not hold the database
    server.drop(url)


@pytest.fixture
def make_service(database: Path | str, clock: Clock) -> Iterator[object]:
    """Build a Dispatch service over given folders on a temp database (closed at teardown)."""
    from bot.service import Dispatch
    from bot.settings import Settings

    made: list[Dispatch] = []

    def make(*folders: Path, **overrides: object) -> Dispatch:
        settings = Settings(corpus=list(folders), db=database, engine="extractive", **overrides)
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


class StalledRecompute:
    """A forced refresh in its own thread (the bot's re-ingest), stopped inside the transaction
    that stores the recomputed results: the write connection busy, its lock held."""

    def __init__(self, service: Dispatch) -> None:
        self.service = service
        self.inside, self.release, self.left = (
            threading.Event(),
            threading.Event(),
            threading.Event(),
        )
        self._put_many = service.store.briefings.put_many
        self._worker = threading.Thread(target=lambda: service.refresh(force=True))

    def _stall(self) -> int:
        if not self.inside.is_set():
            self.inside.set()
            self.release.wait(10)  # a guard against a hang when reads do wait, not a time limit
            self.left.set()
        return 0

    def _blocked_put_many(self, rows: list[Any]) -> None:
        conn = self.service.store.db.conn
        conn.set_progress_handler(self._stall, 100)
        try:
            self._put_many(rows)
        finally:
            conn.set_progress_handler(None, 0)

    @property
    def stopped(self) -> bool:
        """Whether the recompute is still stopped inside its transaction."""
        return not self.left.is_set()

    def __enter__(self) -> StalledRecompute:
        self.service.store.briefings.put_many = self._blocked_put_many  # type: ignore[method-assign]
        self._worker.start()
        assert self.inside.wait(10), "the recompute never reached its results transaction"
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self._worker.join(30)
        self.service.store.briefings.put_many = self._put_many  # type: ignore[method-assign]
