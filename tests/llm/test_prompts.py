"""Prompt files: found in a checkout or a wheel, placeholders checked at start-up, versioned."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.llm.prompts import PLACEHOLDERS, PromptSet, prompts_dir

REPO_PROMPTS = Path(__file__).resolve().parents[2] / "prompts"


@pytest.fixture
def prompt_copy(tmp_path: Path) -> Path:
    target = tmp_path / "prompts"
    shutil.copytree(REPO_PROMPTS, target)
    return target


def test_shipped_prompts_load_with_exactly_their_placeholders() -> None:
    prompts = PromptSet.load()
    assert set(prompts.prompts) == set(PLACEHOLDERS)
    assert all(len(p.version) == 12 for p in prompts.prompts.values())


def test_checkout_and_wheel_layouts(tmp_path: Path) -> None:
    checkout = tmp_path / "repo"
    (checkout / "bot").mkdir(parents=True)
    (checkout / "prompts").mkdir()
    assert prompts_dir(checkout / "bot") == checkout / "prompts"
    (checkout / "bot" / "_prompts").mkdir()  # a wheel ships them inside the package
    assert prompts_dir(checkout / "bot") == checkout / "bot" / "_prompts"
    with pytest.raises(ConfigError, match="prompt folder not found"):
        prompts_dir(tmp_path / "elsewhere" / "bot")


def test_pyproject_ships_prompts_in_the_wheel() -> None:
    import tomllib

    config = tomllib.loads((REPO_PROMPTS.parent / "pyproject.toml").read_text())
    assert (
        config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]["prompts"]
        == "bot/_prompts"
    )


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("$schema", ""), "missing $schema"),
        (lambda t: t + "\n$unexpected", "unknown $unexpected"),
        (lambda t: t + "\nCosts $ 5", "stray '$'"),
    ],
)
def test_broken_prompts_fail_at_start_up(prompt_copy: Path, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    path = prompt_copy / "status.txt"
    path.write_text(edit(path.read_text()))
    with pytest.raises(ConfigError, match=message.replace("$", r"\$")):
        PromptSet.load(prompt_copy)


def test_missing_prompt_file_fails_at_start_up(prompt_copy: Path) -> None:
    (prompt_copy / "answer.txt").unlink()
    with pytest.raises(ConfigError, match=r"answer\.txt"):
        PromptSet.load(prompt_copy)


def test_literal_json_needs_no_escaping_and_versions_follow_content(prompt_copy: Path) -> None:
    before = PromptSet.load(prompt_copy)
    path = prompt_copy / "map.txt"
    path.write_text(
        path.read_text() + '\nExample: {"events": [{"text": "…", "cite": [1]}]} costs $$5\n'
    )
    after = PromptSet.load(prompt_copy)
    assert after["map"].version != before["map"].version
    assert after.version("system", "map") != before.version("system", "map")
    assert after["status"].version == before["status"].version
    rendered = after["map"].render(
        title="t", outlet="o", published="p", sentences="[1] s", schema="{}"
    )
    assert '{"events": [{"text"' in rendered and "costs $5" in rendered


def test_render_requires_every_placeholder() -> None:
    with pytest.raises(ValueError, match="needs"):
        PromptSet.load()["answer"].render(question="q")
