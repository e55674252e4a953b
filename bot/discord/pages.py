"""Service call plus rendering for every paginated listing, shared by commands and buttons.

Service calls run in a worker thread: the database may be busy with a re-ingest, and the event
loop must never wait on it.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord

from bot.discord.embeds import briefing_pages, quotes_embeds
from bot.discord.listings import sources_pages, topics_pages

if TYPE_CHECKING:
    from bot.discord.app import DispatchBot

WITH_QUOTES = frozenset({"status", "sources"})
NO_TOPIC = "-"


async def render(bot: DispatchBot, kind: str, key: str, arg: str = "") -> list[discord.Embed]:
    """Every page of one listing: ``kind`` of topic ``key`` (``arg``: the timeline limit)."""
    service = bot.service
    if kind == "status":
        return briefing_pages(await asyncio.to_thread(service.status, key))
    if kind == "timeline":
        limit = int(arg) if arg else None
        return briefing_pages(await asyncio.to_thread(service.timeline, key, limit))
    if kind == "sources":
        topic, pairs = await asyncio.to_thread(service.sources, key)
        status = await asyncio.to_thread(service.status, key)
        return sources_pages(topic, pairs, status)
    if kind == "topics":
        return topics_pages(await asyncio.to_thread(service.topics))
    if kind == "quotes":
        return await quotes(bot, key)
    raise ValueError(f"unknown listing {kind!r}")


async def quotes(bot: DispatchBot, key: str) -> list[discord.Embed]:
    """The quotes behind every citation of a topic's briefing."""
    return quotes_embeds(await asyncio.to_thread(bot.service.status, key))
