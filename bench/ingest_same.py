"""Proof that a change to ingest changes no output: the stored rows before and after, compared.

Usage: ``python bench/ingest_same.py --reference /tmp/base [--generated 3000]``, where
``/tmp/base`` is a checkout of the code to compare with (``git worktree add /tmp/base <commit>``).

Corpora: every test fixture folder, the seeds, the four bench/quality corpora and a generated
corpus (bench/corpus.py). Each is copied once into a temporary folder (so every run reads the
same paths and modification times), then ingested into a fresh SQLite database by each code
version in its own process, with a fixed clock: a first pass, then a second pass after edits
(appended sentences, copies, near-copies, deletions, a rename, a binary file). The current code
runs once per worker count (``DISPATCH_INGEST_WORKERS`` 1 and 2). Dumped and compared: every
row of every table the ingest writes (sources with their signatures, sentences with text, event
date and precision, search rows, files, forgotten, meta), each pass's report, and the date
helpers' answers for every stored sentence against several publication dates. Prints
``identical`` or the first differences, and exits non-zero on a difference.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MOMENT = datetime(2026, 1, 1, tzinfo=UTC)
MTIME_NS = 1_700_000_000_000_000_000
PUBLISHED = (None, date(2025, 2, 26), date(2024, 12, 31), date(2025, 6, 1))


def corpora(root: Path) -> dict[str, Path]:
    """The folders the proof ingests, by name."""
    out = {f"fixtures-{p.name}": p for p in sorted((root / "tests" / "fixtures").iterdir())}
    out["seeds"] = root / "seeds"
    for p in sorted((root / "bench" / "quality" / "corpora").iterdir()):
        out[f"quality-{p.name}"] = p
    return {name: p for name, p in out.items() if p.is_dir()}


def prepare(out: Path, generated: int) -> list[str]:
    """Copy every corpus under ``out`` (fixed mtimes); the names, in order."""
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import generate

    names = []
    for name, folder in corpora(ROOT).items():
        shutil.copytree(folder, out / name)
        names.append(name)
    if generated:
        generate(out / "generated", generated)
        names.append("generated")
    for path in out.rglob("*"):
        os.utime(path, ns=(MTIME_NS, MTIME_NS))
    return names


def edit(folder: Path) -> None:
    """Deterministic edits between the two passes: every kind of change a pass may meet."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in {".txt", ".md"})
    for i, path in enumerate(files):
        if i % 25 == 7:
            path.unlink()
        elif i % 10 == 3:
            path.write_bytes(
                path.read_bytes() + b"\nOfficials said on Tuesday that talks went on.\n"
            )
        elif i % 15 == 4:
            shutil.copyfile(path, path.with_name(f"copy-{path.name}"))
        elif i % 20 == 9:
            text = path.read_text(encoding="utf-8", errors="replace")
            path.with_name(f"near-{path.name}").write_text(text.replace(" the ", " a ", 3))
        elif i == 11:
            path.rename(path.with_name(f"moved-{path.name}"))
    (folder / "zz-binary.txt").write_bytes(bytes(range(256)) * 8)
    for n, path in enumerate(sorted(folder.rglob("*"))):
        os.utime(path, ns=(MTIME_NS + 10**9 * (n + 1), MTIME_NS + 10**9 * (n + 1)))


def dump_db(db: Path) -> list[object]:
    """Every row of every table (meta without timestamps), in a stable order."""
    con = sqlite3.connect(db)
    out: list[object] = []
    tables = [
        r[0]
        for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sentences_fts_%'"
            " ORDER BY name"
        )
    ]
    for table in tables:
        rows = [list(r) for r in con.execute(f"SELECT * FROM {table}")]
        if table == "meta":
            rows = [r for r in rows if r[0] not in {"scan_index"}]
        out.append([table, sorted(rows, key=repr)])
    con.close()
    return out


def dump_dates(db: Path) -> list[object]:
    """The date helpers' answers for every stored sentence (several publication dates)."""
    from bot.ingest import dates

    con = sqlite3.connect(db)
    out: list[object] = []
    years = range(2018, 2027)
    for (text,) in con.execute("SELECT DISTINCT text FROM sentences ORDER BY text"):
        row: list[object] = [text, repr(dates.pinned_dates(text, years))]
        for published in PUBLISHED:
            row.append(repr(dates.resolve_event_date(text, published)))
            row.append(repr(dates.referenced_dates(text, published)))
            row.append(dates.is_recap(text, published))
        out.append(row)
    con.close()
    return out


def run_dump(corpus_root: Path, work: Path, names: list[str], out: Path) -> None:
    """In the child: ingest each corpus twice (with edits between), dump everything as JSON lines."""
    from bot.clock import fixed
    from bot.ingest.pipeline import Ingestor
    from bot.settings import Settings
    from bot.store import Store

    with out.open("w", encoding="utf-8") as sink:
        for name in names:
            folder = work / name
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(corpus_root / name, folder)
            for path in folder.rglob("*"):
                os.utime(path, ns=(MTIME_NS, MTIME_NS))
            db = work / f"{name}.db"
            db.unlink(missing_ok=True)
            for step in ("first", "edited"):
                if step == "edited":
                    edit(folder)
                store = Store(db)
                settings = Settings(corpus=[folder], db=db, engine="extractive")
                report = Ingestor(store, settings, fixed(MOMENT)).ingest_folders([folder])
                store.close()
                outcomes = [[o.name, o.outcome, o.reason, o.source_id] for o in report.outcomes]
                line = {"corpus": name, "step": step, "report": outcomes, "rows": dump_db(db)}
                sink.write(json.dumps(line, default=str) + "\n")
            sink.write(json.dumps({"corpus": name, "dates": dump_dates(db)}) + "\n")


def dump(
    code: Path, corpus_root: Path, work: Path, names: list[str], out: Path, workers: str
) -> None:
    """Run ``run_dump`` with the code under ``code``, in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(code), "DISPATCH_INGEST_WORKERS": workers}
    env.pop("DISPATCH_DB", None)
    args = [sys.executable, __file__, "--child", str(corpus_root), str(work), str(out), *names]
    subprocess.run(args, env=env, cwd=work, check=True)


def compare(a: Path, b: Path) -> int:
    """How many dumped lines differ between two dumps; prints the first differences."""
    lines_a = a.read_text(encoding="utf-8").splitlines()
    lines_b = b.read_text(encoding="utf-8").splitlines()
    differ = 0
    for la, lb in zip(lines_a, lines_b, strict=False):
        if la != lb:
            differ += 1
            ja, jb = json.loads(la), json.loads(lb)
            print(f"  differs: {ja.get('corpus')} {ja.get('step', 'dates')}")
            for key in ja:
                if ja[key] != jb.get(key):
                    print(f"    in {key}: {str(ja[key])[:300]} ... vs {str(jb.get(key))[:300]}")
                    break
    if len(lines_a) != len(lines_b):
        differ += 1
        print(f"  {len(lines_a)} lines against {len(lines_b)}")
    return differ


def summary(path: Path) -> str:
    """What a dump covers: sentences stored and the outcomes its passes reported."""
    counts: dict[str, int] = {}
    sentences = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        for _name, outcome, _reason, _sid in item.get("report", []):
            counts[outcome] = counts.get(outcome, 0) + 1
        sentences += len(item.get("dates", []))
    told = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    return f"{sentences} distinct sentences; outcomes: {told}"


def main() -> None:
    """Command line: compare a reference checkout's stored rows with this checkout's."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reference", type=Path, help="a checkout of the code to compare with")
    parser.add_argument("--generated", type=int, default=3000, help="generated corpus size")
    parser.add_argument("--workers", default="1,2", help="worker counts of the current code")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        root, work, out, *names = args.child
        run_dump(Path(root), Path(work), names, Path(out))
        return
    if args.reference is None:
        parser.error("--reference is required")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        names = prepare(base / "corpora", args.generated)
        (base / "work").mkdir()
        dumps = {"reference": base / "reference.jsonl"}
        dump(
            args.reference.resolve(),
            base / "corpora",
            base / "work",
            names,
            dumps["reference"],
            "1",
        )
        for workers in args.workers.split(","):
            dumps[workers] = base / f"workers-{workers}.jsonl"
            dump(ROOT, base / "corpora", base / "work", names, dumps[workers], workers)
        lines = len(dumps["reference"].read_text(encoding="utf-8").splitlines())
        print(f"{len(names)} corpora, {lines} dumped lines per run; {summary(dumps['reference'])}")
        failed = 0
        for workers in args.workers.split(","):
            print(f"reference against the current code with {workers} worker(s):")
            differ = compare(dumps["reference"], dumps[workers])
            print("  identical" if not differ else f"  {differ} lines differ")
            failed += differ
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
