"""Sources, their sentences, and the files they were read from."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import OrderedDict
from collections.abc import (
    ItemsView,
    Iterable,
    Iterator,
    MutableMapping,
    Sequence,
    ValuesView,
)
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from bot.crash import crash_point
from bot.models import Sentence, Source
from bot.store.db import Database, insert_rows
from bot.store.translate import TS_CONFIG

REMOVE_BATCH = 100  # files forgotten per transaction
IN_CHUNK = 500  # ids per ``IN (…)`` list
PAGES_READ = 500  # pages a pass over ``StoredSentences`` reads per query
PAGES_CACHED = 2_048  # pages ``StoredSentences`` keeps of those read one at a time
_FTS_WORD = re.compile(r'"([^"]+)"')  # the quoted words of an FTS5 OR-query
DIRTY = "sources_dirty"  # meta key: sources changed since the corpus version last moved

MIGRATIONS: list[tuple[str, str]] = [
    (
        "sources-001",
        """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS sources (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            outlet TEXT,
            published TEXT,
            date_basis TEXT NOT NULL DEFAULT 'unknown',
            url TEXT,
            path TEXT,
            first_seen TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'original',
            original_id TEXT,
            language TEXT,
            notes TEXT NOT NULL DEFAULT '[]',
            signature TEXT
        );
        CREATE INDEX IF NOT EXISTS sources_first_seen ON sources(first_seen);
        CREATE INDEX IF NOT EXISTS sources_url ON sources(url);
        CREATE TABLE IF NOT EXISTS sentences (
            source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            date TEXT,
            precision TEXT,
            PRIMARY KEY (source_id, idx)
        );
        CREATE TABLE IF NOT EXISTS files (
            path TEXT PRIMARY KEY,
            mtime_ns INTEGER NOT NULL,
            size INTEGER NOT NULL,
            sha TEXT NOT NULL,
            source_id TEXT,
            outcome TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT ''
        );
        CREATE VIRTUAL TABLE IF NOT EXISTS sentences_fts USING fts5(
            text, source_id UNINDEXED, idx UNINDEXED, tokenize = 'porter unicode61'
        )
        """,
    ),
    ("sources-002", "CREATE INDEX IF NOT EXISTS files_source ON files(source_id)"),
    # A sentence kept through an edit of its article keeps the time it was first read.
    ("sources-003", "ALTER TABLE sentences ADD COLUMN first_seen TEXT"),
    # Any write to ``sources`` marks stored briefings stale in the same transaction, so a crash
    # between a file's commit and the corpus-version bump cannot hide the new article.
    (
        "sources-004",
        "\n".join(
            f"CREATE TRIGGER IF NOT EXISTS sources_dirty_{event.lower()} AFTER {event} ON sources"
            f" BEGIN INSERT OR REPLACE INTO meta(key, value) VALUES ('{DIRTY}', '1'); END;"
            for event in ("INSERT", "UPDATE", "DELETE")
        ),
    ),
    # A file in a folder that vanished (unmounted, emptied) is kept and marked, not forgotten.
    ("sources-005", "ALTER TABLE files ADD COLUMN missing_since TEXT"),
    # The first-seen times of removed sources, so a file restored unchanged is not news again.
    (
        "sources-006",
        """
        CREATE TABLE IF NOT EXISTS forgotten (
            source_id TEXT PRIMARY KEY,
            first_seen TEXT NOT NULL,
            sentences TEXT NOT NULL DEFAULT '{}'
        )
        """,
    ),
]


@dataclass(frozen=True, slots=True)
class FileState:
    """What the store knows of a file from the last ingest."""

    path: str
    mtime_ns: int
    size: int
    sha: str
    source_id: str | None
    outcome: str
    reason: str
    missing_since: str | None = None  # when its folder was found vanished, if it was


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One file's new state, with the source (and its sentences) it now holds, if a new one."""

    state: FileState
    source: Source | None = None
    sentences: tuple[Sentence, ...] = ()
    signature: str | None = None


@dataclass(frozen=True, slots=True)
class FirstSeen:
    """When a removed source was first read: itself, and its sentences that an edit kept."""

    source: datetime
    sentences: dict[int, datetime]


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _source(row: sqlite3.Row, *, text: bool = True) -> Source:
    """A stored source (``text=False``: a row read without its text column)."""
    return Source(
        id=row["id"],
        title=row["title"],
        text=row["text"] if text else "",
        outlet=row["outlet"],
        published=_d(row["published"]),
        date_basis=row["date_basis"],
        url=row["url"],
        path=row["path"],
        first_seen=datetime.fromisoformat(row["first_seen"]),
        kind=row["kind"],
        original_id=row["original_id"],
        language=row["language"],
        notes=tuple(json.loads(row["notes"])),
    )


def _sentence(row: sqlite3.Row) -> Sentence:
    """A stored sentence."""
    seen = row["first_seen"]
    return Sentence(
        source_id=row["source_id"],
        index=row["idx"],
        start=row["start"],
        end=row["end"],
        text=row["text"],
        date=_d(row["date"]),
        date_precision=row["precision"],
        first_seen=datetime.fromisoformat(seen) if seen else None,
    )


_SOURCE_META = (  # every column but the text
    "id",
    "title",
    "outlet",
    "published",
    "date_basis",
    "url",
    "path",
    "first_seen",
    "kind",
    "original_id",
    "language",
    "notes",
)
_SENTENCE_COLUMNS = ("source_id", "idx", "start", "end", "text", "date", "precision", "first_seen")


def _source_row(source: Source, signature: str | None) -> tuple[object, ...]:
    return (
        source.id,
        source.title,
        source.text,
        source.outlet,
        source.published.isoformat() if source.published else None,
        source.date_basis,
        source.url,
        source.path,
        (source.first_seen or datetime.min.replace(tzinfo=UTC)).isoformat(),
        source.kind,
        source.original_id,
        source.language,
        json.dumps(list(source.notes)),
        signature,
    )


def _sentence_row(s: Sentence) -> tuple[object, ...]:
    return (
        s.source_id,
        s.index,
        s.start,
        s.end,
        s.text,
        s.date.isoformat() if s.date else None,
        s.date_precision,
        s.first_seen.isoformat() if s.first_seen else None,
    )


def _present(cur: sqlite3.Cursor, ids: list[str]) -> list[str]:
    """Which of these source ids are stored."""
    out: list[str] = []
    for i in range(0, len(ids), IN_CHUNK):
        chunk = ids[i : i + IN_CHUNK]
        marks = ",".join("?" * len(chunk))
        out.extend(
            r[0] for r in cur.execute(f"SELECT id FROM sources WHERE id IN ({marks})", chunk)
        )
    return out


class SourceRepo:
    """Queries over sources, sentences and files."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- reads -------------------------------------------------------------------------------
    def get(self, source_id: str) -> Source | None:
        """One source by id."""
        row = self.db.one("SELECT * FROM sources WHERE id = ?", (source_id,))
        return None if row is None else _source(row)

    def all(self, *, text: bool = True) -> list[Source]:
        """Every source, oldest first seen first (``text=False``: without their text, which a
        recompute reads from their sentences: a corpus's texts are then held once, not twice)."""
        columns = "*" if text else ", ".join(_SOURCE_META)
        return [
            _source(r, text=text)
            for r in self.db.query(f"SELECT {columns} FROM sources ORDER BY first_seen, id")
        ]

    def many(self, ids: Iterable[str]) -> dict[str, Source]:
        """Sources by id."""
        ids = list(dict.fromkeys(ids))
        out: dict[str, Source] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.db.query(f"SELECT * FROM sources WHERE id IN ({marks})", chunk):
                out[r["id"]] = _source(r)
        return out

    def ids(self) -> set[str]:
        """The id of every stored source."""
        return {r[0] for r in self.db.query("SELECT id FROM sources")}

    def forgotten_ids(self) -> set[str]:
        """The ids of removed sources whose first-seen times are kept."""
        return {r[0] for r in self.db.query("SELECT source_id FROM forgotten")}

    def count(self) -> int:
        """How many sources are stored."""
        row = self.db.one("SELECT COUNT(*) FROM sources")
        return int(row[0]) if row else 0

    def by_url(self, url: str) -> Source | None:
        """The source read from this (canonical) URL, if any."""
        row = self.db.one("SELECT * FROM sources WHERE url = ? ORDER BY first_seen LIMIT 1", (url,))
        return None if row is None else _source(row)

    def sentences(self, source_id: str) -> list[Sentence]:
        """The sentences of one source, in order."""
        rows = self.db.query(
            "SELECT * FROM sentences WHERE source_id = ? ORDER BY idx", (source_id,)
        )
        return [_sentence(r) for r in rows]

    def stored_sentences(self) -> StoredSentences:
        """Every source's sentences, read from the store as they are used (see
        ``StoredSentences``): what a recompute reads, so its memory does not hold the corpus."""
        ids = [r[0] for r in self.db.query("SELECT DISTINCT source_id FROM sentences ORDER BY 1")]
        return StoredSentences(self.db, ids)

    def all_sentences(self) -> dict[str, list[Sentence]]:
        """Every source's sentences, in order, keyed by source id (``stored_sentences`` read
        whole: one object per date and time they share)."""
        return dict(self.stored_sentences().items())

    def signatures(self) -> dict[str, str]:
        """Near-duplicate signatures of original sources, keyed by source id."""
        rows = self.db.query(
            "SELECT id, signature FROM sources WHERE signature IS NOT NULL AND kind = 'original'"
        )
        return {r["id"]: r["signature"] for r in rows}

    def near_signatures(self, parts: list[tuple[int, str]]) -> list[tuple[str, str]]:
        """Signatures of original sources spelling one of these (position, text) parts."""
        where = " OR ".join("substr(signature, ?, ?) = ?" for _ in parts)
        params = [x for start, text in parts for x in (start, len(text), text)]
        rows = self.db.query(
            "SELECT id, signature FROM sources WHERE signature IS NOT NULL AND kind = 'original'"
            f" AND ({where})",
            params,
        )
        return [(r["id"], r["signature"]) for r in rows]

    def files(self) -> dict[str, FileState]:
        """Every file the store has seen, keyed by path."""
        return {r["path"]: FileState(**dict(r)) for r in self.db.query("SELECT * FROM files")}

    def first_seen_before(self, source_id: str) -> FirstSeen | None:
        """When a source with this id was first read, if one was stored and removed since."""
        row = self.db.one("SELECT * FROM forgotten WHERE source_id = ?", (source_id,))
        if row is None:
            return None
        sentences = {int(i): datetime.fromisoformat(t) for i, t in json.loads(row[2]).items()}
        return FirstSeen(datetime.fromisoformat(row["first_seen"]), sentences)

    # -- writes ------------------------------------------------------------------------------
    def mark_missing(self, paths: Iterable[str], since: datetime) -> None:
        """Mark files of a vanished folder as missing (kept, with their sources)."""
        with self.db.transaction() as cur:
            cur.executemany(
                "UPDATE files SET missing_since = ? WHERE path = ? AND missing_since IS NULL",
                [(since.isoformat(), p) for p in paths],
            )

    def mark_present(self, paths: Iterable[str]) -> None:
        """Clear the missing mark of files that are back."""
        with self.db.transaction() as cur:
            cur.executemany(
                "UPDATE files SET missing_since = NULL WHERE path = ?", [(p,) for p in paths]
            )

    def put(self, source: Source, sentences: list[Sentence], signature: str | None = None) -> None:
        """Insert or replace one source and its sentences atomically."""
        with self.db.transaction() as cur:
            self._put_many(cur, [(source, sentences, signature)])

    def _put_many(
        self, cur: sqlite3.Cursor, items: Sequence[tuple[Source, Sequence[Sentence], str | None]]
    ) -> None:
        """Insert or replace sources (distinct ids) and their sentences, in a few statements."""
        if not items:
            return
        # Deleting from FTS by source_id scans the whole index: only do it for a stored source.
        stored = [(i,) for i in _present(cur, [source.id for source, _, _ in items])]
        cur.executemany("DELETE FROM sentences WHERE source_id = ?", stored)
        cur.executemany("DELETE FROM sentences_fts WHERE source_id = ?", stored)
        cur.executemany(
            "INSERT OR REPLACE INTO sources (id, title, text, outlet, published, date_basis, url,"
            " path, first_seen, kind, original_id, language, notes, signature)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [_source_row(source, signature) for source, _, signature in items],
        )
        sentences = [s for _, many, _ in items for s in many]
        insert_rows(cur, "sentences", _SENTENCE_COLUMNS, [_sentence_row(s) for s in sentences])
        insert_rows(
            cur,
            "sentences_fts",
            ("text", "source_id", "idx"),
            [(s.text, s.source_id, s.index) for s in sentences],
        )

    def record_file(
        self,
        state: FileState,
        source: Source | None = None,
        sentences: list[Sentence] | None = None,
        signature: str | None = None,
    ) -> None:
        """Record a file's state, with its (new) source if any, in one transaction.

        A source no longer referenced by any file, and not read from a URL, is removed.
        """
        self.record_files([FileRecord(state, source, tuple(sentences or ()), signature)])

    def record_files(self, records: Sequence[FileRecord]) -> None:
        """Record several files' states, with their new sources, in one transaction.

        The same as ``record_file`` for each in turn, provided the records name distinct files
        and no record's source is another's file's old source (the ingestor writes a batch
        before a repeat): everything or nothing of the batch is written, in a few statements
        whatever its size, so a PostgreSQL server is not asked once per row.
        """
        if not records:
            return
        with self.db.transaction() as cur:
            before = self._file_sources(cur, [r.state.path for r in records])
            self._put_many(cur, [(r.source, r.sentences, r.signature) for r in records if r.source])
            crash_point("store:batch-half-written")
            cur.executemany(
                "INSERT OR REPLACE INTO files (path, mtime_ns, size, sha, source_id, outcome, reason)"
                " VALUES (?,?,?,?,?,?,?)",
                [
                    (s.path, s.mtime_ns, s.size, s.sha, s.source_id, s.outcome, s.reason)
                    for s in (r.state for r in records)
                ],
            )
            self._drop_orphans(cur, before)

    def remove_files(self, paths: Iterable[str]) -> None:
        """Forget files that no longer exist, and the sources only they held.

        In transactions of ``REMOVE_BATCH`` files, so other writers wait a bounded time; each
        batch is whole (a file and the sources only it held go together), so a run killed
        between batches leaves the rest for the next run to remove.
        """
        paths = list(paths)
        for start in range(0, len(paths), REMOVE_BATCH):
            batch = paths[start : start + REMOVE_BATCH]
            with self.db.transaction() as cur:
                before = self._file_sources(cur, batch)
                cur.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in batch])
                self._drop_orphans(cur, before)
            crash_point("store:removal-batch")

    @staticmethod
    def _file_sources(cur: sqlite3.Cursor, paths: list[str]) -> set[str]:
        """The source ids the given file rows point at now."""
        out: set[str] = set()
        for i in range(0, len(paths), IN_CHUNK):
            chunk = paths[i : i + IN_CHUNK]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT source_id FROM files WHERE path IN ({marks}) AND source_id IS NOT NULL"
            out.update(r[0] for r in cur.execute(sql, chunk) if r[0])
        return out

    def _drop_orphans(self, cur: sqlite3.Cursor, candidates: set[str]) -> None:
        """Settle candidate file-read sources after their files changed.

        A source no file points at any more is removed (its republished copies then stand on
        their own); one that another file still holds names that file. Only the sources a write
        just un-referenced are checked, so a write costs the same on a 10,000-article store as
        on an empty one.
        """
        for source_id in candidates:
            row = cur.execute("SELECT path FROM sources WHERE id = ?", (source_id,)).fetchone()
            if row is None or row[0] is None:
                continue  # read from a URL: not tied to a file
            holders = "SELECT path FROM files WHERE source_id = ? ORDER BY path"
            paths = [r[0] for r in cur.execute(holders, (source_id,))]
            if paths:
                if row[0] not in paths:
                    cur.execute("UPDATE sources SET path = ? WHERE id = ?", (paths[0], source_id))
                continue
            self._remember_first_seen(cur, source_id)
            cur.execute("DELETE FROM sentences_fts WHERE source_id = ?", (source_id,))
            cur.execute("DELETE FROM sources WHERE id = ?", (source_id,))
            self._promote_copies(cur, source_id)

    @staticmethod
    def _remember_first_seen(cur: sqlite3.Cursor, source_id: str) -> None:
        """Keep a source's first-seen times past its removal (one small row per source)."""
        kept = (
            "SELECT idx, first_seen FROM sentences WHERE source_id = ? AND first_seen IS NOT NULL"
        )
        sentences = {str(r[0]): r[1] for r in cur.execute(kept, (source_id,))}
        cur.execute(
            "INSERT OR REPLACE INTO forgotten (source_id, first_seen, sentences)"
            " SELECT id, first_seen, ? FROM sources WHERE id = ?",
            (json.dumps(sentences), source_id),
        )

    @staticmethod
    def _promote_copies(cur: sqlite3.Cursor, original_id: str) -> None:
        """Make the first-seen copy of a removed original the original of the other copies."""
        copies = [
            r[0]
            for r in cur.execute(
                "SELECT id FROM sources WHERE original_id = ? ORDER BY first_seen, id",
                (original_id,),
            )
        ]
        if not copies:
            return
        heir, rest = copies[0], copies[1:]
        cur.execute(
            "UPDATE sources SET kind = 'original', original_id = NULL WHERE id = ?", (heir,)
        )
        cur.executemany(
            "UPDATE sources SET original_id = ? WHERE id = ?", [(heir, c) for c in rest]
        )

    def search(self, match: str, limit: int = 200) -> list[tuple[Sentence, float]]:
        """Full-text search over sentences (an FTS5 MATCH expression); best first, score > 0."""
        if self.db.backend == "postgresql":
            return self._search_tsvector(match, limit)
        rows = self.db.query(
            "SELECT s.*, -bm25(sentences_fts) AS score FROM sentences_fts"
            " JOIN sentences s ON s.source_id = sentences_fts.source_id"
            " AND s.idx = sentences_fts.idx"
            " WHERE sentences_fts MATCH ? ORDER BY bm25(sentences_fts) LIMIT ?",
            (match, limit),
        )
        return [(_sentence(r), float(r["score"])) for r in rows]

    def _search_tsvector(self, match: str, limit: int) -> list[tuple[Sentence, float]]:
        """PostgreSQL's full-text search for the same OR-query of quoted words.

        The words go through ``websearch_to_tsquery`` (never a syntax error, whatever they
        hold) with English stemming, as SQLite's porter tokenizer stems; ``ts_rank`` orders
        them (not BM25, so near-ties may order differently), and the GIN index on
        ``to_tsvector(text)`` keeps it an index lookup.
        """
        words = " or ".join(_FTS_WORD.findall(match)) or match
        rows = self.db.query(
            f"SELECT s.*, ts_rank(to_tsvector('{TS_CONFIG}', f.text), q) AS score"
            " FROM sentences_fts f JOIN sentences s ON s.source_id = f.source_id"
            " AND s.idx = CAST(f.idx AS BIGINT)"
            f" CROSS JOIN websearch_to_tsquery('{TS_CONFIG}', ?) AS q"
            f" WHERE to_tsvector('{TS_CONFIG}', f.text) @@ q"
            " ORDER BY score DESC, s.source_id, s.idx LIMIT ?",
            (words, limit),
        )
        return [(_sentence(r), float(r["score"])) for r in rows if r["score"] > 0]


_AS_STORED = object()  # ``StoredSentences.revision`` of a page not set since it was read


class StoredSentences(MutableMapping[str, list[Sentence]]):
    """Every page's sentences, keyed by source id in the store's order, read when asked.

    A pass over ``items()`` or ``values()`` reads ``PAGES_READ`` pages per query and keeps none;
    a page asked for by id is read alone and kept among the last ``PAGES_CACHED`` read so.
    Pages set here (a recompute redating a page) stay as set, in memory; a page deleted here is
    left out, not deleted from the store. The store must not
    change while this is read: a recompute holds the writer lock throughout.
    """

    def __init__(self, db: Database, ids: list[str]) -> None:
        self._db = db
        self._ids = ids
        self._known = set(ids)
        self._set: dict[str, list[Sentence]] = {}
        self._cache: OrderedDict[str, list[Sentence]] = OrderedDict()
        self._shared: dict[Any, Any] = {}  # one object per stored value, as in ``all_sentences``

    def __getitem__(self, source_id: str) -> list[Sentence]:
        found = self._set.get(source_id)
        if found is not None:
            return found
        found = self._cache.get(source_id)
        if found is not None:
            self._cache.move_to_end(source_id)
            return found
        if source_id not in self._known:
            raise KeyError(source_id)
        found = self._read(source_id, source_id).get(source_id, [])
        self._cache[source_id] = found
        if len(self._cache) > PAGES_CACHED:
            self._cache.popitem(last=False)
        return found

    def __setitem__(self, source_id: str, sentences: list[Sentence]) -> None:
        if source_id not in self._known:
            self._known.add(source_id)
            self._ids.append(source_id)
        self._cache.pop(source_id, None)
        self._set[source_id] = sentences

    def __delitem__(self, source_id: str) -> None:
        if source_id not in self._known:
            raise KeyError(source_id)
        self._known.discard(source_id)
        self._ids.remove(source_id)
        self._set.pop(source_id, None)
        self._cache.pop(source_id, None)

    def revision(self, source_id: str) -> object:
        """An object that stays the same while a page's sentences do: the list set here, else
        one marker for every page as stored (the store does not change while this is read)."""
        return self._set.get(source_id, _AS_STORED)

    def __contains__(self, source_id: object) -> bool:
        return source_id in self._known

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def items(self) -> ItemsView[str, list[Sentence]]:
        return _StreamedItems(self)

    def values(self) -> ValuesView[list[Sentence]]:
        return _StreamedValues(self)

    def stream(self) -> Iterator[tuple[str, list[Sentence]]]:
        """Every page and its sentences, a batch of pages per query."""
        for at in range(0, len(self._ids), PAGES_READ):
            chunk = self._ids[at : at + PAGES_READ]
            # pages added here are all set; the others keep the store's order: one range
            stored = [sid for sid in chunk if sid not in self._set]
            read = self._read(stored[0], stored[-1]) if stored else {}
            for sid in chunk:
                found = self._set.get(sid)
                yield sid, found if found is not None else read.get(sid, [])

    def pages(self, ids: Iterable[str]) -> Iterator[tuple[str, list[Sentence]]]:
        """The pages ``ids`` with their sentences (none for an unknown page), in that order,
        ``PAGES_READ`` per query."""
        wanted = list(ids)
        for at in range(0, len(wanted), PAGES_READ):
            chunk = wanted[at : at + PAGES_READ]
            unread = sorted({sid for sid in chunk if sid in self._known and sid not in self._set})
            read: dict[str, list[Sentence]] = {}
            for part in range(0, len(unread), IN_CHUNK):
                read.update(self._read_ids(unread[part : part + IN_CHUNK]))
            for sid in chunk:
                found = self._set.get(sid)
                yield sid, found if found is not None else read.get(sid, [])

    def _read(self, first: str, last: str) -> dict[str, list[Sentence]]:
        """The stored pages from ``first`` to ``last`` (ids in the store's order)."""
        return self._pages(
            self._db.query(
                f"SELECT {_COLUMNS} FROM sentences WHERE source_id >= ? AND source_id <= ?"
                " ORDER BY source_id, idx",
                (first, last),
            )
        )

    def _read_ids(self, ids: list[str]) -> dict[str, list[Sentence]]:
        marks = ",".join("?" * len(ids))
        return self._pages(
            self._db.query(
                f"SELECT {_COLUMNS} FROM sentences WHERE source_id IN ({marks})"
                " ORDER BY source_id, idx",
                ids,
            )
        )

    def _pages(self, rows: Iterable[Sequence[Any]]) -> dict[str, list[Sentence]]:
        """Rows of ``_COLUMNS`` as pages (what ``_sentence`` reads, by position: passes over a
        corpus read each sentence many times)."""
        out: dict[str, list[Sentence]] = {}
        shared = self._shared
        sid, page = "", []
        for source_id, idx, start, end, text, when, precision, seen in rows:
            if source_id != sid:
                sid = source_id
                page = out.setdefault(sid, [])
            day = shared.get(when) if when else None
            if when and day is None:
                day = shared[when] = date.fromisoformat(when)
            first_seen = shared.get(seen) if seen else None
            if seen and first_seen is None:
                first_seen = shared[seen] = datetime.fromisoformat(seen)
            page.append(Sentence(sid, idx, start, end, text, day, precision, first_seen))
        return out


_COLUMNS = ", ".join(_SENTENCE_COLUMNS)


class _StreamedItems(ItemsView[str, list[Sentence]]):
    _mapping: StoredSentences

    def __iter__(self) -> Iterator[tuple[str, list[Sentence]]]:
        return self._mapping.stream()


class _StreamedValues(ValuesView[list[Sentence]]):
    _mapping: StoredSentences

    def __iter__(self) -> Iterator[list[Sentence]]:
        return (page for _, page in self._mapping.stream())
