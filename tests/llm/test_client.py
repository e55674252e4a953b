"""The OpenAI backend against the loopback server: what the real client sends and how it fails."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.llm.client import ChatRequest, LLMUnavailable, OpenAIBackend, messages
from bot.llm.schemas import BriefReply, MapReply
from bot.llm.structured import ReplyInvalid, parse_reply
from bot.settings import Settings
from tests.llm.conftest import FakeOpenAI, Reply, error, text

REQUEST = ChatRequest("map", messages(("system", "s"), ("user", "u")), "map", 100)


def _backend(server: FakeOpenAI, **overrides: Any) -> OpenAIBackend:
    values = {
        "openai_base_url": server.url,
        "openai_max_retries": 0,
        "openai_timeout": 5,
        **overrides,
    }
    return OpenAIBackend(Settings(**values))


def test_base_url_is_explicit_and_a_key_is_optional(
    openai_server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/never")
    backend = _backend(openai_server)
    reply = backend.complete(REQUEST)
    assert json.loads(reply.text) == {"events": []}
    assert openai_server.headers[0]["authorization"] == "Bearer not-needed"
    body = openai_server.requests[0]
    assert (
        body["model"] == "gpt-4o-mini" and body["max_tokens"] == 100 and body["temperature"] == 0.2
    )
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is True
    default = OpenAIBackend(Settings(openai_api_key="sk-test"))
    assert str(default.client.base_url) == "https://api.openai.com/v1/"  # not OPENAI_BASE_URL


def test_api_key_is_sent(openai_server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    _backend(openai_server).complete(REQUEST)
    assert openai_server.headers[0]["authorization"] == "Bearer sk-from-env"


def test_reasoning_models_get_completion_token_caps(openai_server: FakeOpenAI) -> None:
    _backend(openai_server, openai_model="o3-mini").complete(REQUEST)
    body = openai_server.requests[0]
    assert (
        body["max_completion_tokens"] == 100
        and "max_tokens" not in body
        and "temperature" not in body
    )


def test_response_format_is_downgraded_when_refused(openai_server: FakeOpenAI) -> None:
    openai_server.push(
        error(400, "response_format json_schema is not supported"),
        error(400, "response_format must be text"),
    )
    backend = _backend(openai_server)
    backend.complete(REQUEST)
    formats = [r.get("response_format", {}).get("type") for r in openai_server.requests]
    assert formats == ["json_schema", "json_object", None]
    assert backend.mode == "text"


def test_other_bad_requests_are_not_downgrades(openai_server: FakeOpenAI) -> None:
    openai_server.push(error(400, "maximum context length exceeded"))
    with pytest.raises(LLMUnavailable, match="request rejected"):
        _backend(openai_server).complete(REQUEST)


def test_429_is_retried_by_the_client_itself(openai_server: FakeOpenAI) -> None:
    openai_server.push(error(429))
    reply = _backend(openai_server, openai_max_retries=2).complete(REQUEST)
    assert reply.text and len(openai_server.requests) == 2


@pytest.mark.parametrize(
    ("status", "reason", "fatal"),
    [
        (500, "server error 500", False),
        (503, "server error 503", False),
        (429, "rate limited (429)", False),
        (401, "rejected the API key", True),
        (404, "model 'gpt-4o-mini' not found", True),
    ],
)
def test_failures_become_one_line_reasons(
    openai_server: FakeOpenAI, status: int, reason: str, fatal: bool
) -> None:
    openai_server.default = error(status)
    with pytest.raises(LLMUnavailable) as caught:
        _backend(openai_server).complete(REQUEST)
    assert reason in caught.value.reason and caught.value.fatal is fatal


def test_timeout_and_unreachable(openai_server: FakeOpenAI) -> None:
    openai_server.push(lambda body: Reply(body={}, delay=1.0))
    with pytest.raises(LLMUnavailable, match=r"timed out after 0\.3 s"):
        _backend(openai_server, openai_timeout=0.3).complete(REQUEST)
    with pytest.raises(LLMUnavailable, match=r"cannot reach 127\.0\.0\.1:9"):
        OpenAIBackend(
            Settings(openai_base_url="http://127.0.0.1:9/v1", openai_max_retries=0)
        ).complete(REQUEST)


def test_empty_reply_is_read_as_empty_text(openai_server: FakeOpenAI) -> None:
    openai_server.push(text(""))
    assert _backend(openai_server).complete(REQUEST).text == ""  # ModelClient refuses it


@pytest.mark.parametrize(
    "raw",
    [
        '{"events": [{"text": "a", "cite": [1]}]}',
        '```json\n{"events": [{"text": "a", "cite": ["S1"]}]}\n```',
        'Here you go: {"events": [{"text": "a", "cite": "[1]", "extra": true}]} Hope it helps!',
    ],
)
def test_replies_are_read_leniently(raw: str) -> None:
    assert parse_reply(raw, MapReply).events[0].cite == [1]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("no json here", "not JSON"),
        ('{"statements": [{"text": "a"}]}', "statements.0.cite"),
        ('{"statements": [{"text": "a", "cite": ["x"]}]}', "does not match the schema"),
        ('{"statements": [{"text": "a", "cite": [1], "section": "gossip"}]}', "section"),
    ],
)
def test_invalid_replies_say_why(raw: str, message: str) -> None:
    with pytest.raises(ReplyInvalid, match=message):
        parse_reply(raw, BriefReply)


@pytest.mark.parametrize(
    ("cite", "ids"),
    [
        ('"1, 2"', [1, 2]),
        ('"S1 S3"', [1, 3]),
        ('"[1][2]"', [1, 2]),
        ("[1.0, 2]", [1, 2]),
        ("2.0", [2]),
        ("[true, 2]", [0, 2]),  # a boolean cites nothing (0 is never a sentence number)
        ("[-1, 0, 99999999999999999999999]", [-1, 0, 99999999999999999999999]),
    ],
)
def test_odd_citation_types_are_read_or_left_for_verification(cite: str, ids: list[int]) -> None:
    reply = parse_reply(f'{{"statements": [{{"text": "a", "cite": {cite}}}]}}', BriefReply)
    assert reply.statements[0].cite == ids


def test_out_of_range_and_boolean_ids_never_survive_verification() -> None:
    from bot.llm.verify import verify
    from bot.models import Sentence

    text = "The deal was signed on April 30 in Washington."
    numbered = {1: Sentence("s", 0, 0, len(text), text)}
    raw = '{"statements": [{"text": "%s", "cite": [true, -1, 0, 2, 10000000000000000000000]}]}'
    outcome = verify(parse_reply(raw % text, BriefReply).statements, numbered)
    assert outcome.kept == [] and outcome.dropped == [(text, "cites no existing sentence")]


def test_without_a_key_or_a_server_no_call_is_made(network_guard: Any) -> None:
    with pytest.raises(LLMUnavailable, match="no API key and no server") as refused:
        OpenAIBackend(Settings(engine="openai")).complete(REQUEST)
    assert refused.value.fatal and network_guard.strays == []
