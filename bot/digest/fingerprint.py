"""Per-topic fingerprints, so a recompute rebuilds only the topics whose inputs changed.

A topic's results come from two costly steps: clustering its reports into developments
(``build_topic``) and writing its status and timeline (the engine). Each step's output is kept
with a hash of everything that step reads (the ``Kept`` row); the next recompute reuses the
output only when the hash of the inputs it has now is the same, so reusing equals rebuilding.
The corpus-wide steps between them (assignment, dating, related developments) always run, and
their results are part of the second step's inputs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.models import Development, Sentence, Source, Topic, pages_of

KIND = "fingerprint"  # the stored row's kind (one per topic, engine "")


def _hasher(salt: str, topic: Topic) -> Any:
    digest = hashlib.sha256(salt.encode())
    digest.update(repr(topic).encode())
    return digest


class SourceDigests:
    """Each source's digest (as dated now, with its sentences), computed once per recompute:
    a page in several topics is hashed once, not once per topic.

    A digest is reused only while the source is the very object it was computed from and its
    sentences are the same: the same list, or for sentences read from the store as they are
    used (``StoredSentences``), the same ``revision``. The recompute replaces, never edits, a
    source or a page it re-dates.
    """

    def __init__(self) -> None:
        self._seen: dict[str, tuple[Source | None, object, bytes]] = {}

    def of(
        self,
        ids: Iterable[str],
        sources: Mapping[str, Source],
        sentences: Mapping[str, list[Sentence]],
    ) -> list[bytes]:
        """The digests of these sources and their sentences, in that order (the pages not
        digested yet are read together)."""
        wanted = list(ids)
        revision = getattr(sentences, "revision", None)
        now = {sid: (sources.get(sid), self._revision(sid, sentences, revision)) for sid in wanted}
        stale = [sid for sid, (source, same) in now.items() if not self._fresh(sid, source, same)]
        for sid, sents in pages_of(sentences, stale):
            source, same = now[sid]
            digest = hashlib.sha256(repr(source).encode())
            for s in sents:
                digest.update(repr(s).encode())
            self._seen[sid] = (source, same, digest.digest())
        return [self._seen[sid][2] for sid in wanted]

    @staticmethod
    def _revision(sid: str, sentences: Mapping[str, list[Sentence]], revision: Any) -> object:
        """What tells a page's sentences are the same: its list, or the store's ``revision``
        (a page read again is the same page)."""
        return revision(sid) if revision else sentences.get(sid)

    def _fresh(self, sid: str, source: Source | None, same: object) -> bool:
        seen = self._seen.get(sid)
        return seen is not None and seen[0] is source and seen[1] is same


def _sources(
    digest: Any,
    ids: Iterable[str],
    sources: Mapping[str, Source],
    sentences: Mapping[str, list[Sentence]],
    memo: SourceDigests | None,
) -> None:
    """Feed the sources (as dated now) and their sentences into ``digest``, in id order."""
    memo = memo or SourceDigests()
    for part in memo.of(sorted(set(ids)), sources, sentences):
        digest.update(part)


def build_key(
    salt: str,
    topic: Topic,
    relevance: Mapping[tuple[str, int], float],
    members: Mapping[str, float],
    sources: Mapping[str, Source],
    sentences: Mapping[str, list[Sentence]],
    memo: SourceDigests | None = None,
) -> str:
    """A hash of what ``build_topic`` reads of a topic: its relevant sentences with their
    relevance, its member articles, and those sources and their sentences."""
    digest = _hasher(salt, topic)
    digest.update(repr(sorted(relevance.items())).encode())
    digest.update(repr(sorted(members.items())).encode())
    _sources(digest, [*(k[0] for k in relevance), *members], sources, sentences, memo)
    return digest.hexdigest()


def brief_key(
    salt: str,
    topic: Topic,
    devs: Sequence[Development],
    cited: Mapping[str, Source],
    sentences: Mapping[str, list[Sentence]],
    memo: SourceDigests | None = None,
) -> str:
    """A hash of what the engine and the citation links read for a topic's briefings: its
    developments (related ones and estimated dates included), the cited sources and their text."""
    digest = _hasher(salt, topic)
    for d in devs:
        digest.update(repr(d).encode())
    _sources(digest, cited, cited, sentences, memo)
    return digest.hexdigest()


def bodies_hash(bodies: Mapping[str, Any]) -> str:
    """A hash of stored briefing bodies, to tell they are still the ones a ``Kept`` vouches for."""
    text = json.dumps(bodies, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Kept:
    """What a recompute stored of a topic's two costly steps, with the keys of their inputs."""

    build: str = ""
    built: tuple[list[dict[str, Any]], dict[str, Any] | None] = ([], None)
    brief: str = ""
    bodies: str = ""  # bodies_hash of the status and timeline stored with it

    @classmethod
    def of(cls, body: Any) -> Kept:
        """A stored row's ``Kept`` (nothing kept when there is none or it is malformed)."""
        if not isinstance(body, dict):
            return cls()
        try:
            built = (list(body["developments"]), body["clustering"])
            return cls(str(body["build"]), built, str(body["brief"]), str(body["bodies"]))
        except (KeyError, TypeError):
            return cls()

    def to_dict(self) -> dict[str, Any]:
        """The row stored for the next recompute."""
        developments, clustering = self.built
        return {
            "build": self.build,
            "developments": developments,
            "clustering": clustering,
            "brief": self.brief,
            "bodies": self.bodies,
        }
