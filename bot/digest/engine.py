"""The engine interface every briefing writer implements (extractive, LLM)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, Protocol

from bot.models import Briefing, Development, Sentence, Source, Topic

BriefKind = Literal["status", "timeline", "digest"]
EXTRACTIVE = "extractive"  # the offline engine's name


def engine_name(use_llm: bool, model: str) -> str:
    """The name stored results carry: known without building (or importing) the engine."""
    return f"openai:{model}" if use_llm else EXTRACTIVE


class Engine(Protocol):
    """Turns a topic's developments into a briefing; every statement cites source sentences."""

    name: str

    def brief(
        self,
        kind: BriefKind,
        topic: Topic,
        developments: Sequence[Development],
        sources: Mapping[str, Source],
        *,
        limit: int | None = None,
    ) -> Briefing:
        """Write a status, timeline or digest briefing for one topic."""
        ...

    def answer(
        self,
        question: str,
        candidates: Sequence[tuple[Sentence, float]],
        sources: Mapping[str, Source],
    ) -> Briefing:
        """Answer a question from scored candidate sentences, or say the sources don't say."""
        ...
