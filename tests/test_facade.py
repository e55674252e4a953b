"""The façade holds: the CLI and the Discord layer reach the rest only through ``Dispatch``.

Import analysis with ``ast`` (every import, also those inside functions and ``TYPE_CHECKING``
blocks): the delivery surfaces never import the packages below the façade nor touch the service's
store, and the feeds package, which the service calls, never imports the service back.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[1] / "bot"
SURFACES = ("cli", "discord")
BELOW = ("bot.store", "bot.feeds", "bot.llm", "bot.digest", "bot.topics", "bot.ingest")


def modules(package: str) -> list[Path]:
    return sorted((BOT / package).rglob("*.py"))


def imported(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, module) for every import, ``from bot import store`` counted as ``bot.store``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            if node.module == "bot":
                yield from ((node.lineno, f"bot.{alias.name}") for alias in node.names)


def below(module: str) -> bool:
    return any(module == b or module.startswith(b + ".") for b in BELOW)


def where(path: Path, line: int, what: str) -> str:
    return f"{path.relative_to(BOT.parent)}:{line}: {what}"


@pytest.mark.parametrize("package", SURFACES)
def test_the_surfaces_import_nothing_below_the_facade(package: str) -> None:
    offenders = [
        where(path, line, module)
        for path in modules(package)
        for line, module in imported(ast.parse(path.read_text(encoding="utf-8")))
        if below(module)
    ]
    assert offenders == []


@pytest.mark.parametrize("package", SURFACES)
def test_the_surfaces_never_touch_the_store(package: str) -> None:
    offenders = [
        where(path, node.lineno, f".{node.attr}")
        for path in modules(package)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr == "store"
    ]
    assert offenders == []


def test_the_feeds_package_does_not_import_the_service() -> None:
    offenders = [
        where(path, line, module)
        for path in modules("feeds")
        for line, module in imported(ast.parse(path.read_text(encoding="utf-8")))
        if module == "bot.service"
        or module.startswith("bot.cli")
        or module.startswith("bot.discord")
    ]
    assert offenders == []


def test_the_analysis_sees_imports_in_functions_and_type_checking_blocks() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from bot.store.feeds import FeedSource\n"
        "def f():\n    from bot import feeds\n    return service.store.feeds\n"
    )
    assert [m for _, m in imported(tree) if below(m)] == ["bot.store.feeds", "bot.feeds"]
