"""Topic membership on a benchmark corpus: which pages and sentences join the corpus's main topic.

Usage: ``python bench/quality/membership.py CORPUS_FOLDER [...]``. For each folder (pages, a
``topics.toml`` and a ``gold.toml`` naming the main topic, its distractors and its facts) it
prints on-topic pages assigned / on-topic pages, distractors assigned, and the share of gold
facts' files whose matching sentence (the fact's regex) is among the topic's relevant sentences.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.service import Dispatch  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.topics.assign import assign_topics  # noqa: E402

PAGES = {".txt", ".md", ".html", ".htm"}


def _pages(folder: Path) -> list[Path]:
    """Article pages directly in the folder (helpers' sub-folders and notes are not pages)."""
    skip = {"topics.toml", "gold.toml", "README.md", "NOTES.md"}
    return sorted(p for p in folder.iterdir() if p.suffix in PAGES and p.name not in skip)


def measure(folder: Path) -> dict[str, object]:
    """Membership figures for one corpus folder."""
    gold = tomllib.loads((folder / "gold.toml").read_text(encoding="utf-8"))
    slug, distractors = gold["topic"], set(gold.get("distractors", []))
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / folder.name
        corpus.mkdir()
        for p in [*_pages(folder), folder / "topics.toml"]:
            shutil.copy(p, corpus)
        service = Dispatch(Settings(corpus=[corpus], db=Path(tmp) / "m.db", engine="extractive"))
        service.refresh()
        names = {s.id: Path(s.path).name for s in service.store.sources.all()}
        stored = {s.id: s for s in service.store.sources.all()}
        sentences = service.store.sources.all_sentences()
        t = time.perf_counter()
        index = assign_topics(service.topic_list(), stored, sentences)
        assign_s = time.perf_counter() - t
        rows = {names[sid] for _, sid, _ in service.store.briefings.assignments(slug)}
        service.close()
    members = {names[sid] for sid in index.articles.get(slug, {})}
    on_topic = {p.name for p in _pages(folder)} - distractors
    relevant: dict[str, list[str]] = {}
    for sid, idx in index.sentences.get(slug, {}):
        text = next(s.text for s in sentences[sid] if s.index == idx)
        relevant.setdefault(names[sid], []).append(text)
    found = total = 0
    missed: list[str] = []
    for fact in gold.get("fact", []):
        pattern = re.compile(fact["regex"])
        for name in fact.get("files", []):
            total += 1
            if any(pattern.search(s) for s in relevant.get(name, [])):
                found += 1
            else:
                missed.append(f"{fact['id']}:{name}")
    return {
        "corpus": folder.name,
        "on-topic members": f"{len(members & on_topic)}/{len(on_topic)}",
        "on-topic citable": f"{len(rows & on_topic)}/{len(on_topic)}",
        "distractors members": sorted(members & distractors),
        "distractors citable": sorted(rows & distractors),
        "gold fact files covered": f"{found}/{total} ({found / max(total, 1):.0%})",
        "assign_topics s": round(assign_s, 2),
        "missed on-topic": sorted(on_topic - members),
        "missed facts": missed,
    }


def main() -> None:
    """Print the figures for each corpus folder given."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses too")
    args = parser.parse_args()
    for folder in args.folders:
        for key, value in measure(folder).items():
            if args.verbose or not key.startswith("missed"):
                print(f"{key:26} {value}")
        print()


if __name__ == "__main__":
    main()
