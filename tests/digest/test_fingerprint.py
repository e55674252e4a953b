"""Per-topic fingerprints: a page's digest is computed once per recompute, and only reused
while the page and its sentences are the very objects it was computed from."""

from __future__ import annotations

from datetime import date

from bot.digest.dating import estimated_source
from bot.digest.fingerprint import SourceDigests, build_key
from bot.models import Sentence, Source, Topic

TOPIC = Topic(slug="deal", title="The deal", keywords=("deal",))


def _page(sid: str, text: str) -> tuple[Source, list[Sentence]]:
    source = Source(id=sid, title=text, text=text)
    return source, [Sentence(source_id=sid, index=0, start=0, end=len(text), text=text)]


def _key(sources, sentences, memo=None) -> str:
    relevance = {(sid, 0): 1.0 for sid in sources}
    members = dict.fromkeys(sources, 1.0)
    return build_key("salt", TOPIC, relevance, members, sources, sentences, memo)


def test_a_shared_memo_gives_the_keys_each_topic_would_get_alone() -> None:
    a, sa = _page("a", "The deal was signed on Monday.")
    b, sb = _page("b", "The deal was approved on Friday.")
    sources, sentences = {"a": a, "b": b}, {"a": sa, "b": sb}
    memo = SourceDigests()
    assert _key(sources, sentences, memo) == _key(sources, sentences)
    only_a = {"a": a}
    assert _key(only_a, sentences, memo) == _key(only_a, sentences)
    assert _key(only_a, sentences, memo) != _key(sources, sentences, memo)


def test_a_page_hashed_once_is_reused_while_it_is_the_same_object() -> None:
    a, sa = _page("a", "The deal was signed on Monday.")
    memo = SourceDigests()
    [first] = memo.of(["a"], {"a": a}, {"a": sa})
    assert memo.of(["a"], {"a": a}, {"a": sa})[0] is first  # not hashed again


def test_a_page_dated_since_is_hashed_again() -> None:
    a, sa = _page("a", "The deal was signed on Monday.")
    sentences = {"a": sa}
    memo = SourceDigests()
    before = _key({"a": a}, sentences, memo)
    dated = {"a": estimated_source(a, date(2025, 4, 30))}
    assert _key(dated, sentences, memo) != before
    assert _key(dated, sentences, memo) == _key(dated, sentences)
    redone = {"a": [Sentence(source_id="a", index=0, start=0, end=5, text="Other")]}
    assert _key(dated, redone, memo) != _key(dated, sentences, memo)
