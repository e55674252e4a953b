"""``topic add|edit|remove|show|accept|dismiss``: the bot's owners manage topics from Discord.

Topics are shared by every server the bot is in, so changing them is limited to the bot's
owners (``DISPATCH_OWNER_IDS`` plus the application's owner); ``topic show`` is for everyone.
A change is stored, answered at once, then recomputed in a worker thread; a follow-up says
when the topic is ready. ``topics suggested`` (in the briefings cog) lists discovered storylines.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.checks import is_owner
from bot.discord.limits import COLOR, FIELD_VALUE, TITLE, clip, safe
from bot.discord.replies import topic_autocomplete
from bot.discord.storylines import NONE, StorylineButton, TopicOwnersOnly, recompute

if TYPE_CHECKING:
    from bot.discord.app import DispatchBot
    from bot.models import Topic
    from bot.service import TopicDetail

Context = commands.Context[Any]
TERMS_HELP = "Comma-separated, e.g. minerals deal, rare earths"


class AddFlags(commands.FlagConverter, delimiter=":", prefix=""):
    """``keywords:… requires:… aliases:…`` after the slug and title."""

    keywords: str = commands.flag(description=TERMS_HELP)
    requires: str | None = commands.flag(
        default=None, description="Names an article must mention (comma-separated)"
    )
    aliases: str | None = commands.flag(default=None, description="Other names of the topic")


class EditFlags(commands.FlagConverter, delimiter=":", prefix=""):
    """The fields to change; those left out stay as they are."""

    title: str | None = commands.flag(default=None, description="A new title")
    keywords: str | None = commands.flag(default=None, description=TERMS_HELP)
    requires: str | None = commands.flag(default=None, description="Anchor names")
    aliases: str | None = commands.flag(default=None, description="Other names of the topic")


def detail_embed(d: TopicDetail) -> discord.Embed:
    """``topic show``: definition, origin, what it learned, its counts."""
    t = d.topic
    read_only = d.origin == "topics.toml"
    where = "topics.toml (read-only from Discord)" if read_only else "added from Discord or the CLI"
    embed = discord.Embed(
        title=clip(f"{safe(t.title)} ({t.slug})", TITLE), description=where, colour=COLOR
    )
    for name, values in (
        ("Keywords", t.keywords),
        ("Requires", t.requires),
        ("Aliases", t.aliases),
        ("Names it learned", d.names),
        ("Words it learned", d.vocabulary),
    ):
        text = safe(", ".join(values)) or "—"
        embed.add_field(name=name, value=clip(text, FIELD_VALUE), inline=False)
    counts = (
        f"{d.articles} articles ({d.joined_by_drift} joined by learned names) · "
        f"{d.sentences} sentences · {d.developments} developments"
    )
    embed.add_field(name="Counts", value=counts, inline=False)
    if not d.ready:
        embed.set_footer(text="recompute pending: counts are from before the last change")
    return embed


class TopicsAdmin(commands.Cog, name="Topics"):
    """Add, edit, remove and inspect topics; accept or dismiss suggested storylines."""

    def __init__(self, bot: DispatchBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Register the storyline buttons (they answer after a restart too)."""
        self.bot.add_dynamic_items(StorylineButton)

    async def cog_unload(self) -> None:
        """Unregister the storyline buttons."""
        self.bot.remove_dynamic_items(StorylineButton)

    async def require_owner(self, ctx: Context) -> None:
        """Raise ``TopicOwnersOnly`` unless the author is one of the bot's owners."""
        if not await is_owner(self.bot, ctx.author):
            raise TopicOwnersOnly()

    async def changed(self, ctx: Context, topic: Topic, verb: str) -> None:
        """Say what changed, recompute in a worker thread, then say it is ready."""
        await ctx.send(
            clip(
                f"{verb} topic `{topic.slug}` ({safe(topic.title)}); computing its briefings…", 2000
            ),
            ephemeral=True,
            allowed_mentions=NONE,
        )
        await ctx.send(await recompute(self.bot, topic), ephemeral=True, allowed_mentions=NONE)

    @commands.hybrid_group(name="topic", invoke_without_command=True)  # type: ignore[arg-type]
    async def topic(self, ctx: Context) -> None:
        """Manage topics (owners) or show one: `topic show <topic>`."""
        await ctx.send(
            "Use `topic show <topic>`; owners also `topic add|edit|remove|accept|dismiss`.",
            ephemeral=True,
            allowed_mentions=NONE,
        )

    @topic.command(name="add")  # type: ignore[arg-type]
    @app_commands.describe(
        slug="Like rail-strike: lowercase words joined by hyphens", title="Its title"
    )
    async def add(self, ctx: Context, slug: str, title: str, *, flags: AddFlags) -> None:
        """Add a topic (owners only): keywords, and optionally anchors and aliases."""
        await self.require_owner(ctx)
        topic = await asyncio.to_thread(
            self.bot.service.add_topic,
            slug,
            title,
            keywords=flags.keywords,
            requires=flags.requires,
            aliases=flags.aliases,
            by=str(ctx.author.id),
            origin="discord",
        )
        await self.changed(ctx, topic, "Added")

    @topic.command(name="edit")  # type: ignore[arg-type]
    @app_commands.describe(slug="The topic's slug")
    async def edit(self, ctx: Context, slug: str, *, flags: EditFlags) -> None:
        """Change a topic added from Discord or the CLI (owners only)."""
        await self.require_owner(ctx)
        topic = await asyncio.to_thread(
            self.bot.service.edit_topic,
            slug,
            title=flags.title,
            keywords=flags.keywords,
            requires=flags.requires,
            aliases=flags.aliases,
        )
        await self.changed(ctx, topic, "Edited")

    @topic.command(name="remove")  # type: ignore[arg-type]
    @app_commands.describe(slug="The topic's slug")
    async def remove(self, ctx: Context, slug: str) -> None:
        """Remove a topic added from Discord or the CLI (owners only)."""
        await self.require_owner(ctx)
        topic = await asyncio.to_thread(self.bot.service.remove_topic, slug)
        await ctx.send(
            f"Removed topic `{topic.slug}`; its articles stay in the corpus.",
            ephemeral=True,
            allowed_mentions=NONE,
        )
        await asyncio.to_thread(self.bot.service.apply_topics)

    @topic.command(name="show")  # type: ignore[arg-type]
    @app_commands.describe(topic="The storyline, e.g. minerals-deal")
    @app_commands.autocomplete(topic=topic_autocomplete)
    async def show(self, ctx: Context, *, topic: str) -> None:
        """A topic's keywords, the names it learned and its counts."""
        detail = await asyncio.to_thread(self.bot.service.topic_detail, topic)
        await ctx.send(embed=detail_embed(detail), allowed_mentions=NONE)

    @topic.command(name="accept")  # type: ignore[arg-type]
    @app_commands.describe(id="The suggestion's id, from `topics suggested`")
    async def accept(self, ctx: Context, id: str) -> None:
        """Make a suggested storyline a topic (owners only)."""
        await self.require_owner(ctx)
        topic = await asyncio.to_thread(
            self.bot.service.accept_candidate, id, by=str(ctx.author.id)
        )
        await self.changed(ctx, topic, "Accepted the storyline as")

    @topic.command(name="dismiss")  # type: ignore[arg-type]
    @app_commands.describe(id="The suggestion's id, from `topics suggested`")
    async def dismiss(self, ctx: Context, id: str) -> None:
        """Dismiss a suggested storyline for good (owners only)."""
        await self.require_owner(ctx)
        found = await asyncio.to_thread(self.bot.service.dismiss_candidate, id)
        await ctx.send(
            clip(f"Dismissed “{safe(found.title)}”: it will not be suggested again.", 2000),
            ephemeral=True,
            allowed_mentions=NONE,
        )


async def setup(bot: DispatchBot) -> None:
    """Add the topic commands."""
    await bot.add_cog(TopicsAdmin(bot))
