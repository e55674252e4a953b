"""Content ids and near-duplicate detection (one-permutation MinHash with LSH bands).

A republished wire story with small edits shares most of its word 4-shingles with the original;
we estimate the Jaccard similarity from 64-bin signatures and only compare candidates that
share at least one LSH band, so each new article costs a few dictionary lookups.
"""

from __future__ import annotations

import base64
import hashlib
import operator
import re
import struct
import unicodedata
import zlib
from collections.abc import Callable, Iterable

SHINGLE = 4
BINS = 64
BANDS = 16
ROWS = BINS // BANDS
THRESHOLD = 0.6
MIN_SHINGLES = 12
_EMPTY = (1 << 64) - 1
_MASK = (1 << 64) - 1
_MIX = 0x9E3779B97F4A7C15
# Odd multipliers combining four word hashes into one shingle hash (order-sensitive).
_K1, _K2, _K3 = 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5
_WORD = re.compile(r"\w+")
_PREFIX = "oph1:"

Signature = tuple[int, ...]


def normalise(text: str) -> str:
    """NFKC, lowercased, whitespace folded: what "the same content" means."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def content_id(text: str) -> str:
    """The stable id of a source: 16 hex digits of the SHA-256 of its normalised text."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:16]


def signature(text: str) -> Signature | None:
    """A MinHash signature of the text's word shingles, or None when the text is too short."""
    crc = zlib.crc32
    words = [crc(w.encode()) for w in _WORD.findall(text.lower())]
    if len(words) - SHINGLE + 1 < MIN_SHINGLES:
        return None
    hashes = [
        ((a * _K1 + b * _K2 + c * _K3 + d) * _MIX) & _MASK
        for a, b, c, d in zip(words, words[1:], words[2:], words[3:], strict=False)
    ]
    mins = [_EMPTY] * BINS
    for h in sorted(hashes, reverse=True):
        mins[h >> 58] = h  # the last write per bin is its minimum
    return _densify(mins)


def _densify(mins: list[int]) -> Signature:
    """Fill empty bins from the next non-empty one, so short texts stay comparable."""
    if _EMPTY not in mins:
        return tuple(mins)
    out = list(mins)
    for b in range(BINS):
        step = 1
        while out[b] == _EMPTY and step < BINS:
            donor = mins[(b + step) % BINS]
            if donor != _EMPTY:
                out[b] = (donor + step * _MIX) & _MASK
            step += 1
    return tuple(out)


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return sum(map(operator.eq, a, b)) / BINS


def encode(sig: Signature) -> str:
    """A signature as text for the store."""
    return _PREFIX + base64.b64encode(struct.pack(f"<{BINS}Q", *sig)).decode("ascii")


def decode(text: str) -> Signature | None:
    """A stored signature, or None if it is not in this format."""
    if not text.startswith(_PREFIX):
        return None
    try:
        return struct.unpack(f"<{BINS}Q", base64.b64decode(text[len(_PREFIX) :]))
    except (ValueError, struct.error):
        return None


class NearDuplicates:
    """An LSH index over the signatures of original sources."""

    def __init__(self, stored: Iterable[tuple[str, str]] = ()) -> None:
        self._sigs: dict[str, Signature] = {}
        self._bands: dict[tuple[int, tuple[int, ...]], list[str]] = {}
        for source_id, text in stored:
            sig = decode(text)
            if sig is not None:
                self.add(source_id, sig)

    def add(self, source_id: str, sig: Signature) -> None:
        """Index an original source's signature."""
        self._sigs[source_id] = sig
        for band in range(BANDS):
            key = (band, sig[band * ROWS : (band + 1) * ROWS])
            self._bands.setdefault(key, []).append(source_id)

    def discard(self, source_id: str) -> None:
        """Forget a source (its band entries are skipped lazily)."""
        self._sigs.pop(source_id, None)

    def best(self, sig: Signature, exclude: str | None = None) -> tuple[str, float] | None:
        """The most similar indexed original at or above the threshold, if any."""
        seen: set[str] = set()
        best: tuple[str, float] | None = None
        for band in range(BANDS):
            for cand in self._bands.get((band, sig[band * ROWS : (band + 1) * ROWS]), ()):
                if cand in seen or cand == exclude or cand not in self._sigs:
                    continue
                seen.add(cand)
                score = similarity(sig, self._sigs[cand])
                if score >= THRESHOLD and (best is None or score > best[1]):
                    best = (cand, score)
        return best


def band_parts(sig: Signature) -> list[tuple[int, str]]:
    """Per LSH band, where (1-based) and what an encoded signature spells of that band alone.

    Base64 spells three bytes as four characters: the groups wholly inside a band's bytes are
    compared, so a stored signature sharing a band with ``sig`` matches one of these parts (a
    few that do not share it match too, and are checked after decoding).
    """
    text = encode(sig)
    width = ROWS * 8  # bytes per band
    parts = []
    for band in range(BANDS):
        first, end = -(-band * width // 3), (band + 1) * width // 3  # whole groups inside
        start = len(_PREFIX) + 4 * first
        parts.append((start + 1, text[start : len(_PREFIX) + 4 * end]))
    return parts


class StoredNearDuplicates:
    """The LSH look-ups of ``NearDuplicates`` answered from the store, without building an index.

    For an ingest of a few files: each look-up asks the store for the originals whose encoded
    signature shares a band's part with the new one (``lookup``), then decides exactly as the
    index would, originals added during this ingest last.
    """

    def __init__(self, lookup: Callable[[Signature], Iterable[tuple[str, str]]]) -> None:
        self._lookup = lookup
        self._added = NearDuplicates()
        self._gone: set[str] = set()

    def add(self, source_id: str, sig: Signature) -> None:
        """Index an original source's signature."""
        self._added.add(source_id, sig)
        self._gone.discard(source_id)

    def discard(self, source_id: str) -> None:
        """Forget a source."""
        self._added.discard(source_id)
        self._gone.add(source_id)

    def best(self, sig: Signature, exclude: str | None = None) -> tuple[str, float] | None:
        """The most similar original at or above the threshold, if any (as ``NearDuplicates``)."""
        skip = self._gone | set(self._added._sigs)
        found = NearDuplicates((sid, text) for sid, text in self._lookup(sig) if sid not in skip)
        for sid, added in self._added._sigs.items():
            found.add(sid, added)
        return found.best(sig, exclude)
