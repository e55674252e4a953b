"""Incremental, idempotent ingest of corpus folders (and of single documents from feeds).

Per file: unchanged (a stat only), added, updated (its old source goes), duplicate (same content
as a stored source: recorded, not stored twice), republished (a near-identical copy of a stored
original: stored with ``kind="republished"``), rejected (with a reason), or removed.

A file that turns bad (binary, undecodable, too large, empty) is reported rejected and its old
source is *kept* until the file is fixed or deleted: a broken save never erases stored data.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Generator, Iterable
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.crash import crash_point
from bot.ingest import files as fs
from bot.ingest import scan
from bot.ingest.progress import Bar
from bot.ingest.similar import (
    NearDuplicates,
    StoredNearDuplicates,
    band_parts,
    encode,
)
from bot.models import FileOutcome, IngestReport, Sentence, Source
from bot.settings import Settings
from bot.store import Store
from bot.store.sources import FileRecord, FileState

if TYPE_CHECKING:  # parsing is imported when a file is read: a read with nothing new needs none
    from bot.ingest.dates import Resolved
    from bot.ingest.parse import ParsedArticle
    from bot.ingest.prepare import Analysis, Prepared, Task

log = logging.getLogger(__name__)

# Bump when parsing, cleaning, splitting or dating changes, so every file is parsed again on the
# next run (5: datelines, header markers, weekday and yearless dates of sessions since 4;
# 6: the end of a period a figure covers, "the week ended August 21", dates nothing;
# 7: tag lists and captions above a credit are boilerplate, a headline below them is the title).
INGEST_VERSION = "7"
PROGRESS_MIN_FILES = 20
FEW_FILES = 50  # up to this many files to read, near-copies are looked up in the store
BATCH = 64  # files written per transaction (one commit, a few statements, for all of them)


@dataclass(frozen=True, slots=True)
class _Decision:
    """What to do with one parsed document."""

    outcome: str
    source_id: str
    source: Source | None = None
    sentences: tuple[Sentence, ...] = ()
    signature: str | None = None
    reason: str = ""


class Ingestor:
    """Reads corpus folders and documents into the store, idempotently."""

    def __init__(self, store: Store, settings: Settings, clock: Clock) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self._index: NearDuplicates | StoredNearDuplicates | None = None
        self._few = False  # this pass reads few files: near-copies are looked up in the store
        self._moving: dict[str, str] = {}  # source id -> the vanished file that held it
        self._pending: list[FileRecord] = []  # file states read, not yet written
        self._touched: set[str] = set()  # source ids the pending records write or let go
        self._failed: BaseException | None = None  # a write of pending records failed
        self._held: str | None = None  # the source the file being read held before
        # During a folder pass (the writer lock held): which ids the store may hold as sources
        # and as forgotten ones, so a new article costs no lookup; None: ask the store.
        self._ids: tuple[set[str], set[str]] | None = None

    # -- folders -----------------------------------------------------------------------------
    def ingest_folders(
        self, folders: list[Path], *, progress: bool = False, quick: bool = False
    ) -> IngestReport:
        """Ingest every article file under the folders; only changed files are read.

        ``quick`` (read commands): when no folder changed since the last full pass, report what
        that pass found without walking the files; an edit in place waits for a full pass.
        """
        key = scan.scan_key(
            folders, outside_links=self.settings.follow_outside_links, version=INGEST_VERSION
        )
        if quick and (stored := self._unchanged_tree(key)) is not None:
            return stored
        started, walked = time.time_ns(), dict[str, int]()  # folder -> mtime, as walked
        self._pending, self._touched, self._failed = [], set(), None
        self._ids = None
        report = IngestReport()
        known = self.store.sources.files()
        force = self.store.meta_get("ingest_version") != INGEST_VERSION
        found = _as_stored(
            fs.walk(folders, outside_links=self.settings.follow_outside_links, dirs=walked), known
        )
        present = {f.key for f in found}
        kept = self._keep_vanished(folders, present, known, report)
        gone = sorted(
            k for k in known if k not in present and k not in kept and fs.under(k, folders)
        )
        returned = [k for k in present if k in known and known[k].missing_since]
        if returned:
            self.store.sources.mark_present(returned)
        self._moving = _moving(gone, present, known)
        movable = set(self._moving.values())
        todo: list[tuple[fs.Found, FileState | None]] = []
        for item in found:
            old = known.get(item.key)
            if (
                not force
                and old is not None
                and (old.mtime_ns, old.size) == (item.mtime_ns, item.size)
            ):
                report.outcomes.append(_stored_outcome(item.key, old))
            else:
                todo.append((item, old))
        self._few = len(todo) <= FEW_FILES
        if not self._few:
            self._ids = (self.store.sources.ids(), self.store.sources.forgotten_ids())
        with (
            Bar(len(todo), enabled=progress and len(todo) > PROGRESS_MIN_FILES) as bar,
            closing(self._prepared(todo, force=force)) as ready,
        ):
            for (item, old), done in zip(todo, ready, strict=True):
                report.outcomes.append(self._ingest_file(item, old, force=force, prepared=done))
                bar.advance()
            self._flush()
        moved = movable - set(self._moving.values())
        self._ids = None
        self._remove_missing(gone, known, report, quiet=moved)
        self._moving = {}
        crash_point("ingest:files-written")
        if report.changed or self.store.sources_dirty():  # dirty: a run died before this line
            self.store.bump_corpus_version()
        if force:
            self.store.meta_set("ingest_version", INGEST_VERSION)
        self._record_scan(key, scan.settled(walked, started), report)
        return report

    def _unchanged_tree(self, key: str) -> IngestReport | None:
        """The last full pass's report again, if no folder changed since; else None."""
        if self.store.sources_dirty() or self.store.meta_get("ingest_version") != INGEST_VERSION:
            return None
        index = scan.load(self.store)
        if index is None or index.key != key or not scan.unchanged(index.dirs):
            return None
        return IngestReport(list(index.outcomes))

    def _record_scan(self, key: str, dirs: dict[str, int], report: IngestReport) -> None:
        """Remember the folders walked; a pass that found a folder vanished records none."""
        index = None if report.vanished else scan.ScanIndex(key, dirs, scan.replayed(report))
        scan.save(self.store, index)

    def _keep_vanished(
        self,
        folders: list[Path],
        present: set[str],
        known: dict[str, FileState],
        report: IngestReport,
    ) -> set[str]:
        """Keep, and mark missing, the files of folders that vanished; say so in the report.

        A folder has vanished when none of the article files stored from it is there any more:
        it is gone or unreadable, or all of its two or more files went in one run (an unmounted
        share, a checkout, a sync tool). The last file of a folder can still be deleted on its
        own; to empty a folder on purpose, take it out of the corpus (its sources then leave
        briefings). A vanished folder's files are marked missing until they are back.
        """
        kept: set[str] = set()
        for folder, held in _vanished(folders, present, known).items():
            unmarked = [k for k in held if not known[k].missing_since]
            if unmarked:
                self.store.sources.mark_missing(unmarked, self.clock())
            sources = {known[k].source_id for k in held if known[k].source_id}
            report.vanished[str(folder)] = len(sources)
            kept.update(held)
        return kept

    def _remove_missing(
        self, gone: list[str], known: dict[str, FileState], report: IngestReport, *, quiet: set[str]
    ) -> None:
        """Forget files that no longer exist (and sources only they held).

        ``quiet`` files moved elsewhere: their new name's outcome already says so.
        """
        if not gone:
            return
        self.store.sources.remove_files(gone)
        for key in gone:
            if key not in quiet:
                report.outcomes.append(FileOutcome(key, "removed", source_id=known[key].source_id))
        self._index = None

    def _prepared(
        self, todo: list[tuple[fs.Found, FileState | None]], *, force: bool
    ) -> Generator[Prepared | None, None, None]:
        """Per changed file, in order, its prepared result: from worker processes for a large
        pass, else None (the file is prepared when its turn comes)."""
        from bot.ingest import workers

        count = workers.worker_count(self.settings.ingest_workers)
        if not workers.use_workers(len(todo), count):
            yield from (None for _ in todo)
            return
        tasks = [self._task(item, old, force=force) for item, old in todo]
        yield from workers.prepared(tasks, count)

    def _task(self, item: fs.Found, old: FileState | None, *, force: bool) -> Task:
        """What preparing one changed file needs to know."""
        from bot.ingest.prepare import Task

        # the same content as stored (a touch, not a change) needs no parsing
        same = not force and old is not None and old.outcome != "rejected"
        return Task(item, self.settings.max_article_bytes, old.sha if same and old else None)

    def _ingest_file(
        self,
        item: fs.Found,
        old: FileState | None,
        *,
        force: bool,
        prepared: Prepared | None = None,
    ) -> FileOutcome:
        """Read, parse and store one changed file; reject it with a reason when it is bad."""
        from bot.ingest.prepare import PrepareFailed, prepare

        # A link out of the corpus keeps nothing it once gave: its lines must not stay quotable.
        previous = old.source_id if old and item.problem != fs.OUTSIDE else None
        self._held = old.source_id if old else None
        ready = prepared or prepare(self._task(item, old, force=force))
        sha = ready.sha
        if ready.unchanged and old is not None:
            self._record(item, sha, previous, old.outcome, old.reason)  # touched, not changed
            return FileOutcome(item.key, "unchanged", source_id=previous)
        if ready.rejected:
            return self._reject(item, sha, previous, ready.rejected)
        if ready.parsed is None:  # a parser bug must not stop the run or corrupt the store
            log.debug("ingest failed on %s:\n%s", item.key, ready.trace)  # with --debug
            return self._reject(item, sha, previous, f"could not be parsed ({ready.failure})")
        parsed, notes = ready.parsed, ready.notes
        try:
            decision = self._decide(
                parsed,
                path=item.key,
                url=parsed.url,
                notes=notes,
                previous=previous,
                analysis=ready.analysis,
            )
            remarks = "; ".join((*notes, *parsed.warnings))
            if remarks and decision.source is not None:  # things the author may want to fix
                decision = replace(
                    decision, reason="; ".join(filter(None, (decision.reason, remarks)))
                )
        except fs.Rejected as exc:
            return self._reject(item, sha, previous, str(exc))
        except Exception as exc:  # a parser bug must not stop the run or corrupt the store
            if exc is self._failed:  # writing earlier files failed: not this file's fault
                raise
            if isinstance(exc, PrepareFailed):  # in a worker: its traceback, its exception
                log.debug("ingest failed on %s:\n%s", item.key, exc.trace)
                return self._reject(item, sha, previous, f"could not be parsed ({exc.kind})")
            log.debug("ingest failed on %s", item.key, exc_info=True)  # traceback with --debug
            return self._reject(item, sha, previous, f"could not be parsed ({type(exc).__name__})")
        self._record(item, sha, decision.source_id, decision.outcome, decision.reason, decision)
        return FileOutcome(
            item.key,
            decision.outcome,  # type: ignore[arg-type]
            reason=decision.reason,
            source_id=decision.source_id,
        )

    def _reject(self, item: fs.Found, sha: str, previous: str | None, reason: str) -> FileOutcome:
        """Record a rejected file, keeping the source its last good version produced."""
        self._record(item, sha, previous, "rejected", reason)
        return FileOutcome(item.key, "rejected", reason=reason, source_id=previous)

    def _record(
        self,
        item: fs.Found,
        sha: str,
        source_id: str | None,
        outcome: str,
        reason: str,
        decision: _Decision | None = None,
    ) -> None:
        """Queue the file's state, with its new source if any, for the next batch write."""
        state = FileState(item.key, item.mtime_ns, item.size, sha, source_id, outcome, reason)
        source = decision.source if decision is not None else None
        if source is None:
            record = FileRecord(state)
        else:
            record = FileRecord(state, source, decision.sentences, decision.signature)  # type: ignore[union-attr]
        self._pending.append(record)
        self._touched.update(filter(None, (source_id, self._held)))
        if len(self._pending) >= (1 if self._few else BATCH):
            self._flush()

    def _settle(self, *source_ids: str | None) -> None:
        """Write the pending files first if they write (or let go) one of these sources, so the
        store answers about it as if every file had been written on its own."""
        if self._touched.intersection(source_ids):
            self._flush()

    def _flush(self) -> None:
        """Write the pending file states in one transaction (all of them or none)."""
        if not self._pending:
            return
        try:
            self.store.sources.record_files(self._pending)
        except BaseException as exc:
            self._failed = exc  # propagates: the store keeps what the earlier batches wrote
            raise
        if self._ids is not None:  # what the batch wrote, and what it may have let go
            written = {r.source.id for r in self._pending if r.source is not None}
            self._ids[0].update(written)
            self._ids[1].update(self._touched)
        self._pending, self._touched = [], set()

    def _stored(self, source_id: str) -> Source | None:
        """The stored source with this id, if any (no lookup when the pass knows it is none)."""
        if self._ids is not None and source_id not in self._ids[0]:
            return None
        return self.store.sources.get(source_id)

    # -- documents from feeds and URLs ----------------------------------------------------------
    def add_document(
        self,
        parsed: ParsedArticle,
        *,
        name: str,
        url: str | None = None,
        path: str | None = None,
        notes: tuple[str, ...] = (),
    ) -> FileOutcome:
        """Store one article that did not come from a corpus file (a feed item, a fetched URL)."""
        from bot.ingest.sentences import split_sentences

        if not split_sentences(parsed.text):
            return FileOutcome(name, "rejected", reason="no sentences")
        decision = self._decide(
            parsed, path=path, url=url or parsed.url, notes=notes, previous=None
        )
        if decision.source is not None:
            self.store.sources.put(decision.source, list(decision.sentences), decision.signature)
            self.store.bump_corpus_version()
        return FileOutcome(
            name,
            decision.outcome,  # type: ignore[arg-type]
            reason=decision.reason,
            source_id=decision.source_id,
        )

    # -- shared --------------------------------------------------------------------------------
    def _decide(
        self,
        parsed: ParsedArticle,
        *,
        path: str | None,
        url: str | None,
        notes: tuple[str, ...],
        previous: str | None,
        analysis: Analysis | None = None,
    ) -> _Decision:
        """Dedupe a parsed article against the store and build what to write."""
        from bot.ingest.prepare import analyse

        work = analysis or analyse(parsed)  # rejects an article without sentences
        spans, sid = work.spans, work.source_id
        self._settle(sid, previous)
        existing = self._stored(sid)
        source = Source(
            id=sid,
            title=parsed.title,
            text=parsed.text,
            outlet=parsed.outlet,
            published=parsed.published,
            date_basis=parsed.date_basis,
            url=url,
            path=path,
            first_seen=self.clock(),
            language=parsed.language,
            notes=tuple(dict.fromkeys(parsed.notes + notes)),
        )
        if existing is not None:
            return self._same_content(source, existing, work, previous)
        sig = work.sign(parsed.text)
        index = self._near_index()
        match = index.best(sig, exclude=previous) if sig else None
        if match:
            self._settle(match[0])
        if previous:
            index.discard(previous)
        moved_from = self._moving.pop(match[0], None) if match else None
        earlier = previous
        if moved_from is not None:  # a file moved and edited: its new version, not a copy of it
            index.discard(match[0])  # type: ignore[index]
            earlier, match = match[0], None  # type: ignore[index]
        reason = f"moved from {moved_from}" if moved_from else ""
        if match is not None:
            source = replace(source, kind="republished", original_id=match[0])
            outcome = "republished"
            reason = (
                f"near-copy of {_where(self.store.sources.get(match[0]))} ({match[1]:.0%} similar)"
            )
        else:
            outcome = "updated" if previous or moved_from else "added"
            if sig:
                index.add(sid, sig)
        encoded = encode(sig) if sig else None
        sentences = _sentences(source, spans, work.dated(source.text, source.published))
        if outcome == "updated" and earlier:
            self._settle(earlier)
            sentences = self._carry_first_seen(sentences, earlier)
        else:
            source, sentences = self._seen_before(source, sentences)
        return _Decision(outcome, sid, source, sentences, encoded, reason)

    def _seen_before(
        self, source: Source, sentences: tuple[Sentence, ...]
    ) -> tuple[Source, tuple[Sentence, ...]]:
        """A source removed and now back unchanged keeps its first-seen times (it is not news)."""
        if self._ids is not None and source.id not in self._ids[1]:
            return source, sentences
        before = self.store.sources.first_seen_before(source.id)
        if before is None:
            return source, sentences
        kept = tuple(replace(s, first_seen=before.sentences.get(s.index)) for s in sentences)
        return replace(source, first_seen=before.source), kept

    def _carry_first_seen(
        self, sentences: tuple[Sentence, ...], earlier: str
    ) -> tuple[Sentence, ...]:
        """Sentences an edit kept keep the time they were first read (an edit is not news)."""
        old = self.store.sources.get(earlier)
        if old is None:
            return sentences
        seen: dict[str, datetime | None] = {}
        for s in self.store.sources.sentences(earlier):
            seen.setdefault(_folded(s.text), s.first_seen or old.first_seen)
        return tuple(replace(s, first_seen=seen.get(_folded(s.text))) for s in sentences)

    def _same_content(
        self, source: Source, existing: Source, work: Analysis, previous: str | None
    ) -> _Decision:
        """Same normalised text as a stored source: a duplicate, or this file's own source."""
        moved_from = self._moving.pop(existing.id, None) if existing.id != previous else None
        if existing.id != previous and moved_from is None:
            return _Decision("duplicate", existing.id, reason=f"same text as {_where(existing)}")
        source = replace(
            source,
            first_seen=existing.first_seen,  # a move or a touch is not news
            kind=existing.kind,
            original_id=existing.original_id,
            path=source.path if moved_from else existing.path or source.path,
            url=source.url or existing.url,
        )
        if source == existing:
            return _Decision("unchanged", existing.id)
        sig = work.sign(source.text)
        reason = f"moved from {moved_from}" if moved_from else ""
        encoded = encode(sig) if sig else None
        sentences = _sentences(source, work.spans, work.dated(source.text, source.published))
        return _Decision("updated", source.id, source, sentences, encoded, reason)

    def _near_index(self) -> NearDuplicates | StoredNearDuplicates:
        """The LSH index of stored originals, built once per ingestor."""
        if self._index is None and self._few:  # a few new files: ask the store, build nothing
            self._index = StoredNearDuplicates(
                lambda sig: self.store.sources.near_signatures(band_parts(sig))
            )
        if self._index is None:
            self._index = NearDuplicates(self.store.sources.signatures().items())
        return self._index


def _where(source: Source | None) -> str:
    """How to name a stored source in a report: its file, its URL, or its id."""
    if source is None:
        return "a stored source"
    return source.path or source.url or source.id


def _moving(gone: list[str], present: set[str], known: dict[str, FileState]) -> dict[str, str]:
    """Sources whose every file vanished, with one such file: a file holding one now moved."""
    held = {state.source_id for key, state in known.items() if key in present}
    out: dict[str, str] = {}
    for key in gone:
        source_id = known[key].source_id
        if source_id and source_id not in held and known[key].outcome != "rejected":
            out.setdefault(source_id, key)
    return out


def _vanished(
    folders: list[Path], present: set[str], known: dict[str, FileState]
) -> dict[Path, list[str]]:
    """Per corpus folder that holds none of its stored files now, the stored files it held."""
    empty = {
        folder: fs.identity(str(folder)).rstrip(os.sep) + os.sep
        for folder in fs.corpus_folders(folders)
    }
    for key in present:  # usually one key per folder settles it
        if not empty:
            return {}
        where = fs.identity(key)
        empty = {f: root for f, root in empty.items() if not where.startswith(root)}
    out: dict[Path, list[str]] = {}
    for folder, root in empty.items():
        held = [k for k in known if fs.identity(k).startswith(root)]
        if len(held) > 1 or (held and not _listable(folder)):
            out[folder] = held
    return out


def _listable(folder: Path) -> bool:
    """Whether the folder exists and can be listed."""
    try:
        with os.scandir(folder):
            return True
    except OSError:
        return False


def _as_stored(found: Iterable[fs.Found], known: dict[str, FileState]) -> list[fs.Found]:
    """Found files under the key they were first stored with, however the folder is spelled now."""
    stored: dict[str, str] | None = None  # absolute path -> stored key, made at the first miss
    out = []
    for item in found:
        if item.key in known:  # the usual case: spelled as stored
            out.append(item)
            continue
        if stored is None:
            stored = {fs.identity(key): key for key in known}
        key = stored.get(fs.identity(item.key), item.key)
        out.append(item if key == item.key else replace(item, key=key))
    return out


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _stored_outcome(key: str, old: FileState) -> FileOutcome:
    """The outcome of a file that did not change since the last run."""
    if old.outcome == "rejected":
        return FileOutcome(key, "rejected", reason=old.reason, source_id=old.source_id)
    return FileOutcome(key, "unchanged", source_id=old.source_id)


def _sentences(
    source: Source, spans: Iterable[tuple[int, int]], dates: Iterable[Resolved]
) -> tuple[Sentence, ...]:
    """The source's sentences, each with its resolved event date."""
    out = []
    for index, ((start, end), (when, precision)) in enumerate(zip(spans, dates, strict=True)):
        out.append(Sentence(source.id, index, start, end, source.text[start:end], when, precision))
    return tuple(out)
