"""The topics a running service serves: the last good ones while a topics.toml is broken."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bot.errors import ConfigError
from bot.models import Topic
from bot.store import Store
from bot.topics.config import TopicFiles, load_topics

log = logging.getLogger(__name__)

KEY = "topics_last_good"  # meta key: the last topics that loaded, for the next process


class TopicKeeper:
    """Loads the folders' topics.toml files; a broken file never takes the topics away.

    An edit that breaks a file while the bot runs (or between two CLI commands) is logged once
    and the last good topics stay in service, so briefings keep their topics and their stored
    results. Only with no good topics ever seen does the ``ConfigError`` reach the caller.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.problem: str | None = None  # why the files on disk are not the topics served
        self._good: tuple[list[Topic], str] | None = None
        self._logged: set[str] = set()

    def load(
        self, folders: list[Path], kept: Mapping[str, TopicFiles] | None = None
    ) -> tuple[list[Topic], str]:
        """The topics and their hash: as on disk, or the last good ones if the files are broken.

        ``kept`` holds the saved topics.toml files of folders that vanished (``load_topics``).
        """
        warnings: list[str] = []
        try:
            loaded = load_topics(folders, kept, warnings)
        except ConfigError as exc:
            good = self._good or self._stored()
            if good is None:
                raise
            self.problem = str(exc)
            self._once(logging.ERROR, f"{exc}; serving the last good topics")
            return good
        for line in warnings:
            self._once(logging.WARNING, line)
        if self.problem:
            log.info("topics.toml readable again: %d topics", len(loaded[0]))
            self._logged = {line for line in self._logged if not line.endswith("good topics")}
        self.problem = None
        self._good = loaded
        return loaded

    def remember(self) -> None:
        """Store the topics last read well (callers hold the writer lock), if they changed."""
        if self._good is None or self.problem:
            return
        topics, digest = self._good
        stored = self._stored()
        if stored is None or stored[1] != digest:
            body = {"hash": digest, "topics": [asdict(t) for t in topics]}
            self.store.meta_set(KEY, json.dumps(body, ensure_ascii=False))

    def _stored(self) -> tuple[list[Topic], str] | None:
        """The topics an earlier process stored as good, if any."""
        raw = self.store.meta_get(KEY)
        if not raw:
            return None
        try:
            body = json.loads(raw)
            return [_topic(t) for t in body["topics"]], str(body["hash"])
        except (ValueError, KeyError, TypeError):  # damaged: as if none had been stored
            log.warning("the stored last good topics are unreadable; ignoring them")
            return None

    def _once(self, level: int, line: str) -> None:
        """Log a line the first time this process sees it (a reload every 15 minutes is quiet)."""
        if line not in self._logged:
            self._logged.add(line)
            log.log(level, "%s", line)


def _topic(data: dict[str, Any]) -> Topic:
    """A topic back from its stored JSON form (lists become the tuples a Topic holds)."""
    return Topic(
        slug=str(data["slug"]),
        title=str(data["title"]),
        description=str(data.get("description", "")),
        keywords=tuple(data.get("keywords", ())),
        aliases=tuple(data.get("aliases", ())),
        requires=tuple(data.get("requires", ())),
    )
