"""Finding corpus files, their sidecars, and reading them safely (reject, never crash)."""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"})
SKIP_NAMES = frozenset({"topics.toml", "feeds.toml"})
SIDECAR = ".meta.toml"
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Found:
    """A corpus file and the stat facts that tell whether it changed."""

    key: str
    path: Path
    mtime_ns: int
    size: int
    sidecar: Path | None


class Rejected(Exception):
    """A file that cannot be ingested; the message is the one-line reason."""


def walk(folders: list[Path]) -> Iterator[Found]:
    """Every article file under the folders (recursively), skipping hidden files and configs."""
    for folder in folders:
        for root, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                if name.startswith(".") or name in SKIP_NAMES or name.endswith(SIDECAR):
                    continue
                if os.path.splitext(name)[1].lower() in SUFFIXES:
                    found = _stat(Path(root) / name)
                    if found is not None:
                        yield found


def _stat(path: Path) -> Found | None:
    """Stat a file and its sidecar; the sidecar's mtime is folded into the file's."""
    try:
        st = path.stat()
    except OSError:
        return None
    sidecar: Path | None = Path(str(path) + SIDECAR)
    try:
        side_mtime = sidecar.stat().st_mtime_ns if sidecar else 0
    except OSError:
        sidecar, side_mtime = None, 0
    return Found(str(path), path, st.st_mtime_ns + side_mtime, st.st_size, sidecar)


def under(key: str, folders: list[Path]) -> bool:
    """Whether a stored file path lies inside one of the folders."""
    return any(key.startswith(str(folder).rstrip(os.sep) + os.sep) for folder in folders)


def read_bytes(found: Found, max_bytes: int) -> tuple[bytes, bytes]:
    """The file's bytes and its sidecar's bytes (empty when none), or ``Rejected``."""
    if found.size > max_bytes:
        raise Rejected(f"too large ({found.size:,} bytes > {max_bytes:,})")
    try:
        data = found.path.read_bytes()
        side = found.sidecar.read_bytes() if found.sidecar else b""
    except OSError as exc:
        raise Rejected(f"unreadable ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise Rejected(f"too large ({len(data):,} bytes > {max_bytes:,})")
    return data, side


def fingerprint(data: bytes, side: bytes) -> str:
    """SHA-256 of a file's bytes together with its sidecar's."""
    digest = hashlib.sha256(data)
    if side:
        digest.update(b"\0sidecar\0" + side)
    return digest.hexdigest()


def decode(data: bytes, *, html: bool) -> str:
    """Decode a document: UTF-8 (or a BOM'd UTF-16, or an HTML page's declared charset)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16")
    if b"\0" in data:
        raise Rejected("binary file (NUL bytes)")
    if not data.strip():
        raise Rejected("empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        declared = _CHARSET.search(data[:4096]) if html else None
        if declared:
            return _decode(data, declared.group(1).decode("ascii"))
        raise Rejected("undecodable (not UTF-8 text)") from None


def _decode(data: bytes, encoding: str) -> str:
    """Decode strictly with a named encoding, or reject."""
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise Rejected(f"undecodable (not valid {encoding})") from None


def read_sidecar(side: bytes, found: Found) -> dict[str, Any] | None:
    """The parsed sidecar, None when there is none; ``Rejected`` when it is broken."""
    if found.sidecar is None:
        return None
    name = found.sidecar.name
    try:
        return tomllib.loads(side.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise Rejected(f"sidecar {name} is not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise Rejected(f"sidecar {name} is not valid TOML ({exc})") from None
