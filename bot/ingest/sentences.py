"""Sentence splitting with character offsets: newlines first, then sentence boundaries.

Rules: abbreviations (U.S., Sen., Mr., Jan., a.m.) and initials ("Stefan J. Bos") never end a
sentence; a quotation stays in one piece even when its opening and closing marks differ
(“ … "), and a sentence ending inside a quote (``.”`` or ``?"``) ends after the closing mark;
a last sentence without a full stop is kept. Spans are trimmed of surrounding whitespace.
"""

from __future__ import annotations

import re

# Capitalised words that end with a full stop without ending a sentence (compared lowercased).
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sen sens rep reps gov govs gen lt col sgt capt cmdr adm maj pres
    st jr sr rev hon messrs mme mlle fr sec amb atty supt insp cpl pvt brig
    inc corp co ltd llc bros dept univ assn fig no nos vol
    jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thur thurs fri sat sun
    ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo mont
    neb nev okla ore pa tenn tex va vt wash wis wyo
    """.split()  # noqa: SIM905
)

# Lowercase abbreviations ("vs.", "approx.") that never end a sentence.
LOWER_ABBREVIATIONS = frozenset({"vs", "approx", "cf", "al", "pp", "ca", "incl", "esp", "viz"})

_LINE = re.compile(r"[^\n]+")
# A quote mark, or a run of sentence-final punctuation.
_EVENT = re.compile(r"[“”\"]|[.!?…]+")
_CLOSERS = "”\"’')]"
_OPENERS = "“\"‘'(["
# A short attribution after a closing quote belongs to the quote's sentence.
_ATTRIBUTION = re.compile(
    r"\s+(?:[A-Z][\w.’'-]*\s+){1,4}(?:said|says|asked|asks|added|adds|told|tells|wrote|writes|"
    r"replied|declared|insisted|warned|stated)\b"
)
_WORD_CHARS = frozenset(".’'-_")
# Abbreviations and initials are short: looking further back than this for one is wasted work
# (and, repeated at every full stop of a long line, made splitting quadratic).
WORD_MAX = 40
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]?$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of the sentences of ``text``, in order."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        _split_line(text, line.start(), line.end(), spans)
    return spans


def _split_line(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    """Append the trimmed sentence spans of ``text[start:end]`` to ``out``."""
    sentence_start = start
    inside_quote = False
    pos = start
    while True:
        match = _EVENT.search(text, pos, end)
        if match is None:
            break
        mark = match.group()
        pos = match.end()
        if mark in '“”"':
            inside_quote = _quote_state(mark, inside_quote)
            continue
        pos, inside_quote = _consume_closers(text, pos, end, inside_quote)
        if inside_quote or not _starts_sentence(text, pos, end):
            continue
        if text[pos - 1] in '”"' and _ATTRIBUTION.match(text, pos, end):
            continue  # “… beautiful?” Trump asked.
        if mark == "." and _is_abbreviation(text, sentence_start, match.start()):
            continue
        _append(text, sentence_start, pos, out)
        sentence_start = pos
    _append(text, sentence_start, end, out)


def _quote_state(mark: str, inside: bool) -> bool:
    """Track whether we are inside a quotation; a straight quote closes an open curly one."""
    if mark == "“":
        return True
    if mark == "”":
        return False
    return not inside


def _consume_closers(text: str, pos: int, end: int, inside: bool) -> tuple[int, bool]:
    """Step over closing quotes and brackets that follow sentence-final punctuation."""
    while pos < end and text[pos] in _CLOSERS:
        if text[pos] in '”"':
            if text[pos] == '"' and not inside:
                break  # a straight quote here opens the next quotation
            inside = False
        pos += 1
    return pos, inside


def _starts_sentence(text: str, pos: int, end: int) -> bool:
    """Whether whitespace and then a sentence-opening character follow ``pos``."""
    if pos >= end or not text[pos].isspace():
        return False
    nxt = pos + 1
    while nxt < end and text[nxt].isspace():
        nxt += 1
    if nxt >= end:
        return False
    char = text[nxt]
    if char in _OPENERS:
        return True
    return char.isupper() or char.isdigit()


def _is_abbreviation(text: str, line_start: int, dot: int) -> bool:
    """Whether the word before the full stop at ``dot`` is an abbreviation or an initial."""
    word = _word_before(text, line_start, dot).lstrip("'’-")
    if not word:
        return False
    if len(word) == 1 and word.isalpha():
        return word.isupper()  # an initial: "Stefan J. Bos"
    if _DOTTED.fullmatch(word + "."):
        return True  # U.S., a.m., D.C.
    if word[0].isupper():
        return word.lower() in ABBREVIATIONS
    return word in LOWER_ABBREVIATIONS


def _word_before(text: str, line_start: int, dot: int) -> str:
    """The run of word characters (letters, digits, ``.’'-_``) that ends at ``dot``."""
    start = dot
    limit = max(line_start, dot - WORD_MAX)
    while start > limit and (text[start - 1].isalnum() or text[start - 1] in _WORD_CHARS):
        start -= 1
    return text[start:dot]


def _append(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    """Append ``text[start:end]`` trimmed of whitespace, unless it is empty."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))
