"""Follows and alerts: a followed topic's corroborated news is posted once, briefly, never pinging."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord.ext import commands

from bot.discord import create_bot
from bot.errors import UsageError
from bot.settings import Settings
from bot.store.follows import FollowRepo
from tests.discord.conftest import World, acknowledge
from tests.discord.test_digest import HOUR
from tests.discord.test_digest_delivery import crash_once, restart

pytestmark = pytest.mark.backends

PASS = 15 * 60 + 1  # one re-ingest pass: the corpus is read, recomputed, alerts checked
SIGNED = "Ukraine and the United States signed the minerals deal in Kyiv on Wednesday"
DISCUSSED = "Negotiators in Jeddah discussed the text of the minerals deal on Wednesday"


def report(outlet: str, sentence: str, tail: str = "officials said.") -> str:
    """An article by ``outlet`` whose news is ``sentence``."""
    return (
        f"---\ntitle: Ukraine minerals deal: news from {outlet}\noutlet: {outlet}\ndate: 2025-03-12\n---\n"
        f"{sentence}, {tail}\n"
    )


def alerts(world: World, channel: Any = None) -> list[discord.Message]:
    return [
        m
        for m in world.bot_messages(channel)
        if m.embeds and (m.embeds[0].title or "").startswith("🔔")
    ]


async def follow(world: World, topic: str = "minerals-deal", channel: Any = None) -> str:
    options: dict[str, Any] = {"topic": topic}
    if channel is not None:
        options["channel"] = channel
    result = await world.admin.slash(world.channel, "follow", **options)
    assert result.ephemeral and result.response is not None
    return result.response.content


async def test_a_corroborated_development_is_alerted_once_not_again_after_a_restart(
    world: World, settings: Settings, article: Any
) -> None:
    reply = await follow(world)
    assert reply.startswith(f"Following **US–Ukraine minerals deal** in {world.channel.mention}")
    assert "2 outlets" in reply
    article("010_wire.md", report("Example Wire", DISCUSSED))
    article("011_ledger.md", report("Daily Ledger", DISCUSSED, "diplomats confirmed."))
    await world.env.advance_time(PASS)

    [alert] = alerts(world)
    embed = alert.embeds[0]
    assert embed.title == "🔔 US–Ukraine minerals deal"
    assert DISCUSSED in (embed.description or "")
    assert "[1][2]" in (embed.description or "")
    sources = "\n".join(f.value or "" for f in embed.fields)
    assert "Example Wire" in sources and "Daily Ledger" in sources
    assert "2 outlets" in (embed.footer.text or "")
    assert len(world.bot_messages()) == 1  # one short embed, nothing else

    await world.env.restart_bot(create_bot(settings))
    await world.env.advance_time(3 * HOUR)  # several passes, past the hourly limit
    assert len(alerts(world)) == 1


async def test_two_outlets_of_the_same_event_make_one_alert(world: World, article: Any) -> None:
    await follow(world)
    article("010_wire.md", report("Example Wire", SIGNED))  # a strong event: alerted at once
    await world.env.advance_time(PASS)
    assert len(alerts(world)) == 1
    article("011_ledger.md", report("Daily Ledger", SIGNED, "diplomats confirmed."))
    await world.env.advance_time(2 * HOUR)  # the second outlet joins the same development
    [alert] = alerts(world)
    assert SIGNED in (alert.embeds[0].description or "")


async def test_one_outlet_without_a_strong_event_is_not_alerted(world: World, article: Any) -> None:
    await follow(world)
    article("010_wire.md", report("Example Wire", DISCUSSED))
    await world.env.advance_time(2 * HOUR)
    assert alerts(world) == []


async def test_alerts_are_rate_limited_per_topic_and_channel(world: World, article: Any) -> None:
    await follow(world)
    article("010_wire.md", report("Example Wire", SIGNED))
    await world.env.advance_time(PASS)
    assert len(alerts(world)) == 1
    article(
        "011_court.md",
        report("Daily Ledger", "A Kyiv court ruled the minerals deal lawful on Thursday"),
    )
    await world.env.advance_time(30 * 60)  # two more passes within the hour
    assert len(alerts(world)) == 1
    await world.env.advance_time(HOUR)  # the hour is over: the waiting development goes out
    later = alerts(world)
    assert len(later) == 2
    assert "ruled the minerals deal lawful" in (later[1].embeds[0].description or "")


async def test_news_first_seen_before_the_follow_is_not_alerted(world: World, article: Any) -> None:
    article("010_wire.md", report("Example Wire", SIGNED))
    await world.env.advance_time(PASS)
    await follow(world)
    await world.env.advance_time(2 * HOUR)
    assert alerts(world) == []


async def test_an_alert_never_pings(world: World, article: Any) -> None:
    await follow(world)
    article("010_wire.md", report("Example Wire", f"{SIGNED} @everyone <@123456789>"))
    await world.env.advance_time(PASS)
    [alert] = alerts(world)
    posts = [
        r for r in world.env.http_requests if r.method == "POST" and r.path.endswith("/messages")
    ]
    assert posts and all(r.json["allowed_mentions"] == {"parse": []} for r in posts)
    assert alert.mention_everyone is False and alert.mentions == []
    body = alert.embeds[0].description or ""
    assert SIGNED in body and "@everyone" not in body and "<@123456789>" not in body


async def test_the_full_briefing_button_answers_privately(world: World, article: Any) -> None:
    await follow(world)
    article("010_wire.md", report("Example Wire", SIGNED))
    await world.env.advance_time(PASS)
    [alert] = alerts(world)
    shown = await world.bob.click(alert, label="Full briefing")
    assert shown.ephemeral and shown.response is not None
    assert shown.response.embeds[0].title.startswith("US–Ukraine minerals deal — as of")
    assert len(alerts(world)) == 1  # the public alert is unchanged


async def test_a_member_without_manage_server_is_refused(world: World) -> None:
    assert "follow" not in world.alice.available_commands(world.channel)
    assert "follow" in world.admin.available_commands(world.channel)
    await world.alice.send(world.channel, "!follow minerals-deal")
    reply = world.bot_messages()[-1].content
    assert "Manage Server" in reply
    acknowledge(world.env, commands.MissingPermissions)
    assert world.env.bot.service.follows.listed(world.guild.id) == []


async def test_follows_lists_and_unfollow_stops_the_alerts(world: World, article: Any) -> None:
    other = world.guild.create_text_channel("deals")
    await follow(world, channel=other)
    await follow(world, "nato")
    again = await follow(world, "nato-membership")
    assert again == f"{world.channel.mention} already follows **Ukraine and NATO membership**."
    listed = await world.admin.slash(world.channel, "follows")
    assert listed.response is not None
    assert listed.response.content.splitlines()[:2] == sorted(
        [
            f"{world.channel.mention} follows `nato-membership`",
            f"{other.mention} follows `minerals-deal`",
        ],
        key=lambda line: line.split(">")[0],
    )
    stopped = await world.admin.slash(world.channel, "unfollow", topic="minerals", channel=other)
    assert stopped.response is not None
    assert stopped.response.content == f"{other.mention} no longer follows `minerals-deal`."
    article("010_wire.md", report("Example Wire", SIGNED))
    await world.env.advance_time(2 * HOUR)
    assert alerts(world, other) == []
    unknown = await world.admin.slash(world.channel, "unfollow", topic="minerals")
    assert unknown.response is not None and "does not follow" in unknown.response.content
    acknowledge(world.env, UsageError)


async def test_an_alert_caught_between_discord_and_the_database_is_not_reposted(
    world: World, settings: Settings, article: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await follow(world)
    article("010_wire.md", report("Example Wire", SIGNED))
    fired = crash_once(monkeypatch, FollowRepo, "delivered")
    await world.env.advance_time(PASS)
    assert fired and len(alerts(world)) == 1
    monkeypatch.undo()
    await restart(world, settings)
    await world.env.advance_time(3 * HOUR)  # the claim goes stale, the message is found
    assert len(alerts(world)) == 1
    [record] = FollowRepo(world.env.bot.service.store.db).alerts(world.channel.id, "minerals-deal")
    assert record.sent
