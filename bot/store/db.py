"""SQLite connection, ordered idempotent migrations, and the ``Store`` that groups repositories."""

from __future__ import annotations

import importlib
import shutil
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bot.errors import DispatchError, UsageError

# Each area keeps its schema beside its queries, as a module-level MIGRATIONS list of
# (unique name, SQL script). They run in this module order, each once per database.
MIGRATION_MODULES = (
    "bot.store.sources",
    "bot.store.briefings",
    "bot.store.digests",
    "bot.store.deliveries",
    "bot.store.feeds",
    "bot.store.llm",
    "bot.store.follows",
    "bot.store.topics",
)


class StoreError(DispatchError):
    """The database file cannot be used (damaged, another program's, unreachable)."""


class StoreBusy(DispatchError):
    """Another process (or thread) is updating the database right now."""


class DiskFull(StoreError):
    """The disk holding the database is full: the write was undone, what was stored is intact."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"the disk holding {path} is full: nothing was half-written and the stored results "
            "are intact; free some space and run `dispatch ingest` again"
        )


FULL_MARGIN = 1 << 20  # bytes free under which an I/O error is taken for a full disk


# Tables that mark a database as Dispatch's (``schema_migrations``; ``meta`` in early files).
OUR_TABLES = frozenset({"schema_migrations", "meta"})


class Database:
    """A write connection behind a lock, plus one read connection per reading thread (WAL).

    Writes, and reads inside a transaction (which must see its own writes), go through the
    write connection; every other read goes through its thread's own read-only connection. A
    ``/status`` then never waits for a recompute's queries or its transaction, nor does a
    digest claim wait for the recompute's long reads: WAL lets each reader see the last commit
    while the writer works.
    """

    backend = "sqlite"  # ``bot.store.pg.PgDatabase`` says "postgresql"

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            _prepare(self.path)
        self._lock = threading.RLock()
        self._writer = threading.RLock()
        self._writer_depth = 0
        self._in_transaction: set[int] = set()  # threads inside ``transaction``
        # thread -> its read connection, with a lock only ``close`` ever contends for
        self._readers: dict[int, tuple[sqlite3.Connection, threading.Lock]] = {}
        self._closed = False
        try:
            self.conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot open the database {path}: {exc}") from exc
        self.read_only = False
        try:
            self._open()
        except sqlite3.Error as exc:
            self.conn.close()
            if not disk_full(self.path, exc):
                raise StoreError(_unusable(self.path, exc)) from exc
            self._open_read_only(exc)
        except StoreError:
            self.conn.close()
            raise

    def _open_read_only(self, cause: sqlite3.Error) -> None:
        """Open a full disk's database to read the stored results (no writes, no -shm file).

        Only when its write-ahead log is empty: the main file then holds every commit, and
        reading it as immutable needs no shared memory, which a full disk cannot map.
        """
        wal = Path(f"{self.path}-wal")
        if wal.exists() and wal.stat().st_size:
            raise DiskFull(self.path) from cause
        uri = f"file:{quote(str(self.path.resolve()))}?mode=ro&immutable=1"
        self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.read_only = True
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master")}
        if not self._migrated(tables):
            self.conn.close()
            raise DiskFull(self.path) from cause  # an upgrade must write first

    def _open(self) -> None:
        """Check the file is ours (before writing a byte to it), set pragmas, migrate."""
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA busy_timeout=5000")
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master")}
        if tables and not tables & OUR_TABLES:
            shown = ", ".join(sorted(tables)[:4])
            raise StoreError(
                f"{self.path} is another program's SQLite database (tables: {shown}); "
                "Dispatch will not write to it: choose another --db"
            )
        if not self._current(tables):  # a reader of a current database writes nothing here
            self.conn.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: no fsync per commit (ingest writes one transaction per batch); the
        # database stays consistent, a power cut can only lose the last commits.
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.migrate()

    def _current(self, tables: set[str]) -> bool:
        """Whether the file is in WAL mode with every migration applied (read without a lock)."""
        mode = self.conn.execute("PRAGMA journal_mode").fetchone()[0]
        return mode == "wal" and self._migrated(tables)

    def _migrated(self, tables: set[str]) -> bool:
        """Whether every migration was applied to this file."""
        if "schema_migrations" not in tables:
            return False
        done = {r[0] for r in self.conn.execute("SELECT name FROM schema_migrations")}
        return done >= {name for name, _ in all_migrations()}

    def migrate(self) -> list[str]:
        """Apply every migration not yet applied; return the names applied now.

        A current schema is checked by a plain read, never under ``BEGIN IMMEDIATE``: opening
        the database to read must not wait for (or fail behind) another process's long write.
        """
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master")}
        if self._current(tables):
            return []
        applied: list[str] = []
        with self.transaction() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)")
            done = {r[0] for r in cur.execute("SELECT name FROM schema_migrations")}
            for name, script in all_migrations():
                if name in done:
                    continue
                for statement in _statements(script):
                    cur.execute(statement)
                cur.execute("INSERT INTO schema_migrations(name) VALUES (?)", (name,))
                applied.append(name)
        return applied

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        """Run a block atomically: everything or nothing is written."""
        with self._lock, self._transacting():
            if self.read_only:
                raise DiskFull(self.path)
            cur = self.conn.cursor()
            try:
                cur.execute("BEGIN IMMEDIATE")
                yield cur
                cur.execute("COMMIT")
            except BaseException as exc:
                self._undo(cur)
                if isinstance(exc, sqlite3.Error) and disk_full(self.path, exc):
                    raise DiskFull(self.path) from exc
                raise
            finally:
                cur.close()

    @contextmanager
    def _transacting(self) -> Iterator[None]:
        """Route this thread's reads to the write connection for a block (re-entrant)."""
        me = threading.get_ident()
        outer = me not in self._in_transaction
        self._in_transaction.add(me)
        try:
            yield
        finally:
            if outer:
                self._in_transaction.discard(me)

    def _reading(self) -> tuple[sqlite3.Connection, AbstractContextManager[Any]]:
        """The connection this thread reads through, and the lock to hold for one statement."""
        me = threading.get_ident()
        if me in self._in_transaction or self._shared_only():
            return self.conn, self._lock
        reader = self._readers.get(me)
        if reader is None:
            reader = self._readers[me] = (self._open_reader(), threading.Lock())
        return reader

    def _shared_only(self) -> bool:
        """Whether reads must share the write connection: in memory, read-only, or closed."""
        return self.read_only or self._closed or str(self.path) == ":memory:"

    def _open_reader(self) -> sqlite3.Connection:
        """A thread's read connection (``query_only``: it can never write)."""
        try:
            conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot open the database {self.path}: {exc}") from exc
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute("PRAGMA query_only=ON")
        return conn

    def _undo(self, cur: sqlite3.Cursor) -> None:
        """Roll back what is left of a failed transaction (SQLite may have done it already)."""
        if self.conn.in_transaction:
            with suppress(sqlite3.Error):
                cur.execute("ROLLBACK")

    @contextmanager
    def writer(self, *, wait: bool = True) -> Iterator[None]:
        """Be the only writer of this database, across processes, for a block (re-entrant).

        Ingest and recompute hold it, so two ``dispatch`` processes never read the same files
        into the store at once. ``wait=False`` raises ``StoreBusy`` instead of waiting.
        """
        if not self._writer.acquire(blocking=wait):
            raise StoreBusy(f"another task is updating {self.path}")
        try:
            if self._writer_depth:
                self._writer_depth += 1
                yield
                return
            with _lock_file(self.path, wait=wait):
                self._writer_depth = 1
                yield
        finally:
            self._writer_depth = max(0, self._writer_depth - 1)
            self._writer.release()

    def query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        """Run a read query and return all rows."""
        conn, lock = self._reading()
        with lock:
            return conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        """Run a read query and return the first row, or None."""
        conn, lock = self._reading()
        with lock:
            cur = conn.execute(sql, params)
            try:
                return cur.fetchone()
            finally:
                cur.close()  # an unfinished statement would pin this connection's snapshot

    def close(self) -> None:
        """Close both connections."""
        with self._lock:
            self._closed = True
            for conn, lock in list(self._readers.values()):
                with lock:
                    conn.close()
            self._readers.clear()
            self.conn.close()


@contextmanager
def _lock_file(path: Path, *, wait: bool) -> Iterator[None]:
    """An advisory lock on ``<db>.lock`` (none for an in-memory database or without fcntl)."""
    try:
        import fcntl
    except ImportError:  # Windows: SQLite's own locking still keeps the data consistent
        fcntl = None  # type: ignore[assignment]
    if fcntl is None or str(path) == ":memory:":
        yield
        return
    try:
        handle = open(f"{path}.lock", "a+b")  # noqa: SIM115 (closed below)
    except OSError:  # a read-only folder: SQLite will refuse writes anyway
        yield
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise StoreBusy(f"another dispatch process is updating {path}") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def disk_full(path: Path, exc: sqlite3.Error) -> bool:
    """Whether an SQLite error means the disk is full (SQLite says so, or an I/O error with
    almost no space left, as when a full disk cannot map the WAL's shared-memory index)."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code == sqlite3.SQLITE_FULL:
        return True
    if code != sqlite3.SQLITE_IOERR or str(path) == ":memory:":
        return False
    try:
        return shutil.disk_usage(path.parent).free < FULL_MARGIN
    except OSError:
        return False


def _prepare(path: Path) -> None:
    """Refuse a folder as the database and create the folder it goes in."""
    if path.is_dir():
        raise UsageError(f"The database path {path} is a folder: give a file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise UsageError(
            f"Cannot create the folder for the database {path}: a part of it is a file"
        ) from exc
    except OSError as exc:
        raise UsageError(
            f"Cannot create the folder for the database {path}: {exc.strerror or exc}"
        ) from exc


def _unusable(path: Path, exc: sqlite3.Error) -> str:
    """A one-line explanation of why SQLite refused the file."""
    if isinstance(exc, sqlite3.OperationalError):
        return f"Cannot open the database {path}: {exc}"
    return (
        f"{path} is not a usable Dispatch database ({exc}); it was left untouched: "
        "move it away to start a new one, or choose another --db"
    )


def insert_rows(
    cur: Any, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert many rows in one go: ``COPY`` on PostgreSQL (one stream, not one round trip per
    row), ``executemany`` on SQLite (in-process: a loop of prepared inserts is as fast)."""
    if not rows:
        return
    copy = getattr(cur, "copy_rows", None)
    if copy is not None:
        copy(table, columns, rows)
        return
    marks = ",".join("?" * len(columns))
    cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";\n") if s.strip()]


def all_migrations() -> list[tuple[str, str]]:
    """Every area's migrations, in module order."""
    out: list[tuple[str, str]] = []
    for module_name in MIGRATION_MODULES:
        module = importlib.import_module(module_name)
        out.extend(getattr(module, "MIGRATIONS", []))
    return out


def open_database(target: Path | str) -> Database:
    """The database a setting names: a ``postgresql://`` URL, or else an SQLite file."""
    from bot.store.translate import is_postgres_url

    if is_postgres_url(target):
        from bot.store.pg import PgDatabase

        return PgDatabase(str(target))
    return Database(target)


class Store:
    """The database plus one repository per area (sources, briefings, digests, deliveries, feeds, llm, topics)."""

    def __init__(self, path: Path | str) -> None:
        from bot.store.briefings import BriefingRepo
        from bot.store.deliveries import DeliveryRepo
        from bot.store.digests import DigestRepo
        from bot.store.feeds import FeedRepo
        from bot.store.llm import LLMRepo
        from bot.store.sources import SourceRepo
        from bot.store.topics import TopicRepo

        self.db = open_database(path)
        self.sources = SourceRepo(self.db)
        self.briefings = BriefingRepo(self.db)
        self.digests = DigestRepo(self.db)
        self.deliveries = DeliveryRepo(self.db)
        self.feeds = FeedRepo(self.db)
        self.llm = LLMRepo(self.db)
        self.topics = TopicRepo(self.db)

    def meta_get(self, key: str) -> str | None:
        """Read a value from the key/value meta table."""
        row = self.db.one("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row[0])

    def meta_set(self, key: str, value: str) -> None:
        """Write a value to the key/value meta table."""
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def sources_dirty(self) -> bool:
        """Whether sources changed since the corpus version last moved (a crash came between)."""
        from bot.store.sources import DIRTY

        return self.meta_get(DIRTY) is not None

    def bump_corpus_version(self) -> None:
        """Mark the stored sources as changed: move the corpus version, clear the dirty mark."""
        from bot.store.sources import DIRTY

        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO meta(key, value) VALUES ('corpus_version', '1') ON CONFLICT(key)"
                " DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"
            )
            cur.execute("DELETE FROM meta WHERE key = ?", (DIRTY,))

    def close(self) -> None:
        """Close the database."""
        self.db.close()
