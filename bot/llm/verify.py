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
   refuse, reject, deny, decline, fail) governs the next ``NEGATION_WINDOW`` content words (see
   ``wording``). A word the sources negate may only appear negated in the claim, and a claim's
   negation must govern something the sources negate: "was not signed" never supports "was
   signed", nor the reverse.
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

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.llm.schemas import Cited
from bot.llm.wording import (
    TOKEN,
    content_stems,
    dates_in,
    entities_in,
    hedge_scopes,
    negation_scopes,
    numbers_in,
    plain_word,
)
from bot.models import Sentence

SUPPORT_THRESHOLD = 0.6
MAX_CLAIM_CHARS = 500

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
    words = {plain_word(w) for w in TOKEN.findall(source) if w[0].isalnum()}
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


def plain_text(text: str) -> str:
    """A claim as users will see it: one line, no markdown marks, no invisible characters."""
    visible = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf") or c in "\n\t")
    lines = (_MARKDOWN.sub("", line) for line in visible.splitlines())
    return " ".join(" ".join(lines).split())


# -- helpers -------------------------------------------------------------------------------------
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
