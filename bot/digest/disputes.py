"""What sources dispute: two sources contradicting each other about the same event or claim.

A dispute is a pair of statements from different outlets and different articles, about the same
thing (they share a rarer name or number and their IDF cosine is high), a few days apart at most,
that disagree: one asserts what the other denies, or they give different figures for the same
quantity. A later statement by the same party is a change of position, not a dispute; two
sentences of one article are that article's own account, not two sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import timedelta

from bot.digest.standing import TermSpace, articles_of, is_question, outlets_of
from bot.models import Development, Source
from bot.topics.text import normalize, stem, tokens

MAX_GAP = timedelta(days=4)  # further apart, a contradiction is more likely a change over time
SIMILAR = 0.3  # IDF cosine at or above which two statements are about the same thing
LOOSE = 0.15  # a lower cosine will do when they share two rarer terms (a denial adds words)
NEGATION_REACH = 4  # words after "not"/"no"/"never" that the negation governs
FIGURE_TOLERANCE = 0.02  # relative difference under which two figures are the same

# Words that deny whatever they are said of ("the report is false", "no plans to").
_DENIAL = re.compile(
    r"\b(?:false|untrue|not true|no plans?|baseless|groundless|inaccurate|incorrect|"
    r"nobody has|no one has)\b",
    re.I,
)
# Verbs that deny only when their object is a claim: "denied that", "rejected claims",
# "disputed Trump's account"; "rejected the FTC's request" is a decision, not a denial.
_DENY_VERB = re.compile(
    r"\b(?:den(?:y|ied|ies|ying|ial)|reject\w*|refut\w*|dismiss\w*|rebuff\w*|contradict\w*|"
    r"disput\w*)\b((?:\W+\w+){0,4})",
    re.I,
)
_CLAIM = re.compile(
    r"\b(?:claims?|reports?|reporting|allegations?|accusations?|suggestions?|account|"
    r"assertions?|statements?|rumou?rs?|idea|notion|remarks?|comments?|characteri[sz]ation)\b",
    re.I,
)
# "denied that …" denies a claim; "rejected that request" does not, so only these take "that".
_DENIED_THAT = re.compile(r"\b(?:den(?:y|ied|ies|ying)|disput(?:e|es|ed|ing))\s+that\b", re.I)
_NEGATORS = frozenset(
    ["not", "no", "never", "neither", "nor", "none", "nothing", "nobody", "without", "cannot"]
)
# Words that end what follows them: "declared an end to the emergency" says what "is no longer
# an emergency" says, so both are the negative side, against "remains an emergency".
_ENDERS = frozenset(["ended", "ending", "ends", "lifted", "lifting", "lifts"])
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")  # on normalised text: straight apostrophes
_NUMBERED = re.compile(r"\bNo\.\s*(?=\d)")  # "Dkt. No. 313" negates nothing
_RAW_WORD = re.compile(r"[^\W_][\w'’-]*")
_SPEAKER = re.compile(
    r"((?:[A-Z][\w’'.-]+\s+){0,3}[A-Z][\w’'.-]+)\s+(?:has\s+|had\s+)?"
    r"(?:said|says|told|stated|insisted|claimed|wrote|announced|denied|rejected|confirmed)\b"
)
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_FIGURE = re.compile(
    r"(?<![\w.,:])([$€£])?\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w:])\s*"
    r"(%|percent|per cent|thousand|million|billion|trillion)?"
)
_MONTHS = frozenset(
    {"january", "february", "march", "april", "may", "june", "july", "august", "september"}
    | {"october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug"}
    | {"sep", "sept", "oct", "nov", "dec"}
)


def find_disputes(
    devs: Sequence[Development], sources: Mapping[str, Source], *, limit: int = 2
) -> list[tuple[Development, Development]]:
    """Up to ``limit`` disputes, strongest first; each pair in date order, each side used once."""
    if limit <= 0 or len(devs) < 2:
        return []
    space = TermSpace.build(devs)
    by_id = {d.id: d for d in devs}
    outlets = {d.id: outlets_of(d, sources) for d in devs}
    articles = {d.id: articles_of(d, sources) for d in devs}
    scored = []
    for a, b in _candidate_pairs(devs, space, by_id):
        if outlets[a.id] & outlets[b.id] or articles[a.id] & articles[b.id]:
            continue
        similarity = space.cosine(a.id, b.id)
        close = similarity >= SIMILAR
        loose = similarity >= LOOSE and space.shared_rare(a.id, b.id) >= 2
        if (close or loose) and _disagree(a.text, b.text, explicit=not close):
            if _same_party_later(a, b):
                continue
            scored.append((similarity + 0.05 * min(a.outlets, b.outlets), a, b))
    scored.sort(key=lambda p: (-p[0], p[1].id, p[2].id))
    out: list[tuple[Development, Development]] = []
    used: set[str] = set()
    for _, a, b in scored:
        if a.id in used or b.id in used:
            continue
        used |= {a.id, b.id}
        out.append(_in_date_order(a, b))
        if len(out) >= limit:
            break
    return out


def _eligible(d: Development) -> bool:
    """A statement that can be one side of a dispute: dated, told (not asked), not background."""
    return d.date is not None and not d.recap and not is_question(d.text)


def _candidate_pairs(
    devs: Sequence[Development], space: TermSpace, by_id: Mapping[str, Development]
) -> Iterator[tuple[Development, Development]]:
    """Pairs of eligible developments sharing a rarer term and dated at most a few days apart."""
    for d in sorted(devs, key=lambda d: d.id):
        if not _eligible(d):
            continue
        for other_id in space.neighbours(d.id):
            other = by_id[other_id]
            if other_id <= d.id or not _eligible(other):
                continue
            assert d.date is not None and other.date is not None
            if abs(d.date - other.date) <= MAX_GAP:
                yield d, other


def _disagree(a: str, b: str, *, explicit: bool = False) -> bool:
    """Opposite polarity about what both say, or different figures for the same quantity.

    ``explicit``: only an outright denial counts, not a bare "not" (for looser matches).
    """
    if explicit:
        return _denies(a) != _denies(b)
    shared = _predicates(a) & _predicates(b)
    return _negative(a, shared) != _negative(b, shared) or conflicting_figures(a, b)


def _denies(text: str) -> bool:
    """An outright denial: "false", "no plans", "denied that", "rejected claims"."""
    if _DENIAL.search(text) or _DENIED_THAT.search(text):
        return True
    return any(_CLAIM.search(m.group(1)) for m in _DENY_VERB.finditer(text))


def _predicates(text: str) -> set[str]:
    """Stems of the words a sentence writes in lower case: what it says, not whom it names."""
    return {stem(normalize(w)) for w in _RAW_WORD.findall(text) if w[:1].islower()} & set(
        tokens(text)
    )


def _negative(text: str, shared: set[str]) -> bool:
    """Whether a sentence denies, or negates a predicate it shares with the other (``shared``)."""
    if _denies(text):
        return True
    words = _WORD.findall(normalize(_NUMBERED.sub(" ", text)))
    for i, w in enumerate(words):
        ender = w in _ENDERS or (w == "end" and words[i + 1 : i + 2] == ["to"])
        negator = w in _NEGATORS or w.endswith("n't") or ender
        if negator and any(stem(x) in shared for x in words[i + 1 : i + 1 + NEGATION_REACH]):
            return True
    return False


def figures(text: str) -> list[tuple[str, float, frozenset[str]]]:
    """Quantities a sentence states: (unit kind, value, the words naming what is counted)."""
    out = []
    for m in _FIGURE.finditer(text):
        currency, number, scale = m.group(1) or "", m.group(2), (m.group(3) or "").lower()
        before = text[: m.start()].split()[-1:]
        after = tokens(text[m.end() :])[:2]
        if _is_date_or_year(number, currency, scale, before, text[m.end() :]):
            continue
        value = float(number.replace(",", "")) * _SCALES.get(scale, 1.0)
        unit = currency + ("%" if scale in {"%", "percent", "per cent"} else "")
        out.append((unit, value, frozenset(after)))
    return out


def _is_date_or_year(number: str, currency: str, scale: str, before: list[str], rest: str) -> bool:
    """Numbers that are calendar dates or years, not quantities."""
    if currency or scale:
        return False
    plain = number.replace(",", "")
    if "," not in number and plain.isdigit() and 1900 <= int(plain) <= 2100:
        return True
    following = rest.split()[:1]
    return any(w.strip(".,").lower() in _MONTHS for w in [*before, *following])


def conflicting_figures(a: str, b: str) -> bool:
    """Whether two sentences give different numbers for the same quantity (and never the same)."""
    fa, fb = figures(a), figures(b)
    conflict = False
    for unit_a, value_a, what_a in fa:
        for unit_b, value_b, what_b in fb:
            if unit_a != unit_b or not what_a & what_b:
                continue
            if abs(value_a - value_b) <= FIGURE_TOLERANCE * max(value_a, value_b):
                return False  # they agree on this quantity: the other number is another one
            conflict = True
    return conflict


def _speaker(text: str) -> str | None:
    """The last name of whoever a sentence quotes ("Trump said …" gives "trump")."""
    m = _SPEAKER.search(text)
    return m.group(1).split()[-1].lower().strip("’'.") if m else None


def _same_party_later(a: Development, b: Development) -> bool:
    """The same speaker on different days: a change of position, not a dispute."""
    who = _speaker(a.text)
    return who is not None and who == _speaker(b.text) and a.date != b.date


def _in_date_order(a: Development, b: Development) -> tuple[Development, Development]:
    first, second = sorted((a, b), key=lambda d: (d.date, -d.score, d.id))
    return first, second
