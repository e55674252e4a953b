"""Per-channel topics: a daily digest limited to some topics names only their developments."""

from __future__ import annotations

from typing import Any

from bot.errors import UnknownTopic
from tests.discord.conftest import World, acknowledge
from tests.discord.test_digest import NEW_ARTICLE, NINE_KYIV, digests
from tests.discord.test_digest_delivery import BRUSSELS, JEDDAH, NATO_ARTICLE


async def news(world: World, article: Any) -> None:
    """A minerals-deal and a NATO development, read by the re-ingest loop."""
    article("010_jeddah.txt", NEW_ARTICLE)
    article("011_brussels.txt", NATO_ARTICLE)
    await world.env.advance_time(15 * 60 + 1)


async def setup(
    world: World, channel: Any, time: str = "09:00", topics: str | None = None, **zone: str
) -> Any:
    """``digest setup`` as an admin would type it (Kyiv time unless ``timezone`` is given)."""
    options: dict[str, Any] = {"channel": channel, "time": time, "timezone": "Europe/Kyiv"}
    options.update(zone)
    if topics is not None:
        options["topics"] = topics
    result = await world.admin.slash(world.channel, "digest setup", **options)
    assert result.response is not None
    return result.response


def posted(world: World, channel: Any = None) -> str:
    return "\n".join(
        (e.title or "") + "\n" + (e.description or "")
        for m in world.bot_messages(channel)
        for e in m.embeds
    )


async def test_a_channel_limited_to_one_topic_never_names_another(
    world: World, article: Any
) -> None:
    other = world.guild.create_text_channel("everything")
    reply = await setup(world, world.channel, topics="minerals-deal")
    assert "Topics: US–Ukraine minerals deal." in reply.content
    await setup(world, other)
    await news(world, article)
    await world.env.advance_time(NINE_KYIV)

    [post] = digests(world)
    limited = posted(world)
    assert JEDDAH in limited
    assert BRUSSELS not in limited and "NATO" not in limited
    assert "1 new development" in post.content  # the header counts only this channel's topics
    everything = posted(world, other)
    assert JEDDAH in everything and BRUSSELS in everything  # the default is every topic

    preview = await world.admin.slash(world.channel, "digest preview")
    now = await world.admin.slash(world.channel, "digest now")
    assert preview.response is not None and now.response is not None
    assert "NATO" not in posted(world) and BRUSSELS not in "\n".join(
        e.description or "" for e in preview.response.embeds
    )


async def test_digest_list_shows_each_channels_topics(world: World) -> None:
    other = world.guild.create_text_channel("americas")
    await world.admin.send(
        world.channel,
        f"!digest setup {world.channel.mention} 09:00 Europe/Kyiv topics: minerals, nato-membership",
    )
    reply = world.bot_messages()[-1].content
    assert reply.startswith(f"Daily digest set for {world.channel.mention} at 09:00 (Europe/Kyiv).")
    await setup(world, other, "10:00", timezone="America/New_York")
    listed = await world.admin.slash(world.channel, "digest list")
    assert listed.response is not None
    first, second = listed.response.content.splitlines()[:2]
    assert first.endswith("· topics: minerals-deal, nato-membership")
    assert second.endswith("· all topics")


async def test_an_unknown_topic_is_refused_and_changes_nothing(world: World) -> None:
    await setup(world, world.channel)
    bad = await setup(world, world.channel, "10:00", "minerals-deal, mineral-dael-typo-x")
    assert "mineral-dael-typo-x" in bad.content
    acknowledge(world.env, UnknownTopic)
    listed = await world.admin.slash(world.channel, "digest list")
    assert listed.response is not None
    assert listed.response.content.splitlines()[0].startswith(
        f"{world.channel.mention} at 09:00 Europe/Kyiv"
    )
    assert listed.response.content.splitlines()[0].endswith("· all topics")


async def test_a_topic_removed_later_leaves_the_channel_quiet_not_broken(
    world: World, article: Any, corpus: Any
) -> None:
    await setup(world, world.channel, topics="us-aid")
    toml = corpus / "topics.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text[: text.index('[[topic]]\nslug = "us-aid"')], encoding="utf-8")
    await news(world, article)
    await world.env.advance_time(NINE_KYIV)
    [post] = digests(world)
    assert "No new developments since" in post.content
    assert JEDDAH not in posted(world)
    assert world.env.bot.service.subscriptions.digests.posts(world.channel.id)[0][1] == "sent"
