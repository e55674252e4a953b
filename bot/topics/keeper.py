"""The topics a running service serves, read from the folders' topics.toml files."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.models import Topic
from bot.topics.config import load_topics

log = logging.getLogger(__name__)


class TopicKeeper:
    """Loads the folders' topics.toml files and says once what in them is ignored."""

    def __init__(self) -> None:
        self._logged: set[str] = set()

    def load(self, folders: list[Path]) -> tuple[list[Topic], str]:
        """The topics and their hash; each warning (a misspelt key) is logged once per process."""
        warnings: list[str] = []
        loaded = load_topics(folders, warnings)
        for line in warnings:
            self._once(logging.WARNING, line)
        return loaded

    def _once(self, level: int, line: str) -> None:
        """Log a line the first time this process sees it (a reload every 15 minutes is quiet)."""
        if line not in self._logged:
            self._logged.add(line)
            log.log(level, "%s", line)
