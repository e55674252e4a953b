"""Domain errors that carry data; delivery layers turn them into friendly messages."""

from __future__ import annotations


class DispatchError(Exception):
    """Base class for errors a user can be shown as-is."""

    exit_code = 1


class UsageError(DispatchError):
    """The user asked for something malformed."""

    exit_code = 2


class UnknownTopic(UsageError):
    """No topic matches the query."""

    def __init__(self, query: str, suggestions: list[str] | None = None, *, hint: str = "") -> None:
        self.query = query
        self.suggestions = list(suggestions or [])
        if self.suggestions:
            hint = f"Did you mean: {', '.join(self.suggestions)}?"
        super().__init__(f"Unknown topic {query!r}. {hint}".strip())


class AmbiguousTopic(UsageError):
    """Several topics match the query."""

    def __init__(self, query: str, candidates: list[str]) -> None:
        self.query = query
        self.candidates = list(candidates)
        self.suggestions = self.candidates
        super().__init__(f"Topic {query!r} is ambiguous: {', '.join(candidates)}.")


class CorpusMissing(UsageError):
    """A corpus folder does not exist."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"Corpus folder not found: {path}")


class ConfigError(UsageError):
    """A setting or a config file (topics.toml, feeds.toml) is invalid."""
