"""Core domain objects: sources, sentences, topics, statements, briefings.

Plain frozen dataclasses; the store returns these, the engines produce them, the renderers read them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

DateBasis = Literal["header", "front_matter", "sidecar", "text", "url", "feed", "page", "unknown"]
Precision = Literal["day", "week", "month"]
StatementKind = Literal["status", "development", "disputed", "answer"]
SourceKind = Literal["original", "republished"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """A span of a source's cleaned text; citations point at sentences."""

    source_id: str
    index: int
    start: int
    end: int
    text: str
    date: date | None = None
    date_precision: Precision | None = None
    first_seen: datetime | None = None  # when this sentence was first read, if before its source
    context: str = ""  # the sentences before it that it leans on ("She added …"), shown with it

    @property
    def shown(self) -> str:
        """The text a reader sees: the sentence, after the context it leans on."""
        return f"{self.context} {self.text}" if self.context else self.text

    @property
    def key(self) -> str:
        """Stable id of this sentence, ``<source id>:<index>``."""
        return f"{self.source_id}:{self.index}"


def pages_of(
    sentences: Mapping[str, list[Sentence]], ids: Iterable[str]
) -> Iterator[tuple[str, list[Sentence]]]:
    """The pages ``ids`` with their sentences (none for an unknown page), in that order.

    A corpus read from the store as it is used (``bot.store.sources.StoredSentences``) reads
    them in batches, not a query per page.
    """
    batched = getattr(sentences, "pages", None)
    if batched is not None:
        return batched(ids)  # type: ignore[no-any-return]
    return ((sid, sentences.get(sid, [])) for sid in ids)


@dataclass(frozen=True, slots=True)
class Source:
    """One article, identified by the hash of its normalised content."""

    id: str
    title: str
    text: str
    outlet: str | None = None
    published: date | None = None
    date_basis: DateBasis = "unknown"
    url: str | None = None
    path: str | None = None
    first_seen: datetime | None = None
    kind: SourceKind = "original"
    original_id: str | None = None
    language: str | None = None
    notes: tuple[str, ...] = ()
    published_estimated: bool = False  # no date of its own: estimated from similar dated pages


@dataclass(frozen=True, slots=True)
class Topic:
    """A storyline: slug, title, description and the words that find it."""

    slug: str
    title: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Citation:
    """A pointer to the exact quote in a source that supports a statement."""

    source_id: str
    quote: str
    link: str | None = None  # the source's URL opened at the quote (a text fragment), if it has one


@dataclass(frozen=True, slots=True)
class Statement:
    """What a user reads: text plus the citations behind it."""

    kind: StatementKind
    text: str
    citations: tuple[Citation, ...]
    date: date | None = None
    date_precision: Precision | None = None
    dispute: str | None = None
    corroboration: int = 1  # distinct outlets reporting it
    related: str | None = None  # the neighbouring topic it belongs to, when shown as related
    date_estimated: bool = False  # dated from an estimated publication date


@dataclass(frozen=True, slots=True)
class Verification:
    """How many claims a model wrote and how many were dropped as unsupported."""

    claims: int = 0
    dropped: int = 0


@dataclass(frozen=True, slots=True)
class Briefing:
    """Ordered statements plus the sources they cite, numbered in order of first citation."""

    kind: Literal["status", "timeline", "digest", "ask"]
    statements: tuple[Statement, ...]
    sources: tuple[Source, ...]
    engine: str = "extractive"
    topic: Topic | None = None
    question: str | None = None
    notes: tuple[str, ...] = ()
    verification: Verification = field(default_factory=Verification)
    _numbers: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_numbers", {s.id: i for i, s in enumerate(self.sources, 1)})

    @property
    def as_of(self) -> date | None:
        """The newest publication date among the cited sources."""
        dates = [s.published for s in self.sources if s.published]
        return max(dates) if dates else None

    def number_of(self, source_id: str) -> int:
        """The 1-based citation number of a source in this briefing."""
        return self._numbers[source_id]


@dataclass(frozen=True, slots=True)
class TopicSummary:
    """A topic with counts, for ``topics`` listings."""

    topic: Topic
    sources: int
    latest: date | None
    headline: str | None = None


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What ingest did with one file or item."""

    name: str
    outcome: Literal[
        "added", "updated", "unchanged", "duplicate", "republished", "rejected", "removed"
    ]
    reason: str = ""
    source_id: str | None = None


@dataclass(slots=True)
class IngestReport:
    """Outcomes of one ingest run."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    vanished: dict[str, int] = field(default_factory=dict)  # folder -> sources kept from it

    def notices(self) -> list[str]:
        """One line per corpus folder that vanished (its sources were kept)."""
        return [
            f"corpus folder {folder} is missing or empty: kept {n} sources"
            for folder, n in self.vanished.items()
        ]

    def count(self, outcome: str) -> int:
        """How many files had this outcome."""
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def changed(self) -> bool:
        """Whether anything was added, updated, republished or removed."""
        return any(
            o.outcome in {"added", "updated", "republished", "removed"} for o in self.outcomes
        )


@dataclass(frozen=True, slots=True)
class Development:
    """One dated thing that happened in a topic, with every sentence (from any source) reporting it.

    ``sentences[0]`` is the representative report. ``outlets`` counts distinct outlets (a
    republished copy counts with its original), which is the development's corroboration.
    """

    id: str
    topic: str
    sentences: tuple[Sentence, ...]
    date: date | None
    date_precision: Precision | None
    score: float
    first_seen: datetime | None
    outlets: int = 1
    cues: tuple[str, ...] = ()
    disputed_by: tuple[str, ...] = ()
    articles: int = (
        1  # distinct articles reporting it (a republished copy counts with its original)
    )
    related: str | None = None  # set when shown in another topic's timeline: the topic it lives in
    date_estimated: bool = False  # its date rests on an estimated publication date
    recap: bool = False  # every report restates it as background to later news

    @property
    def text(self) -> str:
        """The representative sentence's text."""
        return self.sentences[0].text

    @property
    def source_ids(self) -> tuple[str, ...]:
        """Distinct sources behind this development, representative first."""
        return tuple(dict.fromkeys(s.source_id for s in self.sentences))
