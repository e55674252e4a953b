"""Benchmark: ingest throughput, stored-status latency (p50/p95), whole-process status, one
article added until `status` shows it (quick update and full recompute), peak memory.

Usage: ``python bench/run.py [--articles 10000]``. Figures go in the README. Compare ratios within
one run; absolute numbers depend on the machine. With ``DISPATCH_DB=postgresql://…`` (an empty
database) the same figures are measured on PostgreSQL; otherwise on a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import bench_env, dispatch_cmd, peak_mb, service, timed, timed_ingest
from corpus import generate
from oneadd import exact_pass, measure

from bot.store.translate import is_postgres_url


def main() -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        url = os.environ.get("DISPATCH_DB", "")
        db: Path | str = url if is_postgres_url(url) else Path(tmp) / "bench.db"
        t = time.perf_counter()
        generate(corpus, args.articles)
        gen_s = time.perf_counter() - t
        dispatch = service(corpus, db)
        ingest_s, report = timed_ingest(dispatch, corpus)
        t = time.perf_counter()
        dispatch.recompute()
        recompute_s = time.perf_counter() - t
        rescan_s, unchanged = timed_ingest(dispatch, corpus)
        topics = [tp.slug for tp in dispatch.topic_list()]
        lat = []
        for i in range(args.queries):
            t = time.perf_counter()
            dispatch.status(topics[i % len(topics)])
            lat.append((time.perf_counter() - t) * 1000)
        lat.sort()
        env = bench_env()
        cmd = dispatch_cmd(corpus, db, "status", "minerals-deal")
        runs = timed(cmd, env)  # the folders did not change: no file is walked
        rescans = timed(cmd, env, touch=corpus)  # a folder changed: every file is stat'ed
        peak = peak_mb()
        dispatch.close()  # the one-article measurements run as processes of their own
        quick = measure(corpus, db)
        exact_s = exact_pass(corpus, db)
        full = measure(corpus, db, quick=False, seq=1)
        stored = report.count("added") + report.count("republished")
        print(f"| database | {'PostgreSQL' if isinstance(db, str) else 'SQLite'} |")
        print(f"| articles generated | {args.articles} ({gen_s:.1f} s) |")
        print(
            f"| ingest | {ingest_s:.1f} s, {args.articles / ingest_s:.0f} articles/s ({stored} stored, {report.count('duplicate')} duplicate, {report.count('rejected')} rejected) |"
        )
        print(f"| recompute (assign topics, developments, briefings) | {recompute_s:.1f} s |")
        print(
            f"| re-scan of unchanged corpus | {rescan_s:.2f} s ({unchanged.count('unchanged')} unchanged) |"
        )
        print(
            f"| `status` from the store, in process | p50 {statistics.median(lat):.1f} ms, p95 {lat[int(0.95 * len(lat)) - 1]:.1f} ms |"
        )
        print(f"| `dispatch status` whole process | median {statistics.median(runs):.2f} s |")
        print(
            f"| `dispatch status` whole process, a folder changed (full re-scan) | median {statistics.median(rescans):.2f} s |"
        )
        print(
            f"| one article added until `dispatch status` cites it: quick update | {quick.seconds:.2f} s (cited: {quick.shown}) |"
        )
        print(f"| ... then `dispatch recompute` (the exact pass) | {exact_s:.1f} s |")
        print(
            f"| one article added until `dispatch status` cites it: full recompute | {full.seconds:.1f} s (cited: {full.shown}) |"
        )
        print(f"| peak memory (benchmark process) | {peak:.0f} MB |")


if __name__ == "__main__":
    main()
