"""A huge topic's build holds a bounded working set: its first pass over every candidate fills
no per-sentence cache, so the caches hold the candidates it keeps, not the whole topic."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from bot.digest import developments, features
from bot.models import Sentence, Source, Topic
from bot.topics.assign import TopicIndex

KEEP = 25


def _topic(pages: int) -> tuple[Topic, TopicIndex, dict[str, Source], dict[str, list[Sentence]]]:
    topic = Topic("fever", "Fever", keywords=("tarn fever",))
    sources, sentences, relevance = {}, {}, {}
    start = date(2024, 3, 1)
    for p in range(pages):
        sid = f"page{p:04d}"
        day = start + timedelta(days=p % 60)
        texts = [
            f"Health officials in district {p} confirmed {p + 3} new cases of tarn fever on Monday.",
            f"Clinic {p} in the valley opened late to test residents for tarn fever, staff said.",
        ]
        sources[sid] = Source(sid, f"Tarn fever in district {p}", " ".join(texts), published=day)
        sentences[sid] = [Sentence(sid, i, 0, len(t), t) for i, t in enumerate(texts)]
        relevance.update({(sid, i): 1.0 for i in range(len(texts))})
    index = TopicIndex()
    index.articles["fever"] = {sid: 1.0 for sid in sources}
    index.sentences["fever"] = relevance
    return topic, index, sources, sentences


def test_a_huge_topic_fills_the_caches_with_the_candidates_it_keeps_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(developments, "MAX_CANDIDATES", KEEP)
    topic, index, sources, sentences = _topic(300)  # 600 candidates, 25 kept
    developments.forget()
    devs, model = developments.build_topic(topic, index, sources, sentences)
    assert devs and model is not None
    kept = {s.key for d in devs for s in d.sentences}
    assert len(kept) <= KEEP
    # what was cached is (at most) the kept reports, not the 600 candidates
    for cached in (features.event_terms, features.stands_alone, features.cues_of):
        assert cached.cache_info().currsize <= KEEP, cached
    assert developments._usable.cache_info().currsize == 0
    # the IDF still counts all 600 candidates, not the 25 kept
    assert model.rare == pytest.approx(math.log(601 / 1.5))
    assert model.idf["clinic"] == pytest.approx(math.log(601 / 300.5), abs=1e-4)


def test_a_small_topic_uses_the_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    topic, index, sources, sentences = _topic(10)  # 20 candidates, all kept
    developments.forget()
    devs, _ = developments.build_topic(topic, index, sources, sentences)
    assert devs
    assert developments._usable.cache_info().currsize == 20


def test_topics_of_one_recompute_judge_a_sentence_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sentence two huge topics share is judged (stands alone? its cues?) once, not twice,
    and the topics' developments are those each would build alone."""
    monkeypatch.setattr(developments, "MAX_CANDIDATES", KEEP)
    topic, index, sources, sentences = _topic(60)  # 120 candidates: huge
    other = Topic("valley", "Valley", keywords=("tarn fever",))
    index.articles["valley"] = dict(index.articles["fever"])
    index.sentences["valley"] = dict(index.sentences["fever"])
    alone = [developments.build_topic(t, index, sources, sentences)[0] for t in (topic, other)]
    judged_texts: list[str] = []
    real = features.stands_alone.__wrapped__

    def counted(text: str) -> bool:
        judged_texts.append(text)
        return real(text)

    monkeypatch.setattr(features.stands_alone, "__wrapped__", counted)
    judged = developments.Judged()
    shared = [
        developments.build_topic(t, index, sources, sentences, judged)[0] for t in (topic, other)
    ]
    assert shared == alone
    assert len(judged_texts) == 120 == len(set(judged_texts))


def test_what_is_judged_is_kept_by_page_and_index() -> None:
    judged = developments.Judged()
    fit = Sentence("p", 4, 0, 0, "The regulator approved the merger on Monday after a review.")
    also = Sentence("q", 0, 0, 0, "The regulator approved the sale of the unit on Tuesday night.")
    unfit = Sentence("p", 1, 0, 0, "Read more about the merger on this page")
    assert judged.cues(fit, "a title") == features.cues_of(fit.text)
    assert judged.cues(unfit, "a title") is None
    assert judged.cues(also, "a title") is judged.fit_cues(fit)  # one tuple per set of cues
    assert judged.fit_cues(fit) == features.cues_of(fit.text)
    assert judged.cues(unfit, "a title") is None  # read back, not judged again


def test_the_people_a_page_introduces_are_read_once_for_every_topic() -> None:
    reads: list[str] = []

    class Counted(dict[str, list[Sentence]]):
        def get(self, sid, default=None):  # type: ignore[no-untyped-def,override]
            reads.append(sid)
            return super().get(sid, default)

    texts = ["Victor Glover, an astronaut, spoke on Monday.", "Glover said the crew was ready."]
    sentences = Counted({"p": [Sentence("p", i, 0, 0, t) for i, t in enumerate(texts)]})
    judged = developments.Judged()
    first = dict(judged.people(["p"], sentences))
    again = dict(judged.people(["p"], sentences))
    assert first == again == {"p": ({"Glover": 0}, ("Glover", "Monday", "Victor"))}
    assert reads == ["p"]
