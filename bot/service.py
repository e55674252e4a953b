"""The façade: the Discord cogs, the CLI and the tests call these methods and nothing deeper.

Reads (status, timeline, sources, digest) come from results stored when the corpus changed; they
never re-score the corpus per call. ``refresh`` is the one place that ingests and recomputes.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.clock import Clock, utcnow
from bot.digest.engine import Engine
from bot.errors import CorpusMissing, UsageError
from bot.models import (
    Briefing,
    Development,
    IngestReport,
    Sentence,
    Source,
    Topic,
    TopicSummary,
)
from bot.render.fragments import link_citations
from bot.render.jsonout import (
    briefing_from_dict,
    briefing_to_dict,
    development_from_dict,
    development_to_dict,
)
from bot.settings import Settings
from bot.store import Store
from bot.topics.keeper import TopicKeeper
from bot.topics.kept import kept as kept_topics
from bot.topics.kept import remember as remember_topics
from bot.topics.lookup import resolve_topic, suggest_topics

if TYPE_CHECKING:
    from bot.subscriptions import Subscriptions

log = logging.getLogger(__name__)


def _pipeline_version() -> str:
    """A hash of the code that computes stored results, so an upgrade recomputes them."""
    digest = hashlib.sha256()
    for folder in ("topics", "digest"):
        for path in sorted((Path(__file__).parent / folder).glob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


PIPELINE_VERSION = _pipeline_version()

Progress = Callable[[int, int, str], None]
RETRY_FALLBACK = timedelta(minutes=15)


class Dispatch:
    """Everything a user can ask of Dispatch, independent of how they ask."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        store: Store | None = None,
        engine: Engine | None = None,
    ) -> None:
        self.settings = settings
        self.clock: Clock = clock or utcnow
        self.store = store or Store(settings.db)
        self._engine = engine
        self._lock = threading.RLock()
        self._topics: list[Topic] | None = None
        self._topics_hash = ""
        self._keeper = TopicKeeper(self.store)

    # -- configuration -----------------------------------------------------------------------
    @property
    def folders(self) -> list[Path]:
        """The corpus folders, checked to exist."""
        if not self.settings.corpus:
            raise UsageError("No corpus folder: pass --corpus DIR or set DISPATCH_CORPUS")
        for folder in self.settings.corpus:
            if folder.exists() and not folder.is_dir():
                raise UsageError(f"Corpus path is a file, not a folder: {folder}")
            if not folder.is_dir() and not self._stored_under(folder):
                raise CorpusMissing(str(folder))  # a typo; one that held files has vanished
        return list(self.settings.corpus)

    def _stored_under(self, folder: Path) -> bool:
        """Whether the store holds files read from this folder (it vanished, ingest keeps them)."""
        from bot.ingest.files import under

        return any(under(key, [folder]) for key in self.store.sources.files())

    @property
    def engine(self) -> Engine:
        """The briefing engine: the LLM when configured, else the extractive one."""
        if self._engine is None:
            from bot.digest.extractive import ExtractiveEngine

            extractive = ExtractiveEngine()
            if self.settings.use_llm:
                from bot.llm import build_engine

                self._engine = build_engine(self.settings, self.store, extractive, clock=self.clock)
            else:
                self._engine = extractive
        return self._engine

    def topic_list(self) -> list[Topic]:
        """Every configured topic, from the corpus folders' topics.toml files.

        While a topics.toml is broken these are the last good topics (``config_problem`` says why).
        """
        if self._topics is None:
            self._topics, self._topics_hash = self._keeper.load(
                self.folders, kept_topics(self.store)
            )
        return self._topics

    @property
    def config_problem(self) -> str | None:
        """Why the topics served are not those on disk (a broken topics.toml), else None."""
        return self._keeper.problem

    def resolve_topic(self, query: str) -> Topic:
        """The topic a user meant (slug, title, alias, prefix or a near-miss spelling)."""
        return resolve_topic(query, self.topic_list())

    def suggest_topics(self, text: str, limit: int = 25) -> list[Topic]:
        """Topics matching partial input, best first (autocomplete)."""
        return suggest_topics(text, self.topic_list(), limit=limit)

    # -- ingest and recompute ----------------------------------------------------------------
    def refresh(
        self, *, progress: bool = False, force: bool = False, wait: bool = True, quick: bool = False
    ) -> IngestReport:
        """Ingest changed folder files, then recompute stored briefings if anything changed.

        One process at a time updates a database; ``wait=False`` raises ``StoreBusy`` rather
        than wait for another one (reads can then answer from the results stored already).
        ``quick`` (the CLI's read commands) skips the files when no folder changed since the
        last full pass (``bot.ingest.scan``): an edit in place waits for ``dispatch ingest``.
        """
        from bot.ingest.pipeline import Ingestor

        with self._lock, self.store.db.writer(wait=wait):
            self._topics = None
            folders = self.folders
            report = Ingestor(self.store, self.settings, self.clock).ingest_folders(
                folders, progress=progress, quick=quick
            )
            remember_topics(self.store, folders, report.vanished)
            self._topics = None
            self.recompute_if_needed(force=force or report.changed)
            self._keeper.remember()
            return report

    def ingest(self, *, progress: bool = False, force: bool = False) -> IngestReport:
        """Ingest folders and poll every due feed or URL source once (``force``: ignore intervals).

        The writer lock is held for the folder ingest, then only while polled items are stored:
        never while feeds and pages are being fetched, however slowly a server answers.
        """
        from bot.feeds import poll_due

        report = self.refresh(progress=progress)
        feed_report = poll_due(self, force=force)
        report.outcomes.extend(feed_report.outcomes)
        if feed_report.changed:
            with self.writer():
                self.recompute_if_needed(force=True)
        return report

    @contextmanager
    def writer(self, *, wait: bool = True) -> Iterator[None]:
        """Be the only writer of the database (threads and processes) for a block."""
        with self._lock, self.store.db.writer(wait=wait):
            yield

    def corpus_version(self) -> str:
        """A key that changes whenever sources, topics or the pipeline change."""
        self.topic_list()
        version = self.store.meta_get("corpus_version") or "0"
        return f"{version}:{self._topics_hash}:{PIPELINE_VERSION}:{self.engine.name}"

    def bump_corpus_version(self) -> None:
        """Mark the stored sources as changed (ingest calls this)."""
        self.store.bump_corpus_version()

    def recompute_if_needed(self, *, force: bool = False) -> bool:
        """Recompute stored results when the corpus version moved; return whether it did.

        Also when the LLM engine fell back to extractive last time, is callable again, and the
        fallback is at least ``RETRY_FALLBACK`` old (its cache makes the topics that worked free).
        """
        version = self.corpus_version()
        if (
            not force
            and self.store.meta_get("computed_version") == version
            and not self._retry_fallback()
        ):
            return False
        self.recompute()
        return True

    def _retry_fallback(self) -> bool:
        fell_back = self.store.meta_get("fallback_at")
        available = getattr(self.engine, "available", None)
        if not fell_back or available is None or not available():
            return False
        return self.clock() - datetime.fromisoformat(fell_back) >= RETRY_FALLBACK

    def recompute(self) -> None:
        """Assign topics, build developments and store status and timeline for every topic."""
        from bot.digest.developments import build_developments
        from bot.digest.related import related_developments
        from bot.topics.assign import assign_topics

        with self._lock, self.store.db.writer():
            topics = self.topic_list()
            version = self.corpus_version()
            sources = {s.id: s for s in self._corpus_sources(self.store.sources.all())}
            sentences = self.store.sources.all_sentences()
            index = assign_topics(topics, sources, sentences)
            self.store.briefings.set_assignments(index.assignment_rows())
            self._pin_undated(sources, sentences)
            built = {t.slug: build_developments(t, index, sources, sentences) for t in topics}
            built = self._date_undated(index, built, sources, sentences)
            estimates = {
                sid: src.published.isoformat()
                for sid, src in sources.items()
                if src.published_estimated and src.published
            }
            rows: list[tuple[str, str, str, str, Any]] = [
                ("*", "estimates", "", version, estimates)
            ]
            fell_back = False
            for topic in topics:
                related = related_developments(
                    topic.slug, built[topic.slug], built, index.articles.get(topic.slug, {})
                )
                devs = sorted([*built[topic.slug], *related], key=lambda d: (-d.score, d.id))
                cited = self._sources_for(devs, sources)
                rows.append(
                    (
                        topic.slug,
                        "developments",
                        "",
                        version,
                        [development_to_dict(d) for d in devs],
                    )
                )
                for kind in ("status", "timeline"):
                    limit = self.settings.timeline_limit if kind == "timeline" else None
                    briefing = self.engine.brief(kind, topic, devs, cited, limit=limit)
                    briefing = link_citations(briefing, self._text_of(sentences))
                    fell_back |= bool(devs) and briefing.engine != self.engine.name
                    rows.append(
                        (topic.slug, kind, self.engine.name, version, briefing_to_dict(briefing))
                    )
            self.store.briefings.put_many(rows)
            self.store.meta_set("computed_version", version)
            self.store.meta_set("fallback_at", self.clock().isoformat() if fell_back else "")

    @staticmethod
    def _pin_undated(sources: dict[str, Source], sentences: dict[str, list[Sentence]]) -> None:
        """Date the undated pages that pin their own date ("Sunday (Dec. 11)"), in place."""
        from bot.digest import dating

        for sid, when in dating.pin_dates(sources, sentences).items():
            sources[sid] = dating.estimated_source(sources[sid], when)
            sentences[sid] = dating.redate(sentences.get(sid, []), when)

    @staticmethod
    def _date_undated(
        index: Any,
        built: dict[str, list[Development]],
        sources: dict[str, Source],
        sentences: Mapping[str, list[Sentence]],
    ) -> dict[str, list[Development]]:
        """Estimate the topics' undated pages' dates and date their developments around them."""
        from bot.digest import dating

        estimates = dating.from_events(
            (d for devs in built.values() for d in devs), sources, sentences
        )
        members = {sid for arts in index.articles.values() for sid in arts}
        for sid, when in dating.estimate_dates(sources, sentences, members).items():
            estimates[sid] = max(estimates.get(sid, when), when)  # the later of the two
        if not estimates:
            return built
        for sid, when in estimates.items():
            sources[sid] = dating.estimated_source(sources[sid], when)
        return {slug: dating.apply_estimates(devs, estimates) for slug, devs in built.items()}

    @staticmethod
    def _sources_for(
        devs: Sequence[Development], sources: Mapping[str, Source]
    ) -> dict[str, Source]:
        ids = {s.source_id for d in devs for s in d.sentences}
        return {i: sources[i] for i in ids if i in sources}

    # -- reads -------------------------------------------------------------------------------
    def _stored(self, slug: str, kind: str) -> Any:
        """A stored result: the current one, else the previous one while a recompute runs.

        Reads never recompute a corpus that has results already (``refresh`` does, in the CLI
        before a read and in the bot's re-ingest loop); only a database with none computes here.
        """
        engine = self.engine.name if kind != "developments" else ""
        body = self.store.briefings.get(slug, kind, engine, self.corpus_version())
        if body is None:
            body = self.store.briefings.get(slug, kind, engine)
        if body is None:
            self._ensure_computed()
            body = self.store.briefings.get(slug, kind, engine)
        return body

    def _ensure_any(self) -> None:
        """Compute results once if this database never had any."""
        if self.store.meta_get("computed_version") is None:
            self._ensure_computed()

    def _ensure_computed(self) -> None:
        """Compute results once for a database that has none (or none for this engine)."""
        with self._lock, self.store.db.writer():
            if self.store.meta_get("computed_version") != self.corpus_version():
                self.recompute()

    def status(self, query: str) -> Briefing:
        """Where a story stands, its key developments and what sources dispute."""
        topic = self.resolve_topic(query)
        return briefing_from_dict(self._stored(topic.slug, "status"))

    def timeline(self, query: str, limit: int | None = None) -> Briefing:
        """The story's significant developments in date order (at most ``limit``)."""
        topic = self.resolve_topic(query)
        if limit is None or limit == self.settings.timeline_limit:
            return briefing_from_dict(self._stored(topic.slug, "timeline"))
        devs = self.developments(topic.slug)
        cited = self._sources_for(devs, self._stored_sources(devs))
        briefing = self.engine.brief("timeline", topic, devs, cited, limit=limit)
        return link_citations(briefing, self._text_of())

    def _text_of(
        self, sentences: Mapping[str, list[Sentence]] | None = None
    ) -> Callable[[str], str]:
        """A source's text by id (from ``sentences`` when given, else the store), for links."""

        def text_of(source_id: str) -> str:
            found = sentences.get(source_id) if sentences is not None else None
            if found is None:
                found = self.store.sources.sentences(source_id)
            return " ".join(s.text for s in found)

        return text_of

    def _stored_sources(self, devs: Sequence[Development]) -> dict[str, Source]:
        """The sources developments cite, with the publication dates the recompute estimated."""
        from bot.digest.dating import estimated_source

        by_id = self.store.sources.many({s.source_id for d in devs for s in d.sentences})
        estimates = self.store.briefings.get("*", "estimates", "") or {}
        for sid, when in estimates.items():
            if sid in by_id and by_id[sid].published is None:
                by_id[sid] = estimated_source(by_id[sid], date.fromisoformat(when))
        return by_id

    def developments(self, slug: str) -> list[Development]:
        """A topic's stored developments, most significant first."""
        return [development_from_dict(d) for d in self._stored(slug, "developments") or []]

    def sources(self, query: str) -> tuple[Topic, list[tuple[Source, float]]]:
        """The sources assigned to a topic with their scores, newest first."""
        topic = self.resolve_topic(query)
        self._ensure_any()
        rows = self.store.briefings.assignments(topic.slug)
        found = self.store.sources.many(r[1] for r in rows)
        pairs = [(found[r[1]], r[2]) for r in rows if r[1] in found]
        pairs.sort(key=lambda p: (p[0].published is not None, p[0].published, p[1]), reverse=True)
        return topic, pairs

    def topics(self) -> list[TopicSummary]:
        """Every topic with its source count, latest date and current headline."""
        self._ensure_any()
        stats = self.store.briefings.topic_stats()
        out = []
        for topic in self.topic_list():
            count, latest = stats.get(topic.slug, (0, None))
            status = self._stored(topic.slug, "status")
            headline = status["statements"][0]["text"] if status and status["statements"] else None
            out.append(TopicSummary(topic, count, latest, headline))
        return out

    def digest(
        self,
        since: datetime | None = None,
        topics: Sequence[str] | None = None,
        *,
        until: datetime | None = None,
        cutoffs: Mapping[str, datetime] | None = None,
    ) -> list[Briefing]:
        """Per topic, the developments first reported after ``since`` (default: 24 hours ago).

        ``until`` leaves out what was first seen later (a resumed post sends what its first
        attempt would have); ``cutoffs`` start a topic later than ``since`` (it was delivered).
        """
        since = since or self.clock() - timedelta(hours=24)
        chosen = [self.resolve_topic(t) for t in topics] if topics else self.topic_list()
        out = []
        for topic in chosen:
            start = max(since, (cutoffs or {}).get(topic.slug, since))
            devs = [d for d in self.developments(topic.slug) if _is_new(d, start, until)]
            if not devs:
                continue
            cited = self._sources_for(devs, self._stored_sources(devs))
            briefing = self.engine.brief("digest", topic, devs, cited, limit=None)
            out.append(link_citations(briefing, self._text_of()))
        return out

    def ask(self, question: str) -> Briefing:
        """The most relevant cited statements for a question, or a clear "the sources don't say"."""
        from bot.digest.ask import retrieve

        self._ensure_any()
        found = retrieve(self.store, question)
        found_sources = self.store.sources.many(s.source_id for s, _ in found)
        sources = {s.id: s for s in self._corpus_sources(found_sources.values())}
        candidates = [(s, score) for s, score in found if s.source_id in sources]
        answer = self.engine.answer(question, self._in_context(candidates), sources)
        return link_citations(answer, self._text_of())

    def _in_context(self, found: list[tuple[Sentence, float]]) -> list[tuple[Sentence, float]]:
        """Sentences that point back ("She added …") joined to the sentences they lean on."""
        from bot.digest.context import in_context
        from bot.digest.features import needs_antecedent

        articles: dict[str, list[Sentence]] = {}
        out = []
        for s, score in found:
            if needs_antecedent(s.text):
                if s.source_id not in articles:
                    articles[s.source_id] = self.store.sources.sentences(s.source_id)
                s = in_context(s, articles[s.source_id])
            out.append((s, score))
        return out

    def _corpus_sources(self, sources: Iterable[Source]) -> list[Source]:
        """The sources that belong to this corpus: read from its folders, or from a feed or URL.

        A database keeps what other corpus folders put there (nothing is deleted behind a user's
        back); briefings use only what the configured folders and the followed sources hold.
        The folders are checked once, and only when a source was read from a file.
        """
        from bot.ingest.files import under

        folders: list[Path] | None = None
        kept = []
        for source in sources:
            if source.path is not None:
                folders = self.folders if folders is None else folders
                if not under(source.path, folders):
                    continue
            kept.append(source)
        return kept

    @property
    def subscriptions(self) -> Subscriptions:
        """Daily digest subscriptions of Discord channels: what is due, what was delivered."""
        from bot.subscriptions import Subscriptions

        return Subscriptions(self.store, self.settings, self.clock)

    def close(self) -> None:
        """Release the database."""
        self.store.close()


def _is_new(dev: Development, since: datetime, until: datetime | None = None) -> bool:
    """A development is new when its first report was first seen after ``since``; a recap never is."""
    if dev.recap or dev.related:
        return False  # background, or news its own topic's digest already carries
    if dev.first_seen is None or (until is not None and dev.first_seen > until):
        return False
    return dev.first_seen > since
