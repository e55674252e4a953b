"""Who did what to whom: the named parties around a claim's verbs, compared with its sources.

Two meaning changes keep every word of a sentence and so pass every word-level check: a swap of
roles ("Trump said he received a letter from Zelenskyy" → "Zelenskyy said he received a letter
from Trump") and a changed speaker ("Officials said…" → "Zelenskyy said…"). Without a parser
the subject of a verb is, simplistically, the nearest name before it and the object the nearest
name after it (within ``WINDOW`` tokens of one sentence); a passive ("was hosted by Macron")
turns them round. The speaker of a reporting verb is the run of words just before it ("Treasury
Secretary Scott Bessent said", "officials said"), or after "according to".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bot.llm.cues import HEDGE_WORDS, PAST_IRREGULAR, PRONOUNS
from bot.llm.wording import (
    DATE_NAMES,
    STOPWORDS,
    TITLES,
    TOKEN,
    WEEKDAYS,
    is_entity,
    is_negation,
    plain_word,
    split_words,
    stem,
)

WINDOW = 6
# Reporting verbs; nouns spelt the same ("claims", "states", "reports") are left out.
REPORTING = frozenset(
    split_words("""
    say says said saying tell tells told stated announced announces confirmed confirms
    wrote writes added adds claimed argued insisted warned revealed reported noted stressed
    complained declared acknowledged emphasized emphasised indicated explained cautioned
    """)
)
REPORTING_STEMS = frozenset(stem(w) for w in REPORTING)
BE = frozenset(split_words("is are was were be been being"))
# Verbs whose parties may trade places without changing the meaning ("Zelenskyy met Trump"),
# by the start of their stem.
SYMMETRIC = ("meet", "talk", "speak", "spoke", "negot", "clash", "argu", "agre", "sign")
AUXILIARIES = frozenset(
    split_words("will would can could may might must shall should to did does do")
)
Party = frozenset[str]
Roles = dict[str, set[tuple[Party, Party]]]


@dataclass(frozen=True, slots=True)
class _Word:
    plain: str
    stem: str
    entity: bool


def speakers(text: str) -> dict[str, list[Party]]:
    """For each reporting verb (by stem), who is said to speak: the words just before it
    (after it for "according to")."""
    out: dict[str, list[Party]] = defaultdict(list)
    for words in _sentences(text):
        for i, word in enumerate(words):
            if word.plain in REPORTING:
                speaker = _speaker(words, i)
                out[word.stem] += _antecedents(words, i)  # "Trump, who has claimed…, stated"
            elif word.plain == "according" and i + 1 < len(words) and words[i + 1].plain == "to":
                speaker = _named_after(words, i + 1)  # "according to flight tracking data"
            else:
                continue
            if speaker:
                out[word.stem].append(speaker)
    return out


def changed_speaker(claim: str, source: str) -> str | None:
    """The speaker the claim names where its sources name another one, if any.

    A speaker of another verb of the sources may take the verb if the claim still names the
    original speaker ("Trump said…, Lavrov told media" → "Lavrov said Trump called…").
    """
    theirs = speakers(source)
    anyone = [s for names in theirs.values() for s in names]
    named = frozenset(w.plain for words in _sentences(claim) for w in words)
    for verb, names in speakers(claim).items():
        pool = theirs.get(verb) or anyone
        for name in names:
            if not pool or any(_same_speaker(name, other) for other in pool):
                continue
            relayed = any(_same_speaker(name, other) for other in anyone) and all(
                _overlap(other, named) for other in pool
            )
            if not relayed:
                return " ".join(sorted(name))
    return None


def roles(text: str) -> Roles:
    """For each verb (by stem), its (subject, object) pairs of named parties."""
    out: Roles = defaultdict(set)
    for words in _sentences(text):
        for i, word in enumerate(words):
            if _verb(words, i):
                subject, obj = _party(words, i, -1), _party(words, i, +1)
                if i and words[i - 1].plain in BE and _by_follows(words, i):
                    subject, obj = obj, subject  # passive: the agent follows "by"
                out[word.stem].add((subject, obj))
    return out


def swapped_verb(claim: str, source: str) -> str | None:
    """A verb whose subject in the claim is its object in the sources (or the reverse)."""
    theirs = roles(source)
    for verb, pairs in roles(claim).items():
        if verb not in theirs or verb.startswith(SYMMETRIC) or verb in REPORTING_STEMS:
            continue  # who speaks is ``changed_speaker``'s business
        subjects = [s for s, _ in theirs[verb] if s]
        objects = [o for _, o in theirs[verb] if o]
        for subject, obj in pairs:
            if _crosses(subject, objects, subjects) or _crosses(obj, subjects, objects):
                return verb
    return None


# -- helpers -------------------------------------------------------------------------------------
def _sentences(text: str) -> list[list[_Word]]:
    out: list[list[_Word]] = [[]]
    for token in TOKEN.findall(text.replace("’", "'")):
        if token in ".!?;:":
            out.append([])
            continue
        plain = plain_word(token)
        out[-1].append(_Word(plain, stem(plain), is_entity(token, not out[-1])))
    return [s for s in out if s]


def _speaker(words: list[_Word], i: int) -> Party:
    """The words naming who speaks: the run of content words just before a reporting verb
    ("Treasury Secretary Scott Bessent said", "the carmaker said", "Trump also said").
    """
    if i and words[i - 1].plain in BE:
        return frozenset()  # "have been reported": nobody is named as speaking
    j = i - 1
    while j >= 0 and _modifier(words[j]):
        if words[j].plain in PRONOUNS or words[j].plain == "who" or i - j >= WINDOW:
            return frozenset()  # "he said": the sentence before names the speaker
        j -= 1
    run: set[str] = set()
    while j >= 0 and not _modifier(words[j]):
        run.add(words[j].plain)
        j -= 1
    return frozenset(run)


def _antecedents(words: list[_Word], i: int) -> list[Party]:
    """Who a relative clause before ``i`` is about: the words before "who" or "which"."""
    found = []
    for k in range(1, i):
        if words[k].plain in ("who", "which") and not _modifier(words[k - 1]):
            word = words[k - 1]
            found.append(_party(words, k, -1) if word.entity else frozenset({word.plain}))
    return found


def _named_after(words: list[_Word], i: int) -> Party:
    """The run of content words after ``i`` (past "a", "the"): "according to U.S. officials"."""
    j = i + 1
    while j < len(words) and words[j].plain in STOPWORDS:
        j += 1
    run: set[str] = set()
    while j < len(words) and not _modifier(words[j]) and j - i <= WINDOW:
        run.add(words[j].plain)
        j += 1
    return frozenset(run)


def _same_speaker(a: Party, b: Party) -> bool:
    """Speakers agree on their names, or on their titles when one has no name ("officials")."""
    names_a, names_b = a - TITLES, b - TITLES
    if names_a and names_b:
        return _overlap(names_a, names_b)
    return _overlap(a, b)


def _modifier(word: _Word) -> bool:
    """Words between a speaker and the verb: also, reportedly, Sunday, quickly."""
    plain = word.plain
    return (
        plain in STOPWORDS
        or plain in HEDGE_WORDS
        or is_negation(plain)
        or plain in WEEKDAYS
        or (plain in DATE_NAMES and not word.entity)
        or plain.endswith("ly")
        or not plain[:1].isalpha()
    )


def _verb(words: list[_Word], i: int) -> bool:
    """Looks like a verb: past form, reporting word, or right after an auxiliary."""
    word = words[i]
    if word.entity or word.plain in STOPWORDS:
        return False
    past = word.plain in PAST_IRREGULAR or (len(word.plain) >= 5 and word.plain.endswith("ed"))
    return past or word.plain in REPORTING or (i > 0 and words[i - 1].plain in AUXILIARIES)


def _party(words: list[_Word], i: int, step: int) -> Party:
    """The names nearest to ``i`` in one direction (within ``WINDOW``): a run of name tokens,
    and those joined to it by "and" ("Trump and Zelenskyy met").
    """
    j = i + step
    while 0 <= j < len(words) and abs(j - i) <= WINDOW and not words[j].entity:
        j += step
    run: set[str] = set()
    while 0 <= j < len(words) and abs(j - i) <= WINDOW:
        if words[j].entity:
            run.add(words[j].plain)
        elif not (words[j].plain in ("and", "or") and 0 <= j + step < len(words)):
            break
        j += step
    return frozenset(run)


def _by_follows(words: list[_Word], i: int) -> bool:
    return any(w.plain == "by" for w in words[i + 1 : i + 1 + WINDOW])


def _crosses(party: Party, other_role: list[Party], same_role: list[Party]) -> bool:
    """A party the sources give only the other role."""
    if not party:
        return False
    return any(_overlap(party, p) for p in other_role) and not any(
        _overlap(party, p) for p in same_role
    )


def _overlap(a: Party, b: Party) -> bool:
    return any(_same(x, y) for x in a for y in b)


def _same(a: str, b: str) -> bool:
    """The same name: equal, or (long names) the same first five letters (Ukraine, Ukrainian)."""
    return a == b or (len(a) >= 5 and len(b) >= 5 and a[:5] == b[:5])
