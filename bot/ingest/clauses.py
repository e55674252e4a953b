"""Cheap clause heuristics for event dates: which spans are subordinate, and which are future.

Not a parser: a few shapes news prose uses for background ("following last week's collapse",
", which was announced in January,", ", signed in April,", quotes) mark their span subordinate;
everything else is the main clause, including a leading "On <date>,".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A subordinate span opens at one of these and runs to the next clause break (or the end).
_OPENER = re.compile(
    r"\b(?:after|following|since|before|ahead of|prior to|which|who|whose|that (?:was|were|had))\b",
    re.IGNORECASE,
)
_BREAK = re.compile(r"[,;:()—–]|\s-\s")
# ", signed in April," / ", announced on Jan. 3,": a participle clause between commas.
_PARTICIPLE = re.compile(
    r",\s+(?:[a-z]{3,}ed|held|made|struck|sold|won|begun|hit|built|taken|given|written|set|seen)"
    r"\s+(?:in|on|last|earlier|back|this|during|at)\b[^,;]*,"
)
_QUOTE = re.compile(r"“[^”]*”|\"[^\"]*\"")
_POSSESSIVE = re.compile(r"['’]s\b")
_OPENER_WORDS = ("after", "following", "since", "before", "ahead", "prior", "which", "who", "that")

_FUTURE_WORDS = frozenset({"will", "would", "shall", "won’t", "won't", "upcoming", "tomorrow"})
_FUTURE_ANCHORS = frozenset(
    """next due expected set scheduled slated poised going planning plan plans intend intends
    planned targeting early later meet hold host visit travel sign vote gather convene""".split()  # noqa: SIM905
)
_FUTURE = re.compile(
    r"\b(?:will|won['’]t|shall|would(?! have)|next (?:week|month|year)|upcoming|tomorrow"
    r"|(?:is|are) (?:due|expected|set|scheduled|slated|poised|going|planning|to be)"
    r"|(?:scheduled|set|slated|planned) for|(?:due|expected) on|targeting"
    r"|due (?:as early as|on|to|by)|as early as|plans? to|intends? to|later this (?:week|month|year)"
    r"|to (?:meet|hold|host|visit|travel|sign|vote|gather|convene))\b",
    re.IGNORECASE,
)
# Words right before a time that point it forward: "scheduled for", "due as early as", "until".
_FUTURE_LEAD = re.compile(
    r"(?:\b(?:next|coming|until|by|targeting|as early as)"
    r"|\b(?:scheduled|set|slated|planned|due|expected|targeted)(?:\s+(?:for|on|in))?)"
    r"\s+(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:in\s+|on\s+)?$",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[a-z’']+")
_PAST_WORDS = frozenset(
    """said says told wrote announced stated added confirmed declared posted tweeted reported met
    signed spoke visited held voted agreed rejected warned claimed insisted noted argued called
    urged asked unveiled revealed released launched hit struck denied""".split()  # noqa: SIM905
)
_NOT_PAST = frozenset({"scheduled", "planned", "expected", "targeted", "slated", "need", "indeed"})


@dataclass(frozen=True, slots=True)
class Layout:
    """The subordinate spans of one sentence and the text of its main clause."""

    sentence: str
    spans: tuple[tuple[int, int], ...]
    main_text: str

    @classmethod
    def of(cls, sentence: str) -> Layout:
        """Find a sentence's subordinate spans (quotes, background clauses, participle asides)."""
        spans = (
            [m.span() for m in _QUOTE.finditer(sentence)]
            if '"' in sentence or "“" in sentence
            else []
        )
        low = sentence.lower()
        if any(w in low for w in _OPENER_WORDS):
            spans += [
                (m.start(), _clause_end(sentence, m.end())) for m in _OPENER.finditer(sentence)
            ]
        if ", " in sentence:
            spans += [(m.start() + 1, m.end() - 1) for m in _PARTICIPLE.finditer(sentence)]
        spans.sort()
        return cls(sentence, tuple(spans), _outside(sentence, spans))

    def subordinate(self, start: int, end: int) -> bool:
        """Whether a span sits in a subordinate clause or modifies a noun ("last week's talks")."""
        if _POSSESSIVE.match(self.sentence, end):
            return True
        return any(a <= start and end <= b for a, b in self.spans)

    def clause_text(self, pos: int) -> str:
        """The text of the innermost subordinate span holding ``pos`` (the sentence if none)."""
        holding = [(b - a, a, b) for a, b in self.spans if a <= pos < b]
        if not holding:
            return self.sentence
        _, a, b = min(holding)
        return self.sentence[a:b]


def _clause_end(sentence: str, start: int) -> int:
    """Where a clause opened at ``start`` ends: the next clause break, or the sentence's end."""
    m = _BREAK.search(sentence, start)
    return m.start() if m else len(sentence)


def _outside(sentence: str, spans: list[tuple[int, int]]) -> str:
    """The sentence with its subordinate spans cut out."""
    if not spans:
        return sentence
    parts, at = [], 0
    for a, b in spans:
        if a > at:
            parts.append(sentence[at:a])
        at = max(at, b)
    parts.append(sentence[at:])
    return " ".join(parts)


def has_future(text: str) -> bool:
    """Whether a piece of text speaks of the future ("will", "is expected to", "set for")."""
    low = text.lower()
    words = set(_WORDS.findall(low))
    if words & _FUTURE_WORDS and _FUTURE.search(low):
        return True
    return bool(words & _FUTURE_ANCHORS) and bool(_FUTURE.search(low))


def after_future_lead(sentence: str, pos: int) -> bool:
    """Whether the words right before ``pos`` point forward ("scheduled for", "until")."""
    return bool(_FUTURE_LEAD.search(sentence[max(0, pos - 40) : pos]))


def after_past_verb(sentence: str, pos: int) -> bool:
    """Whether one of the three words before ``pos`` is a past or speech verb ("said Sunday")."""
    before = [w.strip(",;:").lower() for w in sentence[max(0, pos - 60) : pos].split()[-3:]]
    return any(_is_past(w) for w in before)


def _is_past(word: str) -> bool:
    """A past or speech verb: a known one, or a longer word ending in "-ed"."""
    if word in _PAST_WORDS:
        return True
    return len(word) > 4 and word.endswith("ed") and word not in _NOT_PAST
