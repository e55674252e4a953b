"""Words that qualify other words: hedges, conditions, the future, quantifiers, past forms.

Each cue governs a few content words near it (its scope). ``verify`` compares scopes between a
claim and its sources: what the sources only qualify may not be stated unqualified. A claim's
own cue covers its whole sentence (lenient: the claim keeps the qualification, if not exactly
where the source put it); a source's cue covers only its window (strict about what it qualifies).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.llm.wording import NEGATION_WINDOW, STOPWORDS, TOKEN, is_negation, split_words, stem

HEDGE_WORDS = frozenset(
    split_words("""
    may might could possibly perhaps probably likely unlikely reportedly allegedly apparently
    potentially expected expect expects
    """)
)
CONDITION_WORDS = frozenset({"if", "unless", "whether"})
CONDITION_BEFORE = 3  # a condition also governs the words just before it ("return to work if…")
FUTURE_WORDS = frozenset({"will", "shall", "scheduled", "upcoming"})
FUTURE_BEFORE_TO = frozenset({"going", "due", "set", "plan", "plans", "planned", "aims", "aim"})
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "there"})
QUANTIFIERS = {
    "all": "all",
    "every": "all",
    "each": "all",
    "entire": "all",
    "whole": "all",
    "always": "all",
    "most": "most",
    "majority": "most",
    "many": "many",
    "numerous": "many",
    "some": "some",
    "several": "some",
    "few": "few",
    "only": "only",
    "solely": "only",
    "exclusively": "only",
    "both": "both",
}
PAST_IRREGULAR = frozenset(
    split_words("""
    said told met won lost left gave made sent shot wrote took held broke went came saw began
    struck spent paid led fell rose sold bought brought fought caught drew drove flew grew knew
    ran sought taught thought threw understood withdrew
    """)
)
PERFECT = frozenset({"has", "have", "had"})


@dataclass(slots=True)
class Scopes:
    """Stems some cue governs (one list per cue), and the content stems none governs."""

    scoped: list[list[str]] = field(default_factory=list)
    plain: list[str] = field(default_factory=list)

    @property
    def governed(self) -> set[str]:
        """Every stem some cue governs."""
        return {w for scope in self.scoped for w in scope}


Cue = Callable[[Sequence[str], int], bool]


def scopes(text: str, is_cue: Cue, *, before: int = 0, whole_sentence: bool = False) -> Scopes:
    """What the cues of ``text`` govern: ``NEGATION_WINDOW`` content words after each cue
    (and ``before`` words before it), or, with ``whole_sentence``, every word of its sentence.
    """
    out = Scopes()
    for sentence in _sentences(text):
        cues = [i for i in range(len(sentence)) if is_cue(sentence, i)]
        words = [(i, w) for i, w in enumerate(sentence) if _content(w) and i not in cues]
        governed = {i for i, _ in words} if cues and whole_sentence else set()
        for cue in cues:
            after = [i for i, _ in words if i > cue][:NEGATION_WINDOW]
            earlier = [i for i, _ in words if i < cue][-before:] if before else []
            scope = earlier + after
            out.scoped.append([stem(sentence[i].lower()) for i in scope])
            governed.update(scope)
        out.plain += [stem(w.lower()) for i, w in words if i not in governed]
    return out


def past_forms(text: str) -> Scopes:
    """Verbs in a past form (``scoped``: -ed, irregular, after has/had) and the other words."""
    out = Scopes()
    for sentence in _sentences(text):
        for i, token in enumerate(sentence):
            if not _content(token):
                continue
            word = token.lower()
            past = word in PAST_IRREGULAR or (len(word) >= 5 and word.endswith("ed"))
            if past or _at(sentence, i - 1) in PERFECT:
                out.scoped.append([stem(word)])
            else:
                out.plain.append(stem(word))
    return out


def quantifiers_in(text: str) -> set[str]:
    """Quantifier classes ("all", "some", "most", "only"…); "some 30,000" is an estimate."""
    tokens = [t.lower() for t in TOKEN.findall(text)]
    found = set()
    for i, token in enumerate(tokens):
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        estimate = token == "some" and after[:1].isdigit()
        if token in QUANTIFIERS and not estimate and after != "other":
            found.add(QUANTIFIERS[token])
    return found


# -- cues ----------------------------------------------------------------------------------------
def hedge(words: Sequence[str], i: int) -> bool:
    """may, could, reportedly, expected…; a capitalised "May" is the month."""
    return _at(words, i) in HEDGE_WORDS and words[i] != "May"


def condition(words: Sequence[str], i: int) -> bool:
    """if, unless, whether, as/so long as, provided (providing) that, on condition."""
    word, after = _at(words, i), _at(words, i + 1)
    if word in CONDITION_WORDS:
        return True
    if word == "long":
        return _at(words, i - 1) in ("as", "so") and after == "as"
    if word in ("provided", "providing"):
        return after == "that" or after in PRONOUNS
    return word == "condition" and _at(words, i - 1) == "on"


def future(words: Sequence[str], i: int) -> bool:
    """will ('ll), shall, going/due/set/planned to, scheduled ("would" is reported speech)."""
    word = _at(words, i)
    if word in FUTURE_WORDS or word.endswith("'ll"):
        return True
    return word in FUTURE_BEFORE_TO and _at(words, i + 1) == "to"


def restriction(words: Sequence[str], i: int) -> bool:
    """only, solely, exclusively ("would only be possible with consent"); not "not only"."""
    word = _at(words, i)
    return word in ("only", "solely", "exclusively") and _at(words, i - 1) != "not"


def future_or_would(words: Sequence[str], i: int) -> bool:
    """The future, or "would" (said it would recall): not done yet, though maybe reported."""
    return future(words, i) or _at(words, i) == "would"


def hedge_or_future(words: Sequence[str], i: int) -> bool:
    """A hedge or the future ("would" too): a thing that has not (yet) happened."""
    return hedge(words, i) or future_or_would(words, i)


# -- helpers -------------------------------------------------------------------------------------
def _sentences(text: str) -> list[list[str]]:
    """The tokens of each sentence, as written (cues look at case: "May" is the month)."""
    out: list[list[str]] = [[]]
    for token in TOKEN.findall(text.replace("’", "'")):
        if token in ".!?;:":
            out.append([])
        else:
            out[-1].append(token)
    return [s for s in out if s]


def _content(token: str) -> bool:
    word = token.lower()
    return word[0].isalnum() and word not in STOPWORDS and not is_negation(word)


def _at(tokens: Sequence[str], i: int) -> str:
    return tokens[i].lower() if 0 <= i < len(tokens) else ""
