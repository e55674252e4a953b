"""``ask``: a grounded answer from the corpus, with citations, or "the sources don't say"."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from discord import app_commands
from discord.ext import commands

from bot.discord.checks import require_embeds
from bot.discord.embeds import briefing_pages
from bot.discord.replies import send_embeds
from bot.errors import UsageError

if TYPE_CHECKING:
    from bot.discord.app import DispatchBot

MAX_QUESTION = 300


def ask_cooldown(ctx: commands.Context[Any]) -> commands.Cooldown | None:
    """One question per user per ``ask_cooldown_seconds`` (none when it is 0)."""
    seconds = ctx.bot.settings.ask_cooldown_seconds
    return commands.Cooldown(1, seconds) if seconds > 0 else None


class Ask(commands.Cog):
    """Questions answered from the sources only."""

    def __init__(self, bot: DispatchBot) -> None:
        self.bot = bot

    async def cog_check(self, ctx: commands.Context[Any]) -> bool:  # type: ignore[override]
        """Answers are embeds: a prefix command needs Embed Links where it is used."""
        return require_embeds(ctx)

    @commands.hybrid_command(name="ask")  # type: ignore[arg-type]
    @commands.dynamic_cooldown(ask_cooldown, commands.BucketType.user)
    @app_commands.describe(question="What you want to know, e.g. who paused military aid?")
    async def ask(self, ctx: commands.Context[Any], *, question: str) -> None:
        """Answer a question from the sources, citing every statement."""
        question = question.strip()
        if not question or len(question) > MAX_QUESTION:
            raise UsageError(f"Ask a question of 1 to {MAX_QUESTION} characters.")
        await ctx.defer()
        briefing = await asyncio.to_thread(self.bot.service.ask, question)
        await send_embeds(ctx, briefing_pages(briefing), max_messages=2)


async def setup(bot: DispatchBot) -> None:
    """Add the ask command."""
    await bot.add_cog(Ask(bot))
