"""Checks shared by prefix and slash forms of a command, and the permission the bot needs to post."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord.ext import commands

from bot.errors import UsageError

if TYPE_CHECKING:
    from bot.discord.app import DispatchBot

T = TypeVar("T")

POST_PERMISSIONS = ("view_channel", "send_messages", "embed_links")


def manage_server() -> Callable[[T], T]:
    """Require Manage Server in a guild; hybrid commands run it for ``!`` and ``/`` alike."""

    def decorator(func: T) -> T:
        func = commands.guild_only()(func)
        return commands.has_guild_permissions(manage_guild=True)(func)

    return decorator


def missing_post_permissions(channel: discord.abc.GuildChannel, me: discord.Member) -> list[str]:
    """The permissions the bot lacks to post an embed in ``channel``."""
    perms = channel.permissions_for(me)
    return [name for name in POST_PERMISSIONS if not getattr(perms, name)]


def text_channel(
    ctx: commands.Context[Any], channel: discord.TextChannel | None
) -> discord.TextChannel:
    """The channel given, else the one the command was used in, which must be a server text channel."""
    target = channel or ctx.channel
    if not isinstance(target, discord.TextChannel):
        raise UsageError(
            "Digests go to a server's text channels, not threads or DMs: name one, e.g. channel:#news."
        )
    return target


def require_can_post(channel: discord.TextChannel) -> None:
    """Raise a UsageError naming what is missing when the bot cannot post embeds in ``channel``."""
    missing = missing_post_permissions(channel, channel.guild.me)
    if missing:
        names = ", ".join(p.replace("_", " ").title() for p in missing)
        raise UsageError(
            f"I can't post in {channel.mention}: I'm missing {names} there. Grant it or pick another channel."
        )


def require_embeds(ctx: commands.Context[Any]) -> bool:
    """A prefix command answered with embeds needs Embed Links in a server channel.

    Without it Discord drops the embeds and members see an empty message. Slash replies are
    interaction responses, which may always carry embeds.
    """
    if ctx.interaction is None and ctx.guild is not None:
        perms = ctx.channel.permissions_for(ctx.me)  # type: ignore[arg-type]
        if not perms.embed_links:
            raise commands.BotMissingPermissions(["embed_links"])
    return True


async def is_owner(bot: DispatchBot, user: discord.abc.User) -> bool:
    """Whether the user is in DISPATCH_OWNER_IDS or owns the application."""
    if user.id in bot.settings.owner_ids:
        return True
    try:
        return await bot.is_owner(user)
    except discord.HTTPException:
        return False
