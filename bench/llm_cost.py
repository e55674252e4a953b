"""Benchmark: LLM calls and tokens needed to keep digests current as a corpus grows.

A synthetic corpus (``bench/corpus.py``) arrives in daily batches (default 10 articles a day up
to 1,000). Each day runs what the bot runs: ingest, recompute of every topic's status and
timeline, and the daily digest, with the real LLM engine over a counting fake model (no
network). Two designs are compared:

- **this design**: map each article once (cached by content hash, model and prompt version),
  reduce a bounded selection per topic (cached by its exact input), so a day costs a bounded
  amount per new article and per changed topic;
- **from scratch**: every day, re-summarise each topic from all of its articles (the same
  prompt overhead per call, inputs chunked to the same context budget, one reduce over the
  chunks' summaries when there is more than one).

Usage: ``python bench/llm_cost.py [--articles 1000] [--per-day 10] [--every 10]``. Prints a
Markdown table (the README quotes it).
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import generate  # noqa: E402

from bot.digest.extractive import ExtractiveEngine  # noqa: E402
from bot.llm.engine import OUTPUT_TOKENS, PROMPT_OVERHEAD, LLMEngine  # noqa: E402
from bot.llm.fake import EchoBackend  # noqa: E402
from bot.llm.tokens import count_text  # noqa: E402
from bot.service import Dispatch  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.store import Store  # noqa: E402

MODEL = "gpt-4o-mini"
START = datetime(2025, 1, 1, 9, tzinfo=UTC)


@dataclass
class Day:
    """One day's cost under both designs."""

    day: int
    corpus: int
    new: int
    calls: int
    tokens: int
    map_calls: int
    scratch_calls: int
    scratch_tokens: int


class Clock:
    """A clock the benchmark moves forward one day per batch."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def scratch_cost(
    service: Dispatch, article_tokens: dict[str, int], budget: int, reduce_out: int
) -> tuple[int, int]:
    """Calls and tokens to re-summarise every topic from all of its articles today."""
    by_topic: dict[str, list[str]] = {}
    for slug, source_id, _ in service.store.briefings.assignments():
        by_topic.setdefault(slug, []).append(source_id)
    calls = tokens = 0
    for ids in by_topic.values():
        for source in service.store.sources.many(
            i for i in ids if i not in article_tokens
        ).values():
            article_tokens[source.id] = count_text(source.text, MODEL)
        total = sum(article_tokens[i] for i in ids)
        chunks = max(1, math.ceil(total / budget))
        topic_calls = 2 * (chunks + (1 if chunks > 1 else 0))  # status and timeline
        calls += topic_calls
        tokens += 2 * total + topic_calls * (PROMPT_OVERHEAD + reduce_out)
    return calls, tokens


def run(articles: int, per_day: int) -> list[Day]:
    """Feed the corpus in daily batches; return each day's cost under both designs."""
    with tempfile.TemporaryDirectory() as tmp:
        staging, corpus = Path(tmp) / "staging", Path(tmp) / "corpus"
        paths = generate(staging, articles)
        corpus.mkdir()
        shutil.copy(staging / "topics.toml", corpus / "topics.toml")
        clock, backend = Clock(), EchoBackend(model=MODEL)
        settings = Settings(
            corpus=[corpus],
            db=Path(tmp) / "bench.db",
            engine="openai",
            openai_model=MODEL,
            openai_base_url="http://fake",
        )
        store = Store(settings.db)
        engine = LLMEngine(settings, store, ExtractiveEngine(), clock=clock, backend=backend)
        service = Dispatch(settings, clock=clock, store=store, engine=engine)
        article_tokens: dict[str, int] = {}
        days: list[Day] = []
        for day, first in enumerate(range(0, len(paths), per_day), 1):
            calls, tokens = len(backend.calls), backend.input_tokens + backend.output_tokens
            maps = backend.count("map")
            for path in paths[first : first + per_day]:
                shutil.copy(path, corpus / path.name)
            service.refresh()
            service.digest(clock() - timedelta(days=1))
            scratch = scratch_cost(
                service, article_tokens, engine.input_budget, OUTPUT_TOKENS["status"]
            )
            days.append(
                Day(
                    day,
                    store.sources.count(),
                    min(per_day, len(paths) - first),
                    len(backend.calls) - calls,
                    backend.input_tokens + backend.output_tokens - tokens,
                    backend.count("map") - maps,
                    *scratch,
                )
            )
            clock.now += timedelta(days=1)
        service.close()
        return days


def table(days: list[Day], every: int) -> str:
    """The Markdown table of selected days plus totals."""
    head = (
        "| day | articles | new | calls (this design) | tokens (this design) | tokens per new article "
        "| calls (from scratch) | tokens (from scratch) | tokens per new article |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    rows = [head]
    for d in days:
        if d.day == 1 or d.day % every == 0 or d is days[-1]:
            rows.append(
                f"| {d.day} | {d.corpus:,} | {d.new} | {d.calls} | {d.tokens:,} | {d.tokens // max(1, d.new):,} "
                f"| {d.scratch_calls} | {d.scratch_tokens:,} | {d.scratch_tokens // max(1, d.new):,} |"
            )
    calls, tokens = sum(d.calls for d in days), sum(d.tokens for d in days)
    s_calls, s_tokens = sum(d.scratch_calls for d in days), sum(d.scratch_tokens for d in days)
    rows.append(
        f"| **total** | | {sum(d.new for d in days):,} | {calls:,} | {tokens:,} | | {s_calls:,} | {s_tokens:,} | |"
    )
    return "\n".join(rows)


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--articles", type=int, default=1000, help="final corpus size (default 1000)"
    )
    parser.add_argument("--per-day", type=int, default=10, help="new articles a day (default 10)")
    parser.add_argument("--every", type=int, default=10, help="print every Nth day (default 10)")
    args = parser.parse_args()
    days = run(args.articles, args.per_day)
    print(
        f"LLM cost of keeping digests current: {args.per_day} new articles a day, model {MODEL} (counting fake)\n"
    )
    print(table(days, args.every))
    late = days[len(days) // 2 :]
    early = days[: max(1, len(days) // 10)]
    per_article = lambda ds: sum(d.tokens for d in ds) / max(1, sum(d.new for d in ds))  # noqa: E731
    print(
        f"\nThis design: {per_article(early):,.0f} tokens per new article over the first tenth of the run, "
        f"{per_article(late):,.0f} over the second half. Map calls: {sum(d.map_calls for d in days):,} "
        f"for {days[-1].corpus:,} articles (each article is mapped at most once)."
    )


if __name__ == "__main__":
    main()
