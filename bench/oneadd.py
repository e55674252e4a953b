"""Benchmark: one article added to a large corpus, until `dispatch status` (a whole process) shows it.

``measure(corpus, db)`` is the measurement (``bench/run.py`` and a scale benchmark call it):
write one new article file into an ingested, recomputed corpus, then time one
``dispatch status TOPIC --json`` process until its answer cites the article. With
``quick=True`` (the default) the status process places it by the quick update (provisional
results); ``quick=False`` (``DISPATCH_QUICK_UPDATE=false``) makes it run the full recompute, as
before the quick update existed. Each call adds a new article (a week later each time).

Usage: ``python bench/oneadd.py [--articles 20000]``: generate, ingest and recompute a corpus,
then measure quick, the exact pass that follows it (``dispatch recompute``), and full.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = """ date {day} Ukraine minerals deal: {headline}

{event}
The rare earth projects in {city} will receive {m} million dollars from the joint fund, officials said.
Kyiv Courier filed report number {n}{m} from its Kyiv desk.
"""
HEADLINE = "joint fund approves its first projects in {city}"
EVENT = (
    "Ukraine's joint fund under the minerals deal approved its first {n} projects in {city}"
    " on Sunday, Economy Minister Yulia Svyrydenko said."
)
CITIES = ["Zaporizhzhia", "Dnipro", "Kryvyi Rih", "Poltava", "Vinnytsia", "Chernihiv", "Sumy"]


@dataclass(frozen=True, slots=True)
class OneAdd:
    """One measurement: seconds until ``status`` showed the article, and what it answered."""

    seconds: float
    shown: bool  # the status cites the new article
    provisional: bool  # the answer came from a quick update's results


def measure(
    corpus: Path, db: Path | str, *, quick: bool = True, topic: str = "minerals-deal", seq: int = 0
) -> OneAdd:
    """Add one article file to ``corpus`` and time ``dispatch status TOPIC`` (which should cite it)."""
    city = CITIES[seq % len(CITIES)]
    n, m = 40 + seq, 700 + seq
    day = date(2026, 3, 2) + timedelta(weeks=seq)  # a Monday: each a Sunday of its own
    name = corpus / f"zz-oneadd-{seq:03d}.txt"
    headline, event = HEADLINE.format(city=city), EVENT.format(city=city, n=n)
    name.write_text(
        ARTICLE.format(day=day.isoformat(), headline=headline, event=event, city=city, n=n, m=m)
    )
    env = {
        **os.environ,
        "DISPATCH_ENGINE": "extractive",
        "DISPATCH_QUICK_UPDATE": "true" if quick else "false",
    }
    cmd = [sys.executable, "-m", "bot", "--corpus", str(corpus), "--db", str(db)]
    t = time.perf_counter()
    done = subprocess.run(
        [*cmd, "status", topic, "--json"], env=env, cwd=ROOT, check=True, capture_output=True
    )
    seconds = time.perf_counter() - t
    data = json.loads(done.stdout)
    cited = {src["id"] for src in data["sources"] if (src.get("path") or "").endswith(name.name)}
    shown = any(c["source"] in cited for st in data["statements"] for c in st["citations"])
    return OneAdd(seconds, shown, bool(data.get("provisional")))


def exact_pass(corpus: Path, db: Path | str) -> float:
    """Seconds of ``dispatch recompute`` finishing the exact pass after a quick update."""
    env = {**os.environ, "DISPATCH_ENGINE": "extractive"}
    cmd = [sys.executable, "-m", "bot", "--corpus", str(corpus), "--db", str(db), "recompute"]
    t = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - t


def prepared(folder: Path, articles: int) -> tuple[Path, Path]:
    """A generated corpus of ``articles`` in ``folder``, ingested and recomputed."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import generate

    from bot.service import Dispatch
    from bot.settings import Settings

    corpus, db = folder / "corpus", folder / "oneadd.db"
    generate(corpus, articles)
    service = Dispatch(Settings(corpus=[corpus], db=db, engine="extractive"))
    service.refresh()
    service.close()
    return corpus, db


def main() -> None:
    """Measure quick, exact and full at one corpus size; print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3, help="quick measurements (median shown)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        corpus, db = prepared(Path(tmp), args.articles)
        print(
            f"| corpus of {args.articles} articles ingested and recomputed | {time.perf_counter() - t:.0f} s |"
        )
        for seq in range(args.runs):
            quick = measure(corpus, db, seq=seq)
            print(
                f"| one article added, `dispatch status` shows it (quick update, run {seq + 1}) |"
                f" {quick.seconds:.2f} s (shown: {quick.shown}, provisional: {quick.provisional}) |"
            )
        print(f"| `dispatch recompute` finishing the exact pass | {exact_pass(corpus, db):.1f} s |")
        full = measure(corpus, db, quick=False, seq=args.runs)
        print(
            f"| one article added, `dispatch status` shows it (full recompute) |"
            f" {full.seconds:.1f} s (shown: {full.shown}, provisional: {full.provisional}) |"
        )


if __name__ == "__main__":
    main()
