"""Scale benchmark: the issue-11 figures at several corpus sizes, on SQLite and PostgreSQL.

Usage: ``python bench/scale.py --sizes 1000,5000,10000 [--postgres] [--postgres-sizes 1000,5000]``.
For each size it generates a corpus (bench/corpus.py), then per database:

- ingest (parse, clean, split, date, dedupe, store; no recompute): articles/s, in a child process;
- the full recompute after it, in another child process, with that child's peak memory (so the
  sizes measured before do not count);
- `dispatch status` as a whole process, nothing changed (median of ``--runs``);
- adding ONE article until `dispatch status` (a whole process) shows it (bench/until_shown.py).

Rows are printed as they are measured (a Markdown table); with PostgreSQL, a side-by-side table
of ingest and reads follows. Compare ratios within one run: absolute figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import bench_env, dispatch_cmd, peak_mb, run, service, timed, timed_ingest
from corpus import generate
from until_shown import measure

HEADER = (
    "| database | articles | ingest | full recompute | peak memory of the recompute "
    "| adding ONE article until `status` shows it | `dispatch status` whole process |\n"
    "|---|---:|---:|---:|---:|---:|---:|"
)


NOT_SHOWN = (
    "† `status` answered from results that include the new article (`dispatch sources` lists it) "
    "but did not cite it."
)


@dataclass(frozen=True, slots=True)
class Row:
    """The figures of one corpus size on one database."""

    database: str
    articles: int
    ingest_per_s: float
    recompute_s: float
    peak_mb: float
    add_one_s: float
    add_one_runs: int
    add_one_shown: bool
    status_s: float

    def markdown(self) -> str:
        """This row of the main table."""
        runs = f" ({self.add_one_runs} runs)" if self.add_one_runs > 1 else ""
        return (
            f"| {self.database} | {self.articles:,} | {self.ingest_per_s:.0f} articles/s "
            f"| {self.recompute_s:.1f} s | {self.peak_mb:,.0f} MB "
            f"| {self.add_one_s:.1f} s{runs}{_mark(self)} | {self.status_s:.2f} s |"
        )


def _mark(row: Row) -> str:
    return "" if row.add_one_shown else " †"


def child(step: str, corpus: Path, db: Path | str) -> dict[str, float]:
    """Run one step (ingest or recompute) in a fresh process; its figures."""
    cmd = [sys.executable, __file__, "--child", step, "--corpus", str(corpus), "--db", str(db)]
    return dict(json.loads(run(cmd, bench_env()).splitlines()[-1]))


def child_main(step: str, corpus: Path, db: Path | str) -> None:
    """In the child: ingest or recompute, then print seconds, count and peak memory as JSON."""
    dispatch = service(corpus, db)
    count = 0
    if step == "ingest":
        seconds, report = timed_ingest(dispatch, corpus)
        count = report.count("added") + report.count("republished") + report.count("duplicate")
    else:
        t = time.perf_counter()
        dispatch.recompute()
        seconds = time.perf_counter() - t
    dispatch.close()
    print(json.dumps({"seconds": seconds, "count": count, "peak_mb": peak_mb()}))


def measure_one(database: str, corpus: Path, db: Path | str, size: int, runs: int) -> Row:
    """Every figure of one corpus on one (empty) database."""
    ingest = child("ingest", corpus, db)
    recompute = child("recompute", corpus, db)
    cmd = dispatch_cmd(corpus, db, "status", "minerals-deal")
    env = bench_env()
    run(cmd, env)  # the first read may walk the folder once (bot.ingest.scan: RACY_NS)
    status = statistics.median(timed(cmd, env, runs=runs))
    added = measure(corpus, db, env=env)
    added.path.unlink()  # the next database starts from the generated corpus again
    return Row(
        database,
        size,
        size / ingest["seconds"],
        recompute["seconds"],
        recompute["peak_mb"],
        added.seconds,
        added.runs,
        added.shown,
        status,
    )


@contextmanager
def postgres(wanted: bool) -> Iterator[object | None]:
    """A PostgreSQL server for the run (tests/postgres.py starts it), or None."""
    if not wanted:
        yield None
        return
    from tests.postgres import start_server

    server = start_server()
    if isinstance(server, str):
        raise SystemExit(f"scale: {server}")
    try:
        yield server
    finally:
        server.stop()


def side_by_side(rows: list[Row]) -> str:
    """Ingest and reads, SQLite beside PostgreSQL, for the sizes measured on both."""
    by = {(r.database, r.articles): r for r in rows}
    lines = [
        "| articles | ingest SQLite | ingest PostgreSQL | `status` SQLite | `status` PostgreSQL "
        "| adding ONE, SQLite | adding ONE, PostgreSQL |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in sorted({r.articles for r in rows}):
        lite, pg = by.get(("SQLite", size)), by.get(("PostgreSQL", size))
        if lite and pg:
            lines.append(
                f"| {size:,} | {lite.ingest_per_s:.0f}/s | {pg.ingest_per_s:.0f}/s "
                f"| {lite.status_s:.2f} s | {pg.status_s:.2f} s "
                f"| {lite.add_one_s:.1f} s{_mark(lite)} | {pg.add_one_s:.1f} s{_mark(pg)} |"
            )
    return "\n".join(lines)


def positive(text: str) -> int:
    """A whole number of at least 1 (argparse type)."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def sizes(text: str) -> list[int]:
    """``1000,5000`` -> [1000, 5000] (argparse type)."""
    found = [positive(part) for part in text.split(",") if part.strip()]
    if not found:
        raise argparse.ArgumentTypeError("expected sizes like 1000,5000")
    return found


def main() -> None:
    """Measure every size on SQLite (and PostgreSQL) and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=sizes, default=[1000, 5000, 10000], help="articles, e.g. 1000,5000,10000"
    )
    parser.add_argument("--postgres", action="store_true", help="also measure on PostgreSQL")
    parser.add_argument(
        "--postgres-sizes", type=sizes, default=None, help="PostgreSQL sizes (default: --sizes)"
    )
    parser.add_argument("--no-sqlite", action="store_true", help="measure PostgreSQL only")
    parser.add_argument("--runs", type=positive, default=5, help="`dispatch status` runs per size")
    parser.add_argument("--child", choices=["ingest", "recompute"], help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args.child, args.corpus, args.db)
        return
    pg_sizes = set(args.postgres_sizes or args.sizes) if args.postgres else set()
    load = os.getloadavg()[0]
    print(f"scale benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
          f"load average {load:.1f} at start\n", flush=True)  # fmt: skip
    print(HEADER, flush=True)
    rows: list[Row] = []
    with postgres(bool(pg_sizes)) as server:
        for size in sorted(set(args.sizes) | pg_sizes):
            with tempfile.TemporaryDirectory(prefix="dispatch-scale-") as tmp:
                corpus = Path(tmp) / "corpus"
                generate(corpus, size)
                targets: list[tuple[str, Path | str]] = []
                if size in args.sizes and not args.no_sqlite:
                    targets.append(("SQLite", Path(tmp) / "scale.db"))
                if server is not None and size in pg_sizes:
                    targets.append(("PostgreSQL", server.new_database()))  # type: ignore[attr-defined]
                for database, db in targets:
                    rows.append(measure_one(database, corpus, db, size, args.runs))
                    print(rows[-1].markdown(), flush=True)
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    if not all(r.add_one_shown for r in rows):
        print(f"\n{NOT_SHOWN}")
    if pg_sizes:
        print("\n" + side_by_side(rows))


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds: the server stops, the temporary corpus goes


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminate)
    try:
        main()
    except (RuntimeError, TimeoutError, subprocess.SubprocessError) as exc:
        raise SystemExit(f"scale: {exc}") from None
