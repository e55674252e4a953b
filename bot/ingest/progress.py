"""A progress bar on stderr for long ingests (``rich``), silent when disabled."""

from __future__ import annotations

from types import TracebackType
from typing import Any


class Bar:
    """Context manager around a ``rich`` progress bar; a no-op when not enabled."""

    def __init__(self, total: int, *, enabled: bool, label: str = "Ingesting") -> None:
        self.total = total
        self.enabled = enabled
        self.label = label
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> Bar:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task(self.label, total=self.total)
        return self

    def advance(self) -> None:
        """Count one item done."""
        if self._progress is not None:
            self._progress.advance(self._task)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
