"""Admin commands need Manage Server (prefix and slash); setup validates channel, time and zone."""

from __future__ import annotations

import discord
import pytest
from discord.ext import commands

from bot.errors import UsageError
from tests.discord.conftest import World, acknowledge


async def test_prefix_digest_setup_needs_manage_server(world: World) -> None:
    await world.alice.send(
        world.channel, f"!digest setup {world.channel.mention} 09:00 Europe/Kyiv"
    )
    assert world.bot_messages()[-1].content == "You need the Manage Server permission to do that."
    acknowledge(world.env, commands.MissingPermissions)


async def test_slash_digest_is_hidden_and_still_checked_when_an_admin_allows_it(
    world: World,
) -> None:
    assert "digest setup" not in world.alice.available_commands(world.channel)
    assert "digest setup" in world.admin.available_commands(world.channel)
    # A server can override the default permissions: the bot checks again itself.
    digest = world.env.backend.find_command("digest", None, type=1)
    world.guild.set_command_permissions(int(digest["id"]), {world.alice: True})
    result = await world.alice.slash(
        world.channel, "digest setup", channel=world.channel, time="09:00", timezone="Europe/Kyiv"
    )
    assert result.ephemeral and result.response is not None
    assert result.response.content == "You need the Manage Server permission to do that."
    acknowledge(world.env, commands.MissingPermissions)


@pytest.mark.parametrize(
    ("time", "zone", "expected"),
    [
        ("9am", "Europe/Kyiv", "is not a time of day; use 24-hour HH:MM"),
        ("25:00", "Europe/Kyiv", "is not a time of day"),
        ("09:00", "Europe/Kiev2", "is not a known time zone"),
        ("09:00", "../../etc/passwd", "is not a known time zone"),
    ],
)
async def test_bad_time_or_zone_is_a_friendly_ephemeral_error(
    world: World, time: str, zone: str, expected: str
) -> None:
    result = await world.admin.slash(
        world.channel, "digest setup", channel=world.channel, time=time, timezone=zone
    )
    assert result.ephemeral and result.response is not None
    assert expected in result.response.content
    acknowledge(world.env, UsageError)


async def test_setup_refuses_a_channel_the_bot_cannot_post_in(world: World) -> None:
    me = world.env.bot.user
    assert me is not None
    locked = world.guild.create_text_channel(
        "locked",
        overwrites={me: discord.PermissionOverwrite(send_messages=False, embed_links=False)},
    )
    result = await world.admin.slash(
        world.channel, "digest setup", channel=locked, time="09:00", timezone="Europe/Kyiv"
    )
    assert result.ephemeral and result.response is not None
    assert (
        f"I can't post in {locked.mention}: I'm missing Send Messages, Embed Links"
        in result.response.content
    )
    acknowledge(world.env, UsageError)


async def test_timezone_autocomplete(world: World) -> None:
    choices = await world.admin.autocomplete(world.channel, "digest setup", "timezone", "kyiv")
    assert [c["value"] for c in choices] == ["Europe/Kyiv"]


async def test_prefix_briefings_say_they_need_embed_links_and_slash_still_answers(
    world: World,
) -> None:
    me = world.env.bot.user
    assert me is not None
    plain = world.guild.create_text_channel(
        "plain", overwrites={me: discord.PermissionOverwrite(embed_links=False)}
    )
    for command in ("!status minerals-deal", "!ask who paused military aid?"):
        await world.alice.send(plain, command)
        reply = world.bot_messages(plain)[-1]
        assert reply.content == "I need the Embed Links permission here to do that."
        assert reply.embeds == []
    result = await world.alice.slash(plain, "status", topic="minerals-deal")
    assert result.response is not None and result.response.embeds
    acknowledge(world.env, commands.BotMissingPermissions)


async def test_in_dms_briefings_work_and_digest_commands_say_they_are_server_only(
    world: World,
) -> None:
    me = world.env.bot.user
    assert me is not None
    user = world.alice.user
    await user.send_dm("!status minerals-deal")
    await user.send_dm("!digest")
    replies = [m for m in user.dm_channel.history() if m.author.id == me.id]
    assert replies[0].embeds[0].title.startswith("US–Ukraine minerals deal — as of")
    assert replies[1].content == "That command only works in a server."
    assert "digest setup" not in user.available_commands()
    acknowledge(world.env, commands.NoPrivateMessage)


async def test_prefix_setup_with_a_voice_channel_thread_or_foreign_channel_says_why(
    world: World,
) -> None:
    voice = world.guild.create_voice_channel("stage-talk")
    elsewhere = world.env.create_guild("Elsewhere").create_text_channel("far")
    for channel in (voice, elsewhere):
        await world.admin.send(world.channel, f"!digest setup {channel.mention} 09:00 Europe/Kyiv")
        reply = world.bot_messages()[-1].content
        assert reply.startswith(f"<\u200b#{channel.id}> is not a text channel in this server")
        assert reply.endswith("Usage: `!digest setup <channel> <time> <timezone> [topics: a, b]`")
    assert world.env.bot.service.store.digests.enabled() == []
    acknowledge(world.env, commands.ChannelNotFound)


async def test_digest_now_inside_a_thread_asks_for_a_text_channel(world: World) -> None:
    from simcord.builders import ChannelHandle

    thread = world.env.backend.create_thread(world.channel.id, "chat", world.admin.id)
    handle = ChannelHandle(world.env, world.guild, thread)
    await world.env.settle()
    result = await world.admin.slash(handle, "digest now")
    assert result.ephemeral and result.response is not None
    assert result.response.content.startswith("Digests go to a server's text channels, not threads")
    assert handle.history() == [] and world.bot_messages() == []
    acknowledge(world.env, UsageError)


async def test_prefix_setup_takes_a_time_zone_typed_with_a_space(world: World) -> None:
    await world.admin.send(
        world.channel, f"!digest setup {world.channel.mention} 18:30 america/new york"
    )
    reply = world.bot_messages()[-1].content
    assert reply.startswith(
        f"Daily digest set for {world.channel.mention} at 18:30 (America/New_York)."
    )
