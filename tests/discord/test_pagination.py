"""Long listings are paginated with buttons that keep working after a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.discord import create_bot
from bot.settings import Settings
from tests.discord.articles import write_articles
from tests.discord.conftest import World


@pytest.fixture
def corpus(corpus: Path) -> Path:
    """The seeds plus forty generated minerals-deal articles."""
    write_articles(corpus, 40)
    return corpus


async def test_long_timeline_pages_with_buttons_across_a_restart(
    world: World, settings: Settings
) -> None:
    result = await world.alice.slash(world.channel, "timeline", topic="minerals-deal")
    message = result.response
    assert message is not None
    first = message.embeds[0]
    assert first.footer.text.startswith("Page 1/")
    total = int(first.footer.text.split("/")[1].split(" ")[0])
    assert total >= 2

    turned = await world.bob.click(message, label="Next ▶")
    assert turned.acknowledged and not turned.ephemeral
    second = message.embeds[0]
    assert second.footer.text.startswith(f"Page 2/{total}")
    assert second.description != first.description

    await world.env.restart_bot(create_bot(settings))
    back = await world.bob.click(message, label="◀ Previous")
    assert back.acknowledged
    assert message.embeds[0].description == first.description
    labels = {
        c["label"]: c.get("disabled", False)
        for row in message.components
        for c in row["components"]
    }
    assert labels["◀ Previous"] is True and labels["Next ▶"] is False


async def test_prefix_status_of_a_big_topic_fits_discord_limits(world: World) -> None:
    await world.alice.send(world.channel, "!status minerals-deal")
    embed = world.bot_messages()[-1].embeds[0]
    assert len(embed) <= 6000 and len(embed.description) <= 4096
    assert all(len(f.value) <= 1024 for f in embed.fields)
