"""How live sources (feeds, article URLs) are shown: one-line summaries and JSON (CLI and Discord)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.store.feeds import FeedSource


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "never"


def _minutes(value: float) -> str:
    if value >= 60 and value % 60 == 0:
        return f"every {value / 60:g} h"
    return f"every {value:g} min"


def describe(src: FeedSource) -> str:
    """One line: id, state, kind and interval, then what went wrong if anything did."""
    kind = "article" if src.kind == "url" else f"feed, {_minutes(src.interval_minutes)}"
    origin = "feeds.toml" if src.origin == "config" else src.origin
    line = f"#{src.id} [{src.state}] {src.label} ({kind}; {origin})"
    if src.title:
        line += f" <{src.url}>"
    if src.disabled_reason:
        return f"{line}\n    {src.disabled_reason}; `source add {src.url}` retries it"
    if src.failures:
        line += f"\n    {src.failures} failure(s), last: {src.last_error}; next try {_when(src.next_due)}"
    return line


def as_dict(src: FeedSource) -> dict[str, Any]:
    """A JSON-ready description of a source."""
    return {
        "id": src.id,
        "url": src.url,
        "kind": src.kind,
        "title": src.title,
        "state": src.state,
        "interval_minutes": src.interval_minutes,
        "origin": src.origin,
        "config_path": src.config_path,
        "added_by": src.added_by,
        "added_at": src.added_at.isoformat(),
        "last_polled": src.last_polled.isoformat() if src.last_polled else None,
        "last_ok": src.last_ok.isoformat() if src.last_ok else None,
        "next_due": src.next_due.isoformat() if src.next_due else None,
        "failures": src.failures,
        "last_error": src.last_error or None,
        "disabled_reason": src.disabled_reason,
    }
