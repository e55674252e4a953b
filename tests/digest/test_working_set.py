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
