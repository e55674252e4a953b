"""Ingest speed of two checkouts, measured alternately in one sitting (SQLite and PostgreSQL).

Usage: ``python bench/ingest_ab.py --before /tmp/base [--sizes 10000,20000] [--postgres]
[--rounds 2]``, where ``/tmp/base`` is a checkout to compare with (``git worktree add /tmp/base
<commit>``); "after" is this checkout. Each size's corpus is generated once (bench/corpus.py);
each run ingests it into a fresh database (no recompute) in a fresh process with that
checkout's code, before and after alternating, so the machine's load falls on both alike.
Printed per run: articles/s, the ingesting process's CPU seconds, its worker processes' CPU
seconds (the PostgreSQL server's is in neither), and the load average when it ended. On a shared
machine, compare the ratios and the CPU, not the absolute rates.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def child_main(corpus: Path, db: str) -> None:
    """In the child: ingest the corpus with the checkout on PYTHONPATH; print its figures."""
    from bot.ingest.pipeline import Ingestor
    from bot.service import Dispatch
    from bot.settings import Settings

    dispatch = Dispatch(Settings(corpus=[corpus], db=db, engine="extractive"))
    ingestor = Ingestor(dispatch.store, dispatch.settings, dispatch.clock)
    began, cpu = time.perf_counter(), time.process_time()
    report = ingestor.ingest_folders([corpus])
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    dispatch.close()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    stored = report.count("added") + report.count("republished") + report.count("duplicate")
    figures = {"seconds": seconds, "cpu": cpu, "workers_cpu": kids.ru_utime + kids.ru_stime}
    print(json.dumps({**figures, "stored": stored}))


def measure(code: Path, corpus: Path, db: str) -> dict[str, float]:
    """One ingest run with the checkout at ``code``, in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(code), "DISPATCH_ENGINE": "extractive"}
    for key in ("OPENAI_API_KEY", "DISPATCH_OPENAI_API_KEY", "DISPATCH_OPENAI_BASE_URL"):
        env.pop(key, None)
    cmd = [sys.executable, __file__, "--child", str(corpus), db]
    done = subprocess.run(cmd, env=env, cwd=code, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"ingest with {code} failed: {done.stderr.strip()[-800:]}")
    return dict(json.loads(done.stdout.splitlines()[-1]))


def main() -> None:
    """Command line: alternate before/after ingest runs and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", type=Path, help="a checkout to compare with")
    parser.add_argument("--sizes", default="10000,20000")
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    parser.add_argument("--rounds", type=int, default=1, help="before/after pairs per row")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(Path(args.child[0]), args.child[1])
        return
    if args.before is None:
        parser.error("--before is required")
    from corpus import generate
    from scale import postgres

    sys.path.insert(0, str(ROOT))
    trees = {"before": args.before.resolve(), "after": ROOT}
    print(
        "| articles | database | run | articles/s | CPU (ingesting process) | CPU (workers) | load |"
    )
    print("|---:|---|---|---:|---:|---:|---|")
    with postgres(args.postgres) as server, tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            corpus = Path(tmp) / f"c{size}"
            generate(corpus, size)
            for database in ("SQLite", "PostgreSQL") if server else ("SQLite",):
                for n in range(args.rounds):
                    for name, code in trees.items():
                        if database == "SQLite":
                            db = str(Path(tmp) / f"{name}-{size}-{n}.db")
                        else:
                            db = server.new_database()  # type: ignore[attr-defined]
                        r = measure(code, corpus, db)
                        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
                        print(
                            f"| {size:,} | {database} | {name} | {size / r['seconds']:.0f}"
                            f" | {r['cpu']:.1f} s | {r['workers_cpu']:.1f} s | {load} |",
                            flush=True,
                        )
                        if database == "PostgreSQL":
                            server.drop(db)  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
