"""Topics managed from Discord and suggested storylines, through simcord's simulated Discord."""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from bot.discord.app import DispatchBot
from tests.conftest import FIXTURES
from tests.discord.conftest import World, acknowledge

pytestmark = pytest.mark.backends

pytestmark = pytest.mark.simcord(strict_sync=False)

DAM = ("01-courier-dam.txt", "02-times-dam.txt", "03-wire-dam.txt", "04-courier-dam.txt")


@pytest.fixture
def simcord_bot(settings: Any) -> DispatchBot:
    """The bot without its schedules: the test runs re-ingest passes itself."""
    return DispatchBot(settings, background=False)


def make_owner(world: World) -> Any:
    """A member listed in DISPATCH_OWNER_IDS (the admin and alice are not owners)."""
    user = world.env.create_user("olga")
    world.env.bot.settings.owner_ids = [user.id]
    return world.guild.add_member(user)


def texts(result: Any) -> list[str]:
    """The response and follow-ups of an interaction, in order."""
    return [m.content for m in [result.response, *result.followups] if m is not None]


async def reingest(world: World) -> None:
    """One pass of the bot's re-ingest loop (as its schedule would run it)."""
    cog: Any = world.env.bot.get_cog("Reingest")
    await cog.reingest()


async def test_a_member_and_a_server_admin_are_refused(world: World) -> None:
    for who in (world.alice, world.admin):
        result = await who.slash(
            world.channel, "topic add", slug="rail-strike", title="Rail strike", keywords="rail"
        )
        assert result.ephemeral and "Only the bot's owners" in result.response.content
    await world.alice.send(world.channel, "!topic remove nato-membership")
    assert "Only the bot's owners" in world.channel.last_message.content
    service = world.env.bot.service
    assert service.store.topics.all() == [] and "rail-strike" not in {
        t.slug for t in service.topic_list()
    }
    assert {type(e).__name__ for e in acknowledge(world.env, Exception)} == {"TopicOwnersOnly"}


async def test_an_owner_adds_a_topic_that_answers_status_when_ready(world: World) -> None:
    owner = make_owner(world)
    result = await owner.slash(
        world.channel,
        "topic add",
        slug="zelenskyy-visit",
        title="Zelenskyy in Washington",
        keywords="Oval Office, Zelenskyy",
        requires="Zelenskyy",
    )
    first, ready = texts(result)
    assert first.startswith("Added topic `zelenskyy-visit`") and "computing" in first
    assert ready.startswith("Topic `zelenskyy-visit` is ready:") and result.ephemeral
    status = await world.alice.slash(world.channel, "status", topic="zelenskyy-visit")
    embed = status.response.embeds[0]
    assert embed.title.startswith("Zelenskyy in Washington")
    assert "[1]" in (embed.description or "")
    shown = await world.alice.slash(world.channel, "topic show", topic="zelenskyy-visit")
    fields = {f.name: f.value for f in shown.response.embeds[0].fields}
    assert fields["Keywords"] == "Oval Office, Zelenskyy" and fields["Requires"] == "Zelenskyy"
    assert fields["Counts"].split()[0] != "0"


async def test_an_owner_edits_then_removes_a_topic_with_prefix_commands(world: World) -> None:
    owner = make_owner(world)
    await owner.send(world.channel, "!topic add fund-board Fund keywords: reconstruction fund")
    assert world.channel.last_message.content.startswith("Topic `fund-board` is ready")
    await owner.send(world.channel, "!topic edit fund-board title: Reconstruction fund")
    assert world.channel.last_message.content.startswith("Topic `fund-board` is ready")
    assert world.env.bot.service.resolve_topic("fund-board").title == "Reconstruction fund"
    await owner.send(world.channel, "!topic remove fund-board")
    assert world.channel.last_message.content.startswith("Removed topic `fund-board`")
    assert world.env.bot.service.store.topics.all() == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"slug": "Rail Strike", "title": "R", "keywords": "rail"}, "A slug is lowercase"),
        ({"slug": "rail-strike", "title": "R", "keywords": " , "}, "needs at least one keyword"),
        ({"slug": "minerals-deal", "title": "M", "keywords": "deal"}, "in a topics.toml file"),
    ],
)
async def test_bad_topics_get_one_line(world: World, options: dict[str, str], message: str) -> None:
    owner = make_owner(world)
    result = await owner.slash(world.channel, "topic add", **options)
    [text] = texts(result)
    assert message in text and "\n" not in text and result.ephemeral
    assert world.env.bot.service.store.topics.all() == []
    acknowledge(world.env, Exception)


async def test_a_topics_toml_topic_is_read_only_and_says_so(world: World) -> None:
    owner = make_owner(world)
    result = await owner.slash(world.channel, "topic edit", slug="minerals-deal", title="Mine")
    assert "read-only from Discord" in texts(result)[0]
    assert world.env.bot.service.resolve_topic("minerals-deal").title != "Mine"
    acknowledge(world.env, Exception)


async def test_a_candidate_appears_and_is_accepted_with_the_button(world: World) -> None:
    owner = make_owner(world)
    listed = await world.alice.slash(world.channel, "topics", show="suggested")
    assert listed.response.content.startswith("No suggested storylines")
    corpus = world.env.bot.settings.corpus[0]
    for name in DAM:
        shutil.copy(FIXTURES / "discovery" / name, corpus / name)
    await reingest(world)
    listed = await world.alice.slash(world.channel, "topics", show="suggested")
    [embed] = listed.response.embeds
    assert "Corvel Dam" in embed.title and "[1]" in (embed.description or "")
    assert "— Valley Courier, 2025-03-03" in (embed.description or "")  # the cited article
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Proposed topic"] == "`corvel-dam`" and fields["Coverage"].startswith(
        "4 articles"
    )
    refused = await world.alice.click(listed.response, label="Accept")
    assert "Only the bot's owners" in refused.response.content and refused.ephemeral
    assert world.env.bot.service.store.topics.all() == []
    accepted = await owner.click(listed.response, label="Accept")
    first, ready = texts(accepted)
    assert first == "Accepted as topic `corvel-dam`; computing its briefings…"
    assert ready.startswith("Topic `corvel-dam` is ready: 4 articles")
    status = await world.alice.slash(world.channel, "status", topic="corvel-dam")
    answer = status.response.embeds[0]
    assert "Corvel Dam" in answer.title and "[1]" in (answer.description or "")
    again = await world.alice.slash(world.channel, "topics", show="suggested")
    assert again.response.content.startswith("No suggested storylines")


async def test_a_dismissed_candidate_stays_dismissed(world: World) -> None:
    owner = make_owner(world)
    corpus = world.env.bot.settings.corpus[0]
    for name in DAM:
        shutil.copy(FIXTURES / "discovery" / name, corpus / name)
    await reingest(world)
    await owner.send(world.channel, "!topics suggested")
    card = world.channel.last_message
    dismissed = await owner.click(card, label="Dismiss")
    assert dismissed.response.content.startswith("Dismissed “")
    await reingest(world)
    await world.alice.send(world.channel, "!topics suggested")
    assert world.channel.last_message.content.startswith("No suggested storylines")
    late = await owner.click(card, label="Accept")
    assert "No suggested storyline" in late.response.content
    assert world.env.bot.service.store.topics.all() == []
    posts = [
        r for r in world.env.http_requests if r.method == "POST" and r.path.endswith("/messages")
    ]
    assert posts and all(r.json["allowed_mentions"] == {"parse": []} for r in posts)  # no pings
