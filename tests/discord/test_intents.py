"""Without the Message Content intent, slash and mention-prefixed commands keep working."""

from __future__ import annotations

import logging
from pathlib import Path

import discord
import pytest
import simcord

from bot.discord import DispatchBot
from bot.discord.runner import INTENT_WARNING, serve
from bot.settings import Settings
from tests.discord.conftest import World, build_world, make_settings

TITLE = "US–Ukraine minerals deal — as of 2025-03-05 · 3 sources"


@pytest.mark.parametrize("settings", [{"message_content": False}], indirect=True)
async def test_bot_without_message_content_answers_slash_and_mentions(world: World) -> None:
    assert not world.env.bot.intents.message_content
    await world.alice.send(world.channel, "!status minerals-deal")
    assert world.bot_messages() == []  # Discord blanks the content: the prefix cannot be seen

    me = world.env.bot.user
    assert me is not None
    await world.alice.send(world.channel, f"<@{me.id}> status minerals-deal")
    assert world.bot_messages()[-1].embeds[0].title == TITLE

    result = await world.alice.slash(world.channel, "status", topic="minerals-deal")
    assert result.response is not None and result.response.embeds[0].title == TITLE


async def test_refused_intent_warns_once_and_reconnects_without_it(
    tmp_path: Path, corpus: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(tmp_path, corpus, message_content=True)
    envs: list[simcord.Env] = []

    async def start(bot: DispatchBot) -> None:
        env = simcord.Env(bot, approved_intents=discord.Intents.default())  # portal toggle off
        envs.append(env)
        await env.start()

    with caplog.at_level(logging.WARNING):
        bot = await serve(settings, start)
    env = envs[-1]
    try:
        assert len(envs) == 2 and not bot.intents.message_content
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert warnings == [INTENT_WARNING]
        assert "Message Content Intent" in INTENT_WARNING and "Developer Portal" in INTENT_WARNING
        with env.time_context():
            world = build_world(env)
            me = env.bot.user
            assert me is not None
            await world.alice.send(world.channel, f"<@{me.id}> status minerals-deal")
            assert world.bot_messages()[-1].embeds[0].title == TITLE
    finally:
        await env.shutdown()
        env.raise_errors()


def test_settings_decide_the_requested_intent(settings: Settings) -> None:
    from bot.discord.app import intents_for

    assert intents_for(settings).message_content
    assert not intents_for(settings.model_copy(update={"message_content": False})).message_content
