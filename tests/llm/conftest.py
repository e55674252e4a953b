"""A loopback server speaking the OpenAI Chat Completions API with scripted replies.

Tests push handlers (one per request, in order); when the script is empty the server answers
with ``echo``, a valid reply quoting the request's numbered sentences. Every request is recorded
(path, headers, JSON body), so tests assert what the real ``openai`` client sent.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot.llm.fake import echo_reply, reply_kind
from bot.llm.tokens import count_messages, count_text

MODEL = "gpt-4o-mini"


@dataclass
class Reply:
    """What the server sends back for one request."""

    status: int = 200
    body: Any = None  # dict → JSON; str or bytes → sent as is
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    content_type: str = "application/json"
    # Sent chunk by chunk after the headers (no Content-Length unless ``length`` declares one),
    # until it ends or the client hangs up; the bytes that went out are counted in ``sent``.
    stream: Iterator[bytes] | None = None
    length: int | None = None


Handler = Callable[[dict[str, Any]], Reply]


def completion(
    content: str,
    *,
    prompt_tokens: int | None = None,
    completion_tokens: int | None = None,
    body: dict[str, Any] | None = None,
) -> Reply:
    """A 200 chat completion with ``content``; usage from the given numbers or real counts."""
    payload: dict[str, Any] = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_741_262_400,
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
    }
    if prompt_tokens != -1:
        messages = (body or {}).get("messages", [])
        p = prompt_tokens if prompt_tokens is not None else count_messages(messages, MODEL)
        c = completion_tokens if completion_tokens is not None else count_text(content, MODEL)
        payload["usage"] = {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}
    return Reply(body=payload)


def echo(body: dict[str, Any]) -> Reply:
    """A valid reply quoting the numbered sentences of the request (real token counts)."""
    kind = reply_kind(body.get("messages", []), body.get("response_format"))
    return completion(echo_reply(kind, body.get("messages", [])), body=body)


def error(status: int, message: str = "scripted failure") -> Handler:
    """A handler answering with an API error (Retry-After of 1 ms keeps retries fast)."""
    return lambda body: Reply(
        status, {"error": {"message": message, "type": "server_error"}}, {"retry-after-ms": "1"}
    )


def text(content: str, **usage: int) -> Handler:
    """A handler answering with fixed content."""
    return lambda body: completion(content, body=body, **usage)


class FakeOpenAI:
    """The scripted server's state: the script, the default handler and the recorded requests."""

    def __init__(self) -> None:
        self.script: deque[Handler] = deque()
        self.default: Handler = echo
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.lock = threading.Lock()
        self.port = 0
        self.sent: list[int] = []  # body bytes written per streamed reply, once it is over
        self.streamed = threading.Semaphore(0)  # released when a streamed reply is over

    @property
    def url(self) -> str:
        """The base URL to configure (``/v1`` like OpenAI's)."""
        return f"http://127.0.0.1:{self.port}/v1"

    def push(self, *handlers: Handler) -> None:
        """Answer the next requests with these handlers, in order."""
        self.script.extend(handlers)

    def handle(self, body: dict[str, Any], headers: dict[str, str]) -> Reply:
        with self.lock:
            self.requests.append(body)
            self.headers.append(headers)
            handler = self.script.popleft() if self.script else self.default
        return handler(body)

    def purposes(self) -> list[str]:
        """The reply kind of each recorded request (map, brief, answer)."""
        return [reply_kind(b.get("messages", []), b.get("response_format")) for b in self.requests]


def _handler_class(state: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            reply = state.handle(body, {k.lower(): v for k, v in self.headers.items()})
            if reply.delay:
                time.sleep(reply.delay)
            if reply.stream is not None:
                self._stream(reply, reply.stream)
                return
            data = reply.body if isinstance(reply.body, str | bytes) else json.dumps(reply.body)
            raw = data if isinstance(data, bytes) else data.encode()
            try:
                self.send_response(reply.status)
                self.send_header("content-type", reply.content_type)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.send_header("content-length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout tests)

        def _stream(self, reply: Reply, chunks: Iterator[bytes]) -> None:
            """Write the chunks until they end or the client closes; record what went out."""
            # A small send buffer keeps what the kernel holds for a client that stopped
            # reading close to nothing, so ``sent`` is close to what the client read.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
            sent = 0
            try:
                self.send_response(reply.status)
                self.send_header("content-type", reply.content_type)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                if reply.length is not None:
                    self.send_header("content-length", str(reply.length))
                self.end_headers()
                self.wfile.flush()
                for chunk in chunks:
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading
            finally:
                state.sent.append(sent)
                state.streamed.release()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return _Handler


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAI]:
    """A running scripted OpenAI-compatible server on 127.0.0.1."""
    state = FakeOpenAI()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(state))
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def llm_service(
    tmp_path: Path, openai_server: FakeOpenAI, seeds_dir: Path, clock: Any
) -> Iterator[Callable[..., Any]]:
    """Build a Dispatch service using the LLM engine against the loopback server."""
    from bot.service import Dispatch
    from bot.settings import Settings

    made: list[Dispatch] = []

    def make(**overrides: Any) -> Dispatch:
        values: dict[str, Any] = {
            "corpus": [seeds_dir],
            "db": tmp_path / "dispatch.db",
            "engine": "openai",
            "openai_base_url": openai_server.url,
            "openai_max_retries": 0,
            "openai_timeout": 10,
        }
        values.update(overrides)
        service = Dispatch(Settings(**values), clock=clock)
        made.append(service)
        return service

    yield make
    for service in made:
        service.close()
