"""The per-file work of an ingest that needs no store: read, parse, clean, split, date, sign.

It depends on the file and two settings only, so it may run in other processes
(``bot.ingest.workers``) while the ingesting process decides duplicates and edits and writes, in
file order. Results are plain data. In the ingesting process itself, the signature and the
sentences' dates are worked out when the decision needs them, as they always were; a worker
works them out at once and, should that fail, says so when they are needed.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.ingest import files as fs
from bot.ingest.dates import Resolved, resolve_event_date
from bot.ingest.parse import ParsedArticle, parse_document
from bot.ingest.sentences import split_sentences
from bot.ingest.similar import Signature, content_id, signature


class PrepareFailed(Exception):
    """Working out a file's signature or dates failed in a worker (``kind``: the exception)."""

    def __init__(self, kind: str, trace: str) -> None:
        super().__init__(kind)
        self.kind = kind
        self.trace = trace


@dataclass(slots=True)
class Analysis:
    """What a parsed article's text gives without the store: its sentences' spans, its content
    id, and (worked out at once in a worker, else when asked) its signature and event dates."""

    spans: list[tuple[int, int]]
    source_id: str
    done: bool = False  # signature and dates below are worked out
    signature: Signature | None = None
    dates: tuple[Resolved, ...] = ()
    failure: str = ""  # what working them out raised, in a worker
    trace: str = ""

    def sign(self, text: str) -> Signature | None:
        """The text's near-duplicate signature."""
        self._check()
        return self.signature if self.done else signature(text)

    def dated(self, text: str, published: date | None) -> tuple[Resolved, ...]:
        """Each sentence's event date and precision."""
        self._check()
        if self.done:
            return self.dates
        return tuple(resolve_event_date(text[a:b], published) for a, b in self.spans)

    def _check(self) -> None:
        if self.failure:
            raise PrepareFailed(self.failure, self.trace)


def analyse(parsed: ParsedArticle, *, eager: bool = False) -> Analysis:
    """Split and identify a parsed article (``eager``: sign and date it too); rejects it when it
    has no sentences."""
    spans = split_sentences(parsed.text)
    if not spans:
        raise fs.Rejected("no sentences")
    out = Analysis(spans, content_id(parsed.text))
    if eager:
        try:
            out.signature = out.sign(parsed.text)
            out.dates = out.dated(parsed.text, parsed.published)
            out.done = True
        except Exception as exc:  # reported when the decision needs them, as in one process
            out.failure, out.trace = type(exc).__name__, traceback.format_exc()
    return out


@dataclass(frozen=True, slots=True)
class Task:
    """One changed file to prepare; ``known_sha``: its stored fingerprint, when the same
    content needs no parsing (the stored state stands)."""

    item: fs.Found
    max_bytes: int
    known_sha: str | None = None


@dataclass(frozen=True, slots=True)
class Prepared:
    """One file, read and parsed; or why it is rejected; or that it did not change."""

    sha: str
    unchanged: bool = False
    parsed: ParsedArticle | None = None
    notes: tuple[str, ...] = ()  # how it was decoded, when not plain UTF-8
    analysis: Analysis | None = None
    rejected: str = ""  # the one-line reason a bad file is rejected
    failure: str = ""  # the exception a parser bug raised (the file is rejected with its name)
    trace: str = ""


def prepare(task: Task, *, eager: bool = False) -> Prepared:
    """Read and parse one file; never raises for a bad file (the result says what was wrong)."""
    item, sha = task.item, ""
    try:
        data, side = fs.read_bytes(item, task.max_bytes)
        sha = fs.fingerprint(data, side)
        if sha == task.known_sha:
            return Prepared(sha, unchanged=True)
        meta = fs.read_sidecar(side, item)
        suffix = item.path.suffix.lower()
        raw, how = fs.decode(data, html=suffix in {".html", ".htm"})
        parsed = parse_document(raw, name=Path(item.key).name, suffix=suffix, meta=meta)
        notes = (how,) if how else ()
        return Prepared(sha, parsed=parsed, notes=notes, analysis=analyse(parsed, eager=eager))
    except fs.Rejected as exc:
        return Prepared(sha, rejected=str(exc))
    except Exception as exc:  # a parser bug must not stop the run or corrupt the store
        return Prepared(sha, failure=type(exc).__name__, trace=traceback.format_exc())


def prepare_many(tasks: list[Task]) -> list[Prepared]:
    """Prepare a chunk of files in a worker process, in order."""
    return [prepare(task, eager=True) for task in tasks]
