"""Live sources: RSS/Atom feeds and article URLs (placeholder until the feeds area lands)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.models import IngestReport

if TYPE_CHECKING:
    from bot.service import Dispatch


def poll_due(service: Dispatch, *, force: bool = False) -> IngestReport:
    """Poll every feed or URL source that is due (all of them with ``force``)."""
    return IngestReport()
