"""Telling the people who run the bot, and nobody else, that its topics.toml is broken.

Members keep their briefings (the service serves the last good topics) and never see a path
or a parse error; owners (``DISPATCH_OWNER_IDS`` and the application's owner) get one direct
message per new problem, and an owner or a server admin using a slash command gets one
ephemeral line after the answer.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.discord.checks import is_owner
from bot.discord.limits import CONTENT, clip

if TYPE_CHECKING:
    from bot.discord.app import DispatchBot

log = logging.getLogger(__name__)

# What anyone else is told when no good topics were ever read (a bot started on a broken file).
CONFIG_BROKEN = "I can't read my list of topics right now; the people who run me can see why."


def notice(problem: str) -> str:
    """The one line owners and admins read (the problem names files relative to the corpus)."""
    return clip(f"⚠️ {problem}. Still serving the last good topics until it is fixed.", CONTENT)


async def may_see_config(ctx: commands.Context[Any]) -> bool:
    """Owners, and admins (Manage Server) of the server the command is used in."""
    perms = getattr(ctx.author, "guild_permissions", None)
    return bool(perms and perms.manage_guild) or await is_owner(ctx.bot, ctx.author)


async def config_note(ctx: commands.Context[Any]) -> None:
    """After a slash command by an owner or admin, say privately that topics.toml is broken."""
    problem = ctx.bot.service.config_problem
    if problem is None or ctx.interaction is None or not await may_see_config(ctx):
        return
    try:
        await ctx.send(
            notice(problem), ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )
    except discord.HTTPException:
        log.warning("could not send the broken-config note")


async def tell_owners(bot: DispatchBot, problem: str) -> None:
    """Direct-message every owner in DISPATCH_OWNER_IDS once about a new problem."""
    for owner_id in bot.settings.owner_ids:
        try:
            user = bot.get_user(owner_id) or await bot.fetch_user(owner_id)
            await user.send(notice(problem), allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException as exc:
            log.warning("could not tell owner %s about the config: %s", owner_id, exc)
