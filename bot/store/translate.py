"""SQLite SQL to PostgreSQL SQL, so repositories (and their migrations) are written once.

Repositories keep writing SQLite's dialect; the PostgreSQL backend passes every statement
through ``translate`` (queries) or ``translate_ddl`` (migration scripts). What is covered:

- placeholders: ``?`` becomes ``%s`` (and a literal ``%`` becomes ``%%``) when parameters are
  given; a column named ``end`` (a reserved word there) is quoted;
- ``INSERT OR IGNORE`` becomes ``ON CONFLICT DO NOTHING``; ``INSERT OR REPLACE`` becomes an
  upsert on the table's primary key that, like SQLite's delete-and-insert, resets the columns
  the statement does not list to their defaults;
- ``LIKE`` becomes ``ILIKE`` (SQLite's LIKE ignores ASCII case), ``IFNULL`` becomes
  ``COALESCE``, ``datetime('now')`` becomes the same UTC text SQLite writes;
- in migrations: ``INTEGER`` is ``BIGINT`` (Discord ids need 64 bits), ``REAL`` is ``DOUBLE
  PRECISION``, ``BLOB`` is ``BYTEA``, ``TEXT`` compares bytewise as in SQLite (``COLLATE "C"``),
  ``INTEGER PRIMARY KEY [AUTOINCREMENT]`` is an identity column, an FTS5 virtual table is a
  plain table with a GIN full-text index on its first column, and an SQLite trigger becomes a
  PL/pgSQL function plus a row trigger.

What is not: booleans (write ``enabled = 1``, not ``enabled``), SQLite-only functions beyond
the ones above, ``PRAGMA``, ``sqlite_master``, and ``lastrowid`` (use ``RETURNING``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
TS_CONFIG = "english"  # stemming like SQLite's porter tokenizer


def is_postgres_url(target: object) -> bool:
    """Whether a database setting names a PostgreSQL server rather than an SQLite file."""
    return isinstance(target, str) and target.strip().lower().startswith(POSTGRES_SCHEMES)


@dataclass(frozen=True, slots=True)
class TableShape:
    """What an upsert needs to know of a table: its primary key and every column, in order."""

    key: tuple[str, ...]
    columns: tuple[str, ...]


Shapes = Callable[[str], TableShape]

# One token: a string literal, a quoted identifier, a word, a placeholder, or any other char.
_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\w+|\?|%|\s+|.", re.DOTALL)
_INSERT_OR = re.compile(
    r"^\s*INSERT\s+OR\s+(REPLACE|IGNORE)\s+INTO\s+(\w+)\s*(?:\(([^)]*)\))?", re.IGNORECASE
)
_WORDS = {"like": "ILIKE", "ifnull": "COALESCE"}
_NOW = re.compile(r"datetime\(\s*'now'\s*\)", re.IGNORECASE)
_NOW_PG = "to_char(timezone('UTC', now()), 'YYYY-MM-DD HH24:MI:SS')"


def _tokens(sql: str) -> list[str]:
    return _TOKEN.findall(sql)


def _rewrite(sql: str, *, params: bool) -> str:
    """Token-level rewrites that never touch string literals or quoted identifiers."""
    out: list[str] = []
    previous = ""  # the last non-blank token
    for tok in _tokens(sql):
        low = tok.lower()
        if params and tok == "?":
            tok = "%s"
        elif params and "%" in tok and tok[0] in "%'":  # psycopg reads % even in literals
            tok = tok.replace("%", "%%")
        elif low == "end" and previous in (",", "(", "."):
            tok = '"end"'  # a column: CASE … END follows an expression, never these
        elif low in _WORDS:
            tok = _WORDS[low]
        out.append(tok)
        if not tok.isspace():
            previous = tok
    return "".join(out)


def _upsert(sql: str, shapes: Shapes) -> str:
    """``INSERT OR REPLACE|IGNORE`` as ``INSERT … ON CONFLICT``."""
    m = _INSERT_OR.match(sql)
    if m is None:
        return sql
    verb, table, listed = m.group(1).upper(), m.group(2), m.group(3)
    head = f"INSERT INTO {table}" + (f" ({listed})" if listed is not None else "")
    body = head + sql[m.end() :].rstrip().rstrip(";")
    if verb == "IGNORE":
        return body + " ON CONFLICT DO NOTHING"
    shape = shapes(table)
    named = (
        {c.strip().strip('"').lower() for c in listed.split(",")} if listed else set(shape.columns)
    )
    rest = [c for c in shape.columns if c not in shape.key]
    if not shape.key or not rest:
        return body + " ON CONFLICT DO NOTHING"
    sets = ", ".join(
        f"{_ident(c)} = EXCLUDED.{_ident(c)}" if c in named else f"{_ident(c)} = DEFAULT"
        for c in rest
    )
    return f"{body} ON CONFLICT ({', '.join(map(_ident, shape.key))}) DO UPDATE SET {sets}"


def _ident(name: str) -> str:
    return f'"{name}"' if name == "end" else name


def _no_shapes(table: str) -> TableShape:
    raise ValueError(f"INSERT OR REPLACE INTO {table} needs the table's shape")


_UPSERT = re.compile(r"^\s*INSERT\s+INTO\s+(\w+).*?\bDO\s+UPDATE\s+SET\b", re.I | re.S)


def _qualify(sql: str, shapes: Shapes) -> str:
    """Name the target table on bare columns of an upsert's SET and WHERE.

    SQLite reads ``SET n = n + 1`` as the stored row's ``n``; PostgreSQL calls it ambiguous
    (``excluded.n`` exists too). The assigned columns themselves must stay bare.
    """
    m = _UPSERT.match(sql)
    if m is None:
        return sql
    table = m.group(1)
    columns = set(shapes(table).columns)
    out, depth, in_set, previous = [sql[: m.end()]], 0, True, "SET"
    for tok in _tokens(sql[m.end() :]):
        low = tok.lower()
        depth += tok == "("
        depth -= tok == ")"
        if depth == 0 and low == "where":
            in_set = False
        target = in_set and depth == 0 and previous.lower() in ("set", ",")
        if low in columns and not target and previous.lower() not in (".", "as"):
            tok = f"{table}.{_ident(low)}"
        out.append(tok)
        if not tok.isspace():
            previous = tok
    return "".join(out)


@lru_cache(maxsize=2048)
def _translate(sql: str, params: bool, shapes: Shapes) -> str:
    text = _upsert(_NOW.sub(_NOW_PG, sql), shapes)
    return _rewrite(_qualify(text, shapes), params=params)


def translate(sql: str, *, params: bool, shapes: Shapes = _no_shapes) -> str:
    """One SQLite statement as PostgreSQL runs it (cached: repositories reuse their SQL)."""
    return _translate(sql, params, shapes)


# -- migrations ------------------------------------------------------------------------------
# A column's type: the word after a column name that opens a definition (or ADD COLUMN).
_TYPES = re.compile(
    r"((?:[(,]|\bADD\s+COLUMN|\bADD)\s*\"?\w+\"?\s+)"
    r"(INTEGER\s+PRIMARY\s+KEY(?:\s+AUTOINCREMENT)?|INTEGER|REAL|BLOB|TEXT)\b",
    re.IGNORECASE,
)
_FTS = re.compile(
    r"^\s*CREATE\s+VIRTUAL\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?(\w+)\s+USING\s+fts5\s*\((.*)\)\s*$",
    re.IGNORECASE | re.DOTALL,
)
_TRIGGER = re.compile(
    r"^\s*CREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s+(BEFORE|AFTER)\s+"
    r"(INSERT|UPDATE|DELETE)\s+ON\s+(\w+)\s+(?:FOR\s+EACH\s+ROW\s+)?BEGIN\s+(.*?)\s*END\s*;?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_TABLE_DDL = re.compile(r"^\s*(CREATE\s+TABLE|ALTER\s+TABLE)\b", re.IGNORECASE)


def _type(m: re.Match[str]) -> str:
    words = m.group(2).upper().split()
    if len(words) > 1:  # SQLite's INTEGER PRIMARY KEY numbers rows itself
        return m.group(1) + "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
    pg = {"INTEGER": "BIGINT", "REAL": "DOUBLE PRECISION", "BLOB": "BYTEA"}
    return m.group(1) + pg.get(words[0], 'TEXT COLLATE "C"')


def _fts(m: re.Match[str]) -> list[str]:
    """An FTS5 table as a plain table (same columns, so writes stay the same) with a GIN index."""
    exists, table = m.group(1) or "", m.group(2)
    parts = [p.strip() for p in m.group(3).split(",")]
    columns = [p.split()[0] for p in parts if "=" not in p]
    unindexed = [p.split()[0] for p in parts if "=" not in p and "UNINDEXED" in p.upper()]
    defs = ", ".join(f'{_ident(c)} TEXT COLLATE "C"' for c in columns)
    out = [
        f"CREATE TABLE {exists}{table} ({defs})",
        f"CREATE INDEX IF NOT EXISTS {table}_tsv ON {table}"
        f" USING GIN (to_tsvector('{TS_CONFIG}', {_ident(columns[0])}))",
    ]
    if unindexed:
        out.append(f"CREATE INDEX IF NOT EXISTS {table}_{unindexed[0]} ON {table}({unindexed[0]})")
    return out


def _trigger(m: re.Match[str], shapes: Shapes) -> list[str]:
    """An SQLite trigger as a PL/pgSQL function and a row trigger calling it."""
    name, when, event, table, body = m.groups()
    statements = [s.strip() for s in body.split(";") if s.strip()]
    code = " ".join(translate(s, params=False, shapes=shapes) + ";" for s in statements)
    result = "NULL" if when.upper() == "AFTER" else ("OLD" if event.upper() == "DELETE" else "NEW")
    return [
        f"CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS"
        f" $$ BEGIN {code} RETURN {result}; END $$",
        f"CREATE OR REPLACE TRIGGER {name} {when} {event} ON {table}"
        f" FOR EACH ROW EXECUTE FUNCTION {name}_fn()",
    ]


def translate_ddl(statement: str, shapes: Shapes = _no_shapes) -> list[str]:
    """One migration statement as the PostgreSQL statements that do the same."""
    fts = _FTS.match(statement)
    if fts:
        return _fts(fts)
    trigger = _TRIGGER.match(statement)
    if trigger:
        return _trigger(trigger, shapes)
    text = _TYPES.sub(_type, statement) if _TABLE_DDL.match(statement) else statement
    return [translate(text, params=False, shapes=shapes)]
