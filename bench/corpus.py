"""Synthetic corpora for benchmarks: recombine real sentences across dates, outlets and topics.

Sentences come from the seed articles and the fixture articles; each synthetic article gets a
date header, a headline and 12-30 sentences drawn mostly from one storyline, so topic assignment,
dedupe and the engine do realistic work. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import random
import re
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "seeds", ROOT / "tests" / "fixtures"]
OUTLETS = ["Wire", "Daily Ledger", "Kyiv Courier", "Capitol Report", "Globe Desk", "Evening Post"]
WHO = [
    "Treasury Secretary Scott Bessent",
    "President Volodymyr Zelenskyy",
    "Prime Minister Denys Shmyhal",
    "Secretary of State Marco Rubio",
    "a senior European diplomat",
    "Foreign Minister Sergei Lavrov",
    "NATO Secretary General Mark Rutte",
    "Economy Minister Yulia Svyrydenko",
    "a White House spokesperson",
    "Senator Lindsey Graham",
    "the Kremlin spokesman",
    "French President Emmanuel Macron",
]
DID = [
    "said on {day} that",
    "told reporters on {day} that",
    "announced on {day} that",
    "warned on {day} that",
    "confirmed on {day} that",
    "denied on {day} that",
]
WHAT = [
    "the minerals deal would be signed within {n} days",
    "the joint fund had received its first {n} million dollars",
    "negotiators had agreed on {n} of the remaining clauses",
    "European troops could number {n} thousand",
    "Ukraine would not give up {n} percent of its resource revenues",
    "NATO members would raise spending to {n} percent",
    "military aid worth {n} billion dollars had been paused",
    "peace talks in {city} would resume next week",
    "the ceasefire proposal had {n} conditions attached",
    "the rare earth survey covered {n} deposits",
    "the reconstruction fund board would meet in {city}",
    "drone attacks had damaged {n} power stations",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
CITIES = [
    "Riyadh",
    "Istanbul",
    "Geneva",
    "London",
    "Paris",
    "Warsaw",
    "Kyiv",
    "Washington",
    "Brussels",
]


def synthetic_sentence(rng: random.Random) -> str:
    """A plausible, varied news sentence from templates."""
    what = rng.choice(WHAT).format(n=rng.randint(2, 900), city=rng.choice(CITIES))
    return f"{rng.choice(WHO)} {rng.choice(DID).format(day=rng.choice(DAYS))} {what}."


_SPLIT = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[A-Z“\"])")


def sentence_pool() -> list[str]:
    """Sentences from every text article we ship, without headers or sidecars."""
    pool: list[str] = []
    for root in SOURCES:
        for path in sorted(root.rglob("*.txt")) + sorted(root.rglob("*.md")):
            text = path.read_text(errors="ignore")
            for line in text.splitlines():
                if len(line.split()) < 6 or line.startswith((" date", "---", "+++")):
                    continue
                pool.extend(s.strip() for s in _SPLIT.split(line) if len(s.split()) >= 6)
    return list(dict.fromkeys(pool))


def generate(out: Path, count: int, *, seed: int = 7, start: date = date(2025, 1, 1)) -> list[Path]:
    """Write ``count`` articles (and a topics.toml copied from the seeds) into ``out``."""
    rng = random.Random(seed)
    pool = sentence_pool()
    out.mkdir(parents=True, exist_ok=True)
    (out / "topics.toml").write_bytes((ROOT / "seeds" / "topics.toml").read_bytes())
    paths = []
    for i in range(count):
        day = start + timedelta(days=rng.randrange(400))
        size = rng.randint(12, 30)
        body = rng.sample(pool, k=min(len(pool), size // 3))
        body += [synthetic_sentence(rng) for _ in range(size - len(body))]
        rng.shuffle(body)
        headline = body[0].rstrip(".")[:120]
        outlet = rng.choice(OUTLETS)
        # a unique tail keeps content hashes distinct, as real articles differ
        body.append(
            f"{outlet} filed report number {i} from its {rng.choice(['Kyiv', 'Washington', 'Brussels'])} desk."
        )
        text = f" date {day.isoformat()} {headline}\n\n" + "\n\n".join(
            " ".join(body[j : j + 3]) for j in range(0, len(body), 3)
        )
        path = out / f"{i:05d}.txt"
        path.write_text(text + "\n")
        paths.append(path)
    return paths


def main() -> None:
    """Command line: ``python bench/corpus.py OUT --count N``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.out, args.count, seed=args.seed)
    print(f"wrote {args.count} articles to {args.out}")


if __name__ == "__main__":
    main()
