"""Publication dates (header, front matter, sidecar, text, URL) and relative event dates.

Never invents a date: "[Date]" placeholders, copyright years and bare years are not dates, and
anything unknown stays ``None``. Relative references ("said Wednesday", "last week") resolve
against the publication date; a future reference ("due as early as Friday") keeps the report's date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from bot.models import Precision

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
# "Feb. 26, 2025", "December 29, 2025", "April 30" (year optional), "28 February 2025", ISO.
_MDY = re.compile(rf"\b{_MONTH}\.?\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?(?!\s*:\d)")
_DMY = re.compile(rf"\b{_DAY}\s+{_MONTH}\.?,?\s+{_YEAR}\b")
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
_URL_DATE = re.compile(
    r"/(?P<year>(?:19|20)\d\d)[/-](?P<month>[01]?\d)[/-](?P<day>[0-3]?\d)(?:[/._-]|$)"
)
_COPYRIGHT = re.compile(r"copyright|©|\(c\)\s*\d|all rights reserved", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\[\s*date\s*\]|\{\{\s*date\s*\}\}", re.IGNORECASE)
_DATE_LINE_NOISE = re.compile(
    r"\b(?:published|updated|posted|last|modified|on|at|by|am|pm|a\.m\.|p\.m\.|et|est|edt|gmt|utc|bst|cet)\b"
    r"|\b[ap]\.m\.|\b\d{1,2}:\d\d\b|[|•·,.:–—-]",
    re.IGNORECASE,
)


def _make(year: int, month: int, day: int) -> date | None:
    """A date, or None when the parts are impossible."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_number(name: str) -> int:
    return MONTHS[name[:3].lower()]


def find_date(text: str, *, default_year: int | None = None) -> tuple[date, tuple[int, int]] | None:
    """The first full calendar date written in ``text`` and its span (copyright lines excluded)."""
    if _COPYRIGHT.search(text) or _PLACEHOLDER.fullmatch(text.strip()):
        return None
    found: list[tuple[int, date, tuple[int, int]]] = []
    for regex in (_MDY, _DMY, _ISO):
        for m in regex.finditer(text):
            year = m.group("year")
            if year is None and default_year is None:
                continue
            month = m.group("month")
            number = int(month) if month.isdigit() else _month_number(month)
            value = _make(int(year or default_year or 0), number, int(m.group("day")))
            if value is not None:
                found.append((m.start(), value, m.span()))
    if not found:
        return None
    _, value, span = min(found, key=lambda f: f[0])
    return value, span


def parse_date_line(line: str) -> date | None:
    """The date of a line that is only a date line ("Monday, December 29, 2025", "Updated: …")."""
    hit = find_date(line)
    if hit is None:
        return None
    value, (start, end) = hit
    rest = line[:start] + " " + line[end:]
    rest = _DATE_LINE_NOISE.sub(" ", rest)
    words = [w for w in rest.split() if w.lower() not in WEEKDAYS]
    if len(words) > 6 or any(w[0].islower() for w in words):
        return None  # words of a sentence around the date: "On Feb. 28, 2025, talks collapsed."
    return value


def parse_date_value(value: object) -> date | None:
    """A date from a front-matter or sidecar value (date, datetime or text), else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or _PLACEHOLDER.search(value):
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        hit = find_date(text)
        return hit[0] if hit else None


def date_from_url(url: str | None) -> date | None:
    """A date written in a URL path (``…/2025/04/30/…``), else None."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    if m is None:
        return None
    return _make(int(m.group("year")), int(m.group("month")), int(m.group("day")))


# -- event dates in sentences ---------------------------------------------------------------------

_WEEKDAY = re.compile(r"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b")
_RELATIVE = re.compile(
    r"\b(?P<rel>yesterday|today|tonight|this (?:morning|afternoon|evening)"
    r"|(?:last|this|past) (?:week|weekend|month)|earlier this (?:week|month))\b",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b(?:will|won['’]t|would|shall|next (?:week|month|year)|upcoming|tomorrow"
    r"|(?:is|are) (?:due|expected|set|scheduled|slated|poised|going|planning|to be)"
    r"|due (?:as early as|on|to|by)|as early as|plans? to|intends? to|later this (?:week|month)"
    r"|(?:wants|hopes|aims|seeks) to"
    r"|(?:set|scheduled|slated) (?:to|for)"
    r"|to (?:meet|hold|host|visit|travel|sign|vote|gather|convene))\b",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[a-z’']+")
_DIGIT = re.compile(r"\d")
_RELATIVE_KEYS = ("yesterday", "today", "tonight", "this ", "last ", "past ")
_FUTURE_WORDS = frozenset({"will", "would", "shall", "won’t", "won't", "upcoming", "tomorrow"})
_WILL = ("'ll", "’ll")  # "we'll", "it’ll"
_FUTURE_ANCHORS = frozenset(
    """next due expected set scheduled slated poised going planning plan plans intend intends
    early later meet hold host visit travel sign vote gather convene be wants hopes aims
    seeks""".split()  # noqa: SIM905
)
_AHEAD_WORDS = frozenset(
    """scheduled rescheduled slated expected planned set due targeted targeting postponed delayed
    pushed window deadline""".split()  # noqa: SIM905
)
_NEXT_WORDS = frozenset({"next", "coming", "until", "by"})
_SPEECH_WORDS = frozenset(
    """said says told wrote announced stated added confirmed declared reported warned claimed
    insisted noted argued""".split()  # noqa: SIM905
)
_PAST_WORDS = _SPEECH_WORDS | frozenset(
    """posted tweeted met signed spoke visited held voted agreed rejected called urged asked
    unveiled revealed released launched hit struck denied""".split()  # noqa: SIM905
)
Resolved = tuple[date | None, Precision | None]
NEAR_DAYS = 7  # a yearless date this close after publication is this year's, whatever the tense


def resolve_event_date(sentence: str, published: date | None) -> Resolved:
    """When what a sentence reports happened or was said, with a precision, else ``(None, None)``.

    A cue attached to a speech or past verb ("said Sunday") wins, then the first other past cue;
    a future reference ("due as early as Friday", "next week") keeps the publication date.
    """
    low = sentence.lower()
    if not _may_have_cue(sentence, low):
        return None, None
    cues = _cues(sentence, published, low)
    said = [c for c in cues if c[2] and not c[3]]
    past = [c for c in cues if not c[3]]
    chosen = said[0] if said else past[0] if past else None
    if chosen is not None and chosen[1][0] is not None:
        return chosen[1]
    if published is not None and (any(c[3] for c in cues) or _FUTURE_TIME.search(sentence)):
        return published, "day"
    return None, None


# "Sunday (Dec. 11)", "on Monday, November 14": a weekday beside a yearless date pins the year.
_PINNED = re.compile(
    rf"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s*\(?\s*"
    rf"{_MONTH}\.?\s+{_DAY}\b(?!\)?,?\s*(?:19|20)\d\d)"
)


def pinned_dates(sentence: str, years: range) -> list[tuple[date, bool]]:
    """Dates a weekday and a yearless date fix together ("Sunday (Dec. 11)"), with whether each
    is to come.

    Only a year in ``years`` whose calendar puts that day on that weekday qualifies; when
    several do, the latest one is taken (news is read after it is written).
    """
    if "day" not in sentence:
        return []
    future = _has_future(sentence.lower())
    out = []
    for m in _PINNED.finditer(sentence):
        weekday, month, day = (
            WEEKDAYS.index(m.group("wd").lower()),
            _month_number(m.group("month")),
            int(m.group("day")),
        )
        fits = [
            d for y in years if (d := _make(y, month, day)) is not None and d.weekday() == weekday
        ]
        if fits:
            ahead = _looks_ahead(sentence, m.start()) or (
                future and not _after_past(sentence, m.start())
            )
            out.append((fits[-1], ahead))
    return out


def yearless_days(sentence: str) -> list[tuple[int, int, bool]]:
    """The yearless days a sentence writes ("on May 22"): (month, day, is it to come)."""
    if not _DIGIT.search(sentence):
        return []
    future = _has_future(sentence.lower())
    return [
        (
            _month_number(m.group("month")),
            int(m.group("day")),
            _looks_ahead(sentence, m.start()) or (future and not _after_past(sentence, m.start())),
        )
        for m in _MDY.finditer(sentence)
        if not m.group("year")
    ]


def referenced_dates(sentence: str, published: date | None) -> list[tuple[date, Precision, bool]]:
    """Every date a sentence names, resolved by its tense: (date, precision, is it to come)."""
    if not _may_have_cue(sentence):
        return []
    return [(d, p, future) for _, (d, p), _, future in _cues(sentence, published) if d and p]


# A cheap first test: most sentences name no time at all.
_CUE_WORDS = ("day", "tonight", "tomorrow", "week", "month", "morning", "afternoon", "evening")
_MONTH_PREFIXES = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def _may_have_cue(sentence: str, low: str | None = None) -> bool:
    """Whether a sentence might name a time (substring tests only)."""
    low = sentence.lower() if low is None else low
    return any(k in low for k in _CUE_WORDS) or any(m in sentence for m in _MONTH_PREFIXES)


_FUTURE_TIME = re.compile(r"\b(?:next (?:week|month)|tomorrow|later this (?:week|month))\b", re.I)


# A cue: (position, resolved date, attached to a speech/past verb, future reference).
Cue = tuple[int, Resolved, bool, bool]


def _cues(sentence: str, published: date | None, low: str | None = None) -> list[Cue]:
    """Every temporal cue of a sentence, in order of position (cheap substring tests first)."""
    low = sentence.lower() if low is None else low
    ctx = _Context(sentence, low)

    def main_clause(regex: re.Pattern[str]) -> list[re.Match[str]]:
        return [
            m
            for m in _scan(regex, sentence)
            if not _parenthetical(sentence, *m.span()) and not _state_start(sentence, m)
        ]

    found: list[tuple[int, Resolved]] = []
    if "day" in sentence:
        found += [
            (m.start(), _weekday(m.group("wd"), published, ahead=ctx.ahead(m.start())))
            for m in main_clause(_WEEKDAY)
        ]
    if any(k in low for k in _RELATIVE_KEYS):
        found += [
            (m.start(), _relative(m.group("rel").lower(), published))
            for m in _RELATIVE.finditer(sentence)
            if not _subordinate(sentence, m)
        ]
    if any(m in sentence for m in _MONTH_PREFIXES):
        calendar = (_MDY, _DMY) if _DIGIT.search(sentence) else ()
        for regex in calendar:
            found += [
                (m.start(), _explicit(m, published, ahead=ctx.ahead(m.start())))
                for m in main_clause(regex)
                if not _PERIOD_END.search(sentence, max(0, m.start() - 40), m.start())
                and not _span_start(sentence, m)
            ]
        found += [
            (m.start(), _in_month(m, published, ahead=ctx.ahead(m.start())))
            for m in main_clause(_IN_MONTH)
        ]
    if not found:
        return []
    return sorted(ctx.cue(pos, resolved) for pos, resolved in found)


# "in the week ended August 21", "the seven days to May 3": the end of a period a figure covers,
# not the day anything happened (the report of the figure is the news)
_PERIOD_END = re.compile(
    r"(?:\b(?:week|weeks|days|period|month|fortnight|quarter|year)\s+(?:that\s+)?"
    r"(?:ended|ending|to|through)\s+(?:on\s+)?(?:\w+day,?\s+)?"
    # "runs from July 1, 2022 to June 30, 2023": the end of a span
    r"|\bfrom\s+[A-Z][a-z]+\.?\s+\d{1,2},?(?:\s+(?:19|20)\d\d)?\s+(?:to|through|until)\s+)$",
    re.IGNORECASE,
)
# ... and its start: a date after "from" that another date, after "to", ends
_SPAN_START = re.compile(r"\bfrom\s+$", re.IGNORECASE)
_SPAN_TO = re.compile(r"^,?\s+(?:to|through|until)\s+(?:[A-Z][a-z]+\.?\s+)?\d", re.IGNORECASE)


def _span_start(sentence: str, m: re.Match[str]) -> bool:
    """Whether a date opens a span ("from July 1, 2022 to June 30, 2023"): no day of an event."""
    before = sentence[max(0, m.start() - 8) : m.start()]
    return bool(_SPAN_START.search(before) and _SPAN_TO.match(sentence[m.end() : m.end() + 30]))


def _lead(regex: re.Pattern[str], lead: str | None = None) -> re.Pattern[str]:
    """A pattern that matches wherever ``regex`` does (at least): ``regex`` without its leading
    ``\\b``, unless given. The engine finds it with a fast prefix scan, which ``\\b`` defeats."""
    if lead is None:
        if not regex.pattern.startswith(r"\b"):
            raise ValueError(f"no leading \\b to drop: {regex.pattern}")
        lead = regex.pattern[2:]
    return re.compile(lead, regex.flags)


def _scan(regex: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``regex.finditer(text)`` (for a pattern that never matches empty), trying ``regex`` only
    where its lead matches: the same matches, found several times faster."""
    lead = _LEADS[regex]
    pos = 0
    while (hit := lead.search(text, pos)) is not None:
        m = regex.match(text, hit.start())  # \b and look-behinds still see the text before
        if m is None:
            pos = hit.start() + 1
            continue
        yield m
        pos = max(m.end(), hit.start() + 1)


class _Context:
    """One sentence's cue checks, each worked out once: its tense, and the words before a
    position (every cue asks about them several times)."""

    __slots__ = ("_before", "_future", "_words", "low", "sentence")

    def __init__(self, sentence: str, low: str) -> None:
        self.sentence = sentence
        self.low = low
        self._future: bool | None = None
        self._words: list[tuple[int, str]] | None = None
        self._before: dict[int, list[str]] = {}

    @property
    def future(self) -> bool:
        """Whether the sentence speaks of the future (``_has_future``), asked at most once."""
        if self._future is None:
            self._future = _has_future(self.low)
        return self._future

    def before(self, pos: int) -> list[str]:
        """``_words_before(sentence, pos)``, remembered."""
        words = self._before.get(pos)
        if words is None:
            words = self._before[pos] = _words_before(self.sentence, pos)
        return words

    def looks_ahead(self, pos: int) -> bool:
        """``_looks_ahead(sentence, pos)``."""
        return not _AHEAD_WORDS.isdisjoint(self.before(pos))

    def after_past(self, pos: int) -> bool:
        """``_after_past(sentence, pos)``."""
        return _follows_past(self.before(pos))

    def ahead(self, pos: int) -> bool:
        """Whether the reference at ``pos`` is to something still to come."""
        return self.looks_ahead(pos) or (self.future_at(pos) and not self.after_past(pos))

    def future_at(self, pos: int) -> bool:
        """Whether the sentence's future tense governs the reference at ``pos``: not when the
        reference leads a past speech verb whose reported words hold the future ("Last week, the
        agency said it would not declare …" tells of last week)."""
        return self.future and not _reported_future(self.words, pos)

    @property
    def words(self) -> list[tuple[int, str]]:
        """The (lowercased) sentence's words with their positions, found at most once."""
        if self._words is None:
            self._words = [(m.start(), m.group(0)) for m in _WORDS.finditer(self.low)]
        return self._words

    def cue(self, pos: int, resolved: Resolved) -> Cue:
        """Classify one cue: attached to a past or speech verb, a future reference, or plain past."""
        if self.looks_ahead(pos):
            return pos, resolved, False, True
        before = self.before(pos)
        attached = self.after_past(pos)
        future = bool(before and before[-1] in _NEXT_WORDS) or (
            not attached and self.future_at(pos)
        )
        return pos, resolved, attached, future


def _has_future(low: str) -> bool:
    """Whether a (lowercased) sentence speaks of the future."""
    words = set(_WORDS.findall(low))
    if not words.isdisjoint(_FUTURE_WORDS):
        return True
    if ("'ll" in low or "’ll" in low) and any(w.endswith(_WILL) for w in words):
        return True
    return bool(words & _FUTURE_ANCHORS) and bool(_FUTURE.search(low))


def _reported_future(words: list[tuple[int, str]], pos: int) -> bool:
    """Whether every future word of a sentence (its lowercased ``words`` and their positions)
    comes after a past speech verb that itself follows ``pos``: the future is what was said, and
    the time at ``pos`` when it was."""
    if any(w in _FUTURE_WORDS or w.endswith(_WILL) for at, w in words if at < pos):
        return False
    for _, w in (x for x in words if x[0] >= pos):
        if w in _SPEECH_WORDS:
            return True
        if w in _FUTURE_WORDS or w.endswith(_WILL) or w in _FUTURE_ANCHORS:
            return False
    return False


# "has been hospitalized since May 12", "talks have stalled since Monday": the day a state
# began, which the sentence reports as it stands on the day it is written, not an event of that day
_SINCE_BEFORE = re.compile(r"\bsince\s+(?:early |mid-|late |the end of )?$", re.I)


def _state_start(sentence: str, m: re.Match[str]) -> bool:
    if m.group(0)[:6].lower() == "since ":  # "since March" (the month's own lead word)
        return True
    return bool(_SINCE_BEFORE.search(sentence[max(0, m.start() - 20) : m.start()]))


_SUBORDINATE_BEFORE = re.compile(r"\b(?:after|following|since|before|amid|despite)\s+$", re.I)


def _subordinate(sentence: str, m: re.Match[str]) -> bool:
    """Whether a relative time belongs to a noun phrase ("last week's talks", "after last week")
    rather than to the main event of the sentence."""
    if sentence[m.end() : m.end() + 2] in ("'s", "’s"):
        return True
    if _SUBORDINATE_BEFORE.search(sentence[max(0, m.start() - 12) : m.start()]):
        return True
    return _parenthetical(sentence, m.start(), m.end())


_CLAUSE_OPENER = re.compile(r"^\s*(?:which|who|that|first|once|\w+ed)\b", re.I)


def _parenthetical(sentence: str, start: int, end: int) -> bool:
    """Whether a span sits in a ", which was agreed last week," or ", agreed in April," aside."""
    left = sentence.rfind(",", 0, start)
    right = sentence.find(",", end)
    if left < 0 or right < 0:
        return False
    return bool(_CLAUSE_OPENER.match(sentence[left + 1 : start]))


def _words_before(sentence: str, pos: int) -> list[str]:
    """The (at most three) words just before a position, lowercased, punctuation stripped."""
    return [w.strip(",;:").lower() for w in sentence[max(0, pos - 60) : pos].split()[-3:]]


def _after_past(sentence: str, pos: int) -> bool:
    """Whether a time reference follows a past or speech verb ("were scrubbed on Aug. 29").

    "scheduled for", "postponed to", "expected on" look ahead, though they end in -ed.
    """
    return _follows_past(_words_before(sentence, pos))


def _follows_past(before: list[str]) -> bool:
    """``_after_past`` on the words before the position."""
    if not _AHEAD_WORDS.isdisjoint(before) or "be" in before:  # "will be signed on", "to be held"
        return False
    return any(w in _PAST_WORDS or (len(w) > 4 and w.endswith("ed")) for w in before)


def _looks_ahead(sentence: str, pos: int) -> bool:
    """Whether a time reference is what something is scheduled, set or postponed for."""
    return any(w in _AHEAD_WORDS for w in _words_before(sentence, pos))


def _weekday(name: str, published: date | None, *, ahead: bool = False) -> Resolved:
    """The most recent such weekday on or before the publication date ("said on Thursday"),
    or, for what is to come ("will sign on Thursday"), the next one on or after it."""
    if published is None:
        return None, None
    target = WEEKDAYS.index(name.lower())
    if ahead:
        return published + timedelta(days=(target - published.weekday()) % 7), "day"
    back = (published.weekday() - target) % 7
    return published - timedelta(days=back), "day"


def _relative(phrase: str, published: date | None) -> Resolved:
    """Resolve "yesterday", "last week", "this month" and the like."""
    if published is None:
        return None, None
    if phrase == "yesterday":
        return published - timedelta(days=1), "day"
    if phrase.endswith(("week", "weekend")):
        monday = published - timedelta(days=published.weekday())
        last = phrase.startswith(("last", "past")) and phrase.endswith("week")
        return (monday - timedelta(days=7) if last else monday), "week"
    if phrase.endswith("month"):
        first = published.replace(day=1)
        if phrase.startswith(("last", "past")):
            first = (first - timedelta(days=1)).replace(day=1)
        return first, "month"
    return published, "day"


_IN_MONTH = re.compile(
    r"\b(?:in|last|this|next|by|until|since) (?:early |mid-|late |the end of )?"
    + _MONTH
    + r"\b(?!\.?\s*\d)(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
)


# Per cue pattern, its lead (``_scan``): a day's number opens a "28 February 2025".
_LEADS = {
    _WEEKDAY: _lead(_WEEKDAY),
    _MDY: _lead(_MDY),
    _DMY: _lead(_DMY, r"\d"),
    _IN_MONTH: _lead(_IN_MONTH),
}


def _in_month(m: re.Match[str], published: date | None, *, ahead: bool = False) -> Resolved:
    """ "in April", "last April", "in April 2024": the month (its first day), month precision.

    Without a year, the latest such month up to publication, or the next one for what is to come.
    """
    month = _month_number(m.group("month"))
    if m.group("year"):
        return date(int(m.group("year")), month, 1), "month"
    if published is None:
        return None, None
    year = published.year
    if ahead and month < published.month:
        year += 1
    elif not ahead and month > published.month:
        year -= 1
    return date(year, month, 1), "month"


def _explicit(m: re.Match[str], published: date | None, *, ahead: bool = False) -> Resolved:
    """A written calendar date; without a year, the latest such date not after publication
    (or at most ``NEAR_DAYS`` after it: "rolls out on March 17" three days ahead is this year's).

    In a sentence about what is to come ("set to go to trial on August 2"), a yearless date
    looks ahead: the next such date, not last year's.
    """
    month = _month_number(m.group("month"))
    day = int(m.group("day"))
    if m.group("year"):
        return _make(int(m.group("year")), month, day), "day"
    if published is None:
        return None, None
    value = _make(published.year, month, day)
    if value is not None and ahead and value < published:
        value = _make(published.year + 1, month, day)
    elif value is not None and not ahead and (value - published).days > NEAR_DAYS:
        value = _make(published.year - 1, month, day)
    return (value, "day") if value else (None, None)


_RECAP = re.compile(
    r"\b(?:previously|initially|originally|last year|earlier this year|after (?:months|years|decades) of|back in"
    r"|first announced|a year (?:after|ago)|since (?:January|February|March|April|May|June|July"
    r"|August|September|October|November|December|(?:19|20)\d\d))\b",
    re.IGNORECASE,
)


_EARLIER_MONTH = re.compile(
    r"\b(?:in|since|back in|earlier in|from|until|by) (?:early |mid-|late )?"
    + _MONTH
    + r"\b(?!\s+\d{1,2}\b)"  # "in July 2022" (a month of a year), not "in July 4" (a day)
    r"(?:,?\s+(?P<year>(?:19|20)\d\d))?",
    re.IGNORECASE,
)


_EARLIER_YEAR = re.compile(
    r"\b(?:in|since|back in|until|from) (?P<year>(?:19|20)\d\d)\b", re.IGNORECASE
)


def is_recap(sentence: str, published: date | None) -> bool:
    """Whether a sentence restates something earlier as background to later news.

    "previously", "last year", "after months of", or an event placed in an earlier month ("in
    January", "since March 2022") than the page's own.
    """
    if _RECAP.search(sentence):
        return True
    if published is None:  # no page date to compare with: a leading "In April, …" is background
        lead = _EARLIER_MONTH.match(sentence)
        return bool(lead) and not _has_future(sentence.lower())
    for m in _EARLIER_YEAR.finditer(sentence):
        if int(m.group("year")) < published.year:
            return True
    for m in _EARLIER_MONTH.finditer(sentence):
        month = _month_number(m.group("month"))
        year = int(m.group("year")) if m.group("year") else published.year
        if (year, month) < (published.year, published.month) and not _has_future(sentence.lower()):
            return True
    return False
