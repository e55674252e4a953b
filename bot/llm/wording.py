"""What a claim says, word by word: numbers, dates, names, negations, hedges, content stems.

The lexical features ``verify`` compares between a claim and the sentences it cites (the rules
themselves are documented there). Deliberately simple and English-only: a tokenizer, a few
word lists and a light stemmer, fast enough to check every claim of every reply.
"""

from __future__ import annotations

import functools
import re

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
TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|\d+(?:[.,]\d+)*|[A-Za-z]+(?:[’'][A-Za-z]+)*|[.!?;:]")


# -- features ------------------------------------------------------------------------------------
def numbers_in(text: str) -> set[str]:
    """Numbers (normalised digits) with the scale word that follows them, and lone scale words.

    "$30bn" and "thirty billion" are both "30 billion"; "3.5%" is "3.5"; "billions" is a word.
    """
    expanded = _SCALE_ABBREVIATION.sub(
        lambda m: " " + SCALE_ABBREVIATIONS[(m.group(1) or m.group(2)).lower()], text.lower()
    )
    tokens = TOKEN.findall(expanded)
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
    tokens = TOKEN.findall(text)
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
    for token in TOKEN.findall(text):
        if token in ".!?:;":
            sentence_start = True
            continue
        if _is_entity(token, sentence_start):
            out.append(plain_word(token))
        sentence_start = False
    return list(dict.fromkeys(out))


def _is_entity(token: str, sentence_start: bool) -> bool:
    plain = plain_word(token)
    if not token[0].isupper() or token == "I" or plain in WEEKDAYS or plain in DATE_NAMES:
        return False
    return not sentence_start or (plain not in STOPWORDS and not is_negation(plain))


def negation_scopes(text: str) -> tuple[list[list[str]], list[str]]:
    """Stems governed by each negation cue, and the content stems no cue governs."""
    scopes: list[list[str]] = []
    plain: list[str] = []
    current: list[str] | None = None
    for token in TOKEN.findall(text.lower().replace("’", "'")):
        if token in ".!?;:":
            current = None
        elif is_negation(token):
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
    for raw in TOKEN.findall(text.replace("’", "'")):
        token = raw.lower()
        if token in ".!?;:":
            current = None
        elif token in HEDGE_WORDS and raw != "May":  # "May" is the month
            current = []
            scopes.append(current)
        elif token not in STOPWORDS and not is_negation(token):
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
