"""A briefing far larger than one Discord message can hold."""

from __future__ import annotations

from datetime import date, timedelta

from bot.models import Briefing, Citation, Source, Statement, Topic

TOPIC = Topic(
    slug="minerals-deal", title="US–Ukraine minerals deal " + "and its very long storyline " * 8
)


def huge_briefing(kind: str = "status", statements: int = 40, sources: int = 30) -> Briefing:
    """``statements`` long statements with long quotes, citing ``sources`` long-titled sources."""
    srcs = tuple(
        Source(
            id=f"s{i:02d}",
            title=f"Source {i} [with brackets] "
            + "a very long headline about the minerals deal " * 6,
            text="",
            outlet=f"Outlet {i} *Daily*",
            published=date(2025, 1, 1) + timedelta(days=i),
            url=f"https://example.com/{i}/" + "x" * 250 + "(paren)" if i % 2 else None,
            path=f"/corpus/article_{i}.txt",
        )
        for i in range(sources)
    )
    kinds = ["status"] * 10 + ["development"] * 25 + ["disputed"] * 5
    sts = []
    for i in range(statements):
        cited = [srcs[(i + k) % sources] for k in range(3)]
        quote = (
            f"Quote {i}: @everyone <@&123456789012345678> **bold** "
            + "the deal was signed, officials said " * 22
        )
        sts.append(
            Statement(
                kind=kinds[i % len(kinds)] if kind == "status" else "development",  # type: ignore[arg-type]
                text=f"Statement {i} ~~struck~~ `code` @here "
                + "the minerals deal moved forward again " * 16,
                citations=tuple(Citation(s.id, quote) for s in cited),
                date=date(2025, 2, 1) + timedelta(days=i),
                date_precision="day",
                dispute=f"d{i // 2:07x}" if kinds[i % len(kinds)] == "disputed" else None,
            )
        )
    order: list[Source] = []
    for st in sts:
        for c in st.citations:
            src = next(s for s in srcs if s.id == c.source_id)
            if src not in order:
                order.append(src)
    return Briefing(kind=kind, statements=tuple(sts), sources=tuple(order), topic=TOPIC)  # type: ignore[arg-type]
