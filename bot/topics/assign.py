"""Assign articles and sentences to topics, growing each topic's vocabulary as the story drifts.

1. *Seed*: an article is firmly in a topic when it names the topic's keywords (word variants,
   compounds and one word in between count: see ``PhraseMatcher``) and one of its ``requires``
   anchors, if any.
2. *Learn*: terms that are much more frequent in the topic's keyword sentences than elsewhere in
   the corpus become the topic's weighted sentence vocabulary (log-odds, smoothed).
3. *Drift*: names the story acquires (a fund, an agency: proper names and acronyms, never agency
   credits) are weighted by how much likelier they are in its articles than in the rest of the
   corpus (smoothed ratio); an article naming several of them in several sentences joins even if
   it uses none of the day-one keywords. Names are relearned with it (two rounds), so the topic
   follows "rare earth deal" -> "joint fund" -> the fund's own name and its first projects.
4. *Density*: an article with two sentences dense in the topic's vocabulary (and denser in it
   than in any other topic's) joins too.
5. *Near-misses*: an article about a sibling instance ("Artemis II" for "Artemis I") is dropped.
6. *Sentences*: within an assigned article, a sentence is relevant when it names the topic (or
   its acquired names), is dense in its vocabulary, or sits next to a sentence that names it,
   unless it names another topic instead.
"""

from __future__ import annotations

import math
import re
import sys
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from bot.models import Sentence, Source, Topic
from bot.topics.names import Instances, names_in_stripped, strip_credits
from bot.topics.renames import in_window, renamed, story_window
from bot.topics.text import PhraseMatcher, normalize, terms_normalized

SentKey = tuple[str, int]
T = TypeVar("T")

MIN_TERM_DF = 2  # a vocabulary term must occur in at least this many topic sentences
MIN_TERM_WEIGHT = math.log(3)  # ... and be at least 3x likelier there than elsewhere
VOCAB_SENTENCE = 5.0  # summed term weights that make a sentence "about" the topic
DRIFT_NAMES = 2  # distinct acquired names an article needs to join by drift
NAME_WEIGHT = math.log(2)  # a name is acquired when at least 2x likelier in the topic's articles
NAME_PRIOR = 0.1  # smoothing: a few contrast articles that lack a name still say little
DRIFT_SCORE = 2.5  # summed name weights that let an article join by drift
DRIFT_SENTENCES = 2  # ... named in this many sentences (one passing mention is not the story)
DENSE_SENTENCES = 2  # sentences dense in the topic's vocabulary that let an article join
DENSE_JOIN = VOCAB_SENTENCE  # how dense each of them must be (lower lets near-misses in)
RELEVANT = 0.5  # sentence relevance needed to be used in a topic's briefings
DRIFT_ROUNDS = 2
MAX_VOCAB = 400


@dataclass(slots=True)
class TopicIndex:
    """Which articles and sentences belong to which topic, with scores."""

    articles: dict[str, dict[str, float]] = field(default_factory=dict)
    sentences: dict[str, dict[SentKey, float]] = field(default_factory=dict)
    vocab: dict[str, dict[str, float]] = field(default_factory=dict)
    joined_by_drift: dict[str, set[str]] = field(default_factory=dict)
    names: dict[str, dict[str, float]] = field(default_factory=dict)  # names each story acquired
    # per topic, the last days a page may join by a new name, and by weaker evidence
    windows: dict[str, tuple[date | None, date | None]] = field(default_factory=dict)

    def assignment_rows(self) -> list[tuple[str, str, float]]:
        """(slug, source id, score) for every article in a topic or contributing sentences to it.

        An article outside the topic that still has a sentence about it (a NATO story's one line
        on the minerals deal) is listed with a lower score, so ``sources`` shows every article a
        briefing can cite.
        """
        rows = [
            (slug, sid, score)
            for slug, arts in self.articles.items()
            for sid, score in arts.items()
        ]
        for slug, sentences in self.sentences.items():
            best: dict[str, float] = {}
            for (sid, _), rel in sentences.items():
                if sid not in self.articles.get(slug, {}):
                    best[sid] = max(best.get(sid, 0.0), rel)
            rows += [(slug, sid, round(0.3 * rel, 3)) for sid, rel in best.items()]
        return rows


_UNSET = math.nan  # a per-sentence score not computed yet


@dataclass(slots=True)
class _Corpus:
    """The corpus as assignment reads it. Per-sentence data is kept by row (a page's first row
    plus the sentence's index), in lists and arrays rather than dicts keyed by (page, index):
    at tens of thousands of pages, per-sentence dict entries and key tuples were most of the
    memory assignment took."""

    sources: Mapping[str, Source]
    sentences: Mapping[str, list[Sentence]]
    first_row: dict[str, int]  # page -> the row of its first sentence
    sizes: dict[str, int]  # page -> its rows (a row for every index from 0 to its last)
    # every sentence's terms as ids, sentence after sentence (row r's are terms[starts[r]:
    # starts[r + 1]]), each sentence's in the terms' sorted order: sums of weights over them do
    # not depend on a set's (hash) order, and 4 bytes a term is a fraction of a tuple's memory
    terms: array[int]
    starts: array[int]
    term_ids: dict[str, int]
    id_terms: list[str]
    df: array[int]  # by term id: the sentences using it
    kw: dict[str, dict[SentKey, int]]  # slug -> sentence -> keyword hits
    strongest: array[float] = field(default_factory=lambda: array("d"))  # best context, any topic
    names: dict[str, Counter[str]] = field(default_factory=dict)  # article -> names it mentions
    sent_names: list[tuple[str, ...]] = field(default_factory=list)  # by row: its names
    gaps: dict[str, set[int]] = field(default_factory=dict)  # page -> indexes it lacks
    dense: dict[str, array[float]] = field(default_factory=dict)  # slug -> by row: vocab score
    keys: list[SentKey | None] = field(default_factory=list)  # by row: its shared key
    scores: dict[float, float] = field(default_factory=dict)  # the shared relevance values
    by_id: dict[int, tuple[Mapping[str, float], dict[int, float]]] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        """How many sentences the corpus has."""
        return len(self.starts) - 1

    def indexes(self, sid: str) -> Iterable[int]:
        """The indexes of a page's sentences (none for a page without any)."""
        gap = self.gaps.get(sid)
        if gap is not None:
            return [i for i in range(self.sizes[sid]) if i not in gap]
        return range(self.sizes.get(sid, 0))

    def length(self, sid: str) -> int:
        """How many sentences a page has."""
        return self.sizes.get(sid, 0) - len(self.gaps.get(sid, ()))

    def terms_at(self, row: int) -> array[int]:
        """A sentence's term ids, by row."""
        return self.terms[self.starts[row] : self.starts[row + 1]]

    def weights(self, vocab: Mapping[str, float]) -> dict[int, float]:
        """A topic vocabulary keyed by term id (made once per vocabulary)."""
        found = self.by_id.get(id(vocab))
        if found is None or found[0] is not vocab:
            ids = self.term_ids
            found = self.by_id[id(vocab)] = (
                vocab,
                {ids[t]: w for t, w in vocab.items() if t in ids},
            )
        return found[1]

    def shared_key(self, key: SentKey) -> SentKey:
        """One key object per sentence for every topic's relevance (most sentences of a long
        story are relevant to several of its topics)."""
        row = self.row(key)
        found = self.keys[row]
        if found is None:
            found = self.keys[row] = key
        return found

    def shared_score(self, score: float) -> float:
        """One float object per rounded relevance (a few hundred values, not one per sentence)."""
        return self.scores.setdefault(score, score)

    def row(self, key: SentKey) -> int:
        """A sentence's row (pages list their sentences by index from 0: see ``_prepare``)."""
        return self.first_row[key[0]] + key[1]

    def vocab(self, slug: str, key: SentKey, vocab: Mapping[str, float]) -> float:
        """A sentence's vocabulary score for a topic, computed once."""
        scores = self.dense.get(slug)
        if scores is None:
            scores = self.dense[slug] = array("d", [_UNSET]) * self.rows
        row = self.row(key)
        found = scores[row]
        if found != found:  # not computed yet (NaN)
            found = scores[row] = vocab_score(self.terms_at(row), self.weights(vocab))
        return found


def assign_topics(
    topics: list[Topic],
    sources: Mapping[str, Source],
    sentences: Mapping[str, list[Sentence]],
    renames: Mapping[str, tuple[str, ...]] | None = None,
) -> TopicIndex:
    """Score every article and sentence against every topic.

    ``renames``: per topic, the new names its story took (``bot.topics.renames``): while the
    story runs they count as its keywords and anchors.
    """
    corpus, anchors = _prepare(topics, sources, sentences)
    index = TopicIndex()
    firms = {t.slug: _firm(t, corpus, anchors[t.slug]) for t in topics}
    rename_until: dict[str, date | None] = {}
    for t in topics:
        if new_names := (renames or {}).get(t.slug):
            rename_until[t.slug] = story_window(firms[t.slug], sources)
            firms[t.slug] = _renamed_firm(
                t, new_names, corpus, anchors, firms[t.slug], rename_until[t.slug]
            )
    firm_vocab = {t.slug: _learn(t, corpus, firms[t.slug]) for t in topics}
    for topic in topics:
        members = dict(firms[topic.slug])
        others = {sid for slug, firm in firms.items() if slug != topic.slug for sid in firm}
        contrast = (others | (set(sources) - anchors[topic.slug])) - set(members)
        # weaker evidence (names, vocabulary) joins an article only while the story runs
        until = story_window(members, sources)
        running = {sid for sid in anchors[topic.slug] if in_window(sources[sid], until)}
        names: dict[str, float] = {}
        for _ in range(DRIFT_ROUNDS):
            names = _story_names(topic, corpus, members, contrast - set(members))
            joined = _drift(topic, corpus, names, running, members)
            if not joined:
                break
            members.update(joined)
        if DRIFT_ROUNDS:
            grown = len(members) > len(firms[topic.slug])
            vocabs = (
                {**firm_vocab, topic.slug: _learn(topic, corpus, members)} if grown else firm_vocab
            )
            members.update(_dense(topic, corpus, vocabs, running, members))
        _settle(topic, corpus, index, anchors, members, firms[topic.slug], names)
        index.windows[topic.slug] = (rename_until.get(topic.slug), until)
        index.vocab[topic.slug] = _learn(topic, corpus, members)
    for topic in topics:
        index.sentences[topic.slug] = _relevance(topic, topics, corpus, index, anchors[topic.slug])
    return index


@dataclass(frozen=True, slots=True)
class Learned:
    """What a full pass learned of a topic that judging a new article needs (``assign_new``)."""

    vocab: Mapping[str, float]
    names: Mapping[str, float]
    renames: tuple[str, ...] = ()
    rename_until: date | None = None  # the story windows ``assign_topics`` found
    until: date | None = None


def assign_new(
    topics: list[Topic],
    sources: Mapping[str, Source],
    sentences: Mapping[str, list[Sentence]],
    learned: Mapping[str, Learned],
) -> TopicIndex:
    """Score a few new articles against every topic by what a full pass learned, not the corpus.

    ``learned`` holds what ``assign_topics`` learned of each topic; the rules are the same
    (keywords and anchors, new names, drift by names and density while the story runs, siblings,
    sentence relevance), without learning anything from the new articles (the next full pass
    does), except that an article naming the topic's keywords extends its story's windows.
    """
    corpus, anchors = _prepare(topics, sources, sentences)
    index = TopicIndex()
    vocabs = {t.slug: dict(learned[t.slug].vocab) for t in topics}
    for topic in topics:
        known = learned[topic.slug]
        firm = _firm(topic, corpus, anchors[topic.slug])
        rename_until = _later(known.rename_until, story_window(firm, sources))
        if known.renames:
            firm = _renamed_firm(topic, known.renames, corpus, anchors, firm, rename_until)
        members = dict(firm)
        until = _later(known.until, story_window(firm, sources))
        running = {sid for sid in anchors[topic.slug] if in_window(sources[sid], until)}
        names = dict(known.names)
        members.update(_drift(topic, corpus, names, running, members))
        members.update(_dense(topic, corpus, vocabs, running, members))
        _settle(topic, corpus, index, anchors, members, firm, names)
        index.vocab[topic.slug] = vocabs[topic.slug]
        index.windows[topic.slug] = (rename_until, until)
    for topic in topics:
        index.sentences[topic.slug] = _relevance(topic, topics, corpus, index, anchors[topic.slug])
    return index


def _later(a: date | None, b: date | None) -> date | None:
    return max(a, b) if a and b else a or b


def _settle(
    topic: Topic,
    corpus: _Corpus,
    index: TopicIndex,
    anchors: dict[str, set[str]],
    members: dict[str, float],
    firm: Mapping[str, float],
    names: dict[str, float],
) -> None:
    """Record a topic's members and names, once siblings are dropped and names count as keywords."""
    # an article about a sibling mission is not even cited: it is another story
    anchors[topic.slug] = anchors[topic.slug] - _drop_siblings(topic, corpus, members, firm)
    _name_sentences(topic, corpus, members, names)
    index.articles[topic.slug] = members
    index.joined_by_drift[topic.slug] = set(members) - set(firm)
    index.names[topic.slug] = names


def _prepare(
    topics: list[Topic], sources: Mapping[str, Source], sentences: Mapping[str, list[Sentence]]
) -> tuple[_Corpus, dict[str, set[str]]]:
    """The corpus as assignment reads it, and each topic's anchored pages (``_Anchors``), in
    one pass over the sentences."""
    anchors = _Anchors(topics)
    matchers = {t.slug: PhraseMatcher(t.keywords) for t in topics}
    sent_terms: array[int] = array("I")
    starts: array[int] = array("Q", [0])
    term_ids: dict[str, int] = {}
    id_terms: list[str] = []
    df: array[int] = array("I")
    first_row: dict[str, int] = {}
    sizes: dict[str, int] = {}
    names: list[tuple[str, ...]] = []
    named: dict[tuple[str, ...], tuple[str, ...]] = {}
    gaps: dict[str, set[int]] = {}
    keys: list[SentKey | None] = []  # by row: the key its keyword hits (then relevance) share
    kw: dict[str, dict[SentKey, int]] = {t.slug: {} for t in topics}
    for sid, sents in sentences.items():
        if sid not in sources:
            continue
        anchors.page(sid, sources[sid], sents)
        if any(s.index != i for i, s in enumerate(sents)):  # not as ingest stores them
            present = {s.index for s in sents}
            sents = _by_index(sents)
            gaps[sid] = set(range(len(sents))) - present
        first_row[sid] = len(starts) - 1
        sizes[sid] = len(sents)
        for s in sents:
            clean = strip_credits(s.text)  # "AP Photo" is no story's vocabulary, nor a name
            found = tuple(sys.intern(n) for n in names_in_stripped(clean))
            names.append(named.setdefault(found, found))  # one tuple per set of names
            norm = normalize(s.text)
            for term in sorted(terms_normalized(norm if clean is s.text else normalize(clean))):
                tid = term_ids.get(term)
                if tid is None:
                    tid = term_ids[term] = len(id_terms)
                    id_terms.append(term)
                    df.append(0)
                df[tid] += 1
                sent_terms.append(tid)
            starts.append(len(sent_terms))
            key = None
            for slug, matcher in matchers.items():
                hits = len(matcher.find_normalized(norm))
                if hits:
                    key = key or (sid, s.index)  # one key for every topic it names
                    kw[slug][key] = hits
            keys.append(key)
    rows = len(starts) - 1
    for sid, source in sources.items():
        if sid not in sentences:
            anchors.page(sid, source, ())
    corpus = _Corpus(
        sources,
        sentences,
        first_row,
        sizes,
        sent_terms,
        starts,
        term_ids,
        id_terms,
        df,
        kw,
        strongest=array("d", [_UNSET]) * rows,
        sent_names=names,
        gaps=gaps,
        keys=keys,
    )
    return corpus, anchors.found(topics, sources)


def _by_index(sents: list[Sentence]) -> list[Sentence]:
    """A page's sentences with a row for every index from 0 (a gap reads as an empty sentence)."""
    by_index = {s.index: s for s in sents}
    sid = sents[0].source_id
    return [
        by_index.get(i) or Sentence(sid, i, 0, 0, "") for i in range(max(by_index, default=-1) + 1)
    ]


class _Anchors:
    """Per topic, the pages that name one of its ``requires`` anchors (all, if it has none),
    told one page's text at a time: the corpus's texts are never all held at once."""

    def __init__(self, topics: list[Topic]) -> None:
        self._by_requires: dict[tuple[str, ...], set[str]] = {t.requires: set() for t in topics}
        self._matchers = {req: PhraseMatcher(req) for req in self._by_requires if req}

    def page(self, sid: str, source: Source, sents: Iterable[Sentence]) -> None:
        """Note a page, with its sentences."""
        if not self._matchers:
            return
        norm = normalize(page_text_of(source, sents))
        for req, matcher in self._matchers.items():
            if matcher.any_normalized(norm):
                self._by_requires[req].add(sid)

    def found(self, topics: list[Topic], sources: Mapping[str, Source]) -> dict[str, set[str]]:
        """Each topic's anchored pages, once every page was noted."""
        if () in self._by_requires:
            self._by_requires[()] = set(sources)
        return {t.slug: self._by_requires[t.requires] for t in topics}


def page_text(source: Source, sentences: Mapping[str, list[Sentence]]) -> str:
    """A page's headline and text, read from its sentences (a recompute reads those only)."""
    return page_text_of(source, sentences.get(source.id, []))


def page_text_of(source: Source, sents: Iterable[Sentence]) -> str:
    """``page_text`` of a page whose sentences are at hand."""
    return "\n".join([source.title, *(s.text for s in sents)])


def _firm(topic: Topic, corpus: _Corpus, anchored: set[str]) -> dict[str, float]:
    title_matcher = PhraseMatcher(topic.keywords)
    per_article: dict[str, list[int]] = {}
    for (sid, _), count in corpus.kw[topic.slug].items():
        per_article.setdefault(sid, []).append(count)
    firm: dict[str, float] = {}
    for sid in anchored:
        hits = per_article.get(sid, [])
        title_hits = len(title_matcher.find(corpus.sources[sid].title))
        if len(hits) >= 2 or sum(hits) >= 3 or (title_hits and hits):
            firm[sid] = round(min(1.0, 0.2 * (sum(hits) + 2 * title_hits)), 3)
    return firm


def _renamed_firm(
    topic: Topic,
    names: tuple[str, ...],
    corpus: _Corpus,
    anchors: dict[str, set[str]],
    firm: dict[str, float],
    until: date | None,
) -> dict[str, float]:
    """Firm members once the story's new names count as keywords and anchors in its window.

    Adds the names' hits to the topic's keyword hits and the pages naming them to its anchors,
    for pages up to ``until``: the ``story_window`` of the firm members found by the old keywords.
    """
    matcher = PhraseMatcher(names)
    mention = re.compile("|".join(map(re.escape, names)), re.I)  # cheap test before normalising
    hits = corpus.kw[topic.slug]
    window = [sid for sid, src in corpus.sources.items() if in_window(src, until)]
    named = set()
    for sid in window:
        for s in corpus.sentences.get(sid, []):
            if not mention.search(s.text):
                continue
            found = len(matcher.find_normalized(normalize(s.text)))
            if found:
                key = (sid, s.index)
                hits[key] = hits.get(key, 0) + found
                named.add(sid)
    if topic.requires:
        titled = {
            sid for sid in window if matcher.any_normalized(normalize(corpus.sources[sid].title))
        }
        anchors[topic.slug] = anchors[topic.slug] | named | titled
    inside = {sid for sid in anchors[topic.slug] if in_window(corpus.sources[sid], until)}
    outside = anchors[topic.slug] - inside
    return {
        **_firm(topic, corpus, outside),
        **_firm(renamed(topic, names), corpus, inside),
    }


def _learn(topic: Topic, corpus: _Corpus, members: dict[str, float]) -> dict[str, float]:
    """Weighted vocabulary: terms far likelier in the topic's core sentences than elsewhere."""
    # in a stable order: names add keyword hits in the order of a set of members
    core = sorted(k for k in corpus.kw[topic.slug] if k[0] in members)
    core_df: Counter[int] = Counter()
    first: dict[str, int] = {}  # the first core sentence using a term, for ties at the cut-off
    for i, key in enumerate(core):
        found = corpus.terms_at(corpus.row(key))
        core_df.update(found)
        for tid in found:
            first.setdefault(corpus.id_terms[tid], i)
    n_core, n_all = len(core), corpus.rows
    vocab: dict[str, float] = {}
    for tid, df_core in core_df.items():
        if df_core < MIN_TERM_DF:
            continue
        p_core = (df_core + 0.5) / (n_core + 1)
        p_rest = (corpus.df[tid] - df_core + 0.5) / (n_all - n_core + 1)
        weight = math.log(p_core / p_rest)
        if weight >= MIN_TERM_WEIGHT:
            vocab[corpus.id_terms[tid]] = round(weight, 3)
    # ties go to the term found first, then by the term: not by a set's order (which
    # PYTHONHASHSEED changes)
    best = sorted(vocab.items(), key=lambda kv: (-kv[1], first[kv[0]], kv[0]))[:MAX_VOCAB]
    return dict(best)


def vocab_score(sentence_terms: Iterable[T], vocab: Mapping[T, float]) -> float:
    """Summed weights of the topic vocabulary a sentence uses (terms or term ids)."""
    return sum(vocab.get(t, 0.0) for t in sentence_terms)


def _sentence_names(corpus: _Corpus, sid: str, index: int) -> tuple[str, ...]:
    """A sentence's names (read with its terms, interned: a story names the same few often)."""
    return corpus.sent_names[corpus.row((sid, index))]


def _names_of(corpus: _Corpus, sid: str) -> Counter[str]:
    found = corpus.names.get(sid)
    if found is None:
        found = corpus.names[sid] = Counter(
            n for i in corpus.indexes(sid) for n in _sentence_names(corpus, sid, i)
        )
    return found


def _story_names(
    topic: Topic, corpus: _Corpus, members: dict[str, float], contrast: set[str]
) -> dict[str, float]:
    """Names the story has acquired, weighted by how much likelier they are in its articles.

    A fund, its board, a new institution: names found in several of the topic's articles and
    far less often in the rest of the corpus (other stories' articles and articles without the
    topic's anchors; smoothed ratio). Names every story shares (the president, the war) weigh
    nothing; one mention in another story's article only lowers a name's weight.
    """
    seen_in: Counter[str] = Counter()
    for sid in members:
        seen_in.update(set(_names_of(corpus, sid)))
    seen_out: Counter[str] = Counter()
    for sid in contrast:
        seen_out.update(set(_names_of(corpus, sid)))
    anchors = {normalize(a) for a in topic.requires + topic.keywords}
    n_in, n_out = len(members), len(contrast)
    names: dict[str, float] = {}
    for name, df_in in seen_in.items():
        if df_in < MIN_TERM_DF or name in anchors:
            continue
        p_in = (df_in + NAME_PRIOR) / (n_in + 2 * NAME_PRIOR)
        p_out = (seen_out[name] + NAME_PRIOR) / (n_out + 2 * NAME_PRIOR)
        weight = math.log(p_in / p_out)
        if weight >= NAME_WEIGHT:
            names[name] = weight
    return dict(sorted(names.items()))  # in a stable order: the sets' order depends on the seed


def _drift(
    topic: Topic,
    corpus: _Corpus,
    names: dict[str, float],
    anchored: set[str],
    members: dict[str, float],
) -> dict[str, float]:
    """Articles that name several of the story's acquired names, though none of its keywords."""
    joined: dict[str, float] = {}
    if not names:
        return joined
    for sid in anchored - set(members):
        found = {n: c for n, c in _names_of(corpus, sid).items() if n in names}
        score = sum(names[n] for n in found)
        if (
            len(found) >= DRIFT_NAMES
            and score >= DRIFT_SCORE
            and _count_names_as_keywords(topic, corpus, sid, set(names)) > 0
        ):
            joined[sid] = round(min(1.0, 0.1 * score), 3)
    return joined


def _drop_siblings(
    topic: Topic, corpus: _Corpus, members: dict[str, float], firm: Mapping[str, float]
) -> set[str]:
    """Drop articles about a sibling ("Artemis II"): named more than the topic's own instance.

    A firm article (one using the keywords) is dropped only when it never names the topic's own
    instance: an Artemis I story often looks ahead to Artemis II.
    """
    instances = Instances(topic.keywords + topic.aliases)
    dropped: set[str] = set()
    if not instances:
        return dropped
    for sid in list(members):
        src = corpus.sources[sid]
        own, sibling = instances.counts(normalize(page_text(src, corpus.sentences)))
        if sibling > own and (sid not in firm or own == 0):
            del members[sid]
            dropped.add(sid)
    return dropped


def _half(n: int) -> int:
    """Half of a page's sentences, rounded up: a two-sentence excerpt is all lede."""
    return max(1, (n + 1) // 2)


def _dense(
    topic: Topic,
    corpus: _Corpus,
    vocabs: Mapping[str, Mapping[str, float]],
    anchored: set[str],
    members: dict[str, float],
) -> dict[str, float]:
    """Articles with several sentences dense in the topic's vocabulary (and no other's)."""
    vocab = corpus.weights(vocabs[topic.slug])
    rivals = [corpus.weights(v) for slug, v in vocabs.items() if slug != topic.slug]
    keys = set(vocab)
    joined: dict[str, float] = {}
    for sid in anchored - set(members):
        dense = 0
        for i in corpus.indexes(sid):
            sent_terms = corpus.terms_at(corpus.row((sid, i)))
            if keys.isdisjoint(sent_terms):
                continue
            own = vocab_score(sent_terms, vocab)
            if own >= DENSE_JOIN and all(vocab_score(sent_terms, r) <= own for r in rivals):
                dense += 1
        if dense >= min(DENSE_SENTENCES, _half(corpus.length(sid))):
            joined[sid] = round(min(1.0, 0.2 * dense), 3)
    return joined


def _count_names_as_keywords(topic: Topic, corpus: _Corpus, sid: str, names: set[str]) -> int:
    """In an article that joins by drift, a sentence naming the story counts as naming the topic.

    Returns how many sentences name it; the article joins (and they count) only if enough do.
    """
    hits = {}
    for i in corpus.indexes(sid):
        found = sum(1 for n in _sentence_names(corpus, sid, i) if n in names)
        if found:
            hits[(sid, i)] = found
    enough = min(DRIFT_SENTENCES, _half(corpus.length(sid)))
    if len(hits) >= enough:
        corpus.kw[topic.slug].update(hits)
    return len(hits) if len(hits) >= enough else 0


def _name_sentences(
    topic: Topic, corpus: _Corpus, members: dict[str, float], names: Mapping[str, float]
) -> None:
    """In every member, a sentence naming the story's acquired names counts as naming it."""
    mine = corpus.kw[topic.slug]
    for sid in members:
        for i in corpus.indexes(sid):
            found = sum(1 for n in _sentence_names(corpus, sid, i) if n in names)
            if found and (sid, i) not in mine:
                mine[(sid, i)] = found


def _relevance(
    topic: Topic, topics: list[Topic], corpus: _Corpus, index: TopicIndex, anchored: set[str]
) -> dict[SentKey, float]:
    mine = corpus.kw[topic.slug]
    members, vocab = index.articles[topic.slug], index.vocab[topic.slug]
    others = [t.slug for t in topics if t.slug != topic.slug]
    out: dict[SentKey, float] = {}
    for sid in anchored:
        for i in corpus.indexes(sid):
            key = (sid, i)
            score = _sentence_score(topic.slug, key, sid in members, mine, vocab, corpus)
            if score and key not in mine:
                score *= _elsewhere(topic.slug, key, others, corpus, index)
            if score >= RELEVANT:
                out[corpus.shared_key(key)] = corpus.shared_score(round(score, 3))
    return out


def _elsewhere(
    slug: str, key: SentKey, others: list[str], corpus: _Corpus, index: TopicIndex
) -> float:
    """Discount a sentence that names another topic, or reads far more like another topic."""
    if any(key in corpus.kw[o] for o in others):
        return 0.3
    own = corpus.vocab(slug, key, index.vocab[slug])
    best_other = max((corpus.vocab(o, key, index.vocab[o]) for o in others), default=0.0)
    return 0.5 if best_other >= max(VOCAB_SENTENCE * 0.5, 1.5 * own) else 1.0


def _sentence_score(
    slug: str,
    key: SentKey,
    member: bool,
    mine: dict[SentKey, int],
    vocab: dict[str, float],
    corpus: _Corpus,
) -> float:
    if key in mine:
        return 1.0 + 0.2 * (mine[key] - 1)
    if not member:
        return 0.0
    context = _context(key, mine)
    row = corpus.row(key)
    strongest = corpus.strongest[row]
    if strongest != strongest:  # not computed yet (NaN)
        strongest = corpus.strongest[row] = max(_context(key, kw) for kw in corpus.kw.values())
    # a sentence between two stories goes with the one its neighbours name most
    near = 0.6 if context and context >= 0.5 * strongest else 0.0
    dense = corpus.vocab(slug, key, vocab) / VOCAB_SENTENCE
    return near + min(0.8, 0.6 * dense)


def _context(key: SentKey, kw: dict[SentKey, int]) -> float:
    """Keyword hits in the two sentences either side, the nearer counting double."""
    sid, idx = key
    return sum(kw.get((sid, idx + d), 0) * (1.0 if abs(d) == 1 else 0.5) for d in (-2, -1, 1, 2))


def mentions(topic: Topic, text: str) -> bool:
    """Whether a text names the topic by one of its keywords."""
    return PhraseMatcher(topic.keywords).any(normalize(text))
