"""Hostile and broken OpenAI-compatible servers: every bad reply is one clear reason, never a crash.

Each case runs the real ``openai`` client against the loopback server (or a raw socket server
for the ones no HTTP framework would send), through ``ModelClient`` and a real store, and checks
what is recorded as usage and whether the breaker counts it.
"""

from __future__ import annotations

import contextlib
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


# -- reply shapes ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda p: p.update(choices=[]), "empty reply"),
        (lambda p: p.update(choices=None), "empty reply"),
        (lambda p: p.pop("choices"), "empty reply"),
        (_choice(message=None), "empty reply"),
        (_message(content=None, refusal="I can't help with that"), "empty reply"),
        (_message(content=5), "empty reply"),
        (_message(content={"text": "{}"}), "empty reply"),
        (
            lambda p: (_choice(finish_reason="length")(p), _message(content='{"events": [')(p)),
            "reply cut off at the 100-token output limit",
        ),
        (_message(content='{"events": []}' + " " * 40_000), "ignored the 100-token limit"),
    ],
)
def test_unusable_replies_are_recorded_and_counted(
    openai_server: FakeOpenAI, store: Store, edit: Any, reason: str
) -> None:
    openai_server.default = _edited(edit)
    client = _client(openai_server.url, store)
    with pytest.raises(LLMUnavailable, match=reason):
        client.call(REQUEST)
    assert len(store.llm.calls()) == 1  # it arrived, so it was billed: recorded
    assert client.breaker.failures == 1 and len(openai_server.requests) == 1


def test_content_parts_are_joined(openai_server: FakeOpenAI, store: Store) -> None:
    parts = [{"type": "text", "text": '{"events"'}, {"type": "text", "text": ": []}"}]
    openai_server.default = _edited(_message(content=parts))
    assert _client(openai_server.url, store).call(REQUEST) == '{"events": []}'


@pytest.mark.parametrize("content_type", ["text/html", "application/json"])
@pytest.mark.parametrize(
    "body",
    [
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
        b'{"choices": [{"message": {"content": "caf\xe9"}}]}',  # Latin-1, not UTF-8
        b"\xff\xfe\x00{",
        '"just a string"',
        "[1, 2]",
    ],
)
def test_non_json_bodies_with_status_200_are_one_line_failures(
    openai_server: FakeOpenAI, store: Store, body: str | bytes, content_type: str
) -> None:
    openai_server.default = lambda _: Reply(body=body, content_type=content_type)
    client = _client(openai_server.url, store)
    with pytest.raises(LLMUnavailable, match=r"sent something that is not a chat completion$"):
        client.call(REQUEST)
    assert store.llm.calls() == [] and client.breaker.failures == 1


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


# -- time --------------------------------------------------------------------------------------
class RawServer:
    """A TCP server on 127.0.0.1 that answers HTTP requests by hand (or not at all)."""

    def __init__(self, respond: Callable[[socket.socket], None]) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.respond = respond
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        """The base URL to configure."""
        return f"http://127.0.0.1:{self.port}/v1"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            self.respond(conn)

    def close(self) -> None:
        """Stop accepting."""
        self.sock.close()


def _silent(conn: socket.socket) -> None:
    conn.recv(65536)
    time.sleep(5)


def _trickle(conn: socket.socket) -> None:
    conn.recv(65536)
    body = json.dumps(completion('{"events": []}').body).encode()
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
    for byte in head % len(body) + body:
        conn.sendall(bytes([byte]))
        time.sleep(0.05)


@pytest.mark.parametrize(("respond", "retries"), [(_silent, 3), (_trickle, 0)])
def test_the_timeout_bounds_the_whole_call(
    store: Store, respond: Callable[[socket.socket], None], retries: int
) -> None:
    server = RawServer(respond)
    try:
        client = _client(server.url, store, openai_timeout=0.4, openai_max_retries=retries)
        started = time.monotonic()
        with pytest.raises(LLMUnavailable, match=r"timed out after 0\.4 s"):
            client.call(REQUEST)
        assert time.monotonic() - started < 1.5  # not 4 × 0.4 s, nor the trickle's 10 s
        assert store.llm.calls() == [] and client.breaker.failures == 1
    finally:
        server.close()


def test_after_a_timeout_the_next_call_gets_a_fresh_connection(
    openai_server: FakeOpenAI, store: Store
) -> None:
    openai_server.push(lambda body: Reply(body={}, delay=1.0))
    client = _client(openai_server.url, store, openai_timeout=0.3)
    with pytest.raises(LLMUnavailable, match="timed out"):
        client.call(REQUEST)
    openai_server.default = echo
    assert client.call(REQUEST) == '{"events": []}'


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


# -- through the service -----------------------------------------------------------------------
def _notes(service: Any) -> set[str]:
    return {service.status(t.slug).notes[-1] for t in service.topic_list()}


def test_a_server_that_always_cuts_replies_off_is_stopped(
    llm_service: Any, openai_server: FakeOpenAI
) -> None:
    openai_server.default = _edited(
        lambda p: (_choice(finish_reason="length")(p), _message(content='{"events": [{"te')(p))
    )
    service = llm_service()
    service.refresh()
    assert len(openai_server.requests) == 2  # no repair of a cut-off reply; then the breaker
    assert len(service.store.llm.calls()) == 2  # both were billed
    (note,) = _notes(service)
    assert note.startswith("LLM unavailable (reply cut off at the 1,000-token output limit;")


def test_a_model_that_never_writes_valid_json_is_stopped(
    llm_service: Any, openai_server: FakeOpenAI
) -> None:
    openai_server.default = _edited(_message(content="Sure! Here are the events you asked for."))
    service = llm_service()
    service.refresh()
    assert len(openai_server.requests) == 4  # two calls, each repaired once, then the breaker
    assert len(service.store.llm.calls()) == 4
    (note,) = _notes(service)
    assert note.startswith("LLM unavailable (malformed reply after one repair attempt;")


def test_a_rejected_key_is_one_request_and_one_clear_note(
    llm_service: Any, openai_server: FakeOpenAI
) -> None:
    openai_server.default = lambda body: Reply(
        401, {"error": {"message": "Incorrect API key provided: sk-abc***"}}
    )
    service = llm_service(openai_max_retries=2)
    service.refresh()
    service.refresh()
    assert len(openai_server.requests) == 1 and service.store.llm.calls() == []
    (note,) = _notes(service)
    assert "rejected the API key; no more calls this run" in note and "sk-abc" not in note


def test_injected_mentions_links_and_markdown_never_reach_users(
    llm_service: Any, openai_server: FakeOpenAI
) -> None:
    from tests.llm.test_endtoend import FLUENT, writer

    _, fragment, text = next(claim for claim in FLUENT if claim[1] == "not at present")
    obeyed = [
        ("now", fragment, f"{text} @\u200beveryone"),
        ("now", fragment, text.replace("Sunday", "Sunday @here")),
        ("development", fragment, f"{text} More at bessent-watch.example/deal"),
        ("development", fragment, text.replace("the deal", "**the deal**")),
        ("development", fragment, f"{text}\u202e"),
    ]
    openai_server.default = writer(*FLUENT, *obeyed)
    service = llm_service()
    service.refresh()
    briefing = service.status("minerals-deal")
    assert briefing.engine == f"openai:{MODEL}" and briefing.verification.dropped == 3
    shown = [s.text for s in briefing.statements]
    assert text in shown and not any(c in "".join(shown) for c in "@*\u200b\u202e")
    assert not any("example" in s for s in shown)


def test_dispatch_usage_counts_what_arrived_after_failures(
    llm_service: Any,
    openai_server: FakeOpenAI,
    clock: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.cli import main

    clock.now = datetime.now(UTC)  # `dispatch usage` reads the real clock
    openai_server.push(lambda body: Reply(500, {"error": {"message": "boom"}}))
    openai_server.default = _edited(
        lambda p: (_choice(finish_reason="length")(p), _message(content='{"events": [')(p))
    )
    llm_service().refresh()
    assert len(openai_server.requests) == 2  # a 500 (not billed), then a cut-off reply (billed)
    assert main(["--db", str(tmp_path / "dispatch.db"), "usage", "--json", "--days", "1"]) == 0
    usage = json.loads(capsys.readouterr().out)
    body = openai_server.requests[1]
    billed = count_messages(body["messages"], MODEL) + count_text('{"events": []}', MODEL)
    assert usage["totals"]["calls"] == 1 and usage["today"]["tokens"] == billed


# -- reply size --------------------------------------------------------------------------------
CAP = 200_000
CHUNK = 64 * 1024  # what the client reads from its socket at a time
# What the kernel holds between the server's writes and the client's reads when the client
# stops reading: the server's small send buffer and the client's receive window on loopback.
SLACK = 256 * 1024
OPENING = (
    b'{"id": "x", "object": "chat.completion", "created": 1, "model": "m", "choices": '
    b'[{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "'
)


def _endless(limit: int = 64_000_000) -> Iterator[bytes]:
    """A completion that never closes its content string (stopped at ``limit`` bytes only so a
    client without a cap cannot take the test machine's memory)."""
    yield OPENING
    for _ in range(limit // 16_384):
        yield b"a" * 16_384


def _gzip_bomb() -> Iterator[bytes]:
    """A small gzip body that inflates to 64 MB of one completion."""
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    yield packer.compress(OPENING)
    block = b"a" * 1_000_000
    for _ in range(64):
        yield packer.compress(block)
    yield packer.flush()


@pytest.mark.parametrize(
    "reply",
    [
        lambda: Reply(stream=_endless()),
        lambda: Reply(stream=_endless(), length=50_000_000),
        lambda: Reply(stream=_gzip_bomb(), headers={"content-encoding": "gzip"}),
    ],
    ids=["endless", "declared 50 MB", "gzip bomb"],
)
def test_a_reply_past_the_size_cap_is_abandoned_once(
    openai_server: FakeOpenAI, store: Store, reply: Callable[[], Reply]
) -> None:
    openai_server.default = lambda _: reply()
    client = _client(openai_server.url, store, openai_max_reply_bytes=CAP, openai_max_retries=2)
    with pytest.raises(LLMUnavailable, match=r"^reply larger than the 200,000-byte cap \("):
        client.call(REQUEST)
    assert openai_server.streamed.acquire(timeout=60)  # the server saw the client hang up
    assert openai_server.sent[0] <= CAP + CHUNK + SLACK  # the client read no more than that
    assert len(openai_server.requests) == 1  # not asked for again by the client's retries
    assert client.breaker.failures == 1


def test_a_reply_within_the_cap_is_read_whole(openai_server: FakeOpenAI, store: Store) -> None:
    content = '{"events": []}'
    body = json.dumps(completion(content).body).encode()
    openai_server.default = lambda _: Reply(stream=iter([body[:10], body[10:]]))
    client = _client(openai_server.url, store, openai_max_reply_bytes=len(body))
    assert client.call(REQUEST) == content


def test_a_reply_in_an_encoding_not_asked_for_is_refused(
    openai_server: FakeOpenAI, store: Store
) -> None:
    openai_server.default = lambda _: Reply(stream=_endless(), headers={"content-encoding": "br"})
    with pytest.raises(LLMUnavailable, match=r"^reply in an unrequested content encoding 'br'$"):
        _client(openai_server.url, store).call(REQUEST)
    assert openai_server.headers[0]["accept-encoding"] == "gzip, deflate"
