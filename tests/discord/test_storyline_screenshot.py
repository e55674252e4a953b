"""A screenshot of a suggested storyline card, with its buttons (skipped without chromium)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.discord.app import DispatchBot
from bot.settings import Settings
from tests.conftest import FIXTURES
from tests.discord.conftest import World
from tests.discord.test_screenshots import CHROMIUM, publish, shoot, system_chromium

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
    pytest.mark.simcord(strict_sync=False),
]
__all__ = ["system_chromium"]  # the fixture, used by name


@pytest.fixture
def simcord_bot(settings: Settings) -> DispatchBot:
    """The bot without its schedules: the test runs the re-ingest pass itself."""
    return DispatchBot(settings, background=False)


async def test_suggested_storyline_screenshot(
    world: World, tmp_path: Path, system_chromium: None
) -> None:
    world.env.backend.bot_user.name = "Dispatch"
    corpus = world.env.bot.settings.corpus[0]
    for path in (FIXTURES / "discovery").glob("0[1-4]-*.txt"):
        shutil.copy(path, corpus / path.name)
    cog = world.env.bot.get_cog("Reingest")
    await cog.reingest()  # type: ignore[union-attr]
    await world.alice.send(world.channel, "!topics suggested")
    card = world.bot_messages()[-1]
    assert card.embeds and [c.label for c in card.components[0].children] == ["Accept", "Dismiss"]
    await shoot(world, tmp_path / "suggested.png", card, 700, "viewport")
    publish(tmp_path / "suggested.png")
