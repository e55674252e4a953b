"""Adding ONE article: seconds from writing it into the corpus until `dispatch status` shows it.

The article reports a new, newest event of the minerals deal and carries a unique token (in its
headline and its sentences); `dispatch status TOPIC --json` runs as a whole process, again and
again, until its output contains the token. Usage from another benchmark::

    added = measure(corpus, db)   # added.seconds, added.runs; added.path is still in the corpus
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from common import bench_env, dispatch_cmd, run

# later than every date bench/corpus.py draws (2025-01-01 + up to 400 days)
NEWEST = date(2026, 2, 10)
ARTICLE = """ date {day} Ukraine and the US sign the minerals deal in Kyiv at the {token} ceremony

President Volodymyr Zelenskyy announced on Tuesday that Ukraine had signed the minerals deal with \
the United States at the {token} ceremony in Kyiv. Treasury Secretary Scott Bessent confirmed on \
Tuesday that the joint fund would receive its first 500 million dollars after the {token} ceremony.

Economy Minister Yulia Svyrydenko said on Tuesday that the minerals agreement covers rare earth \
deposits across Ukraine.
"""


@dataclass(frozen=True, slots=True)
class Added:
    """One measurement: the seconds until `status` showed the article, in how many runs."""

    seconds: float
    runs: int
    path: Path


def write_article(corpus: Path, token: str, day: date = NEWEST) -> Path:
    """Write the new article (named after its token) into the corpus folder."""
    path = corpus / f"added-{token}.txt"
    path.write_text(ARTICLE.format(day=day.isoformat(), token=token))
    return path


def measure(
    corpus: Path,
    db: Path | str,
    *,
    topic: str = "minerals-deal",
    env: dict[str, str] | None = None,
    timeout: float = 3600.0,
) -> Added:
    """Add one article, then run `dispatch status TOPIC --json` until its output has the token."""
    token = f"Zorvath{secrets.randbelow(10**8):08d}"
    cmd = dispatch_cmd(corpus, db, "status", topic, "--json")
    env = env or bench_env()
    path = write_article(corpus, token)
    start, runs = time.perf_counter(), 0
    while True:
        runs += 1
        shown = token in run(cmd, env)
        elapsed = time.perf_counter() - start
        if shown:
            return Added(elapsed, runs, path)
        if elapsed > timeout:
            raise TimeoutError(f"`status {topic}` did not show {path.name} in {timeout:.0f} s")
