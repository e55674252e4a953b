"""Probe ingest throughput: synthesise N articles from the seeds' sentences and ingest them.

Usage: python bench/ingest_probe.py [N] [--profile]
"""

from __future__ import annotations

import cProfile
import pstats
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.clock import fixed
from bot.ingest.pipeline import Ingestor
from bot.ingest.sentences import split_sentences
from bot.settings import Settings
from bot.store import Store

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _pool() -> list[str]:
    """Every sentence of the seed articles."""
    out: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out.extend(text[a:b] for a, b in split_sentences(text))
    return out


def synthesise(folder: Path, count: int, seed: int = 7) -> None:
    """Write ``count`` articles recombining seed sentences, each with a dated header line."""
    rng = random.Random(seed)
    pool = _pool()
    start = date(2025, 1, 1)
    for i in range(count):
        day = start + timedelta(days=rng.randrange(120))
        body = rng.sample(pool, k=min(len(pool), rng.randint(12, 30)))
        paras = "\n\n".join(f"{s} (item {i}.{j})" if j % 4 == 0 else s for j, s in enumerate(body))
        sub = folder / f"{i % 20:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"a{i:05d}.txt").write_text(f" date {day} Synthetic story {i}\n\n{paras}\n", "utf-8")


def main() -> None:
    count = int(next((a for a in sys.argv[1:] if a.isdigit()), "2000"))
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        try:  # the shared benchmark generator, when present (seeds + fixtures + templates)
            from corpus import generate  # type: ignore[import-not-found]

            generate(corpus, count)
        except ImportError:
            synthesise(corpus, count)
        store = Store(Path(tmp) / "probe.db")
        ingestor = Ingestor(store, Settings(), fixed(datetime(2025, 6, 1, tzinfo=UTC)))
        profiler = cProfile.Profile() if "--profile" in sys.argv else None
        began, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        report = ingestor.ingest_folders([corpus])
        if profiler:
            profiler.disable()
        took, cpu = time.perf_counter() - began, time.process_time() - cpu
        again = time.perf_counter()
        ingestor.ingest_folders([corpus])
        rerun = time.perf_counter() - again
        counts = {k: report.count(k) for k in ("added", "duplicate", "republished", "rejected")}
        print(f"{count} articles in {took:.2f}s = {count / took:.0f} articles/s {counts}")
        print(f"CPU time {cpu:.2f}s = {count / cpu:.0f} articles per CPU-second (load-independent)")
        print(f"re-ingest (all unchanged): {rerun:.2f}s")
        if profiler:
            pstats.Stats(profiler).sort_stats(
                sys.argv[-1] if sys.argv[-1] in ("tottime", "cumulative") else "cumulative"
            ).print_stats(25)


if __name__ == "__main__":
    main()
