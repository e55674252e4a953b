"""``ask``: grounded answers, deferred, with a per-user cooldown checked before deferring."""

from __future__ import annotations

from discord.ext import commands

from tests.discord.conftest import World, acknowledge, callback_types


async def test_ask_answers_with_citations(world: World) -> None:
    result = await world.alice.slash(
        world.channel, "ask", question="Who paused military aid to Ukraine?"
    )
    assert callback_types(world.env, result) == [5] and not result.ephemeral
    assert result.response is not None
    answer = result.response.embeds[0]
    assert answer.title == "Q: Who paused military aid to Ukraine?"
    assert "[1]" in answer.description
    assert any(f.name == "Sources" for f in answer.fields)


async def test_ask_cooldown_is_per_user_and_ephemeral(world: World) -> None:
    await world.alice.slash(world.channel, "ask", question="What is the joint fund?")
    again = await world.alice.slash(world.channel, "ask", question="And the NATO question?")
    assert again.ephemeral and callback_types(world.env, again) == [4]
    assert again.response is not None and "you can use that again in 30 s" in again.response.content
    acknowledge(world.env, commands.CommandOnCooldown)

    other = await world.bob.slash(world.channel, "ask", question="What is the joint fund?")
    assert callback_types(world.env, other) == [5] and not other.ephemeral

    await world.env.advance_time(31)
    later = await world.alice.slash(world.channel, "ask", question="What did Lavrov say?")
    assert callback_types(world.env, later) == [5] and not later.ephemeral


async def test_prefix_ask_shares_the_cooldown(world: World) -> None:
    await world.alice.send(world.channel, "!ask what is the joint fund")
    await world.alice.send(world.channel, "!ask and again")
    assert "you can use that again in" in world.bot_messages()[-1].content
    acknowledge(world.env, commands.CommandOnCooldown)


async def test_question_the_sources_do_not_answer(world: World) -> None:
    result = await world.alice.slash(
        world.channel, "ask", question="Who won the 1966 World Cup final?"
    )
    assert result.response is not None
    embed = result.response.embeds[0]
    assert "don't say" in embed.description.lower()


async def test_a_refused_question_does_not_use_up_the_cooldown(world: World) -> None:
    from bot.errors import UsageError

    too_long = await world.alice.slash(world.channel, "ask", question="x" * 301)
    assert too_long.response is not None
    assert too_long.response.content == "Ask a question of 1 to 300 characters."
    retry = await world.alice.slash(world.channel, "ask", question="Who paused military aid?")
    assert callback_types(world.env, retry) == [5]  # answered, not "easy there"

    await world.bob.send(world.channel, "!ask")
    assert "question is a required argument" in world.bot_messages()[-1].content
    await world.bob.send(world.channel, "!ask who paused military aid?")
    assert world.bot_messages()[-1].embeds[0].title == "Q: who paused military aid?"
    acknowledge(world.env, UsageError, commands.MissingRequiredArgument)
