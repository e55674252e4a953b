"""The façade: the Discord cogs, the CLI and the tests call these methods and nothing deeper.

Reads (status, timeline, sources, digest) come from results stored when the corpus changed; they
never re-score the corpus per call. ``refresh`` is the one place that ingests and recomputes.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import threading
from collections.abc import (
    Callable,
    Collection,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    Sequence,
)
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.clock import Clock, utcnow
from bot.digest import fingerprint
from bot.digest.engine import BriefKind, Engine, engine_name
from bot.digest.fingerprint import Kept
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
from bot.store.db import DiskFull as DiskFull  # re-exported: the CLI answers these two
from bot.store.db import StoreBusy as StoreBusy  # without reaching into the store
from bot.topics.keeper import TopicKeeper
from bot.topics.kept import kept as kept_topics
from bot.topics.kept import remember as remember_topics
from bot.topics.lookup import resolve_topic, suggest_topics
from bot.topics.manage import ManagedTopics, TopicDetail, build_topic, terms, topics_hash

if TYPE_CHECKING:
    from bot.digest.developments import Clustering, Judged
    from bot.feeds.fetch import Fetcher
    from bot.feeds.sources import Added
    from bot.follows import Follows
    from bot.llm.usage import UsageReport
    from bot.store.feeds import FeedSource as FeedSource
    from bot.store.feeds import Origin
    from bot.store.topics import Candidate as Candidate
    from bot.subscriptions import Subscriptions
    from bot.topics.assign import Learned, TopicIndex
    from bot.topics.manage import TopicDetail as TopicDetail

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
QUICK_MAX = 25  # new articles a quick update places; more wait for the full recompute
PROVISIONAL_NOTE = (
    "provisional: new articles were placed by a quick update; the full recompute follows"
)
PROVISIONAL = "provisional_version"  # meta key: the results of this version are a quick update's
RETRY_FALLBACK = timedelta(minutes=15)
BRIEF_KINDS: tuple[BriefKind, ...] = ("status", "timeline")


@dataclass
class Rebuilt:
    """The topics the last recompute built developments for and wrote briefings for."""

    built: list[str] = field(default_factory=list)
    briefed: list[str] = field(default_factory=list)


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
        self._toml_slugs: set[str] = set()
        self._keeper = TopicKeeper(self.store)
        self._results_seen: str | None = None
        self.rebuilt = Rebuilt()  # what the last recompute rebuilt (the others were kept)
        self._keeping: dict[str, dict[str, Any]] = {}
        self._digests = fingerprint.SourceDigests()  # per recompute: each page hashed once

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
    def engine_name(self) -> str:
        """The engine's name, without building it: a read of stored results needs no engine."""
        if self._engine is not None:
            return self._engine.name
        return engine_name(self.settings.use_llm, self.settings.openai_model)

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
        """Every topic: the corpus folders' topics.toml ones, then those managed in the database.

        While a topics.toml is broken these are the last good topics (``config_problem`` says why).
        A managed topic whose slug a topics.toml now defines gives way to the file's.
        """
        if self._topics is None:
            toml, toml_hash = self._keeper.load(self.folders, kept_topics(self.store))
            slugs = {t.slug for t in toml}
            managed = [t for t in self.store.topics.all() if t.slug not in slugs]
            self._toml_slugs = slugs
            self._topics = [*toml, *managed]
            self._topics_hash = topics_hash(toml_hash, managed)
        return self._topics

    @property
    def config_problem(self) -> str | None:
        """Why the topics served are not those on disk (a broken topics.toml), else None."""
        return self._keeper.problem

    def resolve_topic(self, query: str) -> Topic:
        """The topic a user meant (slug, title, alias, prefix or a near-miss spelling)."""
        return resolve_topic(query, self.topic_list())

    def resolve_topics(self, queries: Iterable[str]) -> list[Topic]:
        """The topics a user listed, each once, in the order given (``UnknownTopic`` on a miss)."""
        found = [self.resolve_topic(q) for q in queries]
        return list({t.slug: t for t in found}.values())

    def suggest_topics(self, text: str, limit: int = 25) -> list[Topic]:
        """Topics matching partial input, best first (autocomplete)."""
        return suggest_topics(text, self.topic_list(), limit=limit)

    # -- ingest and recompute ----------------------------------------------------------------
    def refresh(
        self,
        *,
        progress: bool = False,
        force: bool = False,
        wait: bool = True,
        quick: bool = False,
        exact: bool = True,
    ) -> IngestReport:
        """Ingest changed folder files, then bring the stored briefings up to the corpus.

        A few new articles are placed by a quick update first (``update_quick``); ``exact``
        (the default) then runs the full recompute too, while ``exact=False`` (the CLI's read
        commands, the first half of ``ingest``) leaves the quick update's provisional results.
        One process at a time updates a database; ``wait=False`` raises ``StoreBusy`` rather
        than wait for another one (reads can then answer from the results stored already).
        ``quick`` (the CLI's read commands) skips the files when no folder changed since the
        last full pass (``bot.ingest.scan``): an edit in place waits for ``dispatch ingest``.
        """
        from bot.ingest.pipeline import Ingestor

        with self._lock, self.store.db.writer(wait=wait):
            self._topics = None
            folders = self.folders
            since = self._version_before_ingest()
            report = Ingestor(self.store, self.settings, self.clock).ingest_folders(
                folders, progress=progress, quick=quick
            )
            remember_topics(self.store, folders, report.vanished)
            if report.changed or report.vanished:
                self._topics = None  # read again: a topics.toml may have come with the articles
            self._bring_up_to_date(report, since, force=force, exact=exact)
            self._keeper.remember()
            return report

    def _version_before_ingest(self) -> str | None:
        """The corpus version before an ingest (None when a crashed run left sources unversioned)."""
        return None if self.store.sources_dirty() else self.corpus_version()

    def _bring_up_to_date(
        self, report: IngestReport, since: str | None, *, force: bool, exact: bool
    ) -> None:
        """After an ingest: the quick update for a few new articles, and the full recompute
        when it could not place them, when ``exact``, or when the corpus version moved."""
        placed = (
            report.changed
            and not force
            and self.settings.quick_update
            and since is not None
            and (ids := quick_ids(report)) is not None
            and self.update_quick(ids, since=since)
        )
        changed = report.changed and not placed
        self.recompute_if_needed(force=force or changed, exact=exact, full=force)

    def ingest(self, *, progress: bool = False, force: bool = False) -> IngestReport:
        """Ingest folders and poll every due feed or URL source once (``force``: ignore intervals).

        The writer lock is held for the folder ingest, then only while polled items are stored:
        never while feeds and pages are being fetched, however slowly a server answers. A few
        new articles are placed by a quick update first, released for readers to see, then the
        full recompute (the exact pass) always follows.
        """
        from bot.feeds import poll_due

        report = self.refresh(progress=progress, exact=False)
        since = self._version_before_ingest()
        feed_report = poll_due(self, force=force)
        report.outcomes.extend(feed_report.outcomes)
        if feed_report.changed:
            with self.writer():
                self._bring_up_to_date(feed_report, since, force=False, exact=False)
        with self.writer():  # the quick update's results were readable meanwhile
            self.recompute_if_needed()
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
        return f"{version}:{self._topics_hash}:{PIPELINE_VERSION}:{self.engine_name}"

    def bump_corpus_version(self) -> None:
        """Mark the stored sources as changed (ingest calls this)."""
        self.store.bump_corpus_version()

    def results_version(self) -> str | None:
        """The stored results' version, which another process's recompute (a worker's) moves.

        When it moved, the topics are read again: the worker may have applied a changed
        topics.toml or managed topic, and this process must name the topics its results use.
        """
        version = self.store.meta_get("computed_version")
        with self._lock:
            if version != self._results_seen:
                self._topics = None
                self._results_seen = version
        return version

    def recompute_if_needed(
        self, *, force: bool = False, exact: bool = True, full: bool = False
    ) -> bool:
        """Recompute stored results when the corpus version moved; return whether it did.

        Also when the results are a quick update's (``provisional``), unless ``exact`` is False,
        and when the LLM engine fell back to extractive last time, is callable again, and the
        fallback is at least ``RETRY_FALLBACK`` old (its cache makes the topics that worked free).
        """
        version = self.corpus_version()
        if (
            not force
            and self.store.meta_get("computed_version") == version
            and not (exact and self.provisional())
            and not self._retry_fallback()
        ):
            return False
        self.recompute(full=full)
        return True

    def provisional(self) -> bool:
        """Whether the stored results are a quick update's: the exact recompute is still to run."""
        mark = self.store.meta_get(PROVISIONAL)
        return bool(mark) and mark == self.store.meta_get("computed_version")

    def update_quick(self, source_ids: Collection[str], *, since: str) -> bool:
        """Place a few new articles in the stored results without reading the corpus again.

        The topics each article joins are judged by the vocabularies and names the last full
        recompute stored (its "model" rows), and the article's reports join those topics'
        stored events (or open new ones) by the clustering rules of a full recompute; only the
        topics it touches are rebuilt, the others' results are kept (stamped with the new
        corpus version). The results are marked ``provisional`` until the full recompute runs.
        ``since`` is the corpus version the stored results must be for (the one before the
        articles came). Returns False, storing nothing, when they are not, when the topics or
        the pipeline changed, for more than ``QUICK_MAX`` articles, or when the update fails.
        """
        with self._lock, self.store.db.writer():
            if not 0 < len(source_ids) <= QUICK_MAX:
                return False
            if self.store.meta_get("computed_version") != since:
                return False
            try:
                return self._update_quick(list(source_ids), since)
            except Exception:
                log.exception("quick update failed; the full recompute places the articles")
                return False

    def _update_quick(self, source_ids: list[str], since: str) -> bool:
        from bot.topics.assign import assign_new
        from bot.topics.renames import renamed

        topics = self.topic_list()
        version = self.corpus_version()
        if version.split(":")[1:] != since.split(":")[1:]:
            return False  # the topics, the pipeline or the engine changed: only a full pass
        found_models = {
            t.slug: self.store.briefings.get(t.slug, "model", "", since) for t in topics
        }
        models: dict[str, dict[str, Any]] = {k: m for k, m in found_models.items() if m is not None}
        if len(models) < len(topics):
            return False  # computed before models were stored
        found = self.store.sources.many(source_ids)
        sources = {s.id: s for s in self._corpus_sources(found.values())}
        sentences = {sid: self.store.sources.sentences(sid) for sid in sources}
        learned = {slug: _learned_of(m) for slug, m in models.items()}
        index = assign_new(topics, sources, sentences, learned)
        topics = [renamed(t, learned[t.slug].renames) for t in topics]
        rows: list[tuple[str, str, str, str, Any]] = []
        for topic in topics:
            if not index.sentences.get(topic.slug):
                continue  # the articles say nothing of it: its results stand
            built = self._quick_topic(topic, models[topic.slug], index, sources, sentences)
            rows += [(slug, kind, engine, version, body) for slug, kind, engine, body in built]
        meta = {"computed_version": version, PROVISIONAL: version}
        self.store.briefings.put_provisional(since, version, rows, index.assignment_rows(), meta)
        return True

    def _quick_topic(
        self,
        topic: Topic,
        model: Mapping[str, Any],
        index: TopicIndex,
        sources: Mapping[str, Source],
        sentences: Mapping[str, list[Sentence]],
    ) -> list[tuple[str, str, str, Any]]:
        """One touched topic's developments, status and timeline with the new articles in."""
        from bot.digest.developments import Clustering, add_articles

        body = self.store.briefings.get(topic.slug, "developments", "") or []
        stored = [development_from_dict(d) for d in body]
        cited = {**self._stored_sources(stored), **sources}
        stored_model = model.get("clustering")
        clustering = Clustering.from_dict(stored_model) if stored_model else None
        devs = add_articles(topic, stored, clustering, index, cited, sentences)
        rows: list[tuple[str, str, str, Any]] = [
            (topic.slug, "developments", "", [development_to_dict(d) for d in devs])
        ]
        for kind in ("status", "timeline"):
            limit = self.settings.timeline_limit if kind == "timeline" else None
            briefing = self.engine.brief(
                kind, topic, devs, self._sources_for(devs, cited), limit=limit
            )
            briefing = link_citations(briefing, self._text_of(sentences))
            rows.append((topic.slug, kind, self.engine.name, briefing_to_dict(briefing)))
        return rows

    def _retry_fallback(self) -> bool:
        fell_back = self.store.meta_get("fallback_at")
        if not fell_back:
            return False  # nothing to retry: no need to build the engine
        available = getattr(self.engine, "available", None)
        if available is None or not available():
            return False
        return self.clock() - datetime.fromisoformat(fell_back) >= RETRY_FALLBACK

    def recompute(self, *, full: bool = False) -> None:
        """Assign topics, build developments and store status and timeline for every topic.

        A topic's developments and briefings are rebuilt only when what they are built from
        changed (``bot.digest.fingerprint``); ``full`` rebuilds every topic.
        """
        from bot.digest.developments import Judged
        from bot.digest.related import related_developments
        from bot.topics.assign import assign_topics
        from bot.topics.renames import learn_renames, renamed

        with self._lock, self.store.db.writer(), _CYCLES.during():
            version = self.corpus_version()
            sources = {s.id: s for s in self._corpus_sources(self.store.sources.all(text=False))}
            sentences = self.store.sources.stored_sentences()
            renames = learn_renames(self.topic_list(), sources, sentences)
            index = assign_topics(self.topic_list(), sources, sentences, renames)
            topics = [renamed(t, renames.get(t.slug, ())) for t in self.topic_list()]
            self.store.briefings.set_assignments(index.assignment_rows())
            self._pin_undated(sources, sentences)
            kept = self._kept(topics, full)
            judged = Judged()  # what each topic judges of a sentence, the next ones reuse
            made = {
                t.slug: self._built(t, kept[t.slug], index, sources, sentences, judged)
                for t in topics
            }
            del judged  # its tables serve the builds only: let them go before dating
            built = self._date_undated(index, topics, made, sources, sentences)
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
                rows.append(
                    (topic.slug, "learned", "", version, _learned(index, topic, devs, renames))
                )
                rows.append((topic.slug, "model", "", version, _model(index, topic, made, renames)))
                briefs = self._briefs(topic, kept[topic.slug], devs, cited, sentences)
                fell_back |= bool(devs) and any(
                    b.get("engine") != self.engine.name for b in briefs.values()
                )
                rows += [(topic.slug, k, self.engine.name, version, b) for k, b in briefs.items()]
                rows.append((topic.slug, fingerprint.KIND, "", version, self._keep(topic)))
            self.store.briefings.put_many(rows)
            log.info(
                "recompute: developments built for %s, briefings for %s, of %d topics",
                self.rebuilt.built or "none",
                self.rebuilt.briefed or "none",
                len(topics),
            )
            self._digests = fingerprint.SourceDigests()  # holds the corpus: let it go
            self._discover(index, sources, sentences)
            self.store.meta_set("computed_version", version)
            self.store.meta_set(PROVISIONAL, "")
            self.store.meta_set("fallback_at", self.clock().isoformat() if fell_back else "")

    def _kept(self, topics: Sequence[Topic], full: bool) -> dict[str, Kept]:
        """What the last recompute kept of each topic (nothing when ``full``)."""
        self.rebuilt = Rebuilt()
        self._keeping = {}
        self._digests = fingerprint.SourceDigests()
        if full:
            return {t.slug: Kept() for t in topics}
        stored = (self.store.briefings.get(t.slug, fingerprint.KIND, "") for t in topics)
        return {t.slug: Kept.of(body) for t, body in zip(topics, stored, strict=True)}

    def _salt(self) -> str:
        """What every topic's results depend on: the pipeline, the topics, the engine."""
        limit = self.settings.timeline_limit
        return f"{PIPELINE_VERSION}:{self._topics_hash}:{self.engine.name}:{limit}"

    def _built(
        self,
        topic: Topic,
        kept: Kept,
        index: TopicIndex,
        sources: Mapping[str, Source],
        sentences: Mapping[str, list[Sentence]],
        judged: Judged,
    ) -> tuple[list[Development], Clustering | None]:
        """The topic's developments (before dating) and clustering: kept when built from the
        same inputs, else built (``judged``: what the recompute's topics judged of sentences)."""
        from bot.digest.developments import Clustering, build_topic, forget

        relevance = index.sentences.get(topic.slug, {})
        members = index.articles.get(topic.slug, {})
        key = fingerprint.build_key(
            self._salt(), topic, relevance, members, sources, sentences, self._digests
        )
        if key == kept.build:
            stored, model = kept.built
            devs = [development_from_dict(d) for d in stored]
            made = devs, Clustering.from_dict(model) if model else None
        else:
            self.rebuilt.built.append(topic.slug)
            made = build_topic(topic, index, sources, sentences, judged)
            forget()
        built = ([development_to_dict(d) for d in made[0]], made[1].to_dict() if made[1] else None)
        self._keeping[topic.slug] = {"build": key, "built": built}
        return made

    def _briefs(
        self,
        topic: Topic,
        kept: Kept,
        devs: Sequence[Development],
        cited: Mapping[str, Source],
        sentences: Mapping[str, list[Sentence]],
    ) -> dict[str, Any]:
        """The topic's status and timeline bodies: the stored ones when written from the same
        inputs by this engine (not a fallback), else written now."""
        key = fingerprint.brief_key(self._salt(), topic, devs, cited, sentences, self._digests)
        name = self.engine.name
        stored: dict[str, Any] = {
            k: self.store.briefings.get(topic.slug, k, name) for k in BRIEF_KINDS
        }
        bodies: dict[str, Any]
        if (
            key == kept.brief
            and all(isinstance(b, dict) and b.get("engine") == name for b in stored.values())
            and fingerprint.bodies_hash(stored) == kept.bodies
        ):
            bodies = stored
        else:
            self.rebuilt.briefed.append(topic.slug)
            bodies = {k: self._brief(k, topic, devs, cited, sentences) for k in BRIEF_KINDS}
        self._keeping[topic.slug] |= {"brief": key, "bodies": fingerprint.bodies_hash(bodies)}
        return bodies

    def _brief(
        self,
        kind: BriefKind,
        topic: Topic,
        devs: Sequence[Development],
        cited: Mapping[str, Source],
        sentences: Mapping[str, list[Sentence]],
    ) -> dict[str, Any]:
        limit = self.settings.timeline_limit if kind == "timeline" else None
        briefing = self.engine.brief(kind, topic, devs, cited, limit=limit)
        return briefing_to_dict(link_citations(briefing, self._text_of(sentences)))

    def _keep(self, topic: Topic) -> dict[str, Any]:
        """The fingerprint row of a topic this recompute stored."""
        return Kept(**self._keeping.pop(topic.slug)).to_dict()

    def _discover(
        self,
        index: TopicIndex,
        sources: Mapping[str, Source],
        sentences: Mapping[str, list[Sentence]],
    ) -> None:
        """Store the storylines that recent articles no topic claims make (``topics --suggested``)."""
        from bot.topics.discover import Rules, discover

        rules = Rules(
            min_outlets=self.settings.discovery_min_outlets,
            min_days=self.settings.discovery_min_days,
            window_days=self.settings.discovery_window_days,
        )
        found = discover(
            sources,
            sentences,
            {sid for arts in index.articles.values() for sid in arts},
            rules=rules,
            taken={t.slug for t in self.topic_list()},
            previous=self.store.topics.candidates(),
        )
        self.store.topics.replace_open(found, self.clock())

    @staticmethod
    def _pin_undated(
        sources: dict[str, Source], sentences: MutableMapping[str, list[Sentence]]
    ) -> None:
        """Date the undated pages that pin their own date ("Sunday (Dec. 11)"), in place."""
        from bot.digest import dating

        for sid, when in dating.pin_dates(sources, sentences).items():
            sources[sid] = dating.estimated_source(sources[sid], when)
            sentences[sid] = dating.redate(sentences.get(sid, []), when)

    @staticmethod
    def _date_undated(
        index: Any,
        topics: Sequence[Topic],
        made: Mapping[str, tuple[list[Development], Clustering | None]],
        sources: dict[str, Source],
        sentences: Mapping[str, list[Sentence]],
    ) -> dict[str, list[Development]]:
        """Estimate the topics' undated pages' dates, date their developments around them and
        set right the events their reports split or swelled (``bot.digest.consolidate``)."""
        from bot.digest import dating
        from bot.digest.consolidate import consolidate

        built = {slug: devs for slug, (devs, _) in made.items()}
        estimates = dating.from_events(
            (d for devs in built.values() for d in devs), sources, sentences
        )
        members = {sid for arts in index.articles.values() for sid in arts}
        for sid, when in dating.estimate_dates(sources, sentences, members).items():
            estimates[sid] = when  # what it writes or its nearest dated page, over its events
        for sid, when in dating.written_days(sources, sentences, members - set(estimates)).items():
            estimates[sid] = when  # nothing else dates it: a day it writes without a year
        if not estimates:
            return built
        for sid, when in estimates.items():
            sources[sid] = dating.estimated_source(sources[sid], when)
        by_slug = {t.slug: t for t in topics}
        return {
            slug: consolidate(
                by_slug[slug],
                dating.apply_estimates(devs, estimates),
                made[slug][1],
                sources,
                sentences,
                set(estimates),
            )
            for slug, devs in built.items()
        }

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
        engine = self.engine_name if kind != "developments" else ""
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
        return self._marked(briefing_from_dict(self._stored(topic.slug, "status")))

    def timeline(self, query: str, limit: int | None = None) -> Briefing:
        """The story's significant developments in date order (at most ``limit``)."""
        topic = self.resolve_topic(query)
        if limit is None or limit == self.settings.timeline_limit:
            return self._marked(briefing_from_dict(self._stored(topic.slug, "timeline")))
        devs = self.developments(topic.slug)
        cited = self._sources_for(devs, self._stored_sources(devs))
        briefing = self.engine.brief("timeline", topic, devs, cited, limit=limit)
        return link_citations(briefing, self._text_of())

    def _marked(self, briefing: Briefing) -> Briefing:
        """The briefing with a note when it comes from a quick update (Discord shows it too)."""
        if not self.provisional():
            return briefing
        return replace(briefing, notes=(*briefing.notes, PROVISIONAL_NOTE))

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
        only: Collection[str] | None = None,
    ) -> list[Briefing]:
        """Per topic, the developments first reported after ``since`` (default: 24 hours ago).

        ``until`` leaves out what was first seen later (a resumed post sends what its first
        attempt would have); ``cutoffs`` start a topic later than ``since`` (it was delivered);
        ``only`` keeps the topics with these slugs (a channel's, quietly skipping one removed since).
        """
        since = since or self.clock() - timedelta(hours=24)
        chosen = [self.resolve_topic(t) for t in topics] if topics else self.topic_list()
        if only is not None:
            chosen = [t for t in chosen if t.slug in only]
        out = []
        for topic in chosen:
            start = max(since, (cutoffs or {}).get(topic.slug, since))
            devs = [d for d in self.developments(topic.slug) if _is_new(d, start, until)]
            if devs:
                out.append(self.brief_news(topic, devs))
        return out

    def brief_news(self, topic: Topic, devs: Sequence[Development]) -> Briefing:
        """A digest briefing of these developments of a topic, its citations linked."""
        cited = self._sources_for(devs, self._stored_sources(devs))
        briefing = self.engine.brief("digest", topic, list(devs), cited, limit=None)
        return link_citations(briefing, self._text_of())

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

    # -- managed topics and suggested storylines ---------------------------------------------
    def add_topic(
        self,
        slug: str,
        title: str | None,
        *,
        keywords: Iterable[str] | str,
        requires: Iterable[str] | str | None = None,
        aliases: Iterable[str] | str | None = None,
        description: str = "",
        by: str | None = None,
        origin: str = "cli",
    ) -> Topic:
        """Store a new topic in the database; ``apply_topics`` computes its briefings."""
        topic = build_topic(
            slug,
            title,
            keywords=terms(keywords),
            requires=terms(requires),
            aliases=terms(aliases),
            description=description,
        )
        self._managed.add(topic, self._toml(), by=by, origin=origin, now=self.clock())
        self._topics = None
        return topic

    def edit_topic(
        self,
        slug: str,
        *,
        title: str | None = None,
        keywords: Iterable[str] | str | None = None,
        requires: Iterable[str] | str | None = None,
        aliases: Iterable[str] | str | None = None,
        description: str | None = None,
    ) -> Topic:
        """Change a managed topic's fields (those given); a topics.toml topic is read-only."""
        changes = {
            "title": title,
            "description": description,
            **{
                name: terms(value) if value is not None else None
                for name, value in (
                    ("keywords", keywords),
                    ("requires", requires),
                    ("aliases", aliases),
                )
            },
        }
        topic = self._managed.edit(slug, self._toml(), self.clock(), **changes)
        self._topics = None
        return topic

    def remove_topic(self, slug: str) -> Topic:
        """Delete a managed topic (its articles stay in the corpus)."""
        topic = self._managed.remove(slug, self._toml())
        self._topics = None
        return topic

    def topic_detail(self, query: str) -> TopicDetail:
        """A topic's definition, where it is defined, the names it learned and its counts."""
        topic = self.resolve_topic(query)
        self._ensure_any()
        learned = self.store.briefings.get(topic.slug, "learned", "") or {}
        origin = "topics.toml" if topic.slug in self._toml_slugs else "database"
        return TopicDetail(
            topic,
            origin,
            names=tuple(learned.get("names", ())),
            vocabulary=tuple(learned.get("vocabulary", ())),
            articles=int(learned.get("articles", 0)),
            joined_by_drift=int(learned.get("joined_by_drift", 0)),
            sentences=int(learned.get("sentences", 0)),
            developments=int(learned.get("developments", 0)),
            ready=self.topics_ready(),
        )

    def topics_ready(self) -> bool:
        """Whether the stored results are those of the current topics (no recompute pending)."""
        return self.store.meta_get("computed_version") == self.corpus_version()

    def apply_topics(self) -> None:
        """Bring stored results up to the current topics after a change (the worker calls it).

        Through ``refresh``: a bot asked right after it started may not have read its folders.
        """
        self._topics = None
        self.refresh()

    def suggested(self) -> list[Candidate]:
        """The open suggested storylines, largest first."""
        self._ensure_any()
        return self.store.topics.candidates("open")

    def accept_candidate(self, cid: str, *, by: str | None = None) -> Topic:
        """Make a suggested storyline a topic like any other (``apply_topics`` computes it)."""
        taken = {t.slug for t in self.topic_list()}
        topic = self._managed.accept(cid, taken, by=by, now=self.clock())
        self._topics = None
        return topic

    def dismiss_candidate(self, cid: str) -> Candidate:
        """Dismiss a suggested storyline for good (while its articles stay mostly the same)."""
        return self._managed.dismiss(cid, self.clock())

    @property
    def _managed(self) -> ManagedTopics:
        return ManagedTopics(self.store)

    def _toml(self) -> set[str]:
        """The slugs topics.toml files define (read-only from Discord and the CLI)."""
        self.topic_list()
        return self._toml_slugs

    @property
    def subscriptions(self) -> Subscriptions:
        """Daily digest subscriptions of Discord channels: what is due, what was delivered."""
        from bot.subscriptions import Subscriptions

        return Subscriptions(self.store, self.settings, self.clock)

    # -- live sources and usage -------------------------------------------------------------
    def add_source(
        self,
        url: str,
        *,
        interval: float | None = None,
        added_by: str | None = None,
        origin: Origin = "cli",
        fetcher: Fetcher | None = None,
    ) -> Added:
        """Follow a feed or an article URL (checked by fetching it once)."""
        from bot.feeds.sources import add_source

        return add_source(
            self, url, interval=interval, added_by=added_by, origin=origin, fetcher=fetcher
        )

    def remove_source(self, ref: str) -> FeedSource:
        """Stop following a source given its URL or id (its stored articles stay)."""
        from bot.feeds.sources import remove_source

        return remove_source(self, ref)

    def list_sources(self) -> list[FeedSource]:
        """Every live source (feeds.toml ones included), in the order they were added."""
        from bot.feeds.sources import list_sources

        return list_sources(self)

    def usage(self, days: int) -> UsageReport:
        """LLM calls and tokens over the last ``days`` UTC days, and today's budget."""
        from bot.llm.usage import usage_report

        today = self.clock().astimezone(UTC).date()
        return usage_report(self.store.llm, today, days, self.settings.daily_token_budget)

    def has_results(self) -> bool:
        """Whether stored briefings exist to answer from (while another process updates)."""
        return self.store.meta_get("computed_version") is not None

    @property
    def follows(self) -> Follows:
        """Channels following topics, and the alerts due for them."""
        from bot.follows import Follows

        return Follows(self)

    def close(self) -> None:
        """Release the database."""
        self.store.close()


LEARNED_SHOWN = 12


def _learned(
    index: TopicIndex,
    topic: Topic,
    devs: Sequence[Development],
    renames: Mapping[str, tuple[str, ...]],
) -> dict[str, Any]:
    """What ``topic show`` reports of a recompute: names (a new name first) and words learned,
    and counts."""
    names = index.names.get(topic.slug, {})
    vocab = index.vocab.get(topic.slug, {})
    ranked = [n for n, _ in sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))]
    new = list(renames.get(topic.slug, ()))
    return {
        "names": [*new, *(n for n in ranked if n not in new)][:LEARNED_SHOWN],
        "vocabulary": [t for t, _ in sorted(vocab.items(), key=lambda kv: (-kv[1], kv[0]))][
            :LEARNED_SHOWN
        ],
        "articles": len(index.articles.get(topic.slug, {})),
        "joined_by_drift": len(index.joined_by_drift.get(topic.slug, ())),
        "sentences": len(index.sentences.get(topic.slug, {})),
        "developments": sum(1 for d in devs if not d.related),
    }


def _model(
    index: TopicIndex,
    topic: Topic,
    made: Mapping[str, tuple[Any, Clustering | None]],
    renames: Mapping[str, tuple[str, ...]],
) -> dict[str, Any]:
    """What a quick update needs of a topic to place a new article without the corpus."""
    clustering = made[topic.slug][1]
    rename_until, until = index.windows.get(topic.slug, (None, None))
    return {
        "vocab": index.vocab.get(topic.slug, {}),
        "names": index.names.get(topic.slug, {}),
        "renames": list(renames.get(topic.slug, ())),
        "rename_until": rename_until.isoformat() if rename_until else None,
        "until": until.isoformat() if until else None,
        "clustering": clustering.to_dict() if clustering else None,
    }


def _learned_of(model: Mapping[str, Any]) -> Learned:
    """A stored topic model's assignment part."""
    from bot.topics.assign import Learned

    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    return Learned(
        model["vocab"],
        model["names"],
        tuple(model["renames"]),
        day(model["rename_until"]),
        day(model["until"]),
    )


class _CyclesPaused:
    """Python's cyclic garbage collector paused while a recompute runs, and run once after it.

    Reference counting frees nearly everything a recompute drops (a full recompute at 20,000
    articles peaked at the same memory with the collector paused), but a recompute reads the
    corpus from the store, allocating millions of short-lived sentences, and each full
    collection walks every object the recompute holds: 30 % of its time at 20,000 articles.
    Recomputes of several services in one process (tests) nest: the last one out resumes it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._resume = False

    @contextmanager
    def during(self) -> Iterator[None]:
        """Pause the collector for the block (as it was before, after the last one ends)."""
        with self._lock:
            if self._running == 0:
                self._resume = gc.isenabled()
                gc.disable()
            self._running += 1
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1
                if self._running == 0 and self._resume:
                    gc.enable()
                    gc.collect()


_CYCLES = _CyclesPaused()


def quick_ids(report: IngestReport) -> list[str] | None:
    """The articles an ingest added, for a quick update; None when it also changed or removed
    some (their old sentences are in the stored results: only a full recompute drops them)."""
    if any(o.outcome in {"updated", "removed"} for o in report.outcomes):
        return None
    found = (o.source_id for o in report.outcomes if o.outcome in {"added", "republished"})
    return list(dict.fromkeys(sid for sid in found if sid))


def _is_new(dev: Development, since: datetime, until: datetime | None = None) -> bool:
    """A development is new when its first report was first seen after ``since``; a recap never is."""
    if dev.recap or dev.related:
        return False  # background, or news its own topic's digest already carries
    if dev.first_seen is None or (until is not None and dev.first_seen > until):
        return False
    return dev.first_seen > since
