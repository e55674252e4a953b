"""Benchmark: ingest throughput, stored-status latency (p50/p95), whole-process status, one
article added until `status` shows it (quick update and full recompute), peak memory.

Usage: ``python bench/run.py [--articles 10000]``. Figures go in the README. Compare ratios within
one run; absolute numbers depend on the machine. With ``DISPATCH_DB=postgresql://…`` (an empty
database) the same figures are measured on PostgreSQL; otherwise on a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import generate  # noqa: E402
from oneadd import exact_pass, measure  # noqa: E402

from bot.service import Dispatch  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.store.translate import is_postgres_url  # noqa: E402


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(cmd: list[str], env: dict[str, str], *, touch: Path | None = None) -> list[float]:
    """Seconds taken by five runs of a command (``touch``: mark the folder changed before each)."""
    runs = []
    for _ in range(5):
        if touch is not None:
            os.utime(touch)
        t = time.perf_counter()
        subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True)
        runs.append(time.perf_counter() - t)
    return runs


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
        service = Dispatch(Settings(corpus=[corpus], db=db, engine="extractive"))
        from bot.ingest.pipeline import Ingestor

        t = time.perf_counter()
        report = Ingestor(service.store, service.settings, service.clock).ingest_folders([corpus])
        ingest_s = time.perf_counter() - t
        t = time.perf_counter()
        service.recompute()
        recompute_s = time.perf_counter() - t
        t = time.perf_counter()
        unchanged = Ingestor(service.store, service.settings, service.clock).ingest_folders(
            [corpus]
        )
        rescan_s = time.perf_counter() - t
        topics = [tp.slug for tp in service.topic_list()]
        lat = []
        for i in range(args.queries):
            t = time.perf_counter()
            service.status(topics[i % len(topics)])
            lat.append((time.perf_counter() - t) * 1000)
        lat.sort()
        env = {**os.environ, "DISPATCH_ENGINE": "extractive"}
        cmd = [
            sys.executable,
            "-m",
            "bot",
            "--corpus",
            str(corpus),
            "--db",
            str(db),
            "status",
            "minerals-deal",
        ]
        runs = _timed(cmd, env)  # the folders did not change: no file is walked
        rescans = _timed(cmd, env, touch=corpus)  # a folder changed: every file is stat'ed
        service.close()  # the one-article measurements run as processes of their own
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
        print(f"| peak memory (benchmark process) | {_peak_mb():.0f} MB |")


if __name__ == "__main__":
    main()
