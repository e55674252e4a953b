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
   "30 billion" is not supported by "3 billion", "30 million" or a bare "30". Time units and
   ordinals are part of the number too ("three years" is not "three months", "sixth" not
   "seventh"), and so is a bound: "fewer than 50" is not supported by "more than 50".
4. Every date word (month, weekday, today/yesterday/tomorrow, next/last week, morning, evening…)
   appears in the cited sentences; a lowercase month next to a number ("april 3") is a date.
5. Every named entity appears there. Entities are, simplistically, capitalised words that do
   not start a sentence of the claim; "Ukrainian" matches "Ukraine" (shared stem), "U.S." is "US".
   A name of any other sentence shown to the model (``context``) counts in any case: "a letter
   from putin" fails when Putin was shown but is not in the cited sentences.
6. Text the claim puts in quotation marks appears verbatim in a cited sentence.
7. Roles and speakers agree (``roles``): a named party may not move from subject to object of
   the same verb ("Zelenskyy received a letter from Trump" for the reverse; a passive "was
   hosted by" is read as such), and the speaker of a reporting verb ("X said", "according to X")
   must be one the sources give.
8. Conditions survive like hedges, both ways (``cues``): a condition (if, unless, whether, only
   if, provided that, as long as, on condition) may not be dropped from the words it governs
   (the ``CONDITION_BEFORE`` words before it too), nor added where the sources have none.
9. Negations agree. A negation cue (not, no, never, n't, without, none, nor, cannot, unlikely,
   unless, refuse, reject, deny, decline, fail) governs the next ``NEGATION_WINDOW`` content
   words (see ``wording``); cues with nothing between them count by parity ("not “not at
   present”" negates nothing). A word the sources negate may only appear negated in the claim,
   and a claim's negation must govern something the sources negate, starting with its first
   word when the sources state that word plainly: "was not signed" never supports "was signed",
   nor the reverse, and "have not said they would ratify" is not "said they would not ratify".
10. Hedges survive. A hedge (may, might, could, possibly, perhaps, probably, likely, unlikely,
   reportedly, allegedly, apparently, potentially, expected) governs the next
   ``NEGATION_WINDOW`` content words: what the sources only call possible may not be stated as
   fact ("talks may resume" never supports "talks will resume" or "talks resumed"). The reverse
   is allowed: a claim may hedge what its sources state (weaker, not false). "would" and
   "should" are not hedges (reported speech: "said it would sign"), and a capitalised "May" is
   the month. An "only" (solely, exclusively) is kept the same way.
11. Tense agrees: what the sources say will (or would) happen is not reported as done ("will
   meet" never supports "met"), nor what they report as done said to be still to come.
12. Quantifiers (all/every/each, most, many, some/several, few, only, both) in the claim appear
   in the sources; a word is not replaced by its opposite (``wording.OPPOSITES``: temporarily
   and permanently, before and after, raise and cut…).
13. Content-word support: at least ``SUPPORT_THRESHOLD`` of the claim's content words (stopwords
   removed, light stemming, shared 5-letter prefixes match) occur in the cited sentences.

What no rule here catches (a synonym that flips the sense, roles swapped between common nouns,
a lowercase name shown nowhere, an added fact of one word) is listed, as known misses, in
``tests/llm/paraphrases.py``; ``bench/verification.py`` prints the table.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.llm.cues import (
    CONDITION_BEFORE,
    Scopes,
    condition,
    future,
    future_or_would,
    hedge,
    hedge_or_future,
    past_forms,
    quantifiers_in,
    restriction,
    scopes,
)
from bot.llm.roles import changed_speaker, swapped_verb
from bot.llm.schemas import Cited
from bot.llm.wording import (
    TOKEN,
    bounds_in,
    content_stems,
    dates_in,
    entities_in,
    negation_scopes,
    numbers_in,
    opposites_of,
    plain_word,
    proper_names,
    word_key,
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
    names = proper_names(s.shown for s in numbered.values())
    for item in items:
        text = plain_text(item.text)
        if text.lower() in seen:
            continue  # a repeated claim is neither new information nor a failure
        seen.add(text.lower())
        cited = tuple(dict.fromkeys(numbered[i] for i in item.cite if i in numbered))
        reason = _check(text, [s.shown for s in cited], names)
        if reason:
            outcome.dropped.append((text, reason))
        else:
            outcome.kept.append(Checked(text, cited, getattr(item, "section", "development")))
    return outcome


def check_claim(claim: str, cited: Sequence[str], context: Sequence[str] = ()) -> str | None:
    """Why ``claim`` is not supported by the ``cited`` sentence texts, or None when it is.

    ``context`` is every other sentence the model was shown: their names may not appear in the
    claim, in any case, unless the cited sentences have them too.
    """
    return _check(claim, cited, proper_names([*context, *cited]))


def _check(claim: str, cited: Sequence[str], names: set[str]) -> str | None:
    if not cited:
        return "cites no existing sentence"
    if not claim.strip():
        return "empty"
    if len(claim) > MAX_CLAIM_CHARS:
        return "too long"
    if _MARKUP.search(claim):
        return "contains a link or mention"
    source = " ".join(cited)
    for check in (_numbers, _dates, functools.partial(_entities, names=names), *CHECKS):
        reason = check(claim, source)
        if reason:
            return reason
    return None


# -- individual checks ---------------------------------------------------------------------------
def _numbers(claim: str, source: str) -> str | None:
    missing = numbers_in(claim) - numbers_in(source)
    if missing:
        return f"number not in sources: {', '.join(sorted(missing))}"
    changed = sorted(bounds_in(claim) - bounds_in(source))
    return f"bound not in sources: {changed[0][1]} than {changed[0][0]}" if changed else None


def _dates(claim: str, source: str) -> str | None:
    missing = dates_in(claim) - dates_in(source)
    return f"date not in sources: {', '.join(sorted(missing))}" if missing else None


def _entities(claim: str, source: str, names: set[str]) -> str | None:
    words = {plain_word(w) for w in TOKEN.findall(source) if w[0].isalnum()}
    lowercase = [plain_word(w) for w in TOKEN.findall(claim) if w[0].islower()]
    candidates = [*entities_in(claim), *(w for w in lowercase if w in names)]
    missing = [e for e in dict.fromkeys(candidates) if not _entity_found(e, words)]
    return f"name not in sources: {', '.join(missing)}" if missing else None


def _roles(claim: str, source: str) -> str | None:
    speaker = changed_speaker(claim, source)
    if speaker:
        return f"changes who said it ({speaker})"
    verb = swapped_verb(claim, source)
    return f"swaps who did what to whom ({verb})" if verb else None


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
        if scope and _matches(scope[0], source_plain) and not _matches(scope[0], negated):
            return "moves a negation onto another word"  # "have not said they would ratify"
    return None


def _opposites(claim: str, source: str) -> str | None:
    """A word whose opposite the sources use, and not the word itself ("permanently")."""
    theirs = {word_key(t) for t in TOKEN.findall(source.lower()) if t[0].isalpha()}
    for word, opposite in opposites_of(claim).items():
        if word not in theirs and opposite & theirs:
            return f"says the opposite of its sources ({word}… for {min(opposite & theirs)}…)"
    return None


def _hedges(claim: str, source: str) -> str | None:
    hedged = _only(scopes(source, hedge))
    if any(_matches(w, hedged) for w in scopes(claim, hedge, whole_sentence=True).plain):
        return "states as fact what its sources only call possible"
    restricted = _only(scopes(source, restriction))
    if any(_matches(w, restricted) for w in scopes(claim, restriction, whole_sentence=True).plain):
        return "drops an “only” of its sources"
    return None


def _conditions(claim: str, source: str) -> str | None:
    theirs = scopes(source, condition, before=CONDITION_BEFORE)
    conditioned = theirs.governed
    for scope in scopes(claim, condition, before=CONDITION_BEFORE).scoped:
        if not theirs.scoped or (scope and not any(_matches(w, conditioned) for w in scope)):
            return "adds a condition its sources lack"
    only = _only(theirs)
    if any(_matches(w, only) for w in scopes(claim, condition, whole_sentence=True).plain):
        return "drops a condition of its sources"
    return None


def _tense(claim: str, source: str) -> str | None:
    """What will happen may not be reported as done, nor what was done as still to come."""
    later = _only(scopes(source, future_or_would)) - past_forms(source).governed
    pending = scopes(claim, hedge_or_future).governed
    if any(_matches(w, later) for w in past_forms(claim).governed - pending):
        return "reports as done what its sources say will happen"
    done = past_forms(source)
    over = _unmatched(done.governed, done.plain) - scopes(source, hedge_or_future).governed
    if any(_matches(w, over) for w in scopes(claim, future).governed):
        return "says will happen what its sources report as done"
    return None


def _quantifiers(claim: str, source: str) -> str | None:
    missing = quantifiers_in(claim) - quantifiers_in(source)
    if "2" in numbers_in(source):
        missing.discard("both")
    return f"quantifier not in sources: {', '.join(sorted(missing))}" if missing else None


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


CHECKS = (  # after numbers, dates and names (which need the names shown to the model)
    _quotes,
    _roles,
    _conditions,
    _negations,
    _hedges,
    _tense,
    _quantifiers,
    _opposites,
    _support,
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


def _only(found: Scopes) -> set[str]:
    """The stems some cue governs and the text never states without one."""
    return _unmatched(found.governed, found.plain)


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
