"""Generated minerals-deal articles: enough distinct dated developments to need several pages."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

CITIES = [
    "Kyiv",
    "Lviv",
    "Odesa",
    "Dnipro",
    "Kharkiv",
    "Poltava",
    "Zhytomyr",
    "Vinnytsia",
    "Chernihiv",
    "Sumy",
]
MINERALS = [
    "lithium",
    "titanium",
    "graphite",
    "uranium",
    "manganese",
    "beryllium",
    "gallium",
    "zirconium",
]


def article(i: int, start: date = date(2025, 4, 1)) -> str:
    """One short dated article about licences under the minerals deal."""
    day = start + timedelta(days=i)
    city, mineral = CITIES[i % len(CITIES)], MINERALS[(i * 5) % len(MINERALS)]
    return (
        f" date {day.isoformat()} Minerals deal update {i}: {mineral} licences in {city}\n\n"
        f"Officials in {city} signed {i + 2} new {mineral} licences under the minerals deal on "
        f"{day.strftime('%A')}, the joint fund's board said, adding that investors from {i + 3} "
        f"countries had asked for details about the {mineral} deposits near {city}.\n\n"
        f"The minerals agreement requires the fund to publish every {mineral} contract within "
        f"{i + 10} days, a rule the board called essential for trust.\n"
    )


def write_articles(
    folder: Path, count: int, *, prefix: str = "gen", start: date = date(2025, 4, 1)
) -> None:
    """Write ``count`` generated articles into a corpus folder."""
    for i in range(count):
        (folder / f"{prefix}_{i:03d}.txt").write_text(article(i, start), encoding="utf-8")
