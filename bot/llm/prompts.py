"""Prompt files with ``string.Template`` placeholders, loaded and checked once at start-up.

Prompts are data: ``prompts/*.txt`` in a checkout (editable install), shipped as ``bot/_prompts``
inside the wheel. Each file must use exactly the placeholders listed in ``PLACEHOLDERS``: a
missing or unknown one is a ``ConfigError`` when the engine is built, not at the first call.
A prompt's version is the short sha256 of its file, and is part of every cache key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from string import Template

from bot.errors import ConfigError

# Every prompt file and the placeholders it must contain (no more, no fewer).
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "system": frozenset(),
    "map": frozenset({"title", "outlet", "published", "sentences", "schema"}),
    "status": frozenset({"topic", "description", "developments", "max_statements", "schema"}),
    "timeline": frozenset({"topic", "description", "developments", "max_statements", "schema"}),
    "digest": frozenset({"topic", "description", "developments", "max_statements", "schema"}),
    "answer": frozenset({"question", "sentences", "schema"}),
    "repair": frozenset({"error", "schema"}),
}


@dataclass(frozen=True, slots=True)
class Prompt:
    """One prompt file: its template and version (short sha256 of the file)."""

    name: str
    template: Template
    version: str

    def render(self, **values: object) -> str:
        """Fill the placeholders; every expected one must be given."""
        missing = PLACEHOLDERS[self.name] - values.keys()
        if missing:
            raise ValueError(f"prompt {self.name!r} needs {', '.join(sorted(missing))}")
        return self.template.substitute({k: str(v) for k, v in values.items()})


def prompts_dir(package: Path | None = None) -> Path:
    """Where the prompt files are: ``bot/_prompts`` in a wheel, ``<repo>/prompts`` in a checkout."""
    package = package or Path(__file__).resolve().parent.parent
    for candidate in (package / "_prompts", package.parent / "prompts"):
        if candidate.is_dir():
            return candidate
    raise ConfigError(
        f"prompt folder not found (looked in {package / '_prompts'} and {package.parent / 'prompts'})"
    )


def load_prompt(folder: Path, name: str) -> Prompt:
    """Read and check one prompt file."""
    path = folder / f"{name}.txt"
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read prompt {path}: {exc}") from exc
    template = Template(text)
    if not template.is_valid():
        raise ConfigError(f"prompt {path} has a stray '$' (write '$$' for a literal dollar sign)")
    found = set(template.get_identifiers())
    expected = PLACEHOLDERS[name]
    if found != expected:
        problems = []
        if expected - found:
            problems.append("missing $" + ", $".join(sorted(expected - found)))
        if found - expected:
            problems.append("unknown $" + ", $".join(sorted(found - expected)))
        raise ConfigError(f"prompt {path}: {'; '.join(problems)}")
    return Prompt(name, template, hashlib.sha256(raw).hexdigest()[:12])


@dataclass(frozen=True, slots=True)
class PromptSet:
    """Every prompt the engine uses, checked."""

    prompts: dict[str, Prompt]

    @classmethod
    def load(cls, folder: Path | None = None) -> PromptSet:
        """Load and check every prompt file (ConfigError on any problem)."""
        folder = folder or prompts_dir()
        return cls({name: load_prompt(folder, name) for name in PLACEHOLDERS})

    def __getitem__(self, name: str) -> Prompt:
        return self.prompts[name]

    def version(self, *names: str) -> str:
        """One version for the prompts a call uses together."""
        joined = "+".join(self.prompts[n].version for n in names)
        return hashlib.sha256(joined.encode()).hexdigest()[:12]
