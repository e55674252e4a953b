"""Briefings on demand: ``status``, ``timeline``, ``sources`` and ``topics``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal

from discord import app_commands
from discord.ext import commands

from bot.discord.checks import require_embeds
from bot.discord.pages import NO_TOPIC
from bot.discord.replies import resolve, send_listing, topic_autocomplete
from bot.errors import UsageError

if TYPE_CHECKING:
    from bot.discord.app import DispatchBot

MAX_LIMIT = 200
_TRAILING_NUMBER = re.compile(r"(?P<topic>.*\S)\s+(?P<limit>[+-]?\d+)")
TOPIC_HELP = "The storyline, e.g. minerals-deal (start typing to search)"


def split_limit(text: str) -> tuple[str, int | None]:
    """``"peace talks 5"`` → ``("peace talks", 5)``; text without a trailing number is all topic."""
    match = _TRAILING_NUMBER.fullmatch(text.strip())
    return (match["topic"], int(match["limit"])) if match else (text, None)


class Briefings(commands.Cog):
    """Where stories stand, with every statement cited."""

    def __init__(self, bot: DispatchBot) -> None:
        self.bot = bot

    async def cog_check(self, ctx: commands.Context[Any]) -> bool:  # type: ignore[override]
        """Answers are embeds: a prefix command needs Embed Links where it is used."""
        return require_embeds(ctx)

    @commands.hybrid_command(name="status")  # type: ignore[arg-type]
    @app_commands.describe(topic=TOPIC_HELP)
    @app_commands.autocomplete(topic=topic_autocomplete)
    async def status(self, ctx: commands.Context[Any], *, topic: str) -> None:
        """Where a story stands, its key developments and what sources dispute."""
        found = resolve(ctx, topic)
        await send_listing(ctx, "status", found.slug)

    @commands.hybrid_command(name="timeline")  # type: ignore[arg-type]
    @app_commands.describe(
        topic=TOPIC_HELP, limit="At most this many developments, 1 to 200 (default: all)"
    )
    @app_commands.autocomplete(topic=topic_autocomplete)
    async def timeline(
        self, ctx: commands.Context[Any], *, topic: str, limit: int | None = None
    ) -> None:
        """A story's significant developments in date order."""
        if (
            ctx.interaction is None
        ):  # `!timeline peace talks 5`: the topic is every word but a number
            topic, limit = split_limit(topic)
        if limit is not None and not 1 <= limit <= MAX_LIMIT:
            raise UsageError(f"The limit must be between 1 and {MAX_LIMIT}.")
        found = resolve(ctx, topic)
        await send_listing(ctx, "timeline", found.slug, str(limit) if limit else "")

    @commands.hybrid_command(name="sources")  # type: ignore[arg-type]
    @app_commands.describe(topic=TOPIC_HELP)
    @app_commands.autocomplete(topic=topic_autocomplete)
    async def sources(self, ctx: commands.Context[Any], *, topic: str) -> None:
        """The articles behind a story; "Show quotes" gives the sentence behind each citation."""
        found = resolve(ctx, topic)
        await send_listing(ctx, "sources", found.slug)

    @commands.hybrid_command(name="topics")  # type: ignore[arg-type]
    @app_commands.describe(show="all: the topics followed; suggested: storylines found in the news")
    async def topics(
        self, ctx: commands.Context[Any], show: Literal["all", "suggested"] = "all"
    ) -> None:
        """The stories Dispatch follows, or (``suggested``) storylines it found that none claims."""
        if show == "suggested":
            from bot.discord.storylines import send_suggested

            await send_suggested(ctx)
            return
        await send_listing(ctx, "topics", NO_TOPIC)


async def setup(bot: DispatchBot) -> None:
    """Add the briefing commands."""
    await bot.add_cog(Briefings(bot))
