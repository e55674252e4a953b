"""A deterministic offline stand-in model that quotes the sentences it is given.

It answers every prompt the engine sends with valid JSON built from the numbered sentences
inside ``<sources>``, and counts calls and tokens: the benchmark measures cost with it, and
tests use it (directly, or behind the loopback OpenAI server) wherever the reply's wording
does not matter.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.llm.client import ChatReply, ChatRequest
from bot.llm.tokens import count_messages, count_text

_SOURCES = re.compile(r"^<sources>\n(.*?)^</sources>", re.DOTALL | re.MULTILINE)
_LINE = re.compile(r"^\s*\[(\d+)\] (.+)$", re.MULTILINE)
_HEADER = re.compile(r"^D\d+ · ", re.MULTILINE)
MAP_EVENTS = 8
ANSWER_LINES = 2
NOW_LINES = 2


def reply_kind(messages: Sequence[Mapping[str, Any]], response_format: Any = None) -> str:
    """Which reply a request wants: map, brief or answer (from the schema name or the prompt)."""
    if isinstance(response_format, dict) and response_format.get("type") == "json_schema":
        return str(response_format["json_schema"]["name"]).removeprefix("dispatch_")
    text = " ".join(str(m.get("content", "")) for m in messages)
    if '"events"' in text:
        return "map"
    return "answer" if '"answerable"' in text else "brief"


def echo_reply(kind: str, messages: Sequence[Mapping[str, Any]]) -> str:
    """A valid JSON reply quoting the numbered sentences of the request."""
    prompts = [str(m.get("content", "")) for m in messages if m.get("role") == "user"]
    prompt = next((p for p in prompts if _SOURCES.search(p)), "")
    found = _SOURCES.search(prompt)
    body = found.group(1) if found else ""
    lines = [(int(n), text) for n, text in _LINE.findall(body)]
    if kind == "map":
        events = [{"text": t, "cite": [n]} for n, t in lines[:MAP_EVENTS]]
        return json.dumps({"events": events})
    if kind == "answer":
        items = [{"text": t, "cite": [n]} for n, t in lines[:ANSWER_LINES]]
        return json.dumps({"answerable": bool(items), "statements": items})
    status = "where things stand" in prompt.lower() or "stands now" in prompt.lower()
    statements = []
    for i, block in enumerate(_HEADER.split(body)[1:]):
        first = _LINE.search(block)
        if first:
            section = "now" if status and i < NOW_LINES else "development"
            statements.append(
                {"section": section, "text": first.group(2), "cite": [int(first.group(1))]}
            )
    return json.dumps({"statements": statements})


@dataclass
class EchoBackend:
    """A ``Backend`` that echoes its sources and counts what it was asked."""

    model: str = "gpt-4o-mini"
    report_usage: bool = True
    calls: list[ChatRequest] = field(default_factory=list)
    input_tokens: int = 0
    output_tokens: int = 0

    def complete(self, request: ChatRequest) -> ChatReply:
        """Answer one request."""
        self.calls.append(request)
        text = echo_reply(request.schema, request.messages)
        prompt_tokens = count_messages(request.messages, self.model)
        completion_tokens = count_text(text, self.model)
        self.input_tokens += prompt_tokens
        self.output_tokens += completion_tokens
        if not self.report_usage:
            return ChatReply(text)
        return ChatReply(text, prompt_tokens, completion_tokens)

    def count(self, purpose: str | None = None) -> int:
        """How many calls were made (for one purpose, or all)."""
        return sum(1 for c in self.calls if purpose is None or c.purpose == purpose)
