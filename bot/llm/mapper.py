"""The map step: each article read once per model and prompt version, its events cached.

Why keep it when the extractive pipeline already groups sentences into developments: it is the
model's own reading of each article, paid for once (cached by the article's content hash, model
and prompt version) and so never again as the corpus grows. Its verified events (a) boost the
developments it also found when the reduce step picks its bounded selection, and (b) travel into
the reduce prompt as one-line summaries that help the model phrase the statement. The reduce
step still cites only numbered sentences; a failing map call only loses the hints.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import cast

from bot.llm.client import LLMUnavailable
from bot.llm.packing import clean, pack_sentences
from bot.llm.schemas import MapReply, schema_text
from bot.llm.structured import Caller
from bot.llm.verify import Checked, verify
from bot.models import Development, Sentence, Source

log = logging.getLogger(__name__)

MAP_INPUT_TOKENS = 3000  # an article's first ~2,000 words: news puts what matters first
MAP_OUTPUT_TOKENS = 1000
MEMO_SIZE = 20_000  # verified events kept in memory, so cached articles are not re-checked

SentenceLookup = Callable[[str], list[Sentence]]


class Mapper:
    """Per-article extraction with a cache in front (see the module docstring)."""

    def __init__(self, call: Caller, sentences_of: SentenceLookup, *, budget: int) -> None:
        self.call = call
        self.sentences_of = sentences_of
        self.budget = min(MAP_INPUT_TOKENS, budget)
        self._memo: dict[str, list[Checked]] = {}

    def events(self, source: Source, known: Sequence[Sentence] = ()) -> list[Checked] | None:
        """The article's verified events, or None when the model could not be asked."""
        if source.id in self._memo:
            return self._memo[source.id]
        events = self._events(source, known)
        if events is not None:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[source.id] = events
        return events

    def _events(self, source: Source, known: Sequence[Sentence]) -> list[Checked] | None:
        sentences = self.sentences_of(source.id) or sorted(known, key=lambda s: s.index)
        if not sentences:
            return []
        packed = pack_sentences(sentences, self.budget, self.call.model)
        user = self.call.prompts["map"].render(
            title=clean(source.title) or "untitled",
            outlet=clean(source.outlet or "unknown outlet"),
            published=source.published.isoformat() if source.published else "undated",
            sentences=packed.text,
            schema=schema_text("map"),
        )
        try:
            reply = self.call(
                "map", "map", user, schema="map", max_output=MAP_OUTPUT_TOKENS, key=[source.id]
            )
        except LLMUnavailable as exc:
            log.info("map step skipped for %s: %s", source.id, exc.reason)
            return None
        return verify(cast(MapReply, reply).events, packed.numbered).kept

    def summaries(
        self, developments: Iterable[Development], sources: Mapping[str, Source]
    ) -> dict[str, list[str]]:
        """Sentence key → the verified event texts citing it, over the developments' articles."""
        known: dict[str, list[Sentence]] = {}
        for dev in developments:
            for sentence in dev.sentences:
                known.setdefault(sentence.source_id, []).append(sentence)
        out: dict[str, list[str]] = {}
        for source_id, sentences in known.items():
            source = sources.get(source_id)
            events = self.events(source, sentences) if source else None
            for event in events or ():
                for sentence in event.sentences:
                    out.setdefault(sentence.key, []).append(event.text)
        return out
