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

    turned = await world.alice.click(message, label="Next ▶")
    assert turned.acknowledged and not turned.ephemeral
    second = message.embeds[0]
    assert second.footer.text.startswith(f"Page 2/{total}")
    assert second.description != first.description

    await world.env.restart_bot(create_bot(settings))
    back = await world.alice.click(message, label="◀ Previous")
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


async def test_someone_elses_buttons_page_a_private_copy_and_leave_the_message_alone(
    world: World, settings: Settings
) -> None:
    result = await world.alice.slash(world.channel, "timeline", topic="minerals-deal")
    message = result.response
    assert message is not None
    first = message.embeds[0].description

    await world.env.restart_bot(create_bot(settings))  # ownership survives a restart
    copy = await world.bob.click(message, label="Next ▶")
    assert copy.ephemeral and copy.response is not None
    assert copy.response.embeds[0].footer.text.startswith("Page 2/")
    assert message.embeds[0].description == first  # alice's page did not move

    # bob's copy is his to page (back: the timeline may have only two pages)
    again = await world.bob.click(copy.response, label="◀ Previous")
    assert again.acknowledged and not again.followups
    assert copy.response.embeds[0].footer.text.startswith("Page 1/")
    assert message.embeds[0].description == first
    assert len(world.bot_messages()) == 1


async def test_buttons_posted_before_pages_had_owners_still_page_in_place(world: World) -> None:
    from bot.discord.pages import render
    from bot.discord.views import page_view

    bot = world.env.bot
    embeds = await render(bot, "timeline", "minerals-deal")
    view = page_view("timeline", "minerals-deal", 0, len(embeds))  # no owner: the old format
    assert (
        view is not None and view.children[1].custom_id == "dispatch:page:timeline:minerals-deal::1"
    )  # type: ignore[attr-defined]
    channel = bot.get_channel(world.channel.id)
    await channel.send(embed=embeds[0], view=view)  # type: ignore[union-attr]
    message = world.bot_messages()[-1]
    turned = await world.bob.click(message, label="Next ▶")
    assert turned.acknowledged and not turned.ephemeral
    assert world.bot_messages()[-1].embeds[0].footer.text.startswith("Page 2/")
