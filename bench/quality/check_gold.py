"""Check that each corpus's ``gold.toml`` is honest against the bot's own sentences of its pages.

Usage: ``python bench/quality/check_gold.py [--show-heldout] [CORPUS ...]`` (default: every folder
in ``bench/quality/corpora``; a default folder without ``gold.toml`` yet is reported and skipped).

Fails when: a fact's date (or ``[current].as_of``) is not ISO; a regex does not compile; a listed
file (or distractor) does not exist; a fact's regex matches no sentence of its listed files; any
regex (facts or ``[current]``) matches a sentence of a distractor; ``[current]`` matches no
on-topic page. Warns when an on-topic file that a fact does not list has a matching sentence.
One summary line per corpus; exit status 1 on any failure.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.quality import gold as g  # noqa: E402


@dataclass(slots=True)
class Report:
    folder: Path
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    facts: int = 0
    pages: int = 0
    distractors: int = 0
    skipped: str = ""

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        name = self.folder.name
        if self.skipped:
            return f"{name}: SKIPPED ({self.skipped})"
        verdict = "OK" if self.ok else "FAIL"
        return (
            f"{name}: {verdict} — {self.facts} facts, {self.pages} pages "
            f"({self.distractors} distractors), {len(self.failures)} failures, "
            f"{len(self.warnings)} warnings"
        )


def _compile(pattern: str, where: str, report: Report) -> re.Pattern[str] | None:
    try:
        return g.compile_regex(pattern)
    except re.error as exc:
        report.failures.append(f"{where}: regex does not compile ({exc}): {pattern!r}")
        return None


def _hits(pattern: re.Pattern[str], page: Path) -> list[str]:
    return [s for s in g.sentences(page) if pattern.search(s)]


def check(folder: Path) -> Report:
    """Validate one corpus folder's gold; never raises for a bad gold file."""
    report = Report(folder)
    if not (folder / g.GOLD).is_file():
        report.failures.append(f"no {g.GOLD}")
        return report
    try:
        gold = g.load_gold(folder)
    except (OSError, ValueError) as exc:  # tomllib.TOMLDecodeError is a ValueError
        report.failures.append(f"{g.GOLD} unreadable: {exc}")
        return report
    report.failures.extend(gold.problems)
    pages = {p.name: p for p in g.page_files(folder)}
    report.facts, report.pages, report.distractors = (
        len(gold.facts),
        len(pages),
        len(gold.distractors),
    )
    _check_topic(folder, gold, report)
    distractors = []
    for name in gold.distractors:
        if name in pages:
            distractors.append(pages[name])
        else:
            report.failures.append(f"distractor {name} does not exist")
    on_topic = [p for n, p in pages.items() if n not in set(gold.distractors)]
    seen: set[str] = set()
    for fact in gold.facts:
        where = f"fact {fact.id}"
        if fact.id in seen:
            report.failures.append(f"{where}: duplicate id")
        seen.add(fact.id)
        if fact.date is None:
            report.failures.append(f"{where}: date {fact.date_text!r} is not ISO (YYYY-MM-DD)")
        pattern = _compile(fact.regex, where, report)
        if not fact.files:
            report.failures.append(f"{where}: lists no files")
        listed = []
        for name in fact.files:
            if name in gold.distractors:
                report.failures.append(f"{where}: lists distractor {name}")
            if name not in pages:
                report.failures.append(f"{where}: listed file {name} does not exist")
            else:
                listed.append(pages[name])
        if pattern is None:
            continue
        matching = [p.name for p in listed if _hits(pattern, p)]
        if listed and not matching:
            report.failures.append(f"{where}: regex matches no sentence of its listed files")
        for p in listed:
            if p.name not in matching:
                report.warnings.append(f"{where}: listed {p.name} has no matching sentence")
        for p in on_topic:
            if p.name not in fact.files and _hits(pattern, p):
                report.warnings.append(f"{where}: unlisted {p.name} also matches")
        _distractor_hits(pattern, where, distractors, report)
    _check_current(gold, on_topic, distractors, report)
    return report


def _check_topic(folder: Path, gold: g.Gold, report: Report) -> None:
    topics = folder / "topics.toml"
    if not topics.is_file():
        report.failures.append("no topics.toml")
        return
    import tomllib

    try:
        slugs = {t.get("slug") for t in tomllib.loads(topics.read_text("utf-8")).get("topic", [])}
    except ValueError as exc:
        report.failures.append(f"topics.toml unreadable: {exc}")
        return
    if gold.topic and gold.topic not in slugs:
        report.failures.append(f"topic {gold.topic!r} is not in topics.toml")


def _distractor_hits(
    pattern: re.Pattern[str], where: str, distractors: list[Path], report: Report
) -> None:
    for p in distractors:
        for s in _hits(pattern, p):
            report.failures.append(f"{where}: regex matches distractor {p.name}: {s[:100]!r}")


def _check_current(
    gold: g.Gold, on_topic: list[Path], distractors: list[Path], report: Report
) -> None:
    if gold.current is None:
        report.failures.append("no [current] table")
        return
    if gold.current.as_of is None:
        report.failures.append(f"[current]: as_of {gold.current.as_of_text!r} is not ISO")
    if not gold.current.regex:
        report.failures.append("[current]: no regex")
    anywhere = False
    for i, raw in enumerate(gold.current.regex, 1):
        where = f"[current] regex {i}"
        pattern = _compile(raw, where, report)
        if pattern is None:
            continue
        anywhere = anywhere or any(_hits(pattern, p) for p in on_topic)
        _distractor_hits(pattern, where, distractors, report)
    if gold.current.regex and not anywhere:
        report.failures.append("[current]: no regex matches any on-topic sentence")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="*", type=Path, help="corpus folders (default: all)")
    parser.add_argument(
        "--show-heldout", action="store_true", help="print warnings of HELDOUT corpora too"
    )
    args = parser.parse_args(argv)
    folders = args.corpus or g.corpus_folders()
    if not folders:
        print(f"check_gold: no corpus folders in {g.CORPORA}")
        return 0
    failed = False
    for folder in folders:
        if not args.corpus and not (folder / g.GOLD).is_file():
            report = Report(folder, skipped=f"no {g.GOLD} yet")
        else:
            report = check(folder)
        hidden = (folder / g.HELDOUT).exists() and not args.show_heldout
        for line in report.failures:
            print(f"  FAIL {folder.name}: {line}")
        if not hidden:
            for line in report.warnings:
                print(f"  warn {folder.name}: {line}")
        print(
            report.summary()
            + (" (held out: warnings not shown)" if hidden and report.warnings else "")
        )
        failed = failed or not report.ok
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
