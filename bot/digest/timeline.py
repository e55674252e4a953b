"""Date-wise timeline selection: first choose the dates that matter, then the best report of each.

After Ghalandari & Ifrim (2020): a date matters as much as the number of distinct articles
published on it or naming it (neighbouring days count half), and as much as its best report is
worth. Dates are chosen greedily; for every date already chosen within a week of it, a date's
busyness shrinks by two thirds and its report's worth by half, so one busy week cannot fill the
timeline while a later ruling, vote or launch, reported by two outlets, goes missing, yet a
turning point two days after a chosen date still outranks a quiet week's filler. A
busy date gets a second statement only once every chosen date has one.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from bot.digest.features import is_bare_quote, leans_on_context, token_set
from bot.ingest.dates import referenced_dates
from bot.models import Development, Source

SPREAD_DAYS = 4  # chosen dates closer than this compete (a week centred on the date)
SPREAD_PENALTY = 0.3  # a date's claim is multiplied by this per competing chosen date
WORTH = 0.5  # weight of the date's best development's score in its claim
WORTH_PENALTY = 0.5  # ... shrunk less by chosen dates nearby than the date's mere busyness
CORROBORATED = 0.3  # claim a date keeps, whatever its neighbours, per doubling of its best outlets
BEFORE_STORY = 45  # days before a topic's first dated report that are background, not story
NEIGHBOUR = 0.5  # weight of articles published on or naming the day before or after
FILL_SHARE = 0.6  # a filler line is worth at least this share of its date's first line
BUSY = 2.0  # a date this many times the median chosen date's support may take a second line
RESTATE = 0.6  # share of distinctive words two statements share when one restates the other
RESTATE_MIN = 3  # ... and at least this many
RESTATE_DAYS = 7  # ... about days no further apart than this


def select_timeline(
    devs: Sequence[Development],
    sources: Mapping[str, Source],
    limit: int,
    *,
    already: Sequence[Development] = (),
    lead: Development | None = None,
) -> list[Development]:
    """Up to ``limit`` developments spread over the dates most reported, in no particular order.

    ``lead`` (the turning point the status leads with) stands for its date when that is chosen.
    """
    support = date_support(devs, sources)
    first, last = _story_span(devs, sources)
    by_date: dict[date, list[Development]] = {}
    days = {(d.date.year, d.date.month) for d in devs if d.date and d.date_precision != "month"}
    for d in sorted(devs, key=lambda d: (not _alone(d), -d.score, d.id)):
        if d.date is None or not first <= d.date <= last:
            continue
        if d.date_precision == "month" and (d.date.year, d.date.month) in days:
            continue  # "in April" says less than the reports dated on April's days
        by_date.setdefault(d.date, []).append(d)
    if lead is not None and lead.date in by_date and lead in by_date[lead.date]:
        by_date[lead.date].remove(lead)
        by_date[lead.date].insert(0, lead)
    common = _common_words([*devs, *already])
    seen = [(token_set(d.text) - common, d.date) for d in already]
    chosen: list[Development] = []
    taken: set[str] = set()
    dates: list[date] = []

    def take(day: date, *, extra: bool = False) -> bool:
        floor = FILL_SHARE * by_date[day][0].score if extra else float("-inf")
        for d in by_date[day]:
            if extra and (d.score < floor or not _alone(d)):
                continue  # a filler line must stand on its own and be worth reading
            mine = token_set(d.text) - common
            if d.id not in taken and not _restates(mine, d.date, seen):
                chosen.append(d)
                taken.add(d.id)
                seen.append((mine, d.date))
                return True
        return False

    remaining = set(by_date)
    while remaining and len(chosen) < limit:
        best = max(remaining, key=lambda day: (_claim(day, support, dates, by_date), day))
        remaining.discard(best)
        if take(best):
            dates.append(best)
    if dates and len(chosen) < limit:
        middle = sorted(support.get(day, 0.0) for day in dates)[len(dates) // 2]
        busiest = sorted(dates, key=lambda day: (-support.get(day, 0.0), day))
        for day in busiest:  # very busy dates first: a second statement each
            if len(chosen) >= limit or support.get(day, 0.0) < BUSY * max(middle, 1.0):
                break
            take(day, extra=True)
        while len(chosen) < limit and any(
            [take(day, extra=True) for day in busiest[: limit - len(chosen)]]
        ):
            pass  # then, while room is left, more of each date's reports, busiest first
    if len(chosen) < limit // 2:
        # an undated line must at least be corroborated: one page's undated line tells nothing
        undated = (d for d in devs if d.date is None and not d.recap and d.outlets >= 2)
        for d in sorted(undated, key=lambda d: (-d.score, d.id)):
            if len(chosen) >= limit // 2:
                break
            mine = token_set(d.text) - common
            if not _restates(mine, d.date, seen):
                chosen.append(d)
                seen.append((mine, d.date))
    return chosen


def _story_span(devs: Sequence[Development], sources: Mapping[str, Source]) -> tuple[date, date]:
    """The dates a timeline may show: from shortly before the first report to the newest page.

    An anniversary, a photo caption from years ago or a deadline still to come is background or
    expectation, not a development of the story.
    """
    published = [
        p
        for d in devs
        for s in d.sentences
        if (p := getattr(sources.get(s.source_id), "published", None))
    ]
    if not published:
        return date.min, date.max
    return min(published) - timedelta(days=BEFORE_STORY), max(published) + timedelta(days=1)


def date_support(devs: Sequence[Development], sources: Mapping[str, Source]) -> dict[date, float]:
    """Per day, the distinct articles published on it or naming it, neighbours counting half."""
    articles: dict[date, set[str]] = {}
    for d in devs:
        for s in d.sentences:
            src = sources.get(s.source_id)
            if src is not None and src.published is not None:
                articles.setdefault(src.published, set()).add(s.source_id)
            if s.date is not None and s.date_precision == "day":
                articles.setdefault(s.date, set()).add(s.source_id)
            published = src.published if src is not None else None
            for when, precision, _ in referenced_dates(s.text, published):
                if precision == "day":  # a coming date named in advance matters too
                    articles.setdefault(when, set()).add(s.source_id)
        if d.date is not None:
            articles.setdefault(d.date, set())
    counts = {day: float(len(ids)) for day, ids in articles.items()}
    one = timedelta(days=1)
    return {
        day: n + NEIGHBOUR * (counts.get(day - one, 0.0) + counts.get(day + one, 0.0))
        for day, n in counts.items()
    }


def _claim(
    day: date,
    support: Mapping[date, float],
    chosen: Sequence[date],
    by_date: Mapping[date, list[Development]],
) -> float:
    """A date's claim on the next slot: its support, shrunk by chosen dates within a week.

    How much its best report is worth counts too: a busy day whose best line is background loses
    to a quieter one that reports a turning point.
    """
    near = sum(1 for c in chosen if abs((c - day).days) < SPREAD_DAYS)
    best = by_date[day][0]
    weight = math.log2(1 + support.get(day, 0.0)) * (0.5 if best.date_precision == "month" else 1.0)
    spread = weight * SPREAD_PENALTY**near + WORTH * best.score * WORTH_PENALTY**near
    return spread + CORROBORATED * math.log2(best.outlets)  # an event many outlets report stands


def _alone(d: Development) -> bool:
    """Whether a development's line reads well alone: not a bare quote, and not "He said …"
    unless it is shown with the sentence it leans on."""
    rep = d.sentences[0]
    return not (is_bare_quote(rep.text) or (leans_on_context(rep.text) and not rep.context))


def _restates(
    mine: frozenset[str], when: date | None, seen: list[tuple[frozenset[str], date | None]]
) -> bool:
    """Whether a line says again what a chosen one said: most of its distinctive words, about
    the same days (weeks apart, alike words tell two events: a meeting, then its decision)."""
    for s, other in seen:
        if when is not None and other is not None and abs((when - other).days) > RESTATE_DAYS:
            continue
        shared = len(mine & s)
        if shared >= RESTATE_MIN and shared >= RESTATE * min(len(mine), len(s)):
            return True
    return False


def _common_words(devs: Sequence[Development]) -> frozenset[str]:
    """Words in at least a quarter of the developments (and at least three): they prove nothing."""
    df = Counter(t for d in devs for t in token_set(d.text))
    return frozenset(t for t, n in df.items() if n >= max(3, 0.25 * len(devs)))
