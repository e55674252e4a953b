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
    return [stem(w) for w in _WORD.findall(normalize(text)) if w not in STOPWORDS and len(w) > 1]


def terms(text: str) -> set[str]:
    """Content unigrams plus adjacent bigrams: the features topics learn from."""
    toks = tokens(text)
    # Interned: a large corpus repeats the same few hundred thousand terms millions of times.
    return {sys.intern(t) for t in toks} | {
        sys.intern(f"{a} {b}") for a, b in itertools.pairwise(toks)
    }


class PhraseMatcher:
    """Counts case-insensitive whole-word occurrences of any of a set of phrases."""

    def __init__(self, phrases: tuple[str, ...]) -> None:
        parts = sorted(
            {re.escape(normalize(p)) for p in phrases if p.strip()}, key=len, reverse=True
        )
        self._re = (
            re.compile(r"(?<![a-z0-9])(?:" + "|".join(parts) + r")(?![a-z0-9])") if parts else None
        )

    def find(self, text: str) -> list[str]:
        """Every phrase occurrence in the text (normalised)."""
        return self._re.findall(normalize(text)) if self._re else []

    def any(self, text: str) -> bool:
        """Whether any phrase occurs."""
        return self.any_normalized(normalize(text))

    def any_normalized(self, text: str) -> bool:
        """Whether any phrase occurs in an already normalised text."""
        return bool(self._re and self._re.search(text))
