"""What a sentence carries on its own: whether it can stand alone, its event cues, names, numbers.

These depend only on a sentence's text, so they are cached by text. The event vocabulary is
general (legal, political, business, conflict, science) rather than tuned to one story; a
sentence's cue strength is the strongest cue it carries, counted once, never summed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from bot.topics.text import tokens

# Event cues, by strength. A word matches whole; a phrase matches as written (lowercase).
# "Strong" cues name a turning point; "act" cues an action; "talk" and "said" cues carry little.
STRONG = 0.55
ACT = 0.35
TALK = 0.15
SAID = 0.05
_CUE_WORDS: dict[str, tuple[str, float]] = {}
_CUE_PHRASES: list[tuple[str, str, float]] = []


def _cues(weight: float, spec: str) -> None:
    """Register cue words: ``group:word word …`` entries separated by ``;``."""
    for entry in spec.split(";"):
        group, _, words = entry.strip().partition(":")
        for word in words.split(","):
            word = word.strip()
            if " " in word or "-" in word:
                _CUE_PHRASES.append((word, group, weight))
            elif word:
                _CUE_WORDS[word] = (group, weight)


_cues(
    STRONG,
    """sign: sign, signed, signs, inked;
    sue: sue, sued, sues, lawsuit;
    rule: rule, ruled, ruling, verdict, overturned, upheld, struck down;
    block: block, blocked, injunction, prohibited, banned, bans;
    approve: approve, approved, approval, cleared, clears, ratified, ratifies, greenlit, authorized;
    reject: reject, rejected, vetoed, vetoes, refused;
    close: complete, completed, completion, finalize, finalized, finalised, closed the deal, closes the deal,
    closed its, closes its, has closed, officially closed;
    elect: elected, won the election, wins the election, re-elected;
    sworn: sworn in, inaugurated, took office, takes office;
    resign: resign, resigned, stepped down, steps down, quit, quits, ousted;
    appoint: appoint, appointed, nominate, nominated, named as;
    collapse: collapsed, collapses, fell apart, broke down, scrapped, cancelled, canceled, abandoned;
    launch: launch, launched, lifted off, lifts off, liftoff, blasted off;
    scrub: scrubbed, scrubs, scrub, postponed, postpones, delayed, delays;
    land: landed, lands, splashed down, splashdown, touched down, landing;
    orbit: entered orbit, flyby, flew by, swung past;
    charge: charged, indicted, convicted, sentenced, acquitted, arrested;
    fine: fined, fines, penalty;
    settle: settled, settles, settlement;
    appeal: appeal, appealed;
    vote: vote, voted, referendum;
    attack: attacked, invaded, struck, bombed, shelled, captured;
    ceasefire: ceasefire, truce, armistice;
    pause: paused, suspended, halted, froze, frozen, resumed, resumes;
    declare: declared, declares;
    agree: agree, agreed, reached a deal, reached an agreement, struck a deal;
    acquire: acquire, acquired, acquisition, buy, bought, purchase, purchased, takeover;
    end: ended, ends, terminated, withdrew, withdraws, pulled out, walked away, walked out""",
)
_cues(
    ACT,
    """announce: announce, announced, announces, announcement, unveiled, unveils, revealed, confirmed,
    confirms, released;
    file: filed, files, submitted, lodged;
    open: opened, opens, launched an investigation, began, begins, started, starts, probe;
    offer: offer, offered, offers, proposed, proposes, bid;
    accept: accept, accepted, accepts;
    extend: extend, extended, extends, extension;
    revise: restructure, restructured, restructuring, revised, revises, amended, amends, overhauled;
    test: tested, tests, rehearsal, rolled out, rolled back, rollout;
    form: formed, forms, coalition;
    pass: passed, passes;
    warn: warned, warns, threatened, threatens;
    deny: deny, denied, denies, dismissed, disputed""",
)
_cues(
    TALK,
    """talk: talks, negotiations, negotiating, discussions, meeting, summit, hearing;
    plan: plans to, expected to, scheduled, set to, due to, ready to, will""",
)
_cues(SAID, "said: said, says, told, stated, wrote, added")

_WORD = re.compile(r"[a-z][a-z'-]*")


@lru_cache(maxsize=262_144)
def cues_of(text: str) -> tuple[str, ...]:
    """The event cue groups a sentence carries (sign, sue, approve, …), strongest first."""
    low = text.lower()
    found: dict[str, float] = {}
    for word in _WORD.findall(low):
        hit = _CUE_WORDS.get(word) or _CUE_WORDS.get(_base(word))
        if hit:
            found[hit[0]] = hit[1]
    for phrase, group, weight in _CUE_PHRASES:
        if phrase in low:
            found[group] = weight
    return tuple(sorted(found, key=lambda g: (-found[g], g)))


@lru_cache(maxsize=65_536)
def _base(word: str) -> str:
    """A verb's base form, roughly: signing → sign, approves → approve, sued → sue."""
    for suffix, repl in (("ing", ""), ("ied", "y"), ("ed", ""), ("es", "e"), ("s", ""), ("d", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + repl
    return word


_PAST_IRREGULAR = frozenset(
    [
        "fell",
        "sworn",
        "broke",
        "won",
        "bought",
        "struck",
        "quit",
        "froze",
        "withdrew",
        "began",
        "took",
        "stepped",
        "swung",
        "flew",
    ]
)


@lru_cache(maxsize=262_144)
def tells_past_event(text: str) -> bool:
    """Whether a sentence reports a strong event as done ("ruled", "fell apart", "splashed down").

    A participle after "once", "if", "be" or a modal ("once launched", "could be approved") is
    not done.
    """
    low = text.lower()
    for phrase in _past_phrases():
        if phrase in low:
            return True  # "fell apart", "splashed down", "sworn in" as written
    words = _WORD.findall(low)
    for i, word in enumerate(words):
        hit = _CUE_WORDS.get(word) or _CUE_WORDS.get(_base(word))
        if hit and hit[1] >= STRONG and (word.endswith("ed") or word in _PAST_IRREGULAR):
            if i and words[i - 1] in _NOT_DONE_BEFORE:
                continue
            return True
    return False


@lru_cache(maxsize=1)
def _past_phrases() -> tuple[str, ...]:
    """Strong cue phrases written in the past ("fell apart", "splashed down", "sworn in")."""
    return tuple(
        phrase
        for phrase, _, weight in _CUE_PHRASES
        if weight >= STRONG
        and ((first := phrase.split()[0].split("-")[0]).endswith("ed") or first in _PAST_IRREGULAR)
    )


_NOT_DONE_BEFORE = frozenset(
    """once if when unless until be being will would could might may should can must""".split()  # noqa: SIM905
)


_ENDING = re.compile(  # what ends a chapter of a story, told as done
    r"\b(?:completed|finali[sz]ed|has closed|officially closed|closed (?:its|the)|splashed down|"
    r"landed|touched down|(?:was|were) sworn in|took office|signed|"
    r"(?:came|comes|drew|draws) to an? (?:\w+ )?(?:close|end)|ended with)\b",
    re.I,
)


@lru_cache(maxsize=262_144)
def tells_ending(text: str) -> bool:
    """Whether a sentence tells, as done, of an ending (closed, completed, landed, sworn in,
    signed): the state a story is left in."""
    return bool(_ENDING.search(text)) and "plan" not in cues_of(text)


def cue_weight(text: str) -> float:
    """The strength of the strongest event cue a sentence carries (counted once)."""
    return max((_weight(g) for g in cues_of(text)), default=0.0)


@lru_cache(maxsize=256)
def _weight(group: str) -> float:
    for g, w in _CUE_WORDS.values():
        if g == group:
            return w
    return next((w for _, g, w in _CUE_PHRASES if g == group), 0.0)


def glance(text: str, cues: tuple[str, ...] | None = None) -> tuple[frozenset[str], float]:
    """A sentence's event terms and cue weight, computed without filling the caches: a huge
    topic's first pass over all its candidates keeps only a few thousand of them, whose
    features are read again, so the caches hold those, not the whole topic (``cues``: its
    cue groups, when they are known already)."""
    if cues is None:
        cues = cues_of.__wrapped__(text)
    terms = frozenset(tokens(text)) | {f"§{g}" for g in _acts(cues)}
    return terms, max((_weight(g) for g in cues), default=0.0)


def event_groups(text: str) -> frozenset[str]:
    """The strong and action cue groups: what kind of thing the sentence says happened."""
    return _acts(cues_of(text))


def _acts(cues: Iterable[str]) -> frozenset[str]:
    """The cue groups among these that tell of an action (strong and action cues)."""
    return frozenset(g for g in cues if _weight(g) >= ACT)


# Kinds of action that undo each other: one report of each is two events, never one.
_OPPOSITES = {
    "approve": {"block", "reject"},
    "block": {"approve"},
    "reject": {"approve", "accept"},
    "accept": {"reject"},
    "sign": {"collapse"},
    "agree": {"collapse"},
    "collapse": {"sign", "agree"},
    "launch": {"scrub"},
    "scrub": {"launch"},
}


def opposed(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> bool:
    """Whether one side tells of an action the other undoes ("approved" against "blocked").

    A side that tells of both ("cleared after it had blocked …") opposes nothing.
    """
    return any(g not in b and (_OPPOSITES[g] & b) - a for g in a if g in _OPPOSITES)


@lru_cache(maxsize=262_144)
def event_terms(text: str) -> frozenset[str]:
    """Content words plus the kinds of action a sentence tells of ("§approve"), so that "cleared"
    and "approved", "sued" and "filed a lawsuit" meet in the same term."""
    return token_set(text) | {f"§{g}" for g in event_groups(text)}


# -- standing alone -------------------------------------------------------------------------------

_OPENING = re.compile(r"^[\"“‘'(]?[A-Z0-9]")
_CREDIT = re.compile(
    r"\((?:AP|AFP|Reuters|Getty|EPA|Bloomberg)[^)]*\)|\b(?:Photo|Image|Credit|Photograph)s?\s*(?::|by\b)"
    r"|Getty Images|/(?:AFP|AP|Reuters|EPA)\b|\bvia Getty\b|\bFile Photo\b",
    re.I,
)
_CHROME = re.compile(
    r"^(?:Published|Posted|Updated|Written|Reporting|Editing|Additional reporting)\b"
    r"|\b(?:Read more|Sign up|Subscribe|Click here|All rights reserved|Advertisement|"
    r"Related:|Share this|Follow us|Newsletter|Join (?:the|us)\b.{0,40}\b(?:community|event|summit)|"
    r"Connect with (?:top|leading|other)\b.{0,80}\b(?:summit|conference|event)|"
    r"Register (?:now|today|here)\b|"
    r"(?:on|in|launches|launched|visit|see|read) this (?:page|article|site|website|web page)\b|"
    r"(?:purpose|aim) of (?:the|this) (?:page|site|website|web page)\b|"
    r"Editor['’]?s['’]? note\b|"
    r"^This (?:story|article|report|page) (?:was|has been|is) (?:updated|corrected)\b)\b",
    re.I,
)
_LEADING_CONNECTIVE = re.compile(
    r"^(?:And|But|Also|Additionally|In addition|Meanwhile|Still|However|Moreover|Furthermore|"
    r"He|She|They|His|Her|Their|The (?:company|agency|group|union|ministry|spokesperson) added|"
    r"(?:That|This|These|Those|It|Its) (?:is|was|are|were|has|had|have|will|would|could|may|"
    r"comes|came|means|meant|marks|marked|includes|follows|followed|said|says))\b"
)
# An agency photo caption: a scene in the present tense, then "Monday, Aug. 29, 2022, in Place".
_CAPTION_DATE = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),? [A-Z][a-z]{2,8}\.? "
    r"\d{1,2}, (?:19|20)\d\d\b"
)
_SCENE = re.compile(
    r"\b(?:sits|stand|stands|is seen|are seen|looks on|look on|poses|pose|waits|wait|rests|"
    r"is pictured|are pictured|is displayed|walks|walk|speaks|gestures|arrives|arrive|"
    r"watch|watches|is silhouetted|are silhouetted|lifts off|rolls|is shown)\b"
)
_IN_THIS_IMAGE = re.compile(
    r"\b(?:in|from) this (?:image|photo|photograph|picture|handout|still|video still|frame)\b"
    r"|\b(?:is|are) (?:seen|pictured|shown) (?:here\b|in the (?:foreground|background|distance))",
    re.I,
)
_LABEL = re.compile(r"^[A-Z]{3,}\.? \d{1,2}:|^[A-Z][A-Z ]{2,}:")  # "APRIL 8:", "STORY:", "UPDATE:"
_QUOTED = re.compile(r"^[\"“‘'].*[\"”’']$")
_ATTRIBUTION = re.compile(r"\b(?:said|says|told|added|wrote|according to)\b", re.I)
# The writer speaking ("We're on a lunch break, so it's time to recap …"): a live blog's aside
_WRITER = re.compile(r"^(?:We['’]re|We are|We['’]ll|I['’]m|I am|Let['’]s|Let us)\b")


# Lower-cased text that every match of _CREDIT, _CHROME or _IN_THIS_IMAGE contains: a sentence
# with none of it is not searched by them, as case-insensitive searches of many alternatives are
# slow. A sentence with a character that matches a Latin letter only when case is ignored ("ſ",
# the Kelvin sign, dotted and dotless i) is searched always.
_CREDIT_HINTS = (
    *("(ap", "(afp", "(reuters", "(getty", "(epa", "(bloomberg", "/afp", "/ap", "/reuters", "/epa"),
    *("photo", "image", "credit", "getty"),
)
_CHROME_OPENINGS = (
    "published",
    "posted",
    "updated",
    "written",
    "reporting",
    "editing",
    "additional",
)
_CHROME_HINTS = (
    *("read more", "sign up", "subscribe", "click here", "all rights reserved"),
    *("advertisement", "related:", "share this", "follow us", "newsletter", "join the", "join us"),
    *("connect with ", "register ", "this page", "this article", "this site", "this web"),
    *("purpose of", "aim of", "editor", "this story", "this report"),
)
_IMAGE_HINTS = (
    *("this image", "this photo", "this picture", "this handout", "this still", "this video"),
    *("this frame", "seen here", "pictured here", "shown here", "seen in the", "pictured in the"),
    "shown in the",
)
_HINT = re.compile("|".join(map(re.escape, (*_CREDIT_HINTS, *_CHROME_HINTS, *_IMAGE_HINTS))))
_FOLDED = re.compile("[\u017f\u212a\u0130\u0131]")  # ſ, K (Kelvin), İ, ı
_CLOSERS = "\"”’')]"


def _terminal(text: str) -> bool:
    """Whether a (stripped) sentence ends as a sentence does: ".", "!", "?" or "…", then any
    closing quotes and brackets, or a closing quote then a full stop."""
    return text.rstrip(_CLOSERS)[-1:] in (".", "!", "?", "…") or (
        text[-2:-1] in ('"', "”", "’") and text[-1:] in (".", "!", "?")
    )


@lru_cache(maxsize=262_144)
def stands_alone(text: str) -> bool:
    """Whether a sentence can be shown alone: complete, not a caption, credit, chrome or question."""
    text = text.strip()
    words = text.split()
    if not 6 <= len(words) <= 75 or not _terminal(text) or not _OPENING.match(text):
        return False
    if text.endswith(("...", "…")) or _LABEL.match(text):
        return False  # cut off by the page ("…"), or a caption's "APRIL 8:" label
    low = text.lower()
    hinted = _FOLDED.search(text) is not None or low.startswith(_CHROME_OPENINGS)
    hinted = hinted or _HINT.search(low) is not None
    if text.endswith(("?", "?”", '?"')) or (
        hinted and (_CREDIT.search(text) or _CHROME.search(text))
    ):
        return False
    if _QUOTED.match(text) and not _ATTRIBUTION.search(text):
        return False  # a bare quotation, whose speaker is elsewhere
    if _WRITER.match(text) and not _ATTRIBUTION.search(text):
        return False  # the writer's aside, not the news
    if (hinted and _IN_THIS_IMAGE.search(text)) or (
        _CAPTION_DATE.search(text) and _SCENE.search(text)
    ):
        return False  # "The rocket sits on the pad Monday, Aug. 29, 2022, in …": a photo caption
    return not _headline_case(words)


def _headline_case(words: list[str]) -> bool:
    """A sub-headline or a shout: most words capitalised, or mostly upper-case letters."""
    joined = "".join(words)
    if joined.isascii():  # counted by deleting what is not a letter (or not upper-case)
        raw = joined.encode()
        letters, upper = len(raw.translate(None, _NOT_LETTER)), len(raw.translate(None, _NOT_UPPER))
    else:
        letters, upper = sum(map(str.isalpha, joined)), sum(map(str.isupper, joined))
    if letters and upper / letters >= 0.6:
        return True  # a shout
    if len(words) < 5 or words[-1].endswith("."):
        return False
    return sum(1 for w in words if w[:1].isupper()) / len(words) >= 0.75


_NOT_LETTER = bytes(c for c in range(256) if not chr(c).isascii() or not chr(c).isalpha())
_NOT_UPPER = bytes(c for c in range(256) if not chr(c).isascii() or not chr(c).isupper())


_POINTS_BACK = re.compile(r"\b(?:that|this|it|so|them|these|those)[.!][\"”’']*$", re.I)
SHORT_POINTER = 8  # words: "The union denied that." says nothing alone


@lru_cache(maxsize=262_144)
def leans_on_context(text: str) -> bool:
    """Whether a sentence points back ("And …", "She added …", "The union denied that.").

    Such a sentence is weaker alone: it is shown with the sentence before it, or another
    report of the same event stands for it.
    """
    return bool(_LEADING_CONNECTIVE.match(text.strip().lstrip("\"“‘' "))) or needs_antecedent(text)


_CONNECTIVE = re.compile(
    r"^(?:And|But|Also|Additionally|In addition|Meanwhile|Still|However|Moreover|Furthermore|"
    r"Separately|Later|Then)\b,?\s*"
)
_ANTECEDENT = re.compile(
    r"^(?:[Hh]e|[Ss]he|[Tt]hey|[Hh]is|[Hh]er|[Tt]heir|[Ii]t|[Ii]ts|"
    r"(?:[Tt]his|[Tt]hat|[Tt]hese|[Tt]hose)(?! (?:week|month|year|morning|afternoon|evening|"
    r"weekend|time|summer|spring|autumn|fall|winter|[A-Z]\w*)\b)|[Tt]he (?:company|agency|group|union|ministry|spokesperson|official|minister|"
    r"president|leader|firm|regulator|court|party) (?:added|said|says|denied|noted|insisted)|"
    r"[Tt]he (?:announcement|move|decision|news|step|statement|development|change|report) "
    r"(?:comes|came|follows|followed|marks|marked|means|meant))\b"
)


@lru_cache(maxsize=262_144)
def needs_antecedent(text: str) -> bool:
    """Whether a sentence's subject is in the sentence before it ("She added …", "And it …").

    "Additionally, Trump confirmed …" points back too, but names who acted: it reads alone.
    """
    text = text.strip()
    rest = _CONNECTIVE.sub("", text.lstrip("\"“‘' "), count=1)
    if _ANTECEDENT.match(rest):
        return True
    return len(text.split()) <= SHORT_POINTER and bool(_POINTS_BACK.search(text))


def is_bare_quote(text: str) -> bool:
    """Whether a sentence opens with a quotation (the reporting around it tells more)."""
    return text.lstrip()[:1] in "“\"‘'"


# -- names and numbers ----------------------------------------------------------------------------

_NAME = re.compile(r"(?<=[\s(“\"'])[A-Z][\w’'.-]*[\w]|\b[A-Z]{2,6}\b")
_NUMBER = re.compile(r"(?<![\w.])\$?\d[\d,.]*\d%?|\b\d\b")
_NOT_NAMES = frozenset(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December The A An And But He She They It In On
    At For Mr Ms Mrs Dr I We This That""".split()  # noqa: SIM905
)


@lru_cache(maxsize=262_144)
def names_of(text: str) -> frozenset[str]:
    """Capitalised words after the first and acronyms: who and where a sentence names."""
    return frozenset(n.lower() for n in _NAME.findall(text) if n not in _NOT_NAMES)


@lru_cache(maxsize=262_144)
def numbers_of(text: str) -> frozenset[str]:
    """Numbers a sentence writes, normalised ("$68.7", "10", "2023"), years excluded."""
    out = set()
    for n in _NUMBER.findall(text):
        bare = n.strip("$%").replace(",", "")
        if len(bare) == 4 and bare.startswith(("19", "20")):
            continue  # a year dates; it does not identify an event
        out.add(bare)
    return frozenset(out)


@lru_cache(maxsize=262_144)
def token_set(text: str) -> frozenset[str]:
    """A sentence's content words, cached (sentences recur across topics)."""
    return frozenset(tokens(text))


_FULL_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+([A-Z][a-z]{2,})\b")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")


def introduced_surnames(texts: Sequence[str]) -> dict[str, int]:
    """Per surname a page introduces with a full name ("Victor Glover"), the index of the first
    sentence that does (words the page also writes in lower case are common nouns, not names)."""
    lower = {w for text in texts for w in re.findall(r"\b[a-z]{3,}\b", text)}
    out: dict[str, int] = {}
    for i, text in enumerate(texts):
        for m in _FULL_NAME.finditer(text):
            last = m.group(1)
            if last.lower() not in lower and last not in _NOT_NAMES:
                out.setdefault(last, i)
    return out


def surname_only(text: str, index: int, introduced: Mapping[str, int]) -> bool:
    """Whether a sentence names someone by the surname alone that its page introduced earlier
    with a full name ("Glover completed 168 days in orbit"): it leans on that introduction."""
    full = {m.group(1) for m in _FULL_NAME.finditer(text)}
    return any(
        w in introduced and introduced[w] < index and w not in full
        for w in _CAPITALISED.findall(text)
    )


def capitalised(text: str) -> set[str]:
    """The capitalised words of a sentence (names, and a sentence's first word)."""
    return set(_CAPITALISED.findall(text))


_PER_SENTENCE = (
    cues_of,
    tells_past_event,
    tells_ending,
    event_terms,
    stands_alone,
    leans_on_context,
    needs_antecedent,
    names_of,
    numbers_of,
    token_set,
)


def forget() -> None:
    """Drop what the caches hold of sentences (words' caches stay): a recompute calls it after
    each topic, so they hold one topic's sentences at a time, not every topic's."""
    for cached in _PER_SENTENCE:
        cached.cache_clear()
