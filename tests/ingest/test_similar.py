"""Content ids and near-duplicate signatures."""

from __future__ import annotations

import random

from bot.ingest.similar import (
    BANDS,
    BINS,
    ROWS,
    NearDuplicates,
    StoredNearDuplicates,
    band_parts,
    content_id,
    decode,
    encode,
    normalise,
    signature,
    similarity,
)
from tests.ingest.conftest import DRIFT, MESSY

WIRE = MESSY / "wire"


def _text(path) -> str:  # type: ignore[no-untyped-def]
    return path.read_text(encoding="utf-8")


def test_content_id_ignores_case_width_and_spacing() -> None:
    assert content_id("Ｔrump  said\nso.") == content_id("trump said so.")
    assert normalise(" A\u00a0B ") == "a b"
    assert len(content_id("x")) == 16 and content_id("x") != content_id("y")


def test_signature_round_trip_and_short_texts() -> None:
    sig = signature(_text(DRIFT / "01_trump_seeks_minerals.txt"))
    assert sig is not None and decode(encode(sig)) == sig
    assert signature("Too short to compare.") is None
    assert decode("garbage") is None


def test_wire_copies_are_similar_and_distinct_stories_are_not() -> None:
    a = signature(_text(WIRE / "wire_kyiv_courier.txt"))
    b = signature(_text(WIRE / "wire_daily_ledger.txt"))
    c = signature(_text(WIRE / "wire_capitol_report.txt"))
    other = signature(_text(DRIFT / "04_deal_signed.txt"))
    assert a and b and c and other
    assert similarity(a, b) >= 0.6 and similarity(a, c) >= 0.6
    assert similarity(a, other) < 0.3


def test_index_finds_the_original_and_respects_exclude() -> None:
    index = NearDuplicates()
    original = signature(_text(WIRE / "wire_kyiv_courier.txt"))
    copy = signature(_text(WIRE / "wire_daily_ledger.txt"))
    assert original and copy
    index.add("orig", original)
    found = index.best(copy)
    assert found is not None and found[0] == "orig"
    assert index.best(copy, exclude="orig") is None
    index.discard("orig")
    assert index.best(copy) is None


def test_index_loads_stored_signatures() -> None:
    sig = signature(_text(WIRE / "wire_kyiv_courier.txt"))
    assert sig
    index = NearDuplicates([("orig", encode(sig)), ("broken", "not a signature")])
    assert index.best(sig) == ("orig", 1.0)


def _sharing(base: tuple[int, ...], band: int, rng: random.Random) -> tuple[int, ...]:
    """A random signature that shares exactly one LSH band with ``base``."""
    out = [rng.getrandbits(64) for _ in range(BINS)]
    out[band * ROWS : (band + 1) * ROWS] = base[band * ROWS : (band + 1) * ROWS]
    return tuple(out)


def _spells(parts: list[tuple[int, str]], text: str) -> bool:
    """What the store's ``substr(signature, start, length) = part`` filter says."""
    return any(text[start - 1 : start - 1 + len(part)] == part for start, part in parts)


def test_band_parts_match_every_signature_sharing_a_band() -> None:
    rng = random.Random(3)
    base = tuple(rng.getrandbits(64) for _ in range(BINS))
    parts = band_parts(base)
    assert len(parts) == BANDS and all(len(part) >= 40 for _, part in parts)
    for band in range(BANDS):
        assert _spells(parts, encode(_sharing(base, band, rng)))
    strangers = [tuple(rng.getrandbits(64) for _ in range(BINS)) for _ in range(200)]
    assert not any(_spells(parts, encode(s)) for s in strangers)


def test_stored_lookups_decide_as_the_index_does() -> None:
    rng = random.Random(5)
    base = tuple(rng.getrandbits(64) for _ in range(BINS))
    near = list(base)
    for i in rng.sample(range(BINS), 20):  # 44 of 64 bins kept: about 69% similar
        near[i] = rng.getrandbits(64)
    stored = [(f"s{band}", encode(_sharing(base, band, rng))) for band in range(BANDS)]
    stored += [("near", encode(tuple(near))), ("broken", "not a signature")]
    index = NearDuplicates(stored)
    looked_up: list[int] = []

    def lookup(sig: tuple[int, ...]) -> list[tuple[str, str]]:
        looked_up.append(1)
        return [(sid, text) for sid, text in stored if _spells(band_parts(sig), text)]

    quick = StoredNearDuplicates(lookup)
    assert quick.best(base) == index.best(base) and quick.best(base) is not None
    assert quick.best(base, exclude="near") == index.best(base, exclude="near") is None
    quick.add("twin", base)
    index.add("twin", base)
    assert quick.best(base) == index.best(base) == ("twin", 1.0)
    quick.discard("twin")
    index.discard("twin")
    quick.discard("near")
    index.discard("near")
    assert quick.best(base) == index.best(base) is None
    assert looked_up  # answered from the store, not from an index built in advance
