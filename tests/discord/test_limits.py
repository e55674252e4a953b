"""A huge briefing goes through simulated Discord (which enforces its limits) without a rejection."""

from __future__ import annotations

from typing import Any

import pytest

from bot.discord import DispatchBot, create_bot
from bot.discord.app import build_service
from bot.settings import Settings
from tests.discord.conftest import World
from tests.discord.huge import huge_briefing


@pytest.fixture
def simcord_bot(settings: Settings) -> DispatchBot:
    """A bot whose real service answers every briefing with a huge one."""
    service: Any = build_service(settings)
    service.status = lambda query: huge_briefing("status")
    service.timeline = lambda query, limit=None: huge_briefing("timeline")
    service.digest = lambda since=None, topics=None, **_: [huge_briefing("digest")] * 3
    return create_bot(settings, service=service)


async def test_huge_status_pages_through_and_its_quotes_page_privately(world: World) -> None:
    await world.alice.send(world.channel, "!status minerals-deal")
    message = world.bot_messages()[-1]
    total = int(message.embeds[0].footer.text.split("/")[1].split(" ")[0])
    seen = {message.embeds[0].description}
    for _ in range(total - 1):
        await world.alice.click(world.bot_messages()[-1], label="Next ▶")
        seen.add(world.bot_messages()[-1].embeds[0].description)
    assert len(seen) == total
    shown = await world.bob.click(world.bot_messages()[-1], label="Show quotes")
    assert shown.ephemeral and shown.response is not None
    quotes = shown.response
    total = int(quotes.embeds[0].footer.text.removeprefix("Page 1/"))
    pages = [quotes.embeds[0].description]
    for _ in range(total - 1):  # every quote is reachable: nothing is dropped for length
        turned = await world.bob.click(quotes, label="Next ▶")
        assert turned.acknowledged
        pages.append(quotes.embeds[0].description)
    text = "\n".join(pages)
    assert all(f"Quote {i}:" in text for i in range(40))
    assert all(len(e) <= 6000 for e in quotes.embeds)
    assert len(world.bot_messages()) == 1  # the public message was never touched


async def test_huge_timeline_by_slash(world: World) -> None:
    result = await world.alice.slash(world.channel, "timeline", topic="minerals-deal")
    assert result.response is not None
    assert result.response.embeds[0].footer.text.startswith("Page 1/")


async def test_huge_digest_is_split_across_messages(world: World) -> None:
    result = await world.admin.slash(world.channel, "digest now")
    assert result.response is not None and "Posted the digest" in result.response.content
    posts = world.bot_messages()
    assert len(posts) >= 3
    assert posts[0].content.startswith("**Daily digest** · 120 new developments in 3 topics")
    assert all(len(p.embeds) <= 10 and sum(len(e) for e in p.embeds) <= 6000 for p in posts)


async def test_a_huge_preview_says_what_it_leaves_out(world: World) -> None:
    result = await world.admin.slash(world.channel, "digest preview")
    messages = [result.response, *result.followups]
    assert all(m is not None and m.ephemeral for m in messages)
    assert len(messages) == 4
    last = messages[-1]
    assert last is not None and last.content.startswith("… and ")
    assert last.content.endswith(" more pages not shown here.")
    assert world.bot_messages() == []
