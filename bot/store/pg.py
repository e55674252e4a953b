"""PostgreSQL behind the ``Database`` interface, for several processes sharing one state.

Selected by ``DISPATCH_DB=postgresql://…``. Repositories keep their SQLite SQL: every statement
goes through ``bot.store.translate``. The guarantees SQLite gives the repositories hold here too:

- ``transaction()`` is serialised across every process on the database by a transaction-scoped
  advisory lock, as SQLite's ``BEGIN IMMEDIATE`` serialises writers; so a read-then-write
  inside one transaction (a digest claim, a failure taken) cannot interleave with another's.
- ``writer()`` is a session advisory lock held on its own connection: one ingest or recompute
  at a time, whichever process runs it.
- Reads run on pooled connections (psycopg-pool), never behind a writer's lock; a read made
  inside a transaction, on the same thread, sees that transaction's writes.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast
from urllib.parse import urlsplit

from bot.errors import UsageError
from bot.store import db as sqlite_db
from bot.store.translate import TableShape, translate, translate_ddl

try:
    import psycopg
    from psycopg.adapt import Loader
    from psycopg_pool import ConnectionPool
except ImportError as exc:  # the optional extra is not installed
    raise UsageError(
        "DISPATCH_DB names a PostgreSQL server, but psycopg is not installed: "
        "pip install 'dispatch-bot[postgres]'"
    ) from exc

# Advisory lock keys (any two 64-bit constants of ours; scoped to the database).
WRITER_KEY = 0x44495350_00000001  # ingest and recompute: one process at a time
TRANSACTION_KEY = 0x44495350_00000002  # every write transaction, like BEGIN IMMEDIATE
CONNECT_TIMEOUT = 10  # seconds to reach the server before saying it cannot be reached
POOL_SIZE = 4

_pools: set[ConnectionPool] = set()  # closed at exit, so no pool thread outlives its program


class Row(Sequence[Any]):
    """A result row read by position or by column name, like ``sqlite3.Row``."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values = tuple(values)
        self._index = index

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return self._values[self._index[key.lower()]]
        return self._values[key]

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        """Column names, in order (so ``dict(row)`` works)."""
        return list(self._index)

    def __eq__(self, other: object) -> bool:
        return tuple(self) == (tuple(other) if isinstance(other, Sequence) else other)

    def __hash__(self) -> int:
        return hash(self._values)


def _rows(cursor: Any) -> Any:
    """psycopg row factory building ``Row`` objects."""
    names = [c.name.lower() for c in cursor.description or ()]
    index = {name: i for i, name in enumerate(names)}
    return lambda values: Row(values, index)


class _NumericLoader(Loader):
    """SUM over integers comes back as an int (SQLite's answer), other numerics as floats."""

    def load(self, data: Any) -> Any:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


def _param(value: Any) -> Any:
    """Parameters as SQLite stores them: booleans as 0/1, dates as ISO text."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _params(params: Any) -> Any:
    if isinstance(params, dict):
        return {k: _param(v) for k, v in params.items()}
    return [_param(v) for v in params]


class PgCursor:
    """A psycopg cursor that speaks the SQLite dialect the repositories write."""

    def __init__(self, db: PgDatabase, cursor: psycopg.Cursor[Any]) -> None:
        self._db = db
        self._cur = cursor

    def execute(self, sql: str, params: Any = ()) -> PgCursor:
        """Run one statement (SQLite SQL, ``?`` placeholders)."""
        self._cur.execute(self._db.sql(sql, bool(params)), _params(params) if params else None)
        return self

    def executemany(self, sql: str, seq: Any) -> PgCursor:
        """Run one statement for each parameter tuple."""
        rows = [_params(p) for p in seq]
        if rows:
            self._cur.executemany(self._db.sql(sql, True), rows)
        return self

    def copy_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert rows with ``COPY … FROM STDIN`` (``bot.store.db.insert_rows`` calls it)."""
        names = ", ".join(f'"{c}"' for c in columns)
        with self._cur.copy(cast(Any, f"COPY {table} ({names}) FROM STDIN")) as copy:
            for row in rows:
                copy.write_row(_params(row))

    def fetchone(self) -> Any:
        """The next row, or None."""
        return self._cur.fetchone() if self._cur.description else None

    def fetchall(self) -> list[Any]:
        """Every remaining row."""
        return self._cur.fetchall() if self._cur.description else []

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())

    @property
    def rowcount(self) -> int:
        """Rows the last statement changed."""
        return self._cur.rowcount

    def close(self) -> None:
        """Close the cursor."""
        self._cur.close()


def _label(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    port = f":{parts.port}" if parts.port else ""
    user = f"{parts.username}@" if parts.username else ""
    return f"postgresql://{user}{host}{port}{parts.path}"


class PgDatabase(sqlite_db.Database):
    """A PostgreSQL database behind the ``Database`` interface the repositories use."""

    backend = "postgresql"

    def __init__(self, url: str) -> None:  # not SQLite's constructor: nothing of it applies
        self.url = url
        self.path = _label(url)  # type: ignore[assignment]  # what messages name
        self.read_only = False
        self._local = threading.local()
        self._writer = threading.RLock()
        self._writer_depth = 0
        self._writer_conn: psycopg.Connection[Any] | None = None
        self._shapes: dict[str, TableShape] = {}
        self._pool = self._open_pool()
        self.migrate()

    # -- connections -------------------------------------------------------------------------
    def _open_pool(self) -> ConnectionPool:
        try:  # one direct connection first: it fails at once, with the server's own reason
            psycopg.connect(self.url, connect_timeout=CONNECT_TIMEOUT).close()
        except psycopg.Error as exc:
            raise sqlite_db.StoreError(
                f"Cannot reach the PostgreSQL database {self.path}: {_reason(exc)}"
            ) from exc
        pool = ConnectionPool(
            self.url,
            min_size=1,
            max_size=POOL_SIZE,
            kwargs={"autocommit": True, "row_factory": _rows, "connect_timeout": CONNECT_TIMEOUT},
            configure=_configure,
            open=False,
            name="dispatch",
        )
        try:
            pool.open(wait=True, timeout=CONNECT_TIMEOUT)
        except Exception as exc:
            pool.close()
            raise sqlite_db.StoreError(
                f"Cannot reach the PostgreSQL database {self.path}: {_reason(exc)}"
            ) from exc
        _pools.add(pool)
        return pool

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        """This thread's transaction connection if it is in one, else a pooled connection."""
        current = getattr(self._local, "conn", None)
        if current is not None:
            yield current
            return
        with self._pool.connection() as conn:
            yield conn

    def sql(self, sql: str, params: bool) -> str:
        """A repository's SQLite statement as PostgreSQL runs it."""
        return translate(sql, params=params, shapes=self.shape)

    def shape(self, table: str) -> TableShape:
        """A table's primary key and columns (read from the catalog once)."""
        if table not in self._shapes:
            with self._pool.connection() as conn:
                self._shapes[table] = _read_shape(conn, table)
        return self._shapes[table]

    # -- the Database interface --------------------------------------------------------------
    def _schema_current(self) -> bool:
        """Whether every migration is applied (plain reads: no lock taken, none waited for)."""
        row = self.one("SELECT to_regclass('schema_migrations')")
        if row is None or row[0] is None:
            return False
        done = {r[0] for r in self.query("SELECT name FROM schema_migrations")}
        return done >= {name for name, _ in sqlite_db.all_migrations()}

    def migrate(self) -> list[str]:
        """Apply the migrations not yet applied (the same ordered list as SQLite, translated).

        A current schema is checked by plain reads first, as on SQLite: opening the database
        to read never waits behind another process's long write transaction.
        """
        if self._schema_current():
            return []
        applied: list[str] = []
        with self.transaction() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)")
            done = {r[0] for r in cur.execute("SELECT name FROM schema_migrations")}
            for name, script in sqlite_db.all_migrations():
                if name in done:
                    continue
                for statement in sqlite_db._statements(script):
                    for pg_statement in translate_ddl(statement, self._shape_in(cur)):
                        cur._cur.execute(cast(Any, pg_statement))
                self._shapes.clear()  # a migration may have changed a table
                cur.execute("INSERT INTO schema_migrations(name) VALUES (?)", (name,))
                applied.append(name)
        return applied

    def _shape_in(self, cur: PgCursor) -> Any:
        """Table shapes as the running migration sees them (its own connection)."""
        return lambda table: _read_shape(cur._cur.connection, table)

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """Run a block atomically, one write transaction at a time across processes."""
        if getattr(self._local, "conn", None) is not None:
            raise sqlite_db.StoreError("a transaction is already open on this thread")
        with self._pool.connection() as conn, conn.transaction():
            self._local.conn = conn
            cur = PgCursor(self, conn.cursor())
            try:
                cur.execute("SELECT pg_advisory_xact_lock(?)", (TRANSACTION_KEY,))
                yield cur
            finally:
                self._local.conn = None
                cur.close()

    @contextmanager
    def writer(self, *, wait: bool = True) -> Iterator[None]:
        """Be the only ingest/recompute on this database, across processes (re-entrant)."""
        if not self._writer.acquire(blocking=wait):
            raise sqlite_db.StoreBusy(f"another task is updating {self.path}")
        try:
            if self._writer_depth:
                self._writer_depth += 1
                yield
                return
            with self._pool.connection() as conn:
                self._lock_writer(conn, wait=wait)
                self._writer_depth = 1
                try:
                    yield
                finally:
                    conn.execute("SELECT pg_advisory_unlock(%s)", (WRITER_KEY,))
        finally:
            self._writer_depth = max(0, self._writer_depth - 1)
            self._writer.release()

    def _lock_writer(self, conn: psycopg.Connection[Any], *, wait: bool) -> None:
        if wait:
            conn.execute("SELECT pg_advisory_lock(%s)", (WRITER_KEY,))
            return
        row = conn.execute("SELECT pg_try_advisory_lock(%s)", (WRITER_KEY,)).fetchone()
        if not row or not row[0]:
            raise sqlite_db.StoreBusy(f"another dispatch process is updating {self.path}")

    def query(self, sql: str, params: Any = ()) -> list[Any]:
        """Run a read query and return all rows."""
        with self._connection() as conn:
            return PgCursor(self, conn.cursor()).execute(sql, params).fetchall()

    def one(self, sql: str, params: Any = ()) -> Any:
        """Run a read query and return the first row, or None."""
        with self._connection() as conn:
            return PgCursor(self, conn.cursor()).execute(sql, params).fetchone()

    def close(self) -> None:
        """Close every connection of the pool."""
        self._pool.close()
        _pools.discard(self._pool)


def _configure(conn: psycopg.Connection[Any]) -> None:
    conn.adapters.register_loader("numeric", _NumericLoader)


def _read_shape(conn: psycopg.Connection[Any], table: str) -> TableShape:
    cols = conn.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    key = conn.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
        " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary"
        " ORDER BY array_position(i.indkey, a.attnum)",
        (table,),
    ).fetchall()
    return TableShape(tuple(r[0] for r in key), tuple(r[0] for r in cols))


def _reason(exc: BaseException) -> str:
    """The first line of what psycopg (or the pool) said, without libpq's "connection failed:"."""
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0].removeprefix("connection failed: ")


@atexit.register
def close_all() -> None:
    """Close every pool this process opened (at exit; tests call it after each test)."""
    for pool in list(_pools):
        pool.close()
        _pools.discard(pool)
