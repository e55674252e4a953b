"""Score Dispatch's extractive briefings against each corpus's gold facts, beside a LexRank baseline.

Usage: ``python bench/quality/score.py [--only SLUG] [--no-baseline] [--json OUT] [--show-heldout]``
(``make quality`` runs it after ``check_gold.py``). Per corpus folder with a ``gold.toml``, the
pages are copied to a temp folder and read by the ``dispatch`` CLI on a fresh database
(``--engine extractive``, no ``OPENAI_*``/``DISPATCH_*`` variables); ``timeline --limit 30 --json``
and ``status --json`` are scored with ``metrics.py`` from the documented JSON only. The baseline
is a 30-sentence LexRank summary (sumy, in ``bench/quality/.venv-baseline``) of all the corpus's
pages' sentences, cached in ``bench/quality/.cache`` by a hash of the pages and its inputs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.quality import gold as g  # noqa: E402
from bench.quality import metrics as m  # noqa: E402

BASELINE_VENV = HERE / ".venv-baseline"
BASELINE_SCRIPT = HERE / "lexrank_baseline.py"
CACHE = HERE / ".cache"
SUMMARY_SENTENCES = 30
CLI_TIMEOUT = 1800  # seconds per CLI call
TARGETS = {"recall": 0.85, "dated": 0.85, "ratio": 1.5}


# --- the bot, through its CLI --------------------------------------------------------------


def dispatch_command() -> list[str]:
    """The ``dispatch`` executable of the venv running this script (else the repo's venv)."""
    for candidate in (
        Path(sys.executable).parent / "dispatch",
        ROOT / ".venv" / "bin" / "dispatch",
    ):
        if candidate.is_file():
            return [str(candidate)]
    return [sys.executable, "-m", "bot"]


def clean_env() -> dict[str, str]:
    """This environment without model keys or Dispatch settings (so nothing reaches a network)."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "DISPATCH_"))}


def copy_pages(folder: Path, target: Path) -> None:
    """Copy a corpus's pages (with sidecars) and its topics.toml: what the bot should read."""
    target.mkdir(parents=True)
    for page in g.page_files(folder):
        shutil.copy2(page, target / page.name)
        side = Path(str(page) + g.SIDECAR)
        if side.is_file():
            shutil.copy2(side, target / side.name)
    shutil.copy2(folder / "topics.toml", target / "topics.toml")


class CliError(RuntimeError):
    pass


def run_cli(cwd: Path, *args: str) -> str:
    base = [
        *dispatch_command(),
        "--corpus",
        "corpus",
        "--db",
        "quality.db",
        "--engine",
        "extractive",
    ]
    done = subprocess.run(
        [*base, *args],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise CliError(f"`dispatch {' '.join(args)}` exited {done.returncode}: {tail}")
    return done.stdout


def source_text(cwd: Path) -> Any:
    """``text_of(path)`` for quote checks: the cited file re-parsed as the bot reads it."""

    def text_of(path: str) -> str | None:
        p = Path(path)
        p = p if p.is_absolute() else cwd / p
        if not p.is_file():
            return None
        art = g.parse_page(p)
        return f"{art.title}\n{art.text}"

    return text_of


def score_corpus_bot(gold: g.Gold) -> dict[str, Any]:
    """Run the CLI on a copy of the corpus and score its timeline and status."""
    with tempfile.TemporaryDirectory(prefix=f"quality-{gold.slug}-") as tmp:
        cwd = Path(tmp)
        copy_pages(gold.folder, cwd / "corpus")
        run_cli(cwd, "ingest")
        limit = str(m.TIMELINE_LIMIT)
        timeline = json.loads(run_cli(cwd, "timeline", gold.topic, "--limit", limit, "--json"))
        status = json.loads(run_cli(cwd, "status", gold.topic, "--json"))
        return m.score_bot(gold, timeline, status, source_text(cwd))


# --- the LexRank baseline ------------------------------------------------------------------


def baseline_python() -> Path:
    """The baseline venv's python, creating the venv (sumy, numpy) when it is missing."""
    python = BASELINE_VENV / "bin" / "python"
    probe = [str(python), "-c", "import sumy, numpy, nltk"]
    if python.is_file() and subprocess.run(probe, capture_output=True, check=False).returncode == 0:
        return python
    print(
        f"score: creating {BASELINE_VENV.relative_to(ROOT)} (pip install sumy numpy)…",
        file=sys.stderr,
    )
    maker = shutil.which("python3") or sys.executable
    subprocess.run([maker, "-m", "venv", str(BASELINE_VENV)], check=True)
    pip = [str(python), "-m", "pip", "install", "-q", "sumy", "numpy"]
    subprocess.run(pip, check=True, env=clean_env())
    subprocess.run(probe, check=True)
    return python


@dataclass(slots=True)
class BaselineJob:
    gold: g.Gold
    pages: list[list[str]]
    dates: list[date | None]  # per page
    cache: Path
    process: subprocess.Popen[bytes] | None = None
    tmp: tempfile.TemporaryDirectory[str] | None = None

    def flat(self) -> list[tuple[str, date | None]]:
        return [(s, self.dates[i]) for i, page in enumerate(self.pages) for s in page]


def baseline_job(gold: g.Gold) -> BaselineJob:
    """The baseline's input (every page's sentences) and its cache file, keyed by a hash."""
    pages, dates = [], []
    digest = hashlib.sha256(b"lexrank-baseline-v1\0")
    digest.update(BASELINE_SCRIPT.read_bytes())
    digest.update(str(SUMMARY_SENTENCES).encode())
    for page in g.page_files(gold.folder):
        sentences = g.sentences(page)
        pages.append(sentences)
        dates.append(g.published(page))
        side = Path(str(page) + g.SIDECAR)
        for part in (
            page.name.encode(),
            page.read_bytes(),
            side.read_bytes() if side.is_file() else b"",
        ):
            digest.update(hashlib.sha256(part).digest())
        digest.update(hashlib.sha256(json.dumps(sentences).encode()).digest())
    cache = CACHE / f"lexrank-{gold.slug}-{digest.hexdigest()[:20]}.json"
    return BaselineJob(gold, pages, dates, cache)


def start_baseline(job: BaselineJob, python: Path) -> None:
    """Start sumy in its venv (in the background) unless the result is cached."""
    if job.cache.is_file():
        return
    job.tmp = tempfile.TemporaryDirectory(prefix="lexrank-")
    source = Path(job.tmp.name) / "in.json"
    source.write_text(json.dumps({"count": SUMMARY_SENTENCES, "pages": job.pages}), "utf-8")
    env = {**clean_env(), "NLTK_DATA": job.tmp.name}  # no NLTK data: nothing to find or fetch
    job.process = subprocess.Popen(
        [str(python), str(BASELINE_SCRIPT), str(source), str(Path(job.tmp.name) / "out.json")],
        env=env,
        stderr=subprocess.PIPE,
    )


def finish_baseline(job: BaselineJob) -> dict[str, Any]:
    """Wait for (or read the cached) selection and score it."""
    if job.process is not None:
        assert job.tmp is not None
        _, err = job.process.communicate()
        if job.process.returncode != 0:
            raise RuntimeError(f"LexRank baseline failed: {err.decode(errors='replace')[-400:]}")
        selected = json.loads((Path(job.tmp.name) / "out.json").read_text("utf-8"))["selected"]
        flat = job.flat()
        CACHE.mkdir(parents=True, exist_ok=True)
        record = {"selected": selected, "sentences": [flat[i][0] for i in selected]}
        job.cache.write_text(json.dumps(record, ensure_ascii=False, indent=1), "utf-8")
        job.tmp.cleanup()
    selected = json.loads(job.cache.read_text("utf-8"))["selected"]
    flat = job.flat()
    return m.score_baseline(job.gold, [flat[i] for i in selected])


# --- the report ----------------------------------------------------------------------------


def _frac(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else f"{part}/0"


def _ratio(row: dict[str, Any]) -> float | None:
    base = (row.get("baseline") or {}).get("recall")
    mine = row.get("recall")
    if mine is None or base is None:
        return None
    return mine / base if base else (float("inf") if mine else None)


HEADER = (
    "| corpus | facts | recall (≥85%) | quote recall | dated (≥85%) | status-current (yes) "
    "| undated | quotes not verbatim (0) | citations: same fact / other fact "
    "| distractors cited (0) | LexRank recall "
    "| LexRank dated | ratio (≥1.5) | targets met |"
)


def table_row(slug: str, row: dict[str, Any]) -> str:
    if "error" in row:
        return f"| {slug} | error: {row['error']} |" + " |" * 12
    base = row.get("baseline")
    ratio = row.get("ratio")
    checks = [
        (row["recall"] or 0) >= TARGETS["recall"],
        (row["dated_share"] or 0) >= TARGETS["dated"],
        row["status_current"],
        row["quote_failures"] == 0,
        not row["distractors_cited"],
    ]
    if base is not None:
        checks.append(ratio is not None and ratio >= TARGETS["ratio"])
    cells = [
        slug,
        str(row["facts"]),
        _frac(row["recalled"], row["facts"]),
        f"{row['quote_recalled']}/{row['facts']}",
        _frac(row["dated"], row["recalled"]),
        "yes" if row["status_current"] else "no",
        str(row["undated"]),
        str(row["quote_failures"]),
        _citations(row),
        str(len(row["distractors_cited"])),
        _frac(base["recalled"], row["facts"]) if base else "–",
        _frac(base["dated"], base["recalled"]) if base else "–",
        ("∞" if ratio == float("inf") else f"{ratio:.2f}") if ratio is not None else "–",
        f"{sum(checks)}/{len(checks)}",
    ]
    return "| " + " | ".join(cells) + " |"


def _citations(row: dict[str, Any]) -> str:
    total = row.get("citations_on_facts", 0)
    if not total:
        return "–"
    same, other = row["citations_same_fact"], row["citations_other_fact"]
    return f"{same}/{total} ({same / total:.0%}) / {other}"


def print_details(slug: str, row: dict[str, Any]) -> None:
    print(f"\n### {slug}")
    if "error" in row:
        print(f"- error: {row['error']}")
        return
    missed = ", ".join(f"{f['id']} ({f['date']})" for f in row["missed"]) or "none"
    print(f"- missed: {missed}")
    misdated = "; ".join(
        f"{f['id']} gold {f['gold']}, shown {', '.join(f['shown'])}" for f in row["misdated"]
    )
    print(f"- misdated: {misdated or 'none'}")
    if row["quote_failure_examples"]:
        print(f"- quotes not verbatim: {'; '.join(row['quote_failure_examples'])}")
    if row["distractors_cited"]:
        print(f"- distractors cited: {', '.join(row['distractors_cited'])}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", metavar="SLUG", action="append", help="score only this corpus")
    parser.add_argument("--no-baseline", action="store_true", help="skip the LexRank baseline")
    parser.add_argument("--json", metavar="OUT", type=Path, help="also write the numbers here")
    parser.add_argument(
        "--show-heldout", action="store_true", help="show HELDOUT corpora's details"
    )
    parser.add_argument("--corpora", type=Path, default=g.CORPORA, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    folders = [f for f in g.corpus_folders(args.corpora) if (f / g.GOLD).is_file()]
    if args.only:
        folders = [f for f in folders if f.name in args.only]
        missing = set(args.only) - {f.name for f in folders}
        if missing:
            print(
                f"score: no corpus with a gold.toml named {', '.join(sorted(missing))}",
                file=sys.stderr,
            )
            return 2
    if not folders:
        print(f"score: no corpus with a gold.toml under {args.corpora}", file=sys.stderr)
        return 2

    python = None if args.no_baseline else baseline_python()
    rows: dict[str, dict[str, Any]] = {}
    failed = False
    for folder in folders:
        gold = g.load_gold(folder)
        started = time.perf_counter()
        job = None
        if python is not None:
            job = baseline_job(gold)
            start_baseline(job, python)
        try:
            row = score_corpus_bot(gold)
        except (CliError, subprocess.TimeoutExpired, json.JSONDecodeError, re.error) as exc:
            row, failed = {"error": str(exc)}, True
        if job is not None:
            try:
                base = finish_baseline(job)
            except RuntimeError as exc:
                print(f"score: {gold.slug}: {exc}", file=sys.stderr)
                base, failed = None, True
            if "error" not in row:
                row["baseline"] = base
                row["ratio"] = _ratio(row)
        rows[gold.slug] = row
        print(f"score: {gold.slug} done in {time.perf_counter() - started:.0f} s", file=sys.stderr)

    print(HEADER)
    print("|" + "---|" * (HEADER.count("|") - 1))
    for slug, row in rows.items():
        print(table_row(slug, row))
    hidden = (
        {f.name for f in folders if (f / g.HELDOUT).exists()} if not args.show_heldout else set()
    )
    for slug, row in rows.items():
        if slug in hidden:
            print(f"\n### {slug}\n- held out: details not shown (use --show-heldout)")
        else:
            print_details(slug, row)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        out = {slug: _public(row, slug in hidden) for slug, row in rows.items()}
        args.json.write_text(json.dumps({"targets": TARGETS, "corpora": out}, indent=2), "utf-8")
    return 1 if failed else 0


def _public(row: dict[str, Any], hidden: bool) -> dict[str, Any]:
    """The row as JSON-safe numbers (a held-out corpus's per-fact details left out)."""
    row = {**row, "ratio": "inf"} if row.get("ratio") == float("inf") else row
    if not hidden:
        return row
    secret = {"missed", "misdated", "quote_failure_examples"}
    return {k: v for k, v in row.items() if k not in secret}


if __name__ == "__main__":
    raise SystemExit(main())
