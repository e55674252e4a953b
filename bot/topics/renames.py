"""A story's new name, learned from the articles that say it: "mpox, formerly known as monkeypox".

Stories change their names: a disease is renamed, a fund or a merged company gets its own name.
When articles say so in so many words ("X, formerly known as Y", "Y was renamed X", "renamed Y
to X", "Y, now called X"), and Y is one of a topic's keywords, X counts as one too, and as an
anchor, while the story runs (``story_window``), so articles that only use the new name still
join the story. A rename must be told by at least ``MIN_TOLD`` articles: one page's slip names
nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, timedelta

from bot.models import Sentence, Source, Topic
from bot.topics.text import STOPWORDS, normalize

MIN_TOLD = 2  # articles that must tell a rename
STORY_SLACK_DAYS = 180  # a story still runs this long after its last article naming it
# What a sentence telling a rename contains, tested on the raw text before anything else: most
# sentences of a large corpus have none of it and are never normalised here.
_HINT = re.compile(r"formerly|previously|renam|now known|now called|once known", re.I)
_Q = r"[\"'“”‘’]?"
_NAME = r"(?P<new>[a-z][\w-]{2,})"
_NOUN = r"(?:(?:a|an|the) [^,;.]{0,60}? )?"


def _patterns(old: str) -> list[re.Pattern[str]]:
    """The ways a sentence says ``old`` (a normalised keyword) is now called something else."""
    kw = re.escape(old)
    return [
        # "mpox, formerly known as monkeypox"; "mpox, the virus formerly called monkeypox"
        re.compile(
            rf"\b{_NAME}{_Q} ?[,(] ?{_NOUN}(?:formerly|previously|once) (?:known as|called|named) "
            rf"(?:the )?{_Q}{kw}\b"
        ),
        # "renamed the disease monkeypox as "mpox""; "renames monkeypox to mpox"
        re.compile(
            rf"\brenam(?:ed|es|ing) (?:the (?:[\w-]+ ){{0,2}})?{_Q}{kw}{_Q} (?:as|to) {_Q}{_NAME}"
        ),
        # "monkeypox is being renamed mpox"; "monkeypox, now called mpox"
        re.compile(
            rf"\b{kw}{_Q},? (?:(?:is|was|has been|will be|is being) )?"
            rf"(?:renamed|now known as|now called) (?:as |to )?{_Q}{_NAME}"
        ),
        # "monkeypox, which the WHO recently renamed to "mpox""
        re.compile(rf"\b{kw}{_Q}, which [^,;.]{{0,60}}? renamed (?:it )?(?:as |to )?{_Q}{_NAME}"),
    ]


def learn_renames(
    topics: list[Topic], sources: Mapping[str, Source], sentences: Mapping[str, list[Sentence]]
) -> dict[str, tuple[str, ...]]:
    """Per topic slug, the new names articles give one of its keywords (told by enough articles)."""
    olds = {t.slug: [normalize(k) for k in t.keywords] for t in topics}
    patterns = {kw: _patterns(kw) for kws in olds.values() for kw in kws}
    told: dict[str, Counter[str]] = {}
    for sid, sents in sentences.items():
        if sid not in sources:
            continue
        seen: set[tuple[str, str]] = set()
        for s in sents:
            if not _HINT.search(s.text):
                continue
            low = normalize(s.text)
            for kw, regexes in patterns.items():
                if kw in low:
                    seen |= {(kw, new) for new in _new_names(low, regexes, kw)}
        for kw, new in seen:
            told.setdefault(kw, Counter())[new] += 1
    out = {}
    for t in topics:
        known = set(olds[t.slug]) | {normalize(a) for a in t.aliases}
        names = {
            new
            for kw in olds[t.slug]
            for new, n in told.get(kw, Counter()).items()
            if n >= MIN_TOLD and new not in known
        }
        if names:
            out[t.slug] = tuple(sorted(names))
    return out


def _new_names(low: str, regexes: list[re.Pattern[str]], old: str) -> set[str]:
    found = set()
    for regex in regexes:
        for m in regex.finditer(low):
            new = m.group("new").strip("-")
            if new != old and new not in STOPWORDS and old not in new:
                found.add(new)
    return found


def renamed(topic: Topic, names: tuple[str, ...]) -> Topic:
    """The topic with its new names among its keywords."""
    return replace(topic, keywords=(*topic.keywords, *names)) if names else topic


def story_window(firm: Iterable[str], sources: Mapping[str, Source]) -> date | None:
    """The last day an article may join a story by weaker evidence than its keywords (a new
    name, acquired names, its vocabulary): ``STORY_SLACK_DAYS`` after the last article naming
    it. One written long after that is about something else that came to share its words (a
    later outbreak of the renamed disease)."""
    dated = [p for sid in firm if (p := sources[sid].published) is not None]
    return max(dated) + timedelta(days=STORY_SLACK_DAYS) if dated else None


def in_window(source: Source, until: date | None) -> bool:
    """Whether a page falls within a story's window (undated pages always may)."""
    return until is not None and (source.published is None or source.published <= until)
