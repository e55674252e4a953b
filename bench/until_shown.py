"""Adding ONE article: seconds from writing it into the corpus until `dispatch status` shows it.

The article reports the newest state of the minerals deal and carries a unique token in its
headline and in each sentence; `dispatch status TOPIC --json` runs as a whole process, again and
again, until its output contains the token. A briefing need not cite every new article (at
thousands of articles a one-outlet report may not make a topic's stored developments): when a
status run answers without the token while `dispatch sources TOPIC --json` already lists the
article, the results include it and the measurement ends there, marked ``shown=False``. Usage::

    added = measure(corpus, db)  # added.seconds, .runs, .shown; added.path is still in the corpus
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
ARTICLE = """ date {day} Minerals deal with Ukraine now in force after the {token} ceremony in Kyiv

The minerals deal between Ukraine and the United States is now in force after the {token} \
ceremony in Kyiv, Ukrainian officials said on Tuesday. The joint fund has been opened and remains \
under Ukrainian and American management, Economy Minister Yulia Svyrydenko said on Tuesday after \
the {token} ceremony.

President Volodymyr Zelenskyy said on Tuesday that Ukraine has signed the minerals agreement at \
the {token} ceremony.
"""


@dataclass(frozen=True, slots=True)
class Added:
    """One measurement: seconds until `status` answered with the article in its results, in how
    many status runs, and whether the status cited it (else only `sources` lists it)."""

    seconds: float
    runs: int
    shown: bool
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
    status = dispatch_cmd(corpus, db, "status", topic, "--json")
    sources = dispatch_cmd(corpus, db, "sources", topic, "--json")
    env = env or bench_env()
    path = write_article(corpus, token)
    start, runs = time.perf_counter(), 0
    while True:
        runs += 1
        shown = token in run(status, env)
        elapsed = time.perf_counter() - start
        if shown or token in run(sources, env):  # not cited, but in the results the status read
            return Added(elapsed, runs, shown, path)
        if elapsed > timeout:
            raise TimeoutError(f"`status {topic}` did not show {path.name} in {timeout:.0f} s")
