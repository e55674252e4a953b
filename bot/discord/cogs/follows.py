"""``follow``, ``unfollow``, ``follows`` (Manage Server), and the alerts posted after each recompute."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.alerts import AlertPoster
from bot.discord.checks import manage_server, require_can_post, text_channel
from bot.discord.embeds import plural
from bot.discord.limits import CONTENT, clip, fit_lines, safe
from bot.discord.replies import topic_autocomplete

if TYPE_CHECKING:
    from bot.discord.app import DispatchBot

Context = commands.Context[Any]
log = logging.getLogger(__name__)
LIST_BUDGET = 1800


class Follows(commands.Cog):
    """Follow a topic in a channel: an alert when a new development is corroborated."""

    def __init__(self, bot: DispatchBot) -> None:
        self.bot = bot
        self.alerts = AlertPoster(bot)

    async def cog_unload(self) -> None:
        """An alert check in flight finishes within the shutdown grace, or is settled later."""
        await self.alerts.aclose(self.bot.grace_left())

    @commands.Cog.listener()
    async def on_corpus_refreshed(self) -> None:
        """The re-ingest loop recomputed (or found nothing new): post the alerts now due."""
        self.alerts.kick()

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """The bot was removed from a server: forget its follows."""
        dropped = await asyncio.to_thread(self.bot.service.follows.forget_guild, guild.id)
        if dropped:
            log.info("left server %s: dropped its %d follow(s)", guild.id, dropped)

    def _rule(self) -> str:
        settings = self.bot.settings
        hours = settings.alert_interval_minutes / 60
        every = "an hour" if hours == 1 else f"every {settings.alert_interval_minutes:g} minutes"
        return (
            f"an alert when a new development is reported by "
            f"{plural(settings.alert_min_outlets, 'outlet')} or is a major event "
            f"(signed, ruled, resigned…), at most one {every}"
        )

    @commands.hybrid_command(name="follow")  # type: ignore[arg-type]
    @app_commands.describe(
        topic="The topic to follow", channel="Where to post its alerts (default: this channel)"
    )
    @app_commands.autocomplete(topic=topic_autocomplete)
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @manage_server()
    async def follow(
        self, ctx: Context, topic: str, channel: discord.TextChannel | None = None
    ) -> None:
        """Post an alert in a channel when a topic has corroborated news (Manage Server)."""
        target = text_channel(ctx, channel)
        require_can_post(target)
        assert ctx.guild is not None
        _, found, created = await asyncio.to_thread(
            self.bot.service.follows.follow, ctx.guild.id, target.id, topic, str(ctx.author.id)
        )
        name = safe(found.title)
        text = (
            f"Following **{name}** in {target.mention}: {self._rule()}."
            if created
            else f"{target.mention} already follows **{name}**."
        )
        await ctx.send(clip(text, CONTENT), ephemeral=True)

    @commands.hybrid_command(name="unfollow")  # type: ignore[arg-type]
    @app_commands.describe(
        topic="The topic to stop following", channel="The channel (default: this one)"
    )
    @app_commands.autocomplete(topic=topic_autocomplete)
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @manage_server()
    async def unfollow(
        self, ctx: Context, topic: str, channel: discord.TextChannel | None = None
    ) -> None:
        """Stop a channel's alerts on a topic (Manage Server)."""
        target = text_channel(ctx, channel)
        slug = await asyncio.to_thread(self.bot.service.follows.unfollow, target.id, topic)
        await ctx.send(
            clip(f"{target.mention} no longer follows `{safe(slug)}`.", CONTENT), ephemeral=True
        )

    @commands.hybrid_command(name="follows")  # type: ignore[arg-type]
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @manage_server()
    async def follows(self, ctx: Context) -> None:
        """The topics this server's channels follow (Manage Server)."""
        assert ctx.guild is not None
        found = await asyncio.to_thread(self.bot.service.follows.listed, ctx.guild.id)
        lines = [f"<#{f.channel_id}> follows `{safe(f.topic)}`" for f in found]
        body = (
            "\n".join(fit_lines(lines, LIST_BUDGET)) if lines else "Nothing is followed here yet."
        )
        await ctx.send(
            clip(f"{body}\nUse `follow <topic> [channel]` or `unfollow <topic>`.", CONTENT),
            ephemeral=True,
        )


async def setup(bot: DispatchBot) -> None:
    """Add the follow commands and the alert poster."""
    await bot.add_cog(Follows(bot))
