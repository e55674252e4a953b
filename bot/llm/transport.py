"""A size cap on model replies, enforced while the body is read (imported only with ``openai``).

The ``openai`` client reads a whole response into memory before it parses it, so an endless or
50 MB reply (or a small gzip body that inflates to gigabytes) would grow the process without
bound. This transport wraps the client's own: a declared ``Content-Length`` past the cap is
refused before the body is read, gzip/deflate bodies are decoded here under the cap, and the
read stops (dropping the connection) as soon as the body passes it. The error is an
``OpenAIError``, which the client raises as it is, without retrying: an oversized reply is read
at most once per call.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from typing import Any

import openai

from bot.capped import CappedBody, TooLarge

# The HTTP library the installed openai client is built on (httpx2 from openai 3, httpx before).
httpx: Any = importlib.import_module(openai.DefaultHttpxClient.__mro__[1].__module__.split(".")[0])
ENCODINGS = frozenset({"", "identity", "gzip", "x-gzip", "deflate"})


class ReplyTooLarge(openai.OpenAIError):
    """A reply passed ``DISPATCH_OPENAI_MAX_REPLY_BYTES``."""

    def __init__(self, cap: int) -> None:
        super().__init__(
            f"reply larger than the {cap:,}-byte cap (DISPATCH_OPENAI_MAX_REPLY_BYTES)"
        )


class ReplyUnreadable(openai.OpenAIError):
    """A reply in a content encoding that was not asked for."""


class _CappedStream(httpx.SyncByteStream):  # type: ignore[misc]
    """The decoded body, chunk by chunk, ending in ``ReplyTooLarge`` past the cap."""

    def __init__(self, raw: Iterable[bytes], body: CappedBody) -> None:
        self.raw = raw
        self.body = body

    def __iter__(self) -> Iterator[bytes]:
        try:
            for chunk in self.raw:
                yield self.body.feed(chunk)
        except TooLarge:
            raise ReplyTooLarge(self.body.cap) from None

    def close(self) -> None:
        close = getattr(self.raw, "close", None)
        if close is not None:
            close()


class CappedTransport(httpx.BaseTransport):  # type: ignore[misc]
    """The default transport, with every response body capped at ``cap`` decoded bytes."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: Any) -> Any:
        """Send the request; return the response with its body capped (and decoded here)."""
        request.headers["Accept-Encoding"] = "gzip, deflate"  # what CappedBody can decode
        response = self.inner.handle_request(request)
        encoding = response.headers.get("content-encoding", "").strip().lower()
        declared = response.headers.get("content-length", "").strip()
        problem: openai.OpenAIError | None = None
        if declared.isdigit() and encoding in ("", "identity") and int(declared) > self.cap:
            problem = ReplyTooLarge(self.cap)
        elif encoding not in ENCODINGS:
            problem = ReplyUnreadable(f"reply in an unrequested content encoding {encoding!r}")
        if problem is not None:
            response.close()
            raise problem
        headers = [
            (k, v)
            for k, v in response.headers.raw
            if k.lower() not in (b"content-encoding", b"content-length")
        ]
        return httpx.Response(
            response.status_code,
            headers=headers,
            stream=_CappedStream(response.stream, CappedBody(self.cap, encoding)),
            extensions=response.extensions,
        )

    def close(self) -> None:
        """Close the connection pool."""
        self.inner.close()


def http_client(cap: int) -> Any:
    """An HTTP client for ``openai.OpenAI`` with the client's own defaults and capped replies."""
    return openai.DefaultHttpxClient(transport=CappedTransport(cap))
