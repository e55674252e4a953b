"""Which Discord gateway shards one bot process runs: ``0-1/4`` is shards 0 and 1 of 4.

Parsed here, without discord.py, so ``dispatch run`` refuses a bad spec before it needs a token.
Each shard process reads the results the worker stores; claims in the database keep every digest
and alert sent once, whichever process is due.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import UsageError

EXAMPLE = "0-1/4"


@dataclass(frozen=True)
class Shards:
    """Shard ids run by this process, of ``count`` shards in all."""

    ids: tuple[int, ...]
    count: int


def parse_shards(spec: str) -> Shards:
    """``A-B/N``, ``A/N`` or ``A,C-D/N``; ``UsageError`` saying what is wrong otherwise."""
    text = spec.strip()
    try:
        return _parse(text)
    except ValueError as exc:
        raise UsageError(f"bad --shards {text!r}: {exc} (e.g. {EXAMPLE})") from None


def _parse(text: str) -> Shards:
    ids_part, slash, count_part = text.rpartition("/")
    if not slash:
        raise ValueError("needs a shard count")
    count = _number(count_part, "shard count")
    if count < 1:
        raise ValueError("the shard count must be at least 1")
    ids: list[int] = []
    for item in ids_part.split(","):
        for shard in _ids(item.strip()):
            if shard in ids:
                raise ValueError(f"shard {shard} is named twice")
            if shard >= count:
                raise ValueError(f"shard {shard} is not below the shard count {count}")
            ids.append(shard)
    return Shards(tuple(ids), count)


def _ids(item: str) -> range:
    first, dash, last = item.partition("-")
    if not first.isdigit() or (dash and not last.isdigit()):
        raise ValueError(f"{item!r} is not a shard number or range")
    low, high = int(first), int(last) if dash else int(first)
    if high < low:
        raise ValueError(f"{item} is an empty range")
    return range(low, high + 1)


def _number(text: str, what: str) -> int:
    if not text.strip().isdigit():
        raise ValueError(f"the {what} {text!r} is not a number")
    return int(text)
