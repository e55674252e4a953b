"""Links that open an article at the quoted passage: URL text fragments (``#:~:text=start,end``).

A browser that supports the URL Fragment Text Directive (WICG "Text Fragments") scrolls to the
first passage that begins with ``start`` and ends with the first ``end`` after it, and highlights
it. So a short quote is given whole; a long one by its first and last few words, as many as make
``start`` unique in the article and the first ``end`` after it the quote's own end. Browsers
without support open the page as usual.

Each term is percent-encoded; ``-``, ``,`` and ``&`` are the directive's own syntax and are
encoded too, as the specification requires.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from urllib.parse import quote as _percent

from bot.models import Briefing

WHOLE = 8  # words: a quote this short is given whole
MIN_TERM = 3  # words in each of start and end


def encode_term(term: str) -> str:
    """A text-directive term: UTF-8 percent-encoded, ``-`` ``,`` ``&`` and spaces included."""
    return _percent(term, safe="").replace("-", "%2D")


def text_directive(quote: str, article: str) -> str:
    """The ``text=…`` directive that finds ``quote`` in ``article`` (whitespace aside)."""
    words = quote.split()
    if len(words) <= WHOLE:
        return "text=" + encode_term(" ".join(words))
    squashed = " ".join(article.split()).lower()
    whole = " ".join(words).lower()
    at = squashed.find(whole)
    for k in range(MIN_TERM, len(words) // 2 + 1):
        start, end = " ".join(words[:k]), " ".join(words[-k:])
        if at < 0 or _finds(squashed, at, whole, start.lower(), end.lower()):
            return f"text={encode_term(start)},{encode_term(end)}"
    return "text=" + encode_term(" ".join(words))


def _finds(text: str, at: int, whole: str, start: str, end: str) -> bool:
    """Whether ``start,end`` picks out exactly the quote found at ``at``."""
    if text.find(start) != at or text.find(start, at + 1) != -1:
        return False  # the start is elsewhere too: a browser could stop there first
    return text.find(end, at + len(start)) == at + len(whole) - len(end)


def fragment_link(url: str, quote: str, article: str) -> str:
    """``url`` with a text directive for ``quote`` (after any fragment the URL already has)."""
    base = url.split(":~:", 1)[0]  # a URL that already carries a directive gets ours instead
    glue = ":~:" if "#" in base else "#:~:"
    return f"{base}{glue}{text_directive(quote, article)}"


def link_citations(b: Briefing, text_of: Callable[[str], str]) -> Briefing:
    """``b`` with every citation of a source that has a URL linked to its quote.

    ``text_of(source_id)`` gives the source's text, to make each link's terms unique in it.
    """
    urls = {s.id: s.url for s in b.sources if s.url}
    if not urls:
        return b
    texts: dict[str, str] = {}

    def link(source_id: str, quote: str) -> str | None:
        url = urls.get(source_id)
        if url is None:
            return None
        if source_id not in texts:
            texts[source_id] = text_of(source_id)
        return fragment_link(url, quote, texts[source_id])

    statements = tuple(
        replace(
            st,
            citations=tuple(replace(c, link=link(c.source_id, c.quote)) for c in st.citations),
        )
        for st in b.statements
    )
    return replace(b, statements=statements)
