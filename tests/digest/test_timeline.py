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


def test_alike_lines_weeks_apart_are_two_events_but_days_apart_one() -> None:
    t = Topic()
    meeting = t.add(
        "The health agency said it would convene its emergency committee to decide whether "
        "the outbreak is a global health emergency.",
        "2025-06-14",
        ("m1", "Wire"),
    )
    declared = t.add(
        "The health agency declared the outbreak a global health emergency after its "
        "emergency committee met.",
        "2025-07-23",
        ("d1", "Ledger"),
    )
    again = t.add(
        "The health agency declared the outbreak a global health emergency after its "
        "emergency committee met on Saturday.",
        "2025-07-24",
        ("d2", "Post"),
    )
    for i in range(12):  # other news, so that the words the three share are not everyday words
        day = f"2025-0{3 + i // 6}-{10 + i:02d}"
        t.add(f"Officials counted {i + 10} new cases in region {i}.", day, (f"c{i}", "Times"))
    texts = [d.text for d in select_timeline(t.devs, t.sources, 30)]
    assert meeting.text in texts  # weeks before, in alike words: another event
    assert (declared.text in texts) != (again.text in texts)  # the next day: the same event


def test_a_strong_event_in_a_busy_week_outranks_thin_isolated_lines() -> None:
    t = Topic()
    t.add("The agency convened its emergency committee.", "2025-07-20",
          ("a1", "Wire"), ("a2", "Ledger"), ("a3", "Post"), score=2.5)  # fmt: skip
    t.add("The agency declared a global health emergency.", "2025-07-23",
          ("b1", "Wire"), ("b2", "Ledger"), ("b3", "Post"), score=3.0)  # fmt: skip
    approval = t.add("The commission approved the vaccine for use across the union.",
                     "2025-07-25", ("c1", "Herald"), ("c2", "Times"), score=4.0)  # fmt: skip
    for i in range(3):  # quiet weeks: one page each, a line of little worth
        t.add(f"Clinic number {i} posted its opening hours.", f"2025-{8 + i:02d}-15",
              (f"w{i}", f"Blog {i}"), score=1.0)  # fmt: skip
    texts = [d.text for d in select_timeline(t.devs, t.sources, 5)]
    # two days after a chosen date, a turning point two outlets report keeps its claim
    assert approval.text in texts
