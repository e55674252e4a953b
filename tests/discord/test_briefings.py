"""Briefings on demand through prefix and slash commands, on the real seeds."""

from __future__ import annotations

import re
from pathlib import Path

import discord
import simcord
from discord.ext import commands

from bot.discord import DispatchBot
from bot.errors import AmbiguousTopic, UnknownTopic, UsageError
from tests.conftest import StalledRecompute
from tests.discord.conftest import World, acknowledge

TITLE = "US–Ukraine minerals deal — as of 2025-03-05 · 3 sources"


async def test_prefix_status_answers_with_cited_briefing(world: World) -> None:
    await world.alice.send(world.channel, "!status minerals-deal")
    reply = world.bot_messages()[-1]
    embed = reply.embeds[0]
    assert embed.title == TITLE
    assert "**Where it stands**" in embed.description
    assert (
        "Scott Bessent said Sunday that the deal was “not at present” being considered. [1]"
        in embed.description
    )
    sources = "\n".join(f.value for f in embed.fields if f.name.startswith("Sources"))
    assert (
        "[1] The White House Said Trump Is in ‘Talks’ About Mineral Rights Deal with Ukraine"
        in sources
    )
    assert "NOTUS, 2025-03-05" in sources


async def test_slash_status_answers_publicly_with_the_same_briefing(world: World) -> None:
    result = await world.alice.slash(world.channel, "status", topic="minerals-deal")
    assert result.response is not None and not result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == TITLE
    assert "Karoline Leavitt said Wednesday" in embed.description
    assert "[1]" in embed.description


async def test_slash_status_answers_while_a_recompute_holds_the_database(
    world: World, simcord_bot: DispatchBot
) -> None:
    await world.alice.slash(world.channel, "status", topic="minerals-deal")  # results stored
    with StalledRecompute(simcord_bot.service) as recompute:
        result = await world.alice.slash(world.channel, "status", topic="minerals-deal")
        stopped = recompute.stopped
    assert stopped, "/status waited for the recompute"
    assert result.response is not None and result.response.embeds[0].title == TITLE


async def test_autocomplete_suggests_minerals_deal(world: World) -> None:
    choices = await world.alice.autocomplete(world.channel, "status", "topic", "min")
    assert choices[0]["value"] == "minerals-deal"
    assert "US–Ukraine minerals deal" in choices[0]["name"]


async def test_unknown_topic_gets_a_friendly_ephemeral_reply(world: World) -> None:
    result = await world.alice.slash(world.channel, "status", topic="nato-membrship-talks")
    assert result.ephemeral
    assert result.response is not None
    assert "I don't follow a topic called “nato-membrship-talks”" in result.response.content
    assert "`nato-membership`" in result.response.content
    acknowledge(world.env, UnknownTopic)


async def test_ambiguous_topic_lists_the_candidates(world: World) -> None:
    await world.alice.send(world.channel, "!status peace")
    reply = world.bot_messages()[-1]
    assert "“peace” could mean several topics" in reply.content
    assert "`peace-talks`" in reply.content and "`peacekeepers`" in reply.content
    acknowledge(world.env, AmbiguousTopic)


async def test_multi_word_prefix_topic_resolves(world: World) -> None:
    await world.alice.send(world.channel, "!status US–Ukraine minerals deal")
    assert world.bot_messages()[-1].embeds[0].title == TITLE


async def test_mention_prefix_works(world: World) -> None:
    me = world.env.bot.user
    assert me is not None
    await world.alice.send(world.channel, f"<@{me.id}> status minerals-deal")
    assert world.bot_messages()[-1].embeds[0].title == TITLE


async def test_timeline_is_dated_and_cited(world: World) -> None:
    result = await world.alice.slash(world.channel, "timeline", topic="minerals-deal", limit=5)
    assert result.response is not None
    embed = result.response.embeds[0]
    assert embed.title.startswith("US–Ukraine minerals deal — timeline")
    lines = embed.description.splitlines()
    assert len(lines) == 5
    assert all(line.startswith("`") and line.endswith("]") for line in lines)


async def test_sources_lists_outlets_and_shows_quotes_privately(world: World) -> None:
    result = await world.alice.slash(world.channel, "sources", topic="minerals-deal")
    assert result.response is not None
    embed = result.response.embeds[0]
    assert embed.title == "US–Ukraine minerals deal — 3 sources"
    assert "[1] The White House Said Trump Is in ‘Talks’" in embed.description
    assert "Worthy News, 2025-02-26" in embed.description
    shown = await world.bob.click(result.response, label="Show quotes")
    assert shown.ephemeral
    assert shown.response is not None
    quotes = shown.response.embeds[0]
    assert quotes.title == "Quotes behind US–Ukraine minerals deal"
    body = quotes.description
    header = "**[1] The White House Said Trump Is in ‘Talks’ About Mineral Rights Deal with Ukraine — NOTUS, 2025-03-05**"
    assert body.startswith(header + "\n• “")
    assert "\n• “And Treasury Secretary Scott Bessent said Sunday" in body
    # grouped by source, in number order, each source once
    headers = [line for line in body.splitlines() if line.startswith("**[")]
    assert [h[3] for h in headers] == ["1", "2", "3"]
    # Nobody else sees the quotes: the public message is unchanged.
    assert [m.id for m in world.bot_messages()] == [result.response.id]


async def test_status_offers_quotes_too(world: World) -> None:
    await world.alice.send(world.channel, "!status minerals-deal")
    shown = await world.bob.click(world.bot_messages()[-1], label="Show quotes")
    assert shown.ephemeral and shown.response is not None
    assert "Karoline Leavitt" in shown.response.embeds[0].description


async def test_topics_lists_every_topic_with_its_state(world: World) -> None:
    result = await world.alice.slash(world.channel, "topics")
    assert result.response is not None
    text = result.response.embeds[0].description
    for slug in ("minerals-deal", "nato-membership", "peacekeepers", "peace-talks", "us-aid"):
        assert f"`{slug}`" in text
    assert "3 sources · latest 2025-03-05" in text


async def test_article_mentions_never_ping(world: World, article: object) -> None:
    article(  # type: ignore[operator]
        "009_mentions.txt",
        " date 2025-03-10 Minerals deal signed in Kyiv\n\n"
        "Officials said the minerals deal was signed in Kyiv on Monday @everyone @here <@&123456789012345678> <@987654321098765432> "
        "<@123> <@&456> <#789> <t:1767250800:R> "
        "and the **joint fund** will open in ||May||.\n",
    )
    await world.env.advance_time(15 * 60 + 1)  # the re-ingest loop picks the file up
    await world.alice.send(world.channel, "!status minerals-deal")
    reply = world.bot_messages()[-1]
    body = reply.embeds[0].description
    assert "signed in Kyiv on Monday" in body
    assert (
        "@everyone" not in body
        and "@here" not in body
        and "<@&123456789012345678>" not in body
        and "<@987654321098765432>" not in body
    )
    for markup in ("<@123>", "<@&456>", "<#789>", "<t:1767250800:R>"):
        assert markup not in body and markup.replace("<", "<\u200b") in body
    assert "@\u200beveryone" in body
    assert "\\*\\*joint fund\\*\\*" in body
    assert not reply.mention_everyone and reply.role_mentions == [] and reply.mentions == []
    posts = [
        r for r in world.env.http_requests if r.method == "POST" and r.path.endswith("/messages")
    ]
    assert posts and all(r.json["allowed_mentions"] == {"parse": []} for r in posts)
    shown = await world.alice.click(reply, label="Show quotes")
    assert shown.response is not None
    assert "@everyone" not in shown.response.embeds[0].description


async def test_every_command_is_synced(simcord_env: simcord.Env) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("general")
    member = guild.add_member(simcord_env.create_user("carol"))
    available = set(member.available_commands(channel))
    assert {"status", "timeline", "sources", "ask", "topics"} <= available
    assert not any(name.startswith("digest") for name in available)  # Manage Server only


async def test_a_stale_slash_command_gets_an_answer_not_a_failed_interaction(world: World) -> None:
    from discord import app_commands

    world.env.bot.tree.remove_command("topics")  # Discord still lists it; the bot no longer has it
    result = await world.alice.slash(world.channel, "topics")
    assert result.ephemeral and result.response is not None
    assert "dispatch sync" in result.response.content
    acknowledge(world.env, app_commands.CommandNotFound)


async def test_an_unknown_topic_is_echoed_without_links_or_mentions(world: World) -> None:
    await world.alice.send(world.channel, "!status <#123456789012345678> <@123> **x**")
    reply = world.bot_messages()[-1].content
    assert "<#" not in reply and "<@" not in reply and "**x**" not in reply
    assert "I don't follow a topic called “<\u200b#123456789012345678>" in reply
    acknowledge(world.env, UnknownTopic)


LONG_TOPICS = "\n".join(
    f'[[topic]]\nslug = "story-{i:02d}"\ntitle = "{title}"\nkeywords = ["minerals deal"]\n'
    for i, title in enumerate(
        ["Minerals and the very long storyline " * 8] + ["Minerals story"] * 29
    )
)


async def test_autocomplete_and_titles_with_thirty_topics_and_a_300_character_title(
    world: World, corpus: Path
) -> None:
    (corpus / "topics.toml").write_text(LONG_TOPICS, encoding="utf-8")
    await world.env.advance_time(15 * 60 + 1)  # the re-ingest loop reloads the topics
    choices = await world.alice.autocomplete(world.channel, "status", "topic", "min")
    assert len(choices) == 25
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)
    assert choices[0]["name"].endswith("… (story-00)") and choices[0]["value"] == "story-00"
    result = await world.alice.slash(world.channel, "status", topic="story-00")
    assert result.response is not None
    title = result.response.embeds[0].title
    # thirty identical topics: how many seeds join by drift is not what this test is about
    count = title.rsplit("· ", 1)[-1]
    assert len(title) <= 256 and count in {"2 sources", "3 sources"}
    sources = await world.alice.slash(world.channel, "sources", topic="story-00")
    assert sources.response is not None
    assert sources.response.embeds[0].title.endswith(f"— {count}")


async def test_prefix_timeline_takes_a_multi_word_topic_and_a_trailing_limit(world: World) -> None:
    await world.alice.send(world.channel, "!timeline peace talks 2")
    embed = world.bot_messages()[-1].embeds[0]
    assert embed.title.startswith("US–Russia–Ukraine peace talks — timeline")
    assert len(embed.description.splitlines()) == 2
    await world.alice.send(world.channel, '!timeline "minerals deal"   3')
    embed = world.bot_messages()[-1].embeds[0]
    assert embed.title.startswith("US–Ukraine minerals deal — timeline")
    assert len(embed.description.splitlines()) == 3
    await world.alice.send(world.channel, "!timeline peace talks 0")
    assert world.bot_messages()[-1].content == "The limit must be between 1 and 200."
    await world.alice.send(world.channel, "!timeline")
    assert world.bot_messages()[-1].content.endswith("Usage: `!timeline <topic> [limit]`")
    acknowledge(world.env, UsageError, commands.MissingRequiredArgument)


async def test_slash_timeline_limit_bounds(world: World) -> None:
    for limit in (0, 100000):
        result = await world.alice.slash(
            world.channel, "timeline", topic="minerals-deal", limit=limit
        )
        assert result.ephemeral and result.response is not None
        assert result.response.content == "The limit must be between 1 and 200."
    acknowledge(world.env, UsageError)


async def test_an_ambiguous_topic_with_many_candidates_still_gets_an_answer(
    world: World, corpus: Path
) -> None:
    slug = "storyline-about-a-rather-long-subject-number-{:03d}"
    (corpus / "topics.toml").write_text(
        "\n".join(
            f'[[topic]]\nslug = "{slug.format(i)}"\ntitle = "Story {i}"\nkeywords = ["minerals deal"]\n'
            for i in range(40)
        ),
        encoding="utf-8",
    )
    await world.env.advance_time(15 * 60 + 1)
    result = await world.alice.slash(world.channel, "status", topic="storyline")
    assert result.ephemeral and result.response is not None  # not "This interaction failed"
    text = result.response.content
    assert len(text) <= 2000 and text.count("`storyline-") == 10 and "and 30 more" in text
    acknowledge(world.env, AmbiguousTopic)


HOSTILE = (
    " date 2025-03-10 **Bold** __under__ ||spoiler|| `tick` [link](http://evil) @everyone "
    "<#789> minerals deal in Ukraine\n\n"
    "Officials in Kyiv said the minerals deal was signed on Monday with **bold** __under__ "
    "||spoiler|| `tick` ```block``` [link](http://evil) @everyone @here <@123> <@&456> <#789> "
    "and Ukraine's joint fund opened.\n\n"
    "Ukraine's minerals deal joint fund " + "kept growing as officials said more " * 90 + "today.\n"
)


def assert_inert_and_within_limits(message: discord.Message) -> None:
    assert len(message.content) <= 2000 and len(message.embeds) <= 10
    assert sum(len(e) for e in message.embeds) <= 6000
    texts = [message.content]
    for embed in message.embeds:
        assert len(embed.title or "") <= 256 and len(embed.description or "") <= 4096
        assert all(len(f.name) <= 256 and len(f.value) <= 1024 for f in embed.fields)
        texts += [embed.title or "", embed.description or "", *(f.value for f in embed.fields)]
    for text in texts:
        for raw in (
            "@everyone",
            "@here",
            "<@",
            "<#",
            "**Bold**",
            "**bold**",
            "||spoiler||",
        ):
            assert raw not in text, (raw, text)
        assert re.search(r"(?<!\\)\[link\]\(", text) is None  # a masked link only when escaped
    assert not message.mention_everyone and not message.mentions and not message.role_mentions


async def test_a_hostile_article_never_pings_breaks_layout_or_exceeds_a_limit(
    world: World, article: object
) -> None:
    article("009_hostile.txt", HOSTILE)  # type: ignore[operator]
    await world.env.advance_time(15 * 60 + 1)
    for command in (
        "status minerals-deal",
        "timeline minerals-deal",
        "sources minerals-deal",
        "topics",
        "ask what about the joint fund?",
    ):
        await world.alice.send(world.channel, f"!{command}")
        assert world.bot_messages()[-1].embeds, command
    shown = await world.alice.click(world.bot_messages()[-3], label="Show quotes")
    assert shown.response is not None
    await world.admin.slash(world.channel, "digest now")
    messages = [*world.bot_messages(), shown.response.message]
    shown_text = "\n".join(e.description or "" for m in messages for e in m.embeds)
    assert "signed on Monday with" in shown_text
    assert "kept growing as officials said more" in shown_text  # the 3,000-character sentence
    for message in messages:
        assert_inert_and_within_limits(message)
    posts = [r for r in world.env.http_requests if r.method == "POST" and r.json]
    assert all(r.json.get("allowed_mentions", {"parse": []}) == {"parse": []} for r in posts)


async def test_quotes_link_to_the_passage_in_the_article(world: World, article: object) -> None:
    article(  # type: ignore[operator]
        "009_signed.md",
        "---\ntitle: Minerals deal signed\noutlet: Example Wire\ndate: 2025-03-10\n"
        "url: https://wire.example/ukraine-minerals-deal-signed\n---\n"
        "Ukraine and the United States signed the minerals deal in Kyiv on Monday, officials "
        "said, creating a joint fund for mining revenues from rare earths and other resources.\n",
    )
    await world.env.advance_time(15 * 60 + 1)  # the re-ingest loop picks the file up
    await world.alice.send(world.channel, "!status minerals-deal")
    shown = await world.alice.click(world.bot_messages()[-1], label="Show quotes")
    assert shown.response is not None
    body = "\n".join(e.description or "" for e in shown.response.embeds)
    link = re.search(r"\[open ↗\]\((https://wire\.example/[^)\s]+)\)", body)
    assert link, body
    assert link.group(1).startswith(
        "https://wire.example/ukraine-minerals-deal-signed#:~:text=Ukraine%20and%20the"
    )
    # the seeds have no URL: their quotes carry no link
    assert body.count("[open ↗]") == len(re.findall(r"wire\.example", body))
