"""In-process fakes for unit tests: a scripted backend, hand-built developments, an engine."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bot.llm.client import ChatReply, ChatRequest, LLMUnavailable
from bot.llm.fake import EchoBackend
from bot.models import Development, Sentence, Source, Topic

Step = str | LLMUnavailable | Callable[[ChatRequest], str]


class ScriptedBackend(EchoBackend):
    """Answers each purpose (map, status, repair…) from its script, then by echoing.

    A step is reply text, an ``LLMUnavailable`` to raise, or a function of the request.
    """

    def __init__(self, script: dict[str, list[Step]] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.script = {k: deque(v) for k, v in (script or {}).items()}

    def complete(self, request: ChatRequest) -> ChatReply:
        steps = self.script.get(request.purpose)
        if not steps:
            return super().complete(request)
        self.calls.append(request)
        step = steps.popleft()
        if isinstance(step, LLMUnavailable):
            raise step
        text = step(request) if callable(step) else step
        return ChatReply(text, 100, 10)


def number_of(request: ChatRequest, fragment: str) -> int:
    """The number the request shows for the sentence containing ``fragment``."""
    import re

    for n, text in re.findall(
        r"^\s*\[(\d+)\] (.+)$", request.messages[-1]["content"], re.MULTILINE
    ):
        if fragment in text:
            return int(n)
    raise AssertionError(f"no sentence with {fragment!r} in the request")


TOPIC = Topic("minerals-deal", "US–Ukraine minerals deal", "The minerals agreement.")
T0 = datetime(2025, 3, 6, 12, tzinfo=UTC)

ARTICLES = {
    "a1": (
        "NOTUS",
        date(2025, 3, 5),
        [
            "White House press secretary Karoline Leavitt said Wednesday that the Trump administration is involved in “talks” to negotiate a mineral rights deal with Ukraine.",
            "And Treasury Secretary Scott Bessent said Sunday that the deal was “not at present” being considered.",
            "The minerals deal could in part pay back the U.S. for aid it has sent to Ukraine since Russia invaded it three years ago.",
        ],
    ),
    "a2": (
        "Worthy News",
        date(2025, 2, 26),
        [
            "Officials said the signing ceremony is due as early as Friday when Ukrainian President Volodymyr Zelenskyy visits Washington.",
            "Additionally, Trump confirmed reporting by Worthy News that a rare earth minerals deal with Kyiv would not include specific U.S. security guarantees to Ukraine.",
        ],
    ),
}


def sources() -> dict[str, Source]:
    """The two hand-built articles."""
    return {
        sid: Source(
            sid,
            f"Article {sid}",
            " ".join(texts),
            outlet,
            published,
            "header",
            path=f"{sid}.txt",
            first_seen=T0,
        )
        for sid, (outlet, published, texts) in ARTICLES.items()
    }


def sentences(source_id: str) -> list[Sentence]:
    """An article's sentences, dated by its publication."""
    _, published, texts = ARTICLES[source_id]
    out, start = [], 0
    for i, text in enumerate(texts):
        out.append(Sentence(source_id, i, start, start + len(text), text, published, "day"))
        start += len(text) + 1
    return out


def developments() -> list[Development]:
    """One development per sentence, newer and earlier ones scored alike."""
    devs = []
    for sid in ARTICLES:
        for s in sentences(sid):
            devs.append(
                Development(
                    f"{sid}-{s.index}", TOPIC.slug, (s,), s.date, "day", 1.0 - 0.1 * s.index, T0
                )
            )
    return devs


def make_engine(
    tmp_path: Path, backend: Any, clock: Callable[[], datetime] = lambda: T0, **settings: Any
) -> Any:
    """An LLMEngine over a fresh store holding the hand-built articles."""
    from bot.digest.extractive import ExtractiveEngine
    from bot.llm.engine import LLMEngine
    from bot.settings import Settings
    from bot.store import Store

    store = Store(tmp_path / "engine.db")
    for sid, source in sources().items():
        store.sources.put(source, sentences(sid))
    values = {"engine": "openai", "openai_base_url": "http://127.0.0.1:9/v1", **settings}
    return LLMEngine(Settings(**values), store, ExtractiveEngine(), clock=clock, backend=backend)
