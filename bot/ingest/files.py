"""Finding corpus files, their sidecars, and reading them safely (reject, never crash)."""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import ConfigError

SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"})
SKIP_NAMES = frozenset({"topics.toml", "feeds.toml"})
SIDECAR = ".meta.toml"
# A topics.toml, feeds.toml or sidecar is a few kilobytes; a link to /dev/zero or a log file is not.
CONFIG_MAX_BYTES = 1_000_000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Found:
    """A corpus file and the stat facts that tell whether it changed."""

    key: str
    path: Path
    mtime_ns: int
    size: int
    sidecar: Path | None
    problem: str = ""  # why the file cannot be read at all (a FIFO, a broken link), if so


class Rejected(Exception):
    """A file that cannot be ingested; the message is the one-line reason."""


def spelled(folder: Path) -> Path:
    """A folder as the user gave it (absolute or relative), without ``./``, ``..`` or a slash."""
    text = str(folder)
    return Path(os.path.abspath(text) if os.path.isabs(text) else os.path.normpath(text))


def identity(key: str) -> str:
    """What makes two spellings of a file the same file: its absolute path."""
    return os.path.abspath(key)


def corpus_folders(folders: list[Path]) -> list[Path]:
    """The folders in one spelling each, without repeats or folders inside another one."""
    kept: list[Path] = []
    for folder in map(spelled, folders):
        if any(_inside(folder, other) for other in kept):
            continue
        kept = [other for other in kept if not _inside(other, folder)] + [folder]
    return kept


def _inside(path: Path | str, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies under it, however either is spelled."""
    return Path(identity(str(path))).is_relative_to(identity(str(folder)))


UNLISTED = -1  # the recorded mtime of a folder that could not be listed (never matches)

OUTSIDE = "a link to a file outside the corpus folders (set DISPATCH_FOLLOW_OUTSIDE_LINKS=true to read it)"


def walk(
    folders: list[Path], *, outside_links: bool = False, dirs: dict[str, int] | None = None
) -> Iterator[Found]:
    """Every article file under the folders (recursively), skipping hidden files and configs.

    A file whose real path is outside every folder (a link to ``/etc/passwd``, or into a linked
    folder elsewhere) is found with a problem unless ``outside_links``: its lines could
    otherwise be quoted to a whole Discord server. ``dirs`` collects each folder walked, with
    its modification time (for the scan index).
    """
    roots = _Roots([os.path.realpath(folder) for folder in corpus_folders(folders)])
    for root, entries, subdirs in _listing(folders, dirs):
        # what the listing tells costs no system call: which names are links, which have sidecars
        links = {e.name: _is_link(e) for e in entries}
        names = links.keys() | subdirs
        for entry in entries:
            name = entry.name
            if name in SKIP_NAMES or name.endswith(SIDECAR):
                continue
            if os.path.splitext(name)[1].lower() in SUFFIXES:
                side = name + SIDECAR
                found = _stat(root / name, sidecar=side in names, link=links[name])
                if outside_links or found.problem:
                    yield found
                else:
                    yield _inside_only(found, roots, link=links[name], side_link=links.get(side))


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


class _Roots:
    """The real corpus folders, and which folders were found inside them (one look-up each)."""

    def __init__(self, roots: list[str]) -> None:
        self.roots = roots
        self._dirs: dict[str, bool] = {}

    def holds(self, real: str) -> bool:
        return any(
            real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in self.roots
        )

    def holds_dir(self, folder: str) -> bool:
        inside = self._dirs.get(folder)
        if inside is None:
            inside = self._dirs[folder] = self.holds(os.path.realpath(folder))
        return inside


def _inside_only(
    found: Found, roots: _Roots, *, link: bool | None = None, side_link: bool | None = None
) -> Found:
    """The file, or one to reject when it or its sidecar resolves outside every corpus folder.

    Its stat facts are zeroed, so that allowing such links later reads it again. ``link`` and
    ``side_link``: whether the file and its sidecar are links, when the folder listing told.
    """
    if _outside(found.path, roots, link=link):
        return Found(found.key, found.path, 0, 0, None, OUTSIDE)
    if found.sidecar is not None and _outside(found.sidecar, roots, link=side_link):
        name = Path(storable(found.sidecar)).name
        return Found(found.key, found.path, 0, 0, None, f"sidecar {name}: {OUTSIDE}")
    return found


def _outside(path: Path, roots: _Roots, *, link: bool | None = None) -> bool:
    """Whether a file's real path (links resolved) lies outside every real corpus folder.

    A file that is not itself a link is where its folder is: each folder is resolved once.
    """
    text = os.fspath(path)
    if not (os.path.islink(text) if link is None else link):
        return not roots.holds_dir(os.path.dirname(text))
    return not roots.holds(os.path.realpath(text))


def config_files(folders: list[Path], name: str) -> Iterator[Path]:
    """Every file called ``name`` under the folders, walked like the articles.

    Only the folders are listed: no other file is stat'ed or even named (a read command looks
    for topics.toml in a folder of 20,000 articles).
    """
    return _tree(folders, only=name)


def _tree(folders: list[Path], *, only: str) -> Iterator[Path]:
    """Every file called ``only`` under the folders, in a stable order."""
    for root, entries, _ in _listing(folders):
        yield from (root / e.name for e in entries if e.name == only)


Listed = tuple[Path, list[os.DirEntry[str]], set[str]]


def _listing(folders: list[Path], dirs: dict[str, int] | None = None) -> Iterator[Listed]:
    """Every folder under the folders with its non-hidden entries other than folders (sorted by
    name) and the names of its non-hidden subfolders, top down, in a stable order.

    Linked folders are followed, each real folder once (a link loop or a link back into the
    corpus is not walked twice). ``dirs`` collects every folder walked with its mtime; one that
    cannot be listed is recorded as ``UNLISTED`` (no mtime vouches for it).
    """
    visited: set[tuple[int, int]] = set()
    for folder in corpus_folders(folders):
        yield from _listed(os.fspath(folder), visited, dirs)


def _listed(
    root: str, visited: set[tuple[int, int]], dirs: dict[str, int] | None
) -> Iterator[Listed]:
    try:
        with os.scandir(root) as listing:
            entries = [e for e in listing if not e.name.startswith(".")]
    except OSError:  # gone or unreadable: no mtime vouches for it
        if dirs is not None:
            dirs[root] = UNLISTED
        return
    if not _first_visit(root, visited, dirs):
        return
    files, subdirs = [], set()
    for e in entries:
        if _is_dir(e):
            subdirs.add(e.name)
        else:
            files.append(e)
    yield Path(root), sorted(files, key=lambda e: e.name), subdirs
    for sub in sorted(subdirs):
        yield from _listed(os.path.join(root, sub), visited, dirs)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether an entry is a folder, or a link to one (followed, as the articles are)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _first_visit(
    root: str, visited: set[tuple[int, int]], dirs: dict[str, int] | None = None
) -> bool:
    """Record a real folder as walked (in ``dirs`` too); False when it was walked already."""
    try:
        st = os.stat(root)
    except OSError:
        return False
    key = (st.st_dev, st.st_ino)
    if key in visited:
        return False
    visited.add(key)
    if dirs is not None:
        dirs[root] = st.st_mtime_ns
    return True


def storable(path: Path | str) -> str:
    """A path as one line of text that can be stored and printed.

    Name bytes that are not UTF-8 read as ``\\xff`` and control characters (a newline in a
    file name) as ``\\n``; the file itself is still read from its real path.
    """
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = os.fsencode(text).decode("utf-8", errors="backslashreplace")
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _stat(path: Path, *, sidecar: bool = True, link: bool | None = None) -> Found:
    """Stat a file and its sidecar; the sidecar's mtime is folded into the file's.

    ``sidecar`` False: the folder listing shows none (nothing to stat); ``link``: whether the
    file is a link, when the listing told.
    """
    key = storable(path)
    try:
        st = path.stat()
    except OSError as exc:
        broken = path.is_symlink() if link is None else link
        problem = "broken link" if broken else f"unreadable ({exc.strerror or exc})"
        return Found(key, path, 0, 0, None, problem)
    if not stat.S_ISREG(st.st_mode):
        return Found(key, path, st.st_mtime_ns, 0, None, "not a regular file")
    if not sidecar:
        return Found(key, path, st.st_mtime_ns, st.st_size, None)
    side: Path | None = Path(str(path) + SIDECAR)
    try:
        side_mtime = side.stat().st_mtime_ns if side else 0
    except OSError:
        side, side_mtime = None, 0
    return Found(key, path, st.st_mtime_ns + side_mtime, st.st_size, side)


def under(key: str, folders: list[Path]) -> bool:
    """Whether a stored file path lies inside one of the folders."""
    return any(_inside(key, folder) for folder in folders)


def read_bytes(found: Found, max_bytes: int) -> tuple[bytes, bytes]:
    """The file's bytes and its sidecar's bytes (empty when none), or ``Rejected``."""
    if found.problem:
        raise Rejected(found.problem)
    if found.size > max_bytes:
        raise Rejected(f"too large ({found.size:,} bytes > {max_bytes:,})")
    data = read_capped(found.path, max_bytes)
    if found.sidecar is None:
        return data, b""
    try:
        return data, read_capped(found.sidecar, CONFIG_MAX_BYTES)
    except Rejected as exc:
        raise Rejected(f"sidecar {Path(storable(found.sidecar)).name}: {exc}") from None


def read_capped(path: Path, limit: int) -> bytes:
    """A regular file's bytes, or ``Rejected`` when it is larger than ``limit`` or not a file.

    Every file the bot reads goes through here: articles, sidecars, topics.toml and feeds.toml.
    """
    try:
        data = _read_regular(path, limit + 1)
    except OSError as exc:
        raise Rejected(f"unreadable ({exc.strerror or exc})") from exc
    if len(data) > limit:
        raise Rejected(f"too large (more than {limit:,} bytes)")
    return data


def read_config(path: Path, folders: list[Path]) -> bytes:
    """A config file's bytes (capped), or ``ConfigError`` naming it as ``shown`` does."""
    try:
        return read_capped(path, CONFIG_MAX_BYTES)
    except Rejected as exc:
        raise ConfigError(f"{shown(path, folders)}: {exc}") from None


def shown(path: Path, folders: list[Path]) -> str:
    """A file's name for messages: relative to its corpus folder (named), not the host's path.

    ``/srv/news/corpus/sub/topics.toml`` under the folder ``/srv/news/corpus`` reads
    ``corpus/sub/topics.toml``: enough to find the file, nothing about the host.
    """
    for folder in corpus_folders(folders):
        if _inside(path, folder):
            root = identity(str(folder))
            return storable(Path(Path(root).name) / os.path.relpath(identity(str(path)), root))
    return storable(Path(path).name)


def _read_regular(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of a regular file; never blocks on a FIFO or reads a device."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Rejected("not a regular file")
        return handle.read(limit)


def fingerprint(data: bytes, side: bytes) -> str:
    """SHA-256 of a file's bytes together with its sidecar's."""
    digest = hashlib.sha256(data)
    if side:
        digest.update(b"\0sidecar\0" + side)
    return digest.hexdigest()


WINDOWS_1252_NOTE = "read as Windows-1252 (not UTF-8)"
# Above this share of non-ASCII letters, bytes read as Windows-1252 are another encoding's text
# (Cyrillic in cp1251 or KOI8-R reads as "Ïðåçèäåíò"): rejected rather than stored as gibberish.
MAX_FOREIGN_LETTERS = 0.3


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes, *, html: bool) -> tuple[str, str]:
    """Decode a document; return the text and a note on how it was read ("" for UTF-8).

    UTF-8 (or BOM'd UTF-16 or UTF-32, or an HTML page's declared charset); failing those, bytes that
    are not UTF-8 are read as Windows-1252, the usual encoding of text saved on Windows (a
    superset of Latin-1 for printable text). Quotes stay checkable: they are verbatim in the
    decoded text that is stored.
    """
    for bom, encoding in _BOMS:  # UTF-32 first: its little-endian BOM starts like UTF-16's
        if data.startswith(bom):
            return _decode(data[len(bom) :], encoding), ""
    if b"\0" in data:
        raise Rejected("binary file (NUL bytes)")
    if not data.strip():
        raise Rejected("empty")
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        declared = _CHARSET.search(data[:4096]) if html else None
        if declared:
            return _decode(data, declared.group(1).decode("ascii")), ""
    return _windows_1252(data), WINDOWS_1252_NOTE


def _windows_1252(data: bytes) -> str:
    """UTF-8 where it is valid, Windows-1252 for the other bytes; ``Rejected`` if implausible."""
    try:
        text = data.decode("utf-8-sig", errors=_CP1252_FALLBACK)
    except UnicodeDecodeError:  # a byte Windows-1252 leaves undefined
        raise Rejected("undecodable (neither UTF-8 nor Windows-1252 text)") from None
    letters = [c for c in text if c.isalpha()]
    foreign = sum(not c.isascii() for c in letters)
    controls = any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v" for c in text)
    if controls or not letters or foreign / len(letters) > MAX_FOREIGN_LETTERS:
        raise Rejected("undecodable (not UTF-8, and not plausible as Windows-1252)")
    return text


def _cp1252_bytes(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read the bytes UTF-8 rejected as Windows-1252 (strictly)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bytes(bad).decode("cp1252"), error.end


_CP1252_FALLBACK = "dispatch-cp1252"
codecs.register_error(_CP1252_FALLBACK, _cp1252_bytes)


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
    name = Path(storable(found.sidecar)).name
    try:
        return tomllib.loads(side.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise Rejected(f"sidecar {name} is not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise Rejected(f"sidecar {name} is not valid TOML ({exc})") from None
