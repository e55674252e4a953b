"""Check every model claim against the sentences it cites; drop what they do not support.

A claim passes only when all of these hold (lexical and deliberately strict: a dropped good claim
costs a line, a kept bad one costs trust):

1. It cites at least one sentence number that exists (unknown numbers are discarded first, so
   they never reach a user; a claim left with none is dropped).
2. No links of any scheme, ``www.`` or ``host.tld/path`` addresses, Discord invites, markdown
   links or mentions (links come only from ``Source.url``), at most ``MAX_CLAIM_CHARS``
   characters. Markdown emphasis, code marks and invisible characters (zero-width, bidi
   controls) are stripped from the claim first: what is checked is what is shown.
3. Every number appears in the cited sentences with the same scale: digits or number words,
   "billion" and its abbreviations ("$30bn", "30m", "5k") read as part of the number, so
   "30 billion" is not supported by "3 billion", "30 million" or a bare "30".
4. Every date word (month, weekday, today/yesterday/tomorrow, next/last week…) appears in the
   cited sentences; a lowercase month next to a number ("april 3") counts as a date.
5. Every named entity appears there. Entities are, simplistically, capitalised words that do
   not start a sentence of the claim; "Ukrainian" matches "Ukraine" (shared stem), "U.S." is "US".
6. Text the claim puts in quotation marks appears verbatim in a cited sentence.
7. Negations agree. A negation cue (not, no, never, n't, without, none, nor, cannot, unlikely,
   refuse, reject, deny, decline, fail) governs the next ``NEGATION_WINDOW`` content words. A
   word the sources negate may only appear negated in the claim, and a claim's negation must
   govern something the sources negate: "was not signed" never supports "was signed", nor the
   reverse.
8. Hedges survive. A hedge (may, might, could, possibly, perhaps, probably, likely, reportedly,
   allegedly, apparently, potentially, expected) governs the next ``NEGATION_WINDOW`` content
   words the same way: what the sources only call possible may not be stated as fact ("talks may
   resume" never supports "talks will resume" or "talks resumed"). The reverse is allowed: a
   claim may hedge what its sources state (weaker, not false). "would" and "should" are not
   hedges (reported speech: "said it would sign"), and a capitalised "May" is the month.
9. Content-word support: at least ``SUPPORT_THRESHOLD`` of the claim's content words (stopwords
   removed, light stemming, shared 5-letter prefixes match) occur in the cited sentences.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.llm.schemas import Cited
from bot.models import Sentence

SUPPORT_THRESHOLD = 0.6
MAX_CLAIM_CHARS = 500
NEGATION_WINDOW = 4


def _words(text: str) -> list[str]:
    return text.split()


STOPWORDS = frozenset(
    _words("""
    a an the and or but if then than that this these those there here of to in on at by for from
    with as into onto over under about after before during since until while within per via
    is are was were be been being am do does did done has have had having will would shall should
    can could may might must it its it's he she they them his her their theirs we us our you your
    i me my who whom whose which what when where why how also just still even yet already so such
    very more most much many some any all each every both either other another same own only
    one's s t up out off again further once too
    however meanwhile additionally furthermore moreover separately earlier later according
    """)
) - {"us"}  # "US" is a country more often than a pronoun in news
NEGATION_WORDS = frozenset(
    {
        "not",
        "no",
        "never",
        "without",
        "none",
        "nor",
        "neither",
        "cannot",
        "nobody",
        "nothing",
        "unlikely",
    }
)
HEDGE_WORDS = frozenset(
    _words("""
    may might could possibly perhaps probably likely reportedly allegedly apparently
    potentially expected expect expects
    """)
)
NEGATION_STEMS = ("refus", "reject", "deny", "denie", "denia", "declin", "fail")
MONTHS = {
    "jan": "january",
    "feb": "february",
    "mar": "march",
    "apr": "april",
    "may": "may",
    "jun": "june",
    "jul": "july",
    "aug": "august",
    "sep": "september",
    "sept": "september",
    "oct": "october",
    "nov": "november",
    "dec": "december",
}
DATE_NAMES = frozenset(MONTHS) | frozenset(MONTHS.values())
WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
RELATIVE_DAYS = frozenset({"today", "yesterday", "tomorrow", "tonight"})
NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        _words(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen twenty"
        )
    )
} | {
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "sixty": "60",
    "seventy": "70",
    "eighty": "80",
    "ninety": "90",
}
SCALE_WORDS = frozenset({"hundred", "thousand", "million", "billion", "trillion", "dozen"})
# Abbreviated scales glued to a number ("$30bn", "£5m", "10k"); the longer ones may be spaced.
SCALE_ABBREVIATIONS = {
    "bn": "billion",
    "b": "billion",
    "mn": "million",
    "mln": "million",
    "m": "million",
    "k": "thousand",
    "tn": "trillion",
    "trn": "trillion",
}
_SCALE_ABBREVIATION = re.compile(r"(?<=\d)(?:\s?(bn|mn|mln|tn|trn)|(b|m|k))\b", re.IGNORECASE)
RELATIVE_PERIODS = frozenset({"week", "weekend", "month", "year"})
RELATIVE_WORDS = frozenset({"last", "next", "past", "coming", "this"})
IRREGULAR = {
    "said": "say",
    "says": "say",
    "told": "tell",
    "tells": "tell",
    "met": "meet",
    "won": "win",
    "lost": "lose",
    "left": "leave",
    "gave": "give",
    "made": "make",
}

# Dotted acronyms (U.S., D.C.) stay one token; words keep inner apostrophes (didn't, Ukraine's).
_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|\d+(?:[.,]\d+)*|[A-Za-z]+(?:[’'][A-Za-z]+)*|[.!?;:]")
_QUOTED = re.compile(r"[\"“]([^\"“”]{3,}?)[\"”]")
_MARKUP = re.compile(
    r"\b[a-z][a-z0-9+.-]*://|\bwww\.|\b(?:javascript|mailto|data):|\]\(|<@|<#|@everyone|@here"
    r"|\b(?:[a-z0-9-]+\.)+[a-z]{2,}/|\bdiscord(?:app)?\.(?:gg|com/invite)\b",
    re.IGNORECASE,
)
# Markdown that would change how a claim looks (emphasis, code, spoilers, headings, quotes).
_MARKDOWN = re.compile(r"\*+|`+|~~|\|\||(?<!\w)_+|_+(?!\w)|^\s*(?:#+|>+|[-+] )\s*")


@dataclass(frozen=True, slots=True)
class Checked:
    """A claim that passed, with the sentences it cites (in citation order)."""

    text: str
    sentences: tuple[Sentence, ...]
    section: str = "development"


@dataclass(slots=True)
class Outcome:
    """Claims kept and dropped (with why) for one model reply."""

    kept: list[Checked] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def claims(self) -> int:
        """How many claims the model wrote."""
        return len(self.kept) + len(self.dropped)

    @property
    def too_many_dropped(self) -> bool:
        """More than half the claims dropped, or nothing left at all."""
        return not self.kept or 2 * len(self.dropped) > self.claims


def verify(items: Iterable[Cited], numbered: Mapping[int, Sentence]) -> Outcome:
    """Check every claim against its cited sentences (by the numbers shown to the model)."""
    outcome = Outcome()
    seen: set[str] = set()
    for item in items:
        text = plain_text(item.text)
        if text.lower() in seen:
            continue  # a repeated claim is neither new information nor a failure
        seen.add(text.lower())
        cited = tuple(dict.fromkeys(numbered[i] for i in item.cite if i in numbered))
        reason = check_claim(text, [s.text for s in cited])
        if reason:
            outcome.dropped.append((text, reason))
        else:
            outcome.kept.append(Checked(text, cited, getattr(item, "section", "development")))
    return outcome


def check_claim(claim: str, cited: Sequence[str]) -> str | None:
    """Why ``claim`` is not supported by the ``cited`` sentence texts, or None when it is."""
    if not cited:
        return "cites no existing sentence"
    if not claim.strip():
        return "empty"
    if len(claim) > MAX_CLAIM_CHARS:
        return "too long"
    if _MARKUP.search(claim):
        return "contains a link or mention"
    source = " ".join(cited)
    for check in (_numbers, _dates, _entities, _quotes, _negations, _hedges, _support):
        reason = check(claim, source)
        if reason:
            return reason
    return None


# -- individual checks ---------------------------------------------------------------------------
def _numbers(claim: str, source: str) -> str | None:
    missing = numbers_in(claim) - numbers_in(source)
    return f"number not in sources: {', '.join(sorted(missing))}" if missing else None


def _dates(claim: str, source: str) -> str | None:
    missing = dates_in(claim) - dates_in(source)
    return f"date not in sources: {', '.join(sorted(missing))}" if missing else None


def _entities(claim: str, source: str) -> str | None:
    words = {_plain(w) for w in _TOKEN.findall(source) if w[0].isalnum()}
    missing = [e for e in entities_in(claim) if not _entity_found(e, words)]
    return f"name not in sources: {', '.join(missing)}" if missing else None


def _quotes(claim: str, source: str) -> str | None:
    flat = _flat(source)
    for quoted in _QUOTED.findall(claim):
        if len(quoted.split()) >= 2 and _flat(quoted) not in flat:
            return f"quote not in sources: {quoted!r}"
    return None


def _negations(claim: str, source: str) -> str | None:
    claim_scopes, claim_plain = negation_scopes(claim)
    source_scopes, source_plain = negation_scopes(source)
    negated = {w for scope in source_scopes for w in scope}
    only_negated = _unmatched(negated, source_plain)  # words the sources never state un-negated
    if any(_matches(w, only_negated) for w in claim_plain):
        return "drops a negation of its sources"
    for scope in claim_scopes:
        if not source_scopes or (scope and not any(_matches(w, negated) for w in scope)):
            return "adds a negation its sources lack"
    return None


def _hedges(claim: str, source: str) -> str | None:
    _, claim_plain = hedge_scopes(claim)
    source_scopes, source_plain = hedge_scopes(source)
    hedged = _unmatched({w for scope in source_scopes for w in scope}, source_plain)
    if any(_matches(w, hedged) for w in claim_plain):
        return "states as fact what its sources only call possible"
    return None


def _support(claim: str, source: str) -> str | None:
    words = content_stems(claim)
    if not words:
        return None
    have = set(content_stems(source))
    found = sum(1 for w in words if _matches(w, have))
    score = found / len(words)
    return (
        None if score >= SUPPORT_THRESHOLD else f"weak support ({score:.2f} < {SUPPORT_THRESHOLD})"
    )


# -- features ------------------------------------------------------------------------------------
def numbers_in(text: str) -> set[str]:
    """Numbers (normalised digits) with the scale word that follows them, and lone scale words.

    "$30bn" and "thirty billion" are both "30 billion"; "3.5%" is "3.5"; "billions" is a word.
    """
    expanded = _SCALE_ABBREVIATION.sub(
        lambda m: " " + SCALE_ABBREVIATIONS[(m.group(1) or m.group(2)).lower()], text.lower()
    )
    tokens = _TOKEN.findall(expanded)
    found: set[str] = set()
    for i, token in enumerate(tokens):
        value = _number(token)
        if value is not None:
            scale = tokens[i + 1] if i + 1 < len(tokens) else ""
            found.add(f"{value} {scale}" if scale in SCALE_WORDS else value)
        elif token in SCALE_WORDS and (i == 0 or _number(tokens[i - 1]) is None):
            found.add(token)
    return found


def _number(token: str) -> str | None:
    if token[0].isdigit():
        return token.replace(",", "").rstrip(".")
    return NUMBER_WORDS.get(token)


def dates_in(text: str) -> set[str]:
    """Months (abbreviations expanded), weekdays, today/yesterday/tomorrow, next/last week…"""
    tokens = _TOKEN.findall(text)
    found: set[str] = set()
    for i, raw in enumerate(tokens):
        token = raw.lower()
        after = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
        if token in WEEKDAYS or token in RELATIVE_DAYS:
            found.add(token)
        elif token in MONTHS or token in MONTHS.values():
            # Months are capitalised or next to a number; lowercase "may" and "march" are verbs.
            near = (after, tokens[i - 1] if i else "")
            if raw[0].isupper() or any(t[:1].isdigit() for t in near):
                found.add(MONTHS.get(token, token))
        elif token in RELATIVE_WORDS and (after in RELATIVE_PERIODS or after in WEEKDAYS):
            found.add(f"{token} {after}")
    return found


def entities_in(text: str) -> list[str]:
    """Capitalised words (minus dates), normalised; a sentence's first word only if not a stopword.

    Checking the first word too keeps a swapped subject ("Putin said…" for "Trump said…") out.
    """
    out: list[str] = []
    sentence_start = True
    for token in _TOKEN.findall(text):
        if token in ".!?:;":
            sentence_start = True
            continue
        if _is_entity(token, sentence_start):
            out.append(_plain(token))
        sentence_start = False
    return list(dict.fromkeys(out))


def _is_entity(token: str, sentence_start: bool) -> bool:
    plain = _plain(token)
    if not token[0].isupper() or token == "I" or plain in WEEKDAYS or plain in DATE_NAMES:
        return False
    return not sentence_start or (plain not in STOPWORDS and not _is_negation(plain))


def negation_scopes(text: str) -> tuple[list[list[str]], list[str]]:
    """Stems governed by each negation cue, and the content stems no cue governs."""
    scopes: list[list[str]] = []
    plain: list[str] = []
    current: list[str] | None = None
    for token in _TOKEN.findall(text.lower().replace("’", "'")):
        if token in ".!?;:":
            current = None
        elif _is_negation(token):
            current = []
            scopes.append(current)
        elif token not in STOPWORDS:
            if current is not None and len(current) < NEGATION_WINDOW:
                current.append(stem(token))
            else:
                plain.append(stem(token))
    return scopes, plain


def hedge_scopes(text: str) -> tuple[list[list[str]], list[str]]:
    """Stems governed by each hedge, and the content stems no hedge governs."""
    scopes: list[list[str]] = []
    plain: list[str] = []
    current: list[str] | None = None
    for raw in _TOKEN.findall(text.replace("’", "'")):
        token = raw.lower()
        if token in ".!?;:":
            current = None
        elif token in HEDGE_WORDS and raw != "May":  # "May" is the month
            current = []
            scopes.append(current)
        elif token not in STOPWORDS and not _is_negation(token):
            if current is not None and len(current) < NEGATION_WINDOW:
                current.append(stem(token))
            else:
                plain.append(stem(token))
    return scopes, plain


def plain_text(text: str) -> str:
    """A claim as users will see it: one line, no markdown marks, no invisible characters."""
    visible = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf") or c in "\n\t")
    lines = (_MARKDOWN.sub("", line) for line in visible.splitlines())
    return " ".join(" ".join(lines).split())


def content_stems(text: str) -> list[str]:
    """Stems of the content words (stopwords and negation cues removed)."""
    tokens = _TOKEN.findall(text.lower().replace("’", "'"))
    return [
        stem(t) for t in tokens if t[0].isalnum() and t not in STOPWORDS and not _is_negation(t)
    ]


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light English stem: possessives, plurals, -ing, -ed, -ly."""
    word = word.lower().replace("’", "'").removesuffix("'s").replace(".", "")
    if word in IRREGULAR:
        return IRREGULAR[word]
    for suffix, replacement in (
        ("ies", "y"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("ly", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + replacement
    return word


# -- helpers -------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1 << 16)
def _is_negation(token: str) -> bool:
    return token in NEGATION_WORDS or token.endswith("n't") or token.startswith(NEGATION_STEMS)


def _matches(word: str, stems: Iterable[str]) -> bool:
    """Same stem, or (for longer words) the same first five letters."""
    pool = stems if isinstance(stems, set) else set(stems)
    if word in pool:
        return True
    return len(word) >= 5 and any(len(s) >= 5 and s[:5] == word[:5] for s in pool)


def _unmatched(words: set[str], others: Sequence[str]) -> set[str]:
    """The ``words`` no word of ``others`` matches (the same test claims are matched by).

    Subtracting only exact stems would leave "ukraine" negated in a source that also says
    "Ukrainian" plainly, and then the source would not even support itself.
    """
    pool = set(others)
    return {w for w in words if not _matches(w, pool)}


def _plain(token: str) -> str:
    return token.lower().replace("’", "'").removesuffix("'s").replace(".", "")


def _entity_found(entity: str, words: set[str]) -> bool:
    """An entity is found by the whole word, or (long names) by a shared stem."""
    if entity in words:
        return True
    if len(entity) <= 3:
        return False
    prefix = entity[: max(4, len(entity) - 3)]
    return any(w.startswith(prefix) for w in words)


def _flat(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(re.sub(r"[^\w' ]+", " ", text).split())
