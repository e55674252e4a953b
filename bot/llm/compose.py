"""Verified claims → statements in the order each briefing kind reads, with exact quotes."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date

from bot.llm.verify import Checked
from bot.models import Citation, Development, Source, Statement

SECTION_KIND = {"now": "status", "development": "development", "disputed": "disputed"}


def citations(checked: Checked, sources: Mapping[str, Source]) -> tuple[Citation, ...]:
    """One citation per cited sentence whose source we can show; the quote is its exact text
    (with the sentence before it when it points back, as the model was shown)."""
    found = (Citation(s.source_id, s.shown) for s in checked.sentences if s.source_id in sources)
    return tuple(dict.fromkeys(found))


def brief_statements(
    kind: str,
    kept: Sequence[Checked],
    developments: Sequence[Development],
    sources: Mapping[str, Source],
) -> list[Statement]:
    """Statements for a status, timeline or digest, dated by the developments they cite."""
    owner = {s.key: d for d in developments for s in d.sentences}
    out: list[Statement] = []
    for claim in kept:
        cited = citations(claim, sources)
        dev = next((owner[s.key] for s in claim.sentences if s.key in owner), None)
        if not cited:
            continue
        section = claim.section if kind == "status" else "development"
        dispute = _dispute_id(dev) if section == "disputed" else None
        if section == "disputed" and dispute is None:
            section = "development"  # the model saw a contradiction the sources' pairing did not
        out.append(
            Statement(
                SECTION_KIND[section],  # type: ignore[arg-type]
                claim.text,
                cited,
                dev.date if dev else None,
                dev.date_precision if dev else None,
                dispute,
            )
        )
    return order(kind, out)


def order(kind: str, statements: list[Statement]) -> list[Statement]:
    """Status: now, then developments newest first, then disputes; timeline: oldest first."""
    if kind == "timeline":
        return sorted(statements, key=lambda s: s.date or date.max)
    newest = sorted(statements, key=lambda s: -(s.date or date.min).toordinal())
    if kind != "status":
        return newest
    now = [s for s in statements if s.kind == "status"]
    developments = [s for s in newest if s.kind == "development"]
    disputed = sorted(
        (s for s in statements if s.kind == "disputed"), key=lambda s: s.dispute or ""
    )
    return now + developments + disputed


def cap(statements: list[Statement], maximum: int) -> list[Statement]:
    """At most ``maximum`` statements: the oldest developments go first, order is kept."""
    excess = len(statements) - maximum
    if excess <= 0:
        return statements
    developments = [i for i, s in enumerate(statements) if s.kind == "development"]
    oldest = sorted(developments, key=lambda i: (statements[i].date or date.min, -i))[:excess]
    kept = [s for i, s in enumerate(statements) if i not in set(oldest)]
    return kept[:maximum]


def _dispute_id(dev: Development | None) -> str | None:
    """The same pairing id the extractive engine gives two developments that contradict."""
    if dev is None or not dev.disputed_by:
        return None
    pair = "".join(sorted((dev.id, dev.disputed_by[0])))
    return "d" + hashlib.sha1(pair.encode()).hexdigest()[:8]
