"""HTTP fetching for feeds and pages: guarded, capped, timed, polite.

Every hop of a redirect chain is resolved and vetted by the ``Guard``, and the connection goes to
the vetted address itself (so a second DNS answer cannot swap in a private one). Bodies are read
in chunks and abandoned past ``max_article_bytes`` (decompressed size: a gzip bomb stops at the
cap). ``deadline`` bounds a whole fetch, redirects included: the socket timeout is per read, so
a server trickling a byte a second would otherwise never time out; at the deadline the socket is
shut down under the reader. A ``Budget`` bounds several fetches together (a whole poll): each
fetch ends at its own deadline or at the budget's, whichever comes first. A body shorter than
its ``Content-Length`` is an error, not a silently truncated article.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import quote, urljoin, urlsplit

from bot.capped import CappedBody, TooLarge
from bot.clock import Clock, utcnow
from bot.feeds.guard import Blocked, Guard, Resolver
from bot.settings import Settings

USER_AGENT = "Dispatch/0.1 news-digest bot"
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_RETRY_AFTER = timedelta(days=1)  # the longest a server's Retry-After makes us wait

Accept = Literal["feed", "page", "any"]
ACCEPT_HEADERS: dict[Accept, str] = {
    "feed": "application/rss+xml, application/atom+xml, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1",
    "page": "text/html, application/xhtml+xml;q=0.9, */*;q=0.1",
    "any": "application/rss+xml, application/atom+xml, text/html, application/xml;q=0.9, */*;q=0.1",
}
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_SAFE = "/%:@!$&'()*+,;=~?"  # already-legal URL characters; anything else is percent-encoded


class FetchError(Exception):
    """A fetch that did not produce a usable response; ``reason`` is one line for humans."""

    def __init__(self, reason: str, *, retry_at: datetime | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_at = retry_at


class Refused(FetchError):
    """The guard refused an address, or the URL's scheme is not http(s)."""


@dataclass(frozen=True, slots=True)
class Response:
    """A finished fetch: the final URL after redirects, status 200 or 304, headers, body."""

    url: str
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def not_modified(self) -> bool:
        """Whether the server answered 304 to a conditional GET."""
        return self.status == 304

    @property
    def mime(self) -> str:
        """The media type, lowercase, without parameters ('' when absent)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def is_page(self) -> bool:
        """Whether the body is an HTML page."""
        return self.mime in PAGE_TYPES


def type_ok(mime: str, accept: Accept) -> bool:
    """Whether a media type fits what was asked for (an absent type is sniffed later)."""
    if not mime:
        return True
    feedish = "xml" in mime or "rss" in mime or "atom" in mime or mime.startswith("text/")
    if accept == "feed":
        return feedish
    if accept == "page":
        return mime in PAGE_TYPES
    return feedish or mime in PAGE_TYPES


class Budget:
    """A time limit shared by several fetches (one poll): each gets at most what is left of it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self.at - time.monotonic())

    @property
    def spent(self) -> bool:
        """Whether the time is up."""
        return self.remaining() <= 0

    def reason(self) -> str:
        """The one-line reason a fetch stopped (or never started) at this limit."""
        return f"stopped at the poll's {self.seconds:g} s deadline (DISPATCH_POLL_DEADLINE_SECONDS)"


class _Deadline:
    """Shuts sockets down at a fixed moment, so no read or write can outlive a fetch's deadline."""

    def __init__(self, seconds: float, budget: Budget | None = None) -> None:
        self.seconds = seconds
        self.budget = budget if budget is not None and budget.remaining() < seconds else None
        self.at = time.monotonic() + (self.budget.remaining() if self.budget else seconds)
        self.fired = False
        self._timers: list[threading.Timer] = []

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self.at - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down when the deadline passes (at once if it has)."""
        timer = threading.Timer(self.remaining(), self._fire, args=(sock,))
        timer.daemon = True
        self._timers.append(timer)
        timer.start()

    def _fire(self, sock: socket.socket) -> None:
        self.fired = True
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        """Stop every timer (the fetch is over)."""
        for timer in self._timers:
            timer.cancel()

    def reason(self) -> str:
        """The one-line reason a fetch stopped at the deadline (its own, or the poll's)."""
        return self.budget.reason() if self.budget else f"timed out after {self.seconds:g} s"


def _connect(ip: str, port: int, timeout: float, deadline: _Deadline) -> socket.socket:
    if deadline.remaining() <= 0:
        raise TimeoutError("deadline passed")
    sock = socket.create_connection((ip, port), min(timeout, deadline.remaining()))
    deadline.watch(sock)
    return sock


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to a fixed address, whatever the Host header says."""

    def __init__(self, host: str, port: int, ip: str, timeout: float, deadline: _Deadline) -> None:
        super().__init__(host, port, timeout=timeout)
        self.ip = ip
        self.deadline = deadline

    def connect(self) -> None:
        self.sock = _connect(self.ip, self.port, self.timeout, self.deadline)  # type: ignore[arg-type]


class _PinnedHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to a fixed address, verifying the certificate for the host name."""

    def __init__(
        self,
        host: str,
        port: int,
        ip: str,
        timeout: float,
        context: ssl.SSLContext,
        deadline: _Deadline,
    ) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self.ip = ip
        self.deadline = deadline

    def connect(self) -> None:
        sock = _connect(self.ip, self.port, self.timeout, self.deadline)  # type: ignore[arg-type]
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class Fetcher:
    """GETs URLs for the feeds area under the guard, the size cap and the timeouts."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        resolver: Resolver | None = None,
        timeout: float = 10.0,
        deadline: float | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.guard = Guard(settings.fetch_allow, resolver)
        self.tls = tls or ssl.create_default_context()
        self.max_bytes = settings.max_article_bytes
        self.clock = clock or utcnow
        self.timeout = timeout
        self.deadline = settings.fetch_deadline_seconds if deadline is None else deadline

    def get(
        self,
        url: str,
        *,
        accept: Accept,
        etag: str | None = None,
        last_modified: str | None = None,
        budget: Budget | None = None,
    ) -> Response:
        """GET ``url`` following up to five redirects; raise ``FetchError`` with a reason.

        The fetch ends at its own deadline or when ``budget`` (a whole poll's) runs out.
        """
        if budget is not None and budget.spent:
            raise FetchError(budget.reason())
        deadline = _Deadline(self.deadline, budget)
        headers = self._headers(accept, etag, last_modified)
        try:
            for _ in range(MAX_REDIRECTS + 1):
                conn, resp = self._open(url, headers, deadline)
                try:
                    if resp.status in REDIRECTS and resp.getheader("location"):
                        url = urljoin(url, resp.getheader("location", "").strip())
                        continue
                    return self._finish(url, resp, accept, deadline)
                finally:
                    conn.close()
        except FetchError as exc:
            if deadline.fired and not isinstance(exc, Refused):
                raise FetchError(deadline.reason()) from None
            raise
        finally:
            deadline.cancel()
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")

    @staticmethod
    def _headers(accept: Accept, etag: str | None, last_modified: str | None) -> dict[str, str]:
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": ACCEPT_HEADERS[accept],
            "Accept-Encoding": "gzip, deflate",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return headers

    def _open(
        self, url: str, headers: dict[str, str], deadline: _Deadline
    ) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
        """Vet the URL's host, connect to the vetted address and send the request."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise Refused(f"refused {url}: only http and https URLs are fetched")
        try:
            port = parts.port or (443 if scheme == "https" else 80)
            ip = self.guard.vet(parts.hostname, port)
        except Blocked as exc:
            raise Refused(str(exc)) from None
        except (OSError, ValueError) as exc:
            raise FetchError(str(exc)) from None
        conn: http.client.HTTPConnection
        if scheme == "https":
            conn = _PinnedHTTPS(parts.hostname, port, ip, self.timeout, self.tls, deadline)
        else:
            conn = _PinnedHTTP(parts.hostname, port, ip, self.timeout, deadline)
        target = quote(parts.path or "/", safe=_SAFE) + (
            f"?{quote(parts.query, safe=_SAFE)}" if parts.query else ""
        )
        try:
            conn.request("GET", target, headers=headers)
            return conn, conn.getresponse()
        except (OSError, ValueError, http.client.HTTPException) as exc:
            conn.close()
            raise FetchError(_stopped(exc, deadline)) from None

    def _finish(
        self, url: str, resp: http.client.HTTPResponse, accept: Accept, deadline: _Deadline
    ) -> Response:
        """Turn a final (non-redirect) response into a ``Response`` or a ``FetchError``."""
        headers = {k.lower(): v for k, v in resp.getheaders()}
        if resp.status == 304:
            return Response(url, 304, headers)
        if resp.status >= 400:
            retry_at, note = self._retry_at(headers.get("retry-after"))
            reason = f"HTTP {resp.status} {resp.reason}".strip()
            raise FetchError(f"{reason} ({note})" if note else reason, retry_at=retry_at)
        if not 200 <= resp.status < 300:
            raise FetchError(f"unexpected HTTP {resp.status} {resp.reason}".strip())
        response = Response(url, 200, headers)
        if not type_ok(response.mime, accept):
            wanted = {"feed": "a feed", "page": "a web page", "any": "a feed or a web page"}[accept]
            raise FetchError(f"expected {wanted}, got content type {response.mime!r}")
        return Response(url, 200, headers, self._read(resp, headers, deadline))

    def _read(
        self, resp: http.client.HTTPResponse, headers: Mapping[str, str], deadline: _Deadline
    ) -> bytes:
        """Read the body in chunks, decompressing; stop past the size cap, the deadline, or short."""
        declared = headers.get("content-length", "").strip()
        expected = int(declared) if declared.isdigit() else None
        if expected is not None and expected > self.max_bytes:
            raise FetchError(self._too_big())
        body = CappedBody(self.max_bytes, headers.get("content-encoding", ""))
        out = bytearray()
        received = 0
        try:
            while chunk := resp.read(CHUNK):
                received += len(chunk)
                out += body.feed(chunk)
        except TooLarge:
            raise FetchError(self._too_big()) from None
        except (OSError, http.client.HTTPException, zlib.error) as exc:
            raise FetchError(_stopped(exc, deadline)) from None
        if deadline.fired:
            raise FetchError(deadline.reason())
        if expected is not None and received < expected:
            raise FetchError(f"connection closed after {received:,} of {expected:,} bytes")
        return bytes(out)

    def _too_big(self) -> str:
        return f"response larger than the {self.max_bytes:,}-byte cap (DISPATCH_MAX_ARTICLE_BYTES)"

    def _retry_at(self, value: str | None) -> tuple[datetime | None, str]:
        """When a ``Retry-After`` header lets us come back, and a note when it was clamped.

        Seconds or an HTTP date; anything past ``MAX_RETRY_AFTER`` waits that long instead
        (a 20-digit number of seconds would otherwise overflow the date arithmetic).
        """
        now = self.clock()
        asked = _parse_retry_after((value or "").strip(), now)
        if asked is None:
            return None, ""
        when, wanted = asked
        if when is not None and when - now <= MAX_RETRY_AFTER:
            return when, ""
        return now + MAX_RETRY_AFTER, f"server asked to wait {wanted}; waiting 1 day"


def _parse_retry_after(value: str, now: datetime) -> tuple[datetime | None, str] | None:
    """(the moment asked for, or None past any date; how it reads), or None if unreadable."""
    if value.isdigit():
        seconds = int(value)
        if seconds <= MAX_RETRY_AFTER.total_seconds():
            return now + timedelta(seconds=seconds), ""
        days = seconds // 86_400
        return None, f"{days:,} days" if days >= 2 else f"{seconds / 3600:.0f} hours"
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return (when, f"until {when:%Y-%m-%d}") if when.tzinfo else None


def _stopped(exc: BaseException, deadline: _Deadline) -> str:
    """Why a request failed: the deadline, when it ran out (a socket timed out on its last
    moment on a busy machine), else the network's own reason."""
    if deadline.fired or deadline.remaining() <= 0:
        return deadline.reason()
    return _network_reason(exc)


def _network_reason(exc: BaseException) -> str:
    """One line describing a network failure."""
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or exc}"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    text = str(exc) or type(exc).__name__
    return text if len(text) < 200 else text[:197] + "…"
