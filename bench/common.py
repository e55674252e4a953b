"""What the benchmarks share: a service over a corpus, a timed ingest, `dispatch` as a process."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.models import IngestReport  # noqa: E402
from bot.service import Dispatch  # noqa: E402
from bot.settings import Settings  # noqa: E402

# never let a stray key reach the network: the benchmarks measure the offline engine
SECRETS = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "DISPATCH_OPENAI_API_KEY",
    "DISPATCH_OPENAI_BASE_URL",
)


# A user's `dispatch` imports compiled bytecode; a shell that sets this (CI machines do) would
# make every measured process compile the whole package from source first.
NOT_A_USERS = ("PYTHONDONTWRITEBYTECODE",)


def bench_env() -> dict[str, str]:
    """The environment of a benchmarked `dispatch` process: extractive engine, no keys, and
    bytecode written and read as on a user's machine."""
    env = {k: v for k, v in os.environ.items() if k not in SECRETS + NOT_A_USERS}
    return {**env, "DISPATCH_ENGINE": "extractive"}


def service(corpus: Path, db: Path | str) -> Dispatch:
    """The extractive service over one corpus folder and database."""
    return Dispatch(Settings(corpus=[corpus], db=db, engine="extractive"))


def timed_ingest(dispatch: Dispatch, corpus: Path) -> tuple[float, IngestReport]:
    """Ingest a corpus folder (no recompute); the seconds it took and the report."""
    from bot.ingest.pipeline import Ingestor

    t = time.perf_counter()
    report = Ingestor(dispatch.store, dispatch.settings, dispatch.clock).ingest_folders([corpus])
    return time.perf_counter() - t, report


def dispatch_cmd(corpus: Path, db: Path | str, *args: str) -> list[str]:
    """The command line of a `dispatch` process over one corpus folder and database."""
    return [sys.executable, "-m", "bot", "--corpus", str(corpus), "--db", str(db), *args]


def run(cmd: list[str], env: dict[str, str]) -> str:
    """Run a process to completion; its stdout (its stderr in the error if it fails)."""
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{' '.join(cmd[2:])} failed: {done.stderr.strip()[-800:]}")
    return done.stdout


def timed(
    cmd: list[str], env: dict[str, str], *, runs: int = 5, touch: Path | None = None
) -> list[float]:
    """Seconds taken by each of ``runs`` runs of a command (``touch``: mark the folder changed)."""
    seconds = []
    for _ in range(runs):
        if touch is not None:
            os.utime(touch)
        t = time.perf_counter()
        run(cmd, env)
        seconds.append(time.perf_counter() - t)
    return seconds


def peak_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports ru_maxrss in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
