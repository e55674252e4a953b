"""A loopback web site (feeds and article pages) and services that are allowed to reach it."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest


@dataclass
class Page:
    """One response the site serves."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    length: bool = True  # send Content-Length (False: the body just runs until the socket closes)


@dataclass
class Hit:
    """One request the site received."""

    path: str
    headers: dict[str, str]
    status: int


class Site:
    """A threading HTTP server on 127.0.0.1 serving registered pages and recording requests."""

    def __init__(self) -> None:
        self.pages: dict[str, Page | Callable[[], Page]] = {}
        self.hits: list[Hit] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site._serve(self)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        """The absolute URL of a path on this site."""
        return f"http://{host}:{self.port}{path}"

    def put(
        self,
        path: str,
        body: str | bytes,
        content_type: str = "text/html; charset=utf-8",
        **kw: Any,
    ) -> None:
        """Serve ``body`` at ``path``."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[path] = Page(data, content_type, **kw)

    def count(self, path: str, status: int | None = None) -> int:
        """How many requests a path received (optionally with a given response status)."""
        return sum(
            1 for h in self.hits if h.path == path and (status is None or h.status == status)
        )

    def _serve(self, req: BaseHTTPRequestHandler) -> None:
        entry = self.pages.get(req.path)
        page = entry() if callable(entry) else entry
        headers = {k.lower(): v for k, v in req.headers.items()}
        if page is None:
            page = Page(b"not found", "text/plain", 404)
        status = page.status
        if page.etag and headers.get("if-none-match") == page.etag:
            status = 304
        self.hits.append(Hit(req.path, headers, status))
        req.send_response(status)
        if page.etag:
            req.send_header("ETag", page.etag)
        for k, v in page.headers.items():
            req.send_header(k, v)
        if status == 304:
            req.end_headers()
            return
        req.send_header("Content-Type", page.content_type)
        if page.length:
            req.send_header("Content-Length", str(len(page.body)))
        req.end_headers()
        req.wfile.write(page.body)

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    """A loopback site, stopped at teardown."""
    s = Site()
    yield s
    s.close()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """An empty corpus folder (feeds need no articles on disk)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    return folder


@pytest.fixture
def feed_service(make_service: Any, corpus: Path) -> Any:
    """A service whose fetcher may reach 127.0.0.1 (and nothing else private)."""
    return make_service(corpus, fetch_allow=["127.0.0.1"])


# -- documents ---------------------------------------------------------------------------------
@dataclass
class Item:
    """A feed item."""

    title: str
    link: str
    published: datetime | None = None
    guid: str | None = None
    summary: str = ""


def rss2(items: list[Item], title: str = "Wire Desk") -> str:
    """An RSS 2.0 document."""
    parts = []
    for it in items:
        date = f"<pubDate>{format_datetime(it.published)}</pubDate>" if it.published else ""
        guid = f"<guid isPermaLink='false'>{escape(it.guid)}</guid>" if it.guid else ""
        parts.append(
            f"<item><title>{escape(it.title)}</title><link>{escape(it.link)}</link>{guid}{date}"
            f"<description>{escape(it.summary)}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>http://example.invalid/</link>"
        f"<description>test</description>{''.join(parts)}</channel></rss>"
    )


def rss1(items: list[Item], title: str = "RDF Desk") -> str:
    """An RSS 1.0 (RDF) document."""
    parts = []
    for it in items:
        date = f"<dc:date>{it.published.isoformat()}</dc:date>" if it.published else ""
        parts.append(
            f'<item rdf:about="{escape(it.link)}"><title>{escape(it.title)}</title>'
            f"<link>{escape(it.link)}</link>{date}<description>{escape(it.summary)}</description></item>"
        )
    return (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<channel rdf:about="http://example.invalid/"><title>{escape(title)}</title>'
        f"<link>http://example.invalid/</link><description>test</description></channel>"
        f"{''.join(parts)}</rdf:RDF>"
    )


def atom(items: list[Item], title: str = "Atom Desk") -> str:
    """An Atom 1.0 document."""
    parts = []
    for it in items:
        when = it.published.isoformat() if it.published else "2000-01-01T00:00:00+00:00"
        parts.append(
            f'<entry><title>{escape(it.title)}</title><link href="{escape(it.link)}"/>'
            f"<id>{escape(it.guid or it.link)}</id><updated>{when}</updated>"
            + (f"<published>{when}</published>" if it.published else "")
            + f"<summary>{escape(it.summary)}</summary></entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:test</id><updated>2025-03-06T00:00:00Z</updated>"
        f"{''.join(parts)}</feed>"
    )


def article(title: str, paragraphs: list[str], *, site_name: str = "Test Gazette") -> str:
    """An article page with navigation chrome around the story."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{escape(title)}</title>"
        f'<meta property="og:site_name" content="{escape(site_name)}"></head><body>'
        '<nav><a href="/">Home</a> <a href="/world">World</a></nav>'
        f"<article><h1>{escape(title)}</h1>{body}</article>"
        "<footer>Copyright Test Gazette</footer></body></html>"
    )


_VOCABULARY = (
    "officials ministers envoy treaty border council funds mining talks harbour senate delegation "
    "province budget exports railway grain energy pipeline tariff summit vote court bank reserve "
    "ceasefire negotiators capital region market investors reactor drones convoy factory workers "
    "signed rejected delayed approved announced warned confirmed denied proposed paused resumed "
    "quickly openly late early again formally publicly privately briefly firmly"
)
WORDS = _VOCABULARY.split(" ")


def story(topic: str, seed: int, n: int = 6) -> list[str]:
    """``n`` distinct paragraphs about ``topic``; different seeds give unrelated texts."""
    rng = random.Random(seed)
    paragraphs = []
    for i in range(n):
        words = " ".join(rng.choice(WORDS) for _ in range(18))
        paragraphs.append(
            f"On day {seed}-{i}, {topic} news: {words}. The {rng.choice(WORDS)} {words[:40]} held."
        )
    return paragraphs
