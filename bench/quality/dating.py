"""How well Dispatch dates pages that carry no date, on the quality benchmark's real pages.

Usage: ``python bench/quality/dating.py [--only SLUG] [--folds 3] [--show-heldout]``.

Per corpus, the pages are read into a fresh database as the bot reads them; the dated pages of
the gold topic that the bot assigns to it (distractors left out) are split into ``--folds``
groups by a hash of their id. For each group in turn, those pages lose their publication date
(stored again as an undated page would be: no publication date, their sentences' dates resolved
without one) and the full recompute runs; the date it estimates for each is compared with the
true one. Printed per corpus: pages hidden, pages given an estimate, estimates within 3 days
(the quality target's window), and the median error in days. The held-out storyline is left out
unless ``--show-heldout`` is given, as in ``score.py``.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.quality import gold as g  # noqa: E402
from bench.quality.score import copy_pages  # noqa: E402
from bot.ingest.dates import resolve_event_date  # noqa: E402
from bot.service import Dispatch  # noqa: E402
from bot.settings import Settings  # noqa: E402

WINDOW = 3  # days: an estimate this close counts as right (the quality benchmark's window)


@dataclass(slots=True)
class Result:
    slug: str
    hidden: int = 0
    estimated: int = 0
    close: int = 0
    errors: list[int] = field(default_factory=list)

    def row(self) -> str:
        share = f"{self.close / self.hidden:.0%}" if self.hidden else "–"
        median = f"{statistics.median(abs(e) for e in self.errors):.0f}" if self.errors else "–"
        return (
            f"| {self.slug} | {self.hidden} | {self.estimated} | {self.close} ({share}) "
            f"| {median} |"
        )


def _service(folder: Path, tmp: Path, name: str) -> Dispatch:
    corpus = tmp / name
    copy_pages(folder, corpus)
    settings = Settings(corpus=[corpus], db=tmp / f"{name}.db", engine="extractive")
    service = Dispatch(settings)
    service.ingest()
    return service


def score_corpus(gold: g.Gold, folds: int) -> Result:
    """Hide each fold's dates in turn and compare the estimates with the true dates."""
    result = Result(gold.slug)
    distractors = set(gold.distractors)
    with tempfile.TemporaryDirectory(prefix=f"dating-{gold.slug}-") as name:
        tmp = Path(name)
        base = _service(gold.folder, tmp, "base")
        base.recompute()
        topic = base.resolve_topic(gold.topic)
        members = [
            src
            for src, _ in base.sources(topic.slug)[1]
            if src.published is not None and Path(src.path or "").name not in distractors
        ]
        base.close()
        for fold in range(folds):
            hidden = {
                s.id: s.published
                for s in members
                if int(hashlib.sha1(s.id.encode()).hexdigest(), 16) % folds == fold
            }
            if not hidden:
                continue
            service = _service(gold.folder, tmp, f"fold{fold}")
            store = service.store
            for sid in hidden:
                src = store.sources.get(sid)
                assert src is not None
                undated = replace(src, published=None, date_basis="unknown")
                sentences = []
                for s in store.sources.sentences(sid):
                    when, precision = resolve_event_date(s.text, None)
                    sentences.append(replace(s, date=when, date_precision=precision))
                store.sources.put(undated, sentences)
            service.bump_corpus_version()
            service.recompute()
            estimates = store.briefings.get("*", "estimates", "") or {}
            for sid, truth in hidden.items():
                result.hidden += 1
                if sid in estimates:
                    error = (date.fromisoformat(estimates[sid]) - truth).days
                    result.estimated += 1
                    result.errors.append(error)
                    result.close += abs(error) <= WINDOW
            service.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", metavar="SLUG", action="append", help="only this corpus")
    parser.add_argument("--folds", type=int, default=3, help="groups hidden in turn (3)")
    parser.add_argument("--show-heldout", action="store_true", help="include the held-out one")
    args = parser.parse_args()
    if args.folds < 2:
        parser.error("--folds must be at least 2")
    golds = [g.load_gold(f) for f in g.corpus_folders()]
    golds = [x for x in golds if (not args.only or x.slug in args.only)]
    golds = [x for x in golds if args.show_heldout or not x.heldout]
    if not golds:
        parser.error("no corpus to score")
    print("| corpus | dated pages hidden | estimated | within 3 days | median error (days) |")
    print("|---|---:|---:|---:|---:|")
    total = Result("all")
    for gold in golds:
        r = score_corpus(gold, args.folds)
        print(r.row(), flush=True)
        total.hidden += r.hidden
        total.estimated += r.estimated
        total.close += r.close
        total.errors += r.errors
    if len(golds) > 1:
        print(total.row())


if __name__ == "__main__":
    main()
