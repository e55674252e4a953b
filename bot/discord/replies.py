"""What every command body shares: resolve the topic, autocomplete it, wait patiently, send pages."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord import pages
from bot.discord.limits import group, titled
from bot.discord.views import page_view
from bot.models import Topic

if TYPE_CHECKING:
    from bot.discord.app import DispatchBot

log = logging.getLogger(__name__)

T = TypeVar("T")

# A slash command must be answered within 3 seconds; defer when the answer is not ready by then.
PATIENCE_SECONDS = 2.0
CHOICE_NAME = 100  # Discord's limit for an autocomplete choice's name and value

Context = commands.Context[Any]


def resolve(ctx: Context, query: str) -> Topic:
    """The topic a user meant (raises UnknownTopic or AmbiguousTopic, answered by the error handler)."""
    bot: DispatchBot = ctx.bot
    return bot.service.resolve_topic(query)


async def topic_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Topics matching what the user typed so far."""
    bot: DispatchBot = interaction.client
    try:
        topics = bot.service.suggest_topics(current, limit=25)
    except Exception:  # autocomplete must answer even when the corpus is broken
        log.warning("topic autocomplete failed", exc_info=True)
        return []
    return [
        app_commands.Choice(name=titled(t.title, f" ({t.slug})", CHOICE_NAME), value=t.slug)
        for t in topics
        if len(t.slug) <= CHOICE_NAME
    ]


async def patiently(ctx: Context, work: Awaitable[T], *, ephemeral: bool = False) -> T:
    """Await ``work``; if a slash command is still waiting after two seconds, defer first."""
    task = asyncio.ensure_future(work)
    if ctx.interaction is None:
        return await task
    done, _ = await asyncio.wait({task}, timeout=PATIENCE_SECONDS)
    if not done and not ctx.interaction.response.is_done():
        await ctx.defer(ephemeral=ephemeral)
    return await task


async def send_listing(ctx: Context, kind: str, key: str, arg: str = "") -> None:
    """Render a paginated listing and send its first page with its buttons."""
    embeds = await patiently(ctx, pages.render(ctx.bot, kind, key, arg))
    quotes = kind in pages.WITH_QUOTES
    view = page_view(kind, key, 0, len(embeds), arg=arg, quotes=quotes, owner=ctx.author.id)
    if view is None:
        await ctx.send(embed=embeds[0])
    else:
        await ctx.send(embed=embeds[0], view=view)


async def send_embeds(
    ctx: Context,
    embeds: list[discord.Embed],
    *,
    ephemeral: bool = False,
    content: str | None = None,
    max_messages: int = 3,
) -> None:
    """Send embeds in as many messages as the limits need (at most ``max_messages``, then a note)."""
    batches = group(embeds) or [[]]
    for i, batch in enumerate(batches[:max_messages]):
        await ctx.send(content if i == 0 else None, embeds=batch, ephemeral=ephemeral)
    if len(batches) > max_messages:
        hidden = sum(len(batch) for batch in batches[max_messages:])
        await ctx.send(f"… and {hidden} more pages not shown here.", ephemeral=ephemeral)
