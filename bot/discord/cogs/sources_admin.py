"""``source add|remove|list``: the bot's owners manage the feeds and article URLs it follows.

The corpus is shared by every server the bot is in, so these commands are limited to the bot's
owners (``DISPATCH_OWNER_IDS`` plus the application's owner), not to any server's admins.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.checks import is_owner
from bot.discord.limits import COLOR, LINE_MAX, Line, clip, pack, safe
from bot.errors import DispatchError

if TYPE_CHECKING:
    from bot.discord.app import DispatchBot
    from bot.service import FeedSource

Context = commands.Context[Any]
MAX_PAGES = 3
NONE = discord.AllowedMentions.none()


class OwnersOnly(DispatchError):
    """Someone who is not an owner tried to change (or list) the shared sources."""

    def __init__(self) -> None:
        super().__init__(
            "Only the bot's owners can manage its sources: they are shared by every server it is in."
        )


def source_lines(sources: list[FeedSource]) -> list[str]:
    """One safe line per source, with its problem (if any) indented below."""
    from bot.render.sources import describe

    out = []
    for src in sources:
        head, *rest = describe(src).split("\n")
        text = safe(head) + "".join(f"\n\u2003{safe(r)}" for r in rest)
        out.append(clip(text, LINE_MAX))
    return out


def list_embeds(sources: list[FeedSource]) -> list[discord.Embed]:
    """The source list as embeds that fit Discord's limits."""
    if not sources:
        return [
            discord.Embed(
                title="Sources",
                description="No feeds or article URLs yet: `source add <url>` adds one.",
                colour=COLOR,
            )
        ]
    pages = pack(Line(text) for text in source_lines(sources))
    embeds = []
    for n, page in enumerate(pages[:MAX_PAGES], 1):
        embed = discord.Embed(title="Sources", description=page.description(), colour=COLOR)
        footer = f"{len(sources)} sources"
        if len(pages) > 1:
            footer += f" · page {n}/{len(pages)}" + (
                " · `dispatch source list` shows all" if len(pages) > MAX_PAGES else ""
            )
        embeds.append(embed.set_footer(text=footer))
    return embeds


class SourcesAdmin(commands.Cog, name="Sources"):
    """Add, remove and list the feeds and article URLs Dispatch follows."""

    def __init__(self, bot: DispatchBot) -> None:
        self.bot = bot

    async def require_owner(self, ctx: Context) -> None:
        """Raise ``OwnersOnly`` unless the author is in DISPATCH_OWNER_IDS or owns the application."""
        if not await is_owner(self.bot, ctx.author):
            raise OwnersOnly()

    @commands.hybrid_group(name="source", invoke_without_command=True)  # type: ignore[arg-type]
    async def source(self, ctx: Context) -> None:
        """Manage the feeds and article URLs the bot follows (owners only)."""
        await self.list_sources(ctx)

    @source.command(name="add")  # type: ignore[arg-type]
    @app_commands.describe(
        url="An RSS/Atom feed, or a single article page (http or https)",
        interval="Minutes between polls of a feed (default 30)",
    )
    async def add(self, ctx: Context, url: str, interval: float | None = None) -> None:
        """Follow a feed, or read one article URL."""
        await self.require_owner(ctx)
        await ctx.defer(ephemeral=True)
        added = await asyncio.to_thread(
            self.bot.service.add_source,
            url,
            interval=interval,
            added_by=str(ctx.author.id),
            origin="discord",
        )
        src = added.source
        what = "feed" if src.kind == "feed" else "article"
        verb = "Added" if added.created else "Updated"
        text = f"{verb} {what} #{src.id}: {safe(src.label)}. It is fetched on the next poll."
        if added.hint:
            text += f"\n{safe(added.hint)}"
        await ctx.send(clip(text, 2000), ephemeral=True, allowed_mentions=NONE)

    @source.command(name="remove")  # type: ignore[arg-type]
    @app_commands.describe(source="The source's URL, or its number from `source list`")
    async def remove(self, ctx: Context, *, source: str) -> None:
        """Stop following a source (articles already read stay)."""
        await self.require_owner(ctx)
        src = await asyncio.to_thread(self.bot.service.remove_source, source)
        text = f"Removed #{src.id}: {safe(src.label)}. Articles already read stay in the corpus."
        await ctx.send(clip(text, 2000), ephemeral=True, allowed_mentions=NONE)

    @source.command(name="list")  # type: ignore[arg-type]
    async def list_(self, ctx: Context) -> None:
        """List the sources, their state, and why any was disabled."""
        await self.list_sources(ctx)

    async def list_sources(self, ctx: Context) -> None:
        """Send the source list (owners only: it shows internal errors and URLs)."""
        await self.require_owner(ctx)
        sources = await asyncio.to_thread(self.bot.service.list_sources)
        for embed in list_embeds(sources):
            await ctx.send(embed=embed, ephemeral=True, allowed_mentions=NONE)


async def setup(bot: DispatchBot) -> None:
    """Add the source commands."""
    await bot.add_cog(SourcesAdmin(bot))
