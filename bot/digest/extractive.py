"""The offline engine: selects and orders real source sentences; deterministic, no network."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from bot.digest.disputes import find_disputes
from bot.digest.engine import EXTRACTIVE, BriefKind
from bot.digest.features import STRONG, cue_weight, cues_of, tells_ending, token_set
from bot.digest.standing import where_it_stands
from bot.digest.timeline import select_timeline
from bot.models import Briefing, Citation, Development, Sentence, Source, Statement, Topic
from bot.topics.text import tokens

STATUS_MAX = 3
CORE_WORDS = 12  # a topic's most frequent words ...
CORE_NAMED = 2  # ... of which a status line must use this many
DECISIVE_WINDOW = timedelta(days=120)  # how old the last turning point may be to lead the status
KEY_DEVELOPMENTS = 6

DISPUTES_MAX = 2
DIGEST_MAX = 6
ANSWER_MAX = 4
ANSWER_MIN_OVERLAP = 0.5
DONT_SAY = "The sources don't say."
REPEAT_OVERLAP = 0.5
MAX_CITATIONS = 5  # per statement: the report chosen plus the earliest corroborating outlets


class ExtractiveEngine:
    """Briefings built verbatim from source sentences."""

    name = EXTRACTIVE

    def brief(
        self,
        kind: BriefKind,
        topic: Topic,
        developments: Sequence[Development],
        sources: Mapping[str, Source],
        *,
        limit: int | None = None,
    ) -> Briefing:
        """Write a status, timeline or digest briefing for one topic."""
        ranked = sorted(developments, key=lambda d: (-d.score, d.id))
        if kind == "status":
            statements = self._status(ranked, sources)
        elif kind == "timeline":
            own = [d for d in ranked if d.related is None]
            lead = _last_decisive(own)
            chosen = select_timeline(ranked, sources, limit or 30, lead=lead)
            statements = [_statement("development", d) for d in _by_date(chosen, lead)]
        else:
            chosen = _distinct([d for d in ranked if not d.recap], limit or DIGEST_MAX)
            statements = [_statement("development", d) for d in sorted(chosen, key=_newest_first)]
        return assemble(kind, statements, sources, topic=topic, engine=self.name)

    def _status(self, ranked: list[Development], sources: Mapping[str, Source]) -> list[Statement]:
        ranked = [d for d in ranked if d.related is None]  # a neighbour's news is not our state
        if not ranked:
            return []
        disputes = find_disputes(ranked, sources, limit=DISPUTES_MAX)
        disputed = {d.id for pair in disputes for d in pair}
        rest = [d for d in ranked if d.id not in disputed] or ranked
        core = _core_words(rest)
        stands = where_it_stands(rest, sources, limit=STATUS_MAX)
        now = [d for d in stands if len(token_set(d.text) & core) >= CORE_NAMED]
        decisive = _last_decisive(rest)
        if not now and decisive is None:
            now = stands[:1]  # nothing names the story well: the best of what is recent
        if decisive is not None:  # first the state the last turning point left
            now = [decisive, *(d for d in now if d.id != decisive.id)][:STATUS_MAX]
        used = {d.id for d in now} | disputed
        key = select_timeline(
            [d for d in rest if d.id not in used], sources, KEY_DEVELOPMENTS, already=now
        )
        out = [_statement("status", d) for d in now]
        out += [_statement("development", d) for d in sorted(key, key=_newest_first)]
        for a, b in disputes:
            dispute_id = "d" + hashlib.sha1("".join(sorted((a.id, b.id))).encode()).hexdigest()[:8]
            out += [_statement("disputed", d, dispute=dispute_id) for d in (a, b)]
        return out

    def answer(
        self,
        question: str,
        candidates: Sequence[tuple[Sentence, float]],
        sources: Mapping[str, Source],
    ) -> Briefing:
        """The best-supported sentences for a question, or a clear "the sources don't say"."""
        wanted = set(tokens(question))
        picked: list[Statement] = []
        seen: list[set[str]] = []
        for sentence, _ in rank_answers(question, candidates):
            toks = set(tokens(sentence.text))
            if any(len(toks & s) / max(1, len(toks | s)) >= 0.5 for s in seen):
                continue
            seen.append(toks)
            src = sources.get(sentence.source_id)
            when = sentence.date or (src.published if src else None)
            picked.append(
                Statement(
                    "answer",
                    sentence.shown,
                    (Citation(sentence.source_id, sentence.shown),),
                    when,
                    sentence.date_precision if sentence.date else ("day" if when else None),
                )
            )
            if len(picked) >= ANSWER_MAX:
                break
        notes = () if picked or not wanted else (DONT_SAY,)
        if not wanted:
            notes = ("Ask a question with at least one meaningful word.",)
        return assemble("ask", picked, sources, question=question, engine=self.name, notes=notes)


def rank_answers(
    question: str, candidates: Sequence[tuple[Sentence, float]]
) -> list[tuple[Sentence, float]]:
    """Candidates that share enough of the question's words, best first."""
    wanted = set(tokens(question))
    if not wanted:
        return []
    need = ANSWER_MIN_OVERLAP if len(wanted) > 1 else 1.0
    best = max((score for _, score in candidates), default=1.0) or 1.0
    out = []
    for sentence, score in candidates:
        overlap = len(wanted & set(tokens(sentence.text))) / len(wanted)
        if overlap >= need:
            out.append((sentence, round(2 * overlap + score / best, 4)))
    return sorted(out, key=lambda p: (-p[1], p[0].source_id, p[0].index))


def _distinct(
    ranked: list[Development], limit: int, already: Sequence[Development] = ()
) -> list[Development]:
    """The best developments that do not restate one already chosen.

    Two statements restate each other when half the words of the shorter are in the longer,
    counting only words that are not common to the whole topic (in a minerals story, "minerals",
    "agreement" and "Ukraine" are in everything and prove nothing).
    """
    common = _common_words([*ranked, *already])
    chosen: list[Development] = []
    seen = [set(tokens(d.text)) - common for d in already]
    for d in ranked:
        mine = set(tokens(d.text)) - common
        if any(
            len(mine & s) >= REPEAT_OVERLAP * min(len(mine), len(s)) for s in seen if s and mine
        ):
            continue
        chosen.append(d)
        seen.append(mine)
        if len(chosen) >= limit:
            break
    return chosen


def _common_words(devs: Sequence[Development]) -> set[str]:
    """Words in at least a quarter of the developments (and at least three of them)."""
    df = Counter(t for d in devs for t in set(tokens(d.text)))
    return {t for t, n in df.items() if n >= max(3, 0.25 * len(devs))}


def _by_date(chosen: list[Development], lead: Development | None) -> list[Development]:
    """Date order, the turning point the status leads with first on its day, the rest of a day
    in its articles' own order."""

    def key(d: Development) -> tuple[date, bool, str, int, str]:
        when, source, index, ident = _chronological(d)
        return (when, d is not lead, source, index, ident)

    return sorted(chosen, key=key)


def _chronological(d: Development) -> tuple[date, str, int, str]:
    """Date order; one day's statements from one article in the article's own order."""
    rep = d.sentences[0]
    return (d.date or date.max, rep.source_id, rep.index, d.id)


def _newest_first(d: Development) -> tuple[int, str, int, str]:
    """Newest day first; one day's statements from one article in the article's own order."""
    rep = d.sentences[0]
    return (-(d.date or date.min).toordinal(), rep.source_id, rep.index, d.id)


def _statement(kind: str, d: Development, *, dispute: str | None = None) -> Statement:
    citations = tuple(Citation(s.source_id, s.shown) for s in d.sentences[:MAX_CITATIONS])
    return Statement(
        kind,  # type: ignore[arg-type]
        d.sentences[0].shown,
        citations,
        d.date,
        d.date_precision,
        dispute,
        corroboration=d.outlets,
        related=d.related,
        date_estimated=d.date_estimated,
    )


def assemble(
    kind: str,
    statements: Iterable[Statement],
    sources: Mapping[str, Source],
    *,
    topic: Topic | None = None,
    question: str | None = None,
    engine: str = "extractive",
    notes: tuple[str, ...] = (),
    verification: object | None = None,
) -> Briefing:
    """A briefing whose sources are exactly those cited, numbered in order of first citation."""
    from bot.models import Verification

    statements = tuple(st for st in statements if st.citations)
    order = list(dict.fromkeys(c.source_id for st in statements for c in st.citations))
    missing = [sid for sid in order if sid not in sources]
    if missing:
        raise ValueError(f"statements cite unknown sources: {missing}")
    return Briefing(
        kind=kind,  # type: ignore[arg-type]
        statements=statements,
        sources=tuple(sources[sid] for sid in order),
        engine=engine,
        topic=topic,
        question=question,
        notes=notes,
        verification=verification if isinstance(verification, Verification) else Verification(),
    )


def _core_words(devs: Sequence[Development]) -> frozenset[str]:
    """The story's own words: the most frequent across its developments (its names, its subject).

    A status line about the story names some of them; a reporter's aside or a profile of a
    bystander ("Koch has been on six spacewalks") does not.
    """
    df: Counter[str] = Counter()
    first: dict[str, int] = {}  # the first development using a word: ties go to the stronger
    for i, d in enumerate(devs):
        for t in token_set(d.text):
            df[t] += 1
            first.setdefault(t, i)
    # then by the word, not by a set's order (which PYTHONHASHSEED changes)
    ranked = sorted(df, key=lambda t: (-df[t], first[t], t))
    return frozenset(ranked[:CORE_WORDS])


def _last_decisive(ranked: list[Development]) -> Development | None:
    """The latest corroborated turning point (signed, ruled, closed…) of the story's last months.

    Where a story stands is first the state its last decisive event left it in (the deal closed;
    the capsule splashed down), then what the newest reports add. An ending told as done is that
    state even before a second outlet repeats it. It names the story's own words: a profile
    that says someone "completed 168 days in orbit" ends nothing of the story.
    """
    dated = [d.date for d in ranked if d.date]
    if not dated:
        return None
    newest = max(dated)
    core = _core_words(ranked)
    decisive = [
        d
        for d in ranked
        if d.date
        and newest - d.date <= DECISIVE_WINDOW
        and len(token_set(d.text) & core) >= CORE_NAMED  # of the story, not of a bystander
        and (d.outlets >= 2 or tells_ending(d.text))
        and not d.recap
        and cue_weight(d.text) >= STRONG
        and "plan" not in cues_of(d.text)
    ]
    return max(
        decisive,
        key=lambda d: (d.date or date.min, tells_ending(d.text), d.outlets, d.score, d.id),
        default=None,
    )
