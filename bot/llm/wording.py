"""What a claim says, word by word: numbers, dates, names, negations, content stems.

The lexical features ``verify`` compares between a claim and the sentences it cites (the rules
themselves are documented there). Deliberately simple and English-only: a tokenizer, a few
word lists and a light stemmer, fast enough to check every claim of every reply.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

NEGATION_WINDOW = 4


def split_words(text: str) -> list[str]:
    """The words of a word list written as one string (ruff prefers this to ``str.split``)."""
    return text.split()


STOPWORDS = frozenset(
    split_words("""
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
        "unless",  # "unless X" is "if not X"
    }
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
        split_words(
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

ORDINALS = {
    w: f"{i}th"
    for i, w in enumerate(
        split_words(
            "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth"
        ),
        start=1,
    )
}
ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
TIME_UNITS = frozenset({"minute", "hour", "day", "week", "month", "year", "decade"})
NOT_A_NUMBER_BEFORE_ONE = frozenset({"every", "each", "no", "any", "this", "that"})
# Words that make a number a bound: "more than 50", "over 50" (at least), "nearly 50" (at most).
BOUND_WORDS = {
    **dict.fromkeys(split_words("more greater higher over above exceeding beyond"), "more"),
    **dict.fromkeys(split_words("less fewer lower under below nearly almost"), "less"),
}
BOUND_PAIRS = {("at", "least"): "more", ("at", "most"): "less", ("up", "to"): "less"}
PARTS_OF_DAY = frozenset(
    split_words("morning afternoon evening night overnight midnight noon dawn")
)

# Capitalised in titles and institutions' names, but common words a claim may write in lowercase.
TITLES = frozenset(
    split_words("""
    president vice secretary minister prime foreign press house chief general official officials
    state states united national security senator senate republican republicans democrat
    democrats democratic government ministry department court army navy party union council
    commission bank central federal administration spokesman spokeswoman spokesperson leader
    """)
)
# Words a rewrite may swap for their opposite and keep every other word: each pair both ways.
_OPPOSITE_PAIRS = """
temporarily permanently  temporary permanent  partly fully  partially fully  increase decrease
rise fall  rose fell  higher lower  larger smaller  gain loss  win lose  approve reject
accept reject  support oppose  strengthen weaken  expand shrink  majority minority
before after  earlier later  early late  open close  legal illegal  guilty innocent
domestic foreign  public private  import export  buy sell  cut raise  cut hike
"""
_PAIRS = [tuple(p.split()) for p in re.split(r"\s{2,}|\n", _OPPOSITE_PAIRS.strip()) if p]
# Dotted acronyms (U.S., D.C.) stay one token; words keep inner apostrophes (didn't, Ukraine's).
TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|\d+(?:[.,]\d+)*|[A-Za-z]+(?:[’'][A-Za-z]+)*|[.!?;:]")


# -- features ------------------------------------------------------------------------------------
def numbers_in(text: str) -> set[str]:
    """Numbers (normalised digits) with the scale or time unit after them, and lone scale words.

    "$30bn" and "thirty billion" are both "30 billion"; "3.5%" is "3.5"; "three years" is
    "3 year"; "sixth" and "6th" are "6th"; "billions" is a word; "every one" is no number.
    """
    return {value for value, _ in _numbers(text)}


def bounds_in(text: str) -> set[tuple[str, str]]:
    """Numbers given as a bound: ("50", "more") for "more than 50", ("50", "less") for "nearly 50"."""
    return {(value, bound) for value, bound in _numbers(text) if bound}


def _numbers(text: str) -> list[tuple[str, str | None]]:
    expanded = _SCALE_ABBREVIATION.sub(
        lambda m: " " + SCALE_ABBREVIATIONS[(m.group(1) or m.group(2)).lower()], text.lower()
    )
    tokens = TOKEN.findall(expanded)
    found: list[tuple[str, str | None]] = []
    for i, token in enumerate(tokens):
        value = _number(token, tokens[i - 1] if i else "")
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if value is None:
            if token in SCALE_WORDS and (i == 0 or _number(tokens[i - 1], "") is None):
                found.append((token, None))
            continue
        if after in SCALE_WORDS:
            value = f"{value} {after}"
        elif after in ORDINAL_SUFFIXES:
            value = f"{value}th"
        elif after.removesuffix("s") in TIME_UNITS:
            value = f"{value} {after.removesuffix('s')}"
        found.append((value, _bound(tokens, i)))
    return found


def _number(token: str, before: str) -> str | None:
    if token[0].isdigit():
        return token.replace(",", "").rstrip(".")
    if token in ORDINALS:
        return ORDINALS[token]
    if token == "one" and before in NOT_A_NUMBER_BEFORE_ONE:
        return None
    return NUMBER_WORDS.get(token)


def _bound(tokens: list[str], i: int) -> str | None:
    """Whether the number at ``i`` is a lower ("more") or upper ("less") bound."""
    two = tokens[i - 2] if i >= 2 else ""
    one = tokens[i - 1] if i >= 1 else ""
    if one == "than":
        return BOUND_WORDS.get(two)
    return BOUND_PAIRS.get((two, one)) or BOUND_WORDS.get(one)


def dates_in(text: str) -> set[str]:
    """Months (abbreviations expanded), weekdays, today/tomorrow, next/last week, morning…"""
    tokens = TOKEN.findall(text)
    found: set[str] = set()
    for i, raw in enumerate(tokens):
        token = raw.lower()
        after = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
        if token in WEEKDAYS or token in RELATIVE_DAYS or token in PARTS_OF_DAY:
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
    for token in TOKEN.findall(text):
        if token in ".!?:;":
            sentence_start = True
            continue
        if is_entity(token, sentence_start):
            out.append(plain_word(token))
        sentence_start = False
    return list(dict.fromkeys(out))


def is_entity(token: str, sentence_start: bool) -> bool:
    """Whether a token is (simplistically) a name: capitalised, not a date, not "I"."""
    plain = plain_word(token)
    if not token[0].isupper() or token == "I" or plain in WEEKDAYS or plain in DATE_NAMES:
        return False
    return not sentence_start or (plain not in STOPWORDS and not is_negation(plain))


def proper_names(texts: Iterable[str]) -> set[str]:
    """Words these texts write capitalised mid-sentence and never in lowercase: names, not titles.

    The names a model could copy from what it was shown, to catch one written in lowercase
    ("a letter from putin") where the capitalised-word rule does not look.
    """
    capitalised: set[str] = set()
    lowercase: set[str] = set()
    for text in texts:
        tokens = TOKEN.findall(text)
        if _headline(tokens):
            continue  # "Trump Seeks a Rare Earth Deal": capitals that name nothing
        sentence_start = True
        for token in tokens:
            if token in ".!?:;":
                sentence_start = True
                continue
            if token[0].islower():
                lowercase.add(plain_word(token))
            elif not sentence_start and is_entity(token, False):
                capitalised.add(plain_word(token))
            sentence_start = False
    return {w for w in capitalised - lowercase if len(w) > 2 and w not in TITLES}


def _headline(tokens: list[str]) -> bool:
    """A title-case headline or an all-caps heading: a capitalised "About", or three in four
    of the longer words after the first capitalised ("Trump Seeks a Rare Earth Deal").
    """
    words = [t for t in tokens[1:] if t[0].isalpha() and plain_word(t) not in DATE_NAMES]
    if any(t[0].isupper() and len(t) > 2 and t.lower() in STOPWORDS for t in words):
        return True
    longer = [t for t in words if len(t) > 3 and plain_word(t) not in WEEKDAYS]
    return bool(longer) and 4 * sum(t[0].isupper() for t in longer) >= 3 * len(longer)


def negation_scopes(text: str) -> tuple[list[list[str]], list[str]]:
    """Stems governed by each negation, and the content stems no negation governs.

    Cues with no content word between them stack and count by parity: "not “not at present”"
    and "never failed to" negate nothing, "did not refuse" neither ("neither … nor" does not
    stack: a content word always comes between them).
    """
    scopes: list[list[str]] = []
    plain: list[str] = []
    current: list[str] | None = None
    stacked = 0  # cues seen since the last content word
    for token in TOKEN.findall(text.lower().replace("’", "'")):
        if token in ".!?;:":
            current, stacked = None, 0
        elif is_negation(token):
            stacked += 1
            if stacked % 2:
                current = []
                scopes.append(current)
            else:  # the second of a pair undoes the first
                scopes.pop()
                current = None
        elif token not in STOPWORDS:
            stacked = 0
            if current is not None and len(current) < NEGATION_WINDOW:
                current.append(stem(token))
            else:
                plain.append(stem(token))
    return scopes, plain


def content_stems(text: str) -> list[str]:
    """Stems of the content words (stopwords and negation cues removed)."""
    tokens = TOKEN.findall(text.lower().replace("’", "'"))
    return [stem(t) for t in tokens if t[0].isalnum() and t not in STOPWORDS and not is_negation(t)]


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
def is_negation(token: str) -> bool:
    """Whether a lowercase token is a negation cue."""
    return token in NEGATION_WORDS or token.endswith("n't") or token.startswith(NEGATION_STEMS)


def plain_word(token: str) -> str:
    """A word as entities are compared: lowercase, no possessive, no dots (U.S. is us)."""
    return token.lower().replace("’", "'").removesuffix("'s").replace(".", "")


def word_key(word: str) -> str:
    """A word as opposites are compared: its stem's first five letters (raise, raised)."""
    return stem(word).rstrip("e")[:5]


def opposites_of(text: str) -> dict[str, set[str]]:
    """For each word of ``text`` that has opposites, their keys (``OPPOSITES``)."""
    keys = {word_key(t) for t in TOKEN.findall(text.lower()) if t[0].isalpha()}
    return {k: OPPOSITES[k] for k in keys if k in OPPOSITES}


OPPOSITES: dict[str, set[str]] = {}
for _a, _b in _PAIRS:
    OPPOSITES.setdefault(word_key(_a), set()).add(word_key(_b))
    OPPOSITES.setdefault(word_key(_b), set()).add(word_key(_a))
