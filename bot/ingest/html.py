"""Article text and metadata out of an HTML page (trafilatura, precision over recall)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.ingest.dates import parse_date_value

if TYPE_CHECKING:
    from bot.ingest.parse import _Head

# Conservative date search: the page's own publication metadata, not any year it mentions.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def extract_html(raw: str, url: str | None = None) -> tuple[str, _Head]:
    """The main text of a page (one paragraph a line) and its title/date/site name."""
    from trafilatura import bare_extraction

    from bot.ingest.parse import _Head

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    logging.getLogger("htmldate").setLevel(logging.ERROR)
    head = _Head()
    try:
        doc = bare_extraction(
            raw,
            url=url,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            with_metadata=True,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception:  # trafilatura raises assorted errors on broken markup
        doc = None
    if doc is None:
        return "", head
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    head.merge(
        {"title": data.get("title"), "outlet": data.get("sitename"), "url": data.get("url")}, "page"
    )
    found = parse_date_value(data.get("date")) if data.get("date") else None
    if found is not None:
        head.published, head.basis = found, "page"
    return str(data.get("text") or ""), head
