"""Reading untrusted bodies under a size cap: decoded chunk by chunk, refused past the cap.

Feeds, article pages and model replies all come from servers Dispatch does not control. The cap
applies to the decoded size (what is kept in memory), and decompression itself stops at the cap,
so a small gzip body that inflates to gigabytes costs no more than the cap.
"""

from __future__ import annotations

import zlib


class TooLarge(Exception):
    """A body passed its cap; ``cap`` is the limit in bytes."""

    def __init__(self, cap: int) -> None:
        super().__init__(f"larger than the {cap:,}-byte cap")
        self.cap = cap


def decoder(encoding: str) -> zlib._Decompress | None:  # type: ignore[name-defined]
    """A streaming decompressor for gzip/deflate bodies, or None for identity."""
    encoding = encoding.strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    return None


class CappedBody:
    """Decodes one body chunk by chunk; ``TooLarge`` once its decoded size passes ``cap``."""

    def __init__(self, cap: int, encoding: str = "") -> None:
        self.cap = cap
        self.size = 0
        self._decoder = decoder(encoding)

    def feed(self, raw: bytes) -> bytes:
        """The decoded bytes of ``raw`` (``zlib.error`` on a corrupt compressed body)."""
        room = self.cap + 1 - self.size  # one byte past the cap is enough to know
        data = self._decoder.decompress(raw, room) if self._decoder else raw
        self.size += len(data)
        if self.size > self.cap:
            raise TooLarge(self.cap)
        return data
