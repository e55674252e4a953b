"""Content ids and near-duplicate signatures."""

from __future__ import annotations

from bot.ingest.similar import (
    NearDuplicates,
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
