"""Date-wise timeline selection on hand-built developments."""

from __future__ import annotations

from dataclasses import replace

from bot.digest.timeline import select_timeline
from tests.digest.helpers import Topic


def test_an_undated_line_fills_a_short_timeline_only_when_corroborated() -> None:
    t = Topic()
    t.add(
        "The regulator opened an inquiry into the rail merger on Monday.",
        "2025-02-03",
        ("a1", "Wire"),
    )
    t.add("Six states sued on Tuesday to block the rail merger.", "2025-03-18", ("a2", "Ledger"))
    alone = t.add(
        "A spokesman said the railroad would appeal any ruling.", "2025-03-20", ("a3", "Post")
    )
    backed = t.add(
        "Shippers told the board the merger would raise freight rates.",
        "2025-03-21",
        ("a4", "Times"),
        ("a5", "Herald"),
    )
    devs = [*t.devs[:2], replace(alone, date=None), replace(backed, date=None)]
    texts = [d.text for d in select_timeline(devs, t.sources, 30)]
    assert backed.text in texts  # two outlets: worth a line, though undated
    assert alone.text not in texts  # one page's undated line tells nothing


def test_a_turning_point_outweighs_a_busier_day_of_background() -> None:
    t = Topic()
    for i, score in enumerate((0.8, 0.7, 0.6)):  # three pages, all background
        t.add(f"Analysts number {i} discussed the rail merger at length.", "2025-02-03",
              (f"b{i}", f"Outlet {i}"), score=score)  # fmt: skip
    ruling = t.add("A federal judge ruled on Tuesday that the merger may proceed.", "2025-04-22",
                   ("r1", "Herald"), score=2.5)  # fmt: skip
    t.add("The ruling was read out in a packed courtroom.", "2025-04-22", ("r2", "Post"), score=0.5)
    [first] = select_timeline(t.devs, t.sources, 1)
    assert first.text == ruling.text
