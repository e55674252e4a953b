"""LLM engine: OpenAI-compatible briefings whose every claim is verified against cited sentences.

Pipeline (module names read as the flow): ``prompts`` (checked template files) → ``packing``
(bounded, numbered, delimited inputs; ``tokens`` counts offline) → ``mapper`` (per-article map
step, cached) → ``structured`` (JSON replies: cache, validation, one repair) over ``client``
(OpenAI backend, breaker, daily budget, usage) → ``verify`` (claims vs cited sentences, read
by ``wording``) → ``compose`` (statements, exact quotes) → ``engine`` (the ``Engine`` protocol,
extractive fallback).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.digest.engine import Engine
    from bot.settings import Settings
    from bot.store import Store


def build_engine(settings: Settings, store: Store, fallback: Engine, *, clock: Clock) -> Engine:
    """Build the OpenAI-compatible engine (prompts checked now); ``fallback`` answers when it cannot."""
    from bot.llm.engine import LLMEngine

    return LLMEngine(settings, store, fallback, clock=clock)
