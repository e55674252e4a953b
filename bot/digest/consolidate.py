"""A second look at a topic's events once its undated pages have estimated dates.

Reports of an undated page are clustered with no date, so they fit any event: a background
line ("the combined company would operate under the Northwind name") joins whatever event it
resembles, even one months after the page was written, and swells its corroboration, so a weaker
development outranks the day's news. With the pages dated this can be told: a page cannot report what happened well
after it was published (its date is an estimate, so well after: more than ``ESTIMATE_SLACK``).
Such a report leaves the event and is placed again, now with its page's date, by the rules of
clustering: in the event it does tell of, or in one of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import replace
from datetime import date, timedelta

from bot.digest.dating import ESTIMATE_SLACK
from bot.digest.developments import (
    Clustering,
    centrality,
    development,
    event_of,
    mark_disputes,
)
from bot.digest.events import PUBLISHED_DAYS, REPORT_LAG, Event, Report, report_order
from bot.models import Development, Sentence, Source, Topic


def consolidate(
    topic: Topic,
    devs: list[Development],
    model: Clustering | None,
    sources: Mapping[str, Source],
    sentences: Mapping[str, list[Sentence]],
    dated: Set[str],
) -> list[Development]:
    """The topic's developments with the reports of newly ``dated`` pages (``sources`` carry
    their estimates) moved out of the events they cannot tell of, most significant first."""
    own = [d for d in devs if d.related is None]
    swollen = [d for d in own if _swollen(d, sources, dated)]
    if model is None or not swollen:
        return devs
    idf = model.weights(s.text for d in own for s in d.sentences)
    strays: list[Report] = []
    shrunk: list[Event] = []
    for d in swollen:
        event, moved = _evicted(d, event_of(d, sources, idf, model.newest), dated)
        shrunk.append(event)
        strays += moved
    days = {d.date for d in swollen} | {day for r in strays for day in _homes(r)}
    moving = {d.id for d in swollen}
    local = [d for d in own if d.id not in moving and d.date in days]  # where strays may go
    events = shrunk + [event_of(d, sources, idf, model.newest) for d in local]
    stored: list[Development | None] = [None] * len(swollen) + list(local)
    clusters = model.clusters()
    for ev in events:
        clusters.keep(ev)
    sizes = [len(ev.reports) for ev in events]
    clusters.take(strays)
    central = centrality(clusters.events)  # by date: the local events hold all of theirs
    rebuilt = []
    for i, ev in enumerate(clusters.events):
        kept = stored[i] if i < len(stored) else None
        if kept is not None and len(ev.reports) == sizes[i]:
            rebuilt.append(kept)
        else:
            rebuilt.append(development(topic, ev, central[i], sentences))
    gone = moving | {d.id for d in local}
    out = [d for d in own if d.id not in gone] + rebuilt
    out = mark_disputes([replace(d, disputed_by=()) for d in out], sources)
    out += [d for d in devs if d.related is not None]
    return sorted(out, key=lambda d: (-d.score, d.id))


def _evicted(d: Development, ev: Event, dated: Set[str]) -> tuple[Event, list[Report]]:
    """The event without the reports of newly dated pages written well before it, and those."""
    assert d.date is not None
    day = d.date
    out = Event([])
    for r in sorted(ev.reports, key=report_order):
        if not _before(r.source, day, dated):
            out.add(r)
    out.unseen_outlets, out.unseen_articles = ev.unseen_outlets, ev.unseen_articles
    return out, [r for r in ev.reports if _before(r.source, day, dated)]


def _before(source: Source, day: date, dated: Set[str]) -> bool:
    """Whether a newly dated page was written well before a day (its date is an estimate)."""
    published = source.published
    return source.id in dated and published is not None and published + ESTIMATE_SLACK < day


def _stray(s: Sentence, d: Development, sources: Mapping[str, Source], dated: Set[str]) -> bool:
    """Whether a development's sentence comes from a newly dated page written well before it."""
    src = sources.get(s.source_id)
    return d.date is not None and src is not None and _before(src, d.date, dated)


def _swollen(d: Development, sources: Mapping[str, Source], dated: Set[str]) -> bool:
    """A development some, not all, of whose reports come from pages written well before it."""
    strays = [_stray(s, d, sources, dated) for s in d.sentences]
    return any(strays) and not all(strays)


def _homes(r: Report) -> set[date]:
    """The days of the events a report may tell of (its own date, or about then)."""
    if r.when is None:
        return set()
    first = r.when - timedelta(days=REPORT_LAG + 1)
    return {first + timedelta(days=k) for k in range(REPORT_LAG + PUBLISHED_DAYS + 3)}
