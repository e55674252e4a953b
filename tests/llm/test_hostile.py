"""Hostile and broken OpenAI-compatible servers: every bad reply is one clear reason, never a crash.

Each case runs the real ``openai`` client against the loopback server (or a raw socket server
for the ones no HTTP framework would send), through ``ModelClient`` and a real store, and checks
what is recorded as usage and whether the breaker counts it.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from bot.llm.client import ChatRequest, LLMUnavailable, ModelClient, OpenAIBackend, messages
from bot.llm.tokens import count_messages, count_text
from bot.settings import Settings
from bot.store import Store
from tests.llm.conftest import MODEL, FakeOpenAI, Reply, completion, echo

REQUEST = ChatRequest("map", messages(("system", "s"), ("user", "u")), "map", 100)
T0 = datetime(2025, 3, 6, 12, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A real store on a temporary database."""
    s = Store(tmp_path / "hostile.db")
    yield s
    s.close()


def _client(url: str, store: Store, *, clock: Any = lambda: T0, **settings: Any) -> ModelClient:
    values = {"openai_base_url": url, "openai_max_retries": 0, "openai_timeout": 5, **settings}
    backend = OpenAIBackend(Settings(**values))
    return ModelClient(backend, store.llm, model=MODEL, clock=clock)


def _edited(edit: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], Reply]:
    """A handler sending a valid completion after ``edit`` mangles its JSON body."""

    def handle(body: dict[str, Any]) -> Reply:
        reply = completion('{"events": []}', body=body)
        edit(reply.body)
        return reply

    return handle


def _choice(**fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda payload: payload["choices"][0].update(fields)


def _message(**fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda payload: payload["choices"][0]["message"].update(fields)


@pytest.mark.parametrize("bad", [-5_000_000, 10**30, "12", 1.5, True, None, [3]])
def test_implausible_token_counts_are_counted_with_tiktoken(
    openai_server: FakeOpenAI, store: Store, bad: Any
) -> None:
    openai_server.default = _edited(
        lambda p: p.update(usage={"prompt_tokens": bad, "completion_tokens": bad})
    )
    _client(openai_server.url, store).call(REQUEST)
    (record,) = store.llm.calls()
    assert record.counted_by == "tiktoken"
    assert record.input_tokens == count_messages(REQUEST.messages, MODEL)
    assert record.output_tokens == count_text('{"events": []}', MODEL)
    assert store.llm.tokens_on(T0.date()) > 0  # a negative figure can never refill the budget


@pytest.mark.parametrize("zone", [timezone(timedelta(hours=5)), timezone(timedelta(hours=-8))])
def test_the_daily_budget_counts_utc_days_whatever_the_clock_zone(
    openai_server: FakeOpenAI, store: Store, zone: timezone
) -> None:
    local = T0.replace(hour=23).astimezone(zone)  # 23:00 UTC on March 6
    client = _client(openai_server.url, store, clock=lambda: local)
    client.call(REQUEST)
    assert client.today() == date(2025, 3, 6)
    assert store.llm.tokens_on(date(2025, 3, 6)) > 0
    assert store.llm.tokens_on(date(2025, 3, 7)) == 0  # +05:00 reads 04:00 on March 7

