"""Small text tools shared by topic assignment and the engines: tokens, terms, phrase matching."""

from __future__ import annotations

import itertools
import re
import sys
import unicodedata
from functools import lru_cache

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not now of off on once only
    or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves said says say told week weeks day days monday tuesday
    wednesday thursday friday saturday sunday year years last next may might must shall also
    according one two three new first still even well back much many like get got going go
    went make made told tell including since would could us mr ms mrs
    """.split()  # noqa: SIM905
)
# Letters and digits of any script: a question or an article in Ukrainian has words too.
_WORD = re.compile(r"[^\W_][^\W_'’\-]*[^\W_]|[^\W_]")
_QUOTES = (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'))


def normalize(text: str) -> str:
    """Lowercase, NFKC, straight quotes."""
    text = unicodedata.normalize("NFKC", text)
    for curly, straight in _QUOTES:
        text = text.replace(curly, straight)
    return text.lower()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stemmer, enough to join plural and possessive forms."""
    word = word.removesuffix("'s")
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ss", "ss"), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + repl
    return word


def tokens(text: str) -> list[str]:
    """Stemmed content words of a text (stopwords and one-letter words dropped)."""
    return tokens_normalized(normalize(text))


def tokens_normalized(text: str) -> list[str]:
    """``tokens`` of an already normalised text."""
    return [stem(w) for w in _WORD.findall(text) if w not in STOPWORDS and len(w) > 1]


def terms(text: str) -> set[str]:
    """Content unigrams plus adjacent bigrams: the features topics learn from."""
    return terms_normalized(normalize(text))


def terms_normalized(text: str) -> set[str]:
    """``terms`` of an already normalised text (hyphens split words: "US-Ukraine")."""
    toks = tokens_normalized(text)
    # Interned: a large corpus repeats the same few hundred thousand terms millions of times.
    return {sys.intern(t) for t in toks} | {
        sys.intern(f"{a} {b}") for a, b in itertools.pairwise(toks)
    }


# Between two words of a phrase: spaces, hyphens, dashes or a slash ("minerals-deal").
_SEP = r"[\s\-\u2010-\u2015/]+"
# At most one word may stand between them ("supply-chain agreement" for "supply agreement").
_GAP = r"(?:[^\W_]+(?:'[^\W_]+)?" + _SEP + r")?"
_POSSESSIVE = r"(?:'s|')?"


def _word_pattern(word: str) -> str:
    """A regex for a phrase word and its plural and possessive forms."""
    core = word.removesuffix("'s")
    if not core.isalnum() or len(core) < 4 or core.isdigit():
        return re.escape(core) + _POSSESSIVE  # "us", "i", "u.s.": only as written
    root = stem(core)
    if root.endswith("y"):
        return re.escape(root[:-1]) + r"(?:y|ies)" + _POSSESSIVE
    return re.escape(root) + r"(?:e?s)?" + _POSSESSIVE


def phrase_pattern(phrase: str) -> str:
    """A regex for a phrase: word variants, compounds and one word in between allowed."""
    words = [w for w in re.split(_SEP, normalize(phrase).strip()) if w]
    return (_SEP + _GAP).join(_word_pattern(w) for w in words)


class PhraseMatcher:
    """Counts case-insensitive whole-word occurrences of any of a set of phrases.

    A phrase matches its words' plural and possessive forms, hyphenated and compound spellings
    ("minerals-deal", "US-Ukraine" contains "Ukraine") and one extra word between two of its
    words ("supply-chain agreement" for "supply agreement").
    """

    def __init__(self, phrases: tuple[str, ...]) -> None:
        by_length = sorted(
            {p for p in phrases if p.strip()}, key=lambda p: (-len(p.split()), -len(p), p)
        )
        parts = list(dict.fromkeys(phrase_pattern(p) for p in by_length))
        self._re = (
            re.compile(r"(?<![^\W_])(?:" + "|".join(parts) + r")(?![^\W_])") if parts else None
        )

    def find(self, text: str) -> list[str]:
        """Every phrase occurrence in the text (normalised)."""
        return self.find_normalized(normalize(text))

    def find_normalized(self, text: str) -> list[str]:
        """Every phrase occurrence in an already normalised text."""
        return self._re.findall(text) if self._re else []

    def any(self, text: str) -> bool:
        """Whether any phrase occurs."""
        return self.any_normalized(normalize(text))

    def any_normalized(self, text: str) -> bool:
        """Whether any phrase occurs in an already normalised text."""
        return bool(self._re and self._re.search(text))
