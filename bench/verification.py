"""Benchmark: which rewrites of a cited sentence claim verification keeps, and which it drops.

Runs ``check_claim`` over the paraphrase table in ``tests/llm/paraphrases.py`` (faithful
rewrites and meaning-changing ones of real-looking news sentences, by kind of change) and
prints a Markdown table by kind, then the meaning changes it still keeps (the known misses).
Offline and deterministic: the same table prints the same figures everywhere.

Usage: ``python bench/verification.py [--reasons]`` (``--reasons`` adds why each change was dropped).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.llm.verify import check_claim  # noqa: E402
from tests.llm.paraphrases import KINDS, REWRITES, Rewrite  # noqa: E402


@dataclass(frozen=True, slots=True)
class Verdict:
    """One rewrite and why verification dropped it (None: kept)."""

    row: Rewrite
    reason: str | None

    @property
    def right(self) -> bool:
        """Kept when faithful, dropped when the meaning changed."""
        return (self.reason is None) is self.row.faithful


def judge(rows: Sequence[Rewrite] = REWRITES) -> list[Verdict]:
    """Verify every rewrite against its cited sentence (and what else the model was shown)."""
    return [Verdict(r, check_claim(r.claim, [r.source], r.context)) for r in rows]


def table(verdicts: Sequence[Verdict]) -> str:
    """Markdown: per kind, faithful rewrites kept and meaning changes dropped."""
    lines = [
        "| kind of rewrite | faithful kept | meaning changes dropped |",
        "|---|---:|---:|",
    ]
    for kind in (*KINDS, "all"):
        rows = [v for v in verdicts if kind in ("all", v.row.kind)]
        faithful = [v for v in rows if v.row.faithful]
        changed = [v for v in rows if not v.row.faithful]
        name = "**all**" if kind == "all" else kind
        lines.append(f"| {name} | {_ratio(faithful)} | {_ratio(changed)} |")
    return "\n".join(lines)


def misses(verdicts: Sequence[Verdict], *, reasons: bool = False) -> str:
    """The verdicts that went wrong (and, with ``reasons``, every drop with its reason)."""
    lines = []
    for v in verdicts:
        if not v.right:
            what = "kept" if v.reason is None else f"dropped ({v.reason})"
            lines.append(f"- {v.row.kind}, {what}: {v.row.claim}")
        elif reasons and v.reason:
            lines.append(f"- {v.row.kind}, dropped ({v.reason}): {v.row.claim}")
    return "\n".join(lines)


def _ratio(rows: Sequence[Verdict]) -> str:
    return f"{sum(v.right for v in rows)} / {len(rows)}" if rows else "–"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table (and the misses) for the README."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reasons", action="store_true", help="list every drop with its reason")
    args = parser.parse_args(argv)
    verdicts = judge()
    print(table(verdicts))
    wrong = misses(verdicts, reasons=args.reasons)
    if wrong:
        print(
            "\nNot caught offline (known misses)" + (", and every drop:" if args.reasons else ":")
        )
        print(wrong)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
