"""One error handler turning every command failure into a short friendly reply.

Order of precedence (first match wins), after unwrapping invoke/hybrid wrappers:

1. ``CommandNotFound``: ignored (other bots share the prefix).
2. ``UnknownTopic`` / ``AmbiguousTopic``: the query and suggestions.
3. ``ConfigError`` (a broken topics.toml, no good topics ever read): a line without the file or
   the parse error; an owner or admin using a slash command sees them, ephemerally.
4. Any other ``DispatchError``: its own one-line message.
5. Permissions (user, then bot), guild-only, cooldown, stale slash commands, other checks.
6. Bad or missing arguments: what was wrong and the command's usage.
7. Anything else: logged with the command and its traceback; the user gets a generic apology.

Slash replies are ephemeral; a reply after ``defer()`` takes the defer's visibility.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.limits import CONTENT, clip, inert, safe
from bot.discord.notices import CONFIG_BROKEN, may_see_config, notice
from bot.errors import AmbiguousTopic, ConfigError, DispatchError, UnknownTopic

if TYPE_CHECKING:
    from bot.discord.app import DispatchBot

log = logging.getLogger(__name__)

MAX_SUGGESTIONS = 10
GENERIC = "Something went wrong on my side; it has been logged. Please try again in a moment."


def unwrap(error: BaseException) -> BaseException:
    """The original exception behind discord.py's invoke and hybrid wrappers."""
    wrappers = (
        commands.HybridCommandError,
        commands.CommandInvokeError,
        app_commands.CommandInvokeError,
    )
    for _ in range(5):
        if not isinstance(error, wrappers):
            break
        error = error.original
    return error


def _names(perms: list[str]) -> str:
    return ", ".join(p.replace("_", " ").replace("guild", "server").title() for p in perms)


def topic_message(error: UnknownTopic | AmbiguousTopic) -> str:
    """What to tell a user whose topic did not resolve to exactly one topic."""
    query = clip(safe(error.query), 100)
    shown = [f"`{clip(s, 100)}`" for s in error.suggestions[:MAX_SUGGESTIONS]]
    more = len(error.suggestions) - len(shown)
    choices = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
    if isinstance(error, AmbiguousTopic):
        return f"“{query}” could mean several topics: {choices}. Which one did you mean?"
    hint = f" Did you mean {choices}?" if choices else ""
    return f"I don't follow a topic called “{query}”.{hint} The `topics` command lists them all."


def friendly(error: BaseException) -> str | None:
    """A one-line reply for an expected failure, or None when it is a bug."""
    error = unwrap(error)
    if isinstance(error, UnknownTopic | AmbiguousTopic):
        return topic_message(error)
    if isinstance(error, ConfigError):  # file names and parse errors are for owners only
        return CONFIG_BROKEN
    if isinstance(error, DispatchError):
        return discord.utils.escape_mentions(str(error))[:1500]
    if isinstance(error, commands.MissingPermissions):
        return f"You need the {_names(error.missing_permissions)} permission to do that."
    if isinstance(error, commands.BotMissingPermissions):
        return f"I need the {_names(error.missing_permissions)} permission here to do that."
    if isinstance(error, commands.NoPrivateMessage):
        return "That command only works in a server."
    if isinstance(error, commands.CommandOnCooldown):
        return f"Easy there: you can use that again in {max(1, round(error.retry_after))} s."
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return "That command changed since Discord last saw it; an admin can run `dispatch sync` to refresh it."
    if isinstance(error, commands.CheckFailure | app_commands.CheckFailure):
        return "You can't use that command here."
    return None


def usage(ctx: commands.Context[Any], error: commands.UserInputError) -> str:
    """What was wrong with the arguments, and how the command is used."""
    command = ctx.command
    prefix = "/" if ctx.interaction else ctx.clean_prefix
    shown = (
        f"`{prefix}{command.qualified_name} {command.signature}`".replace(" `", "`")
        if command
        else ""
    )
    if isinstance(error, commands.ChannelNotFound):
        detail = f"{clip(inert(str(error.argument)), 100)} is not a text channel in this server (threads and voice channels can't hold a digest)."
    else:
        detail = discord.utils.escape_mentions(str(error))[:300]
    return f"{detail} Usage: {shown}" if shown else detail


class ErrorHandler(commands.Cog):
    """Turns command errors into replies; logs the unexpected ones."""

    def __init__(self, bot: DispatchBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_command_error(
        self, ctx: commands.Context[Any], error: commands.CommandError
    ) -> None:
        """Reply to a failed prefix or hybrid command."""
        if isinstance(error, commands.CommandNotFound):
            return
        original = unwrap(error)
        if ctx.command is not None and not isinstance(original, commands.CommandOnCooldown):
            ctx.command.reset_cooldown(ctx)  # a refused or failed request does not use up a turn
        text = friendly(original)
        if isinstance(original, ConfigError):
            log.error(
                "command %s: %s", ctx.command.qualified_name if ctx.command else "?", original
            )
            if ctx.interaction is not None and await may_see_config(ctx):
                text = notice(str(original))
        if text is None and isinstance(original, commands.UserInputError):
            text = usage(ctx, original)
        if text is None:
            name = ctx.command.qualified_name if ctx.command else "?"
            log.error("command %s failed", name, exc_info=original)
            text = GENERIC
        await reply(ctx, text)


async def reply(ctx: commands.Context[Any], text: str) -> None:
    """Answer ephemerally for slash commands, normally for prefix ones; never raise."""
    try:
        await ctx.send(
            clip(text, CONTENT), ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )
    except discord.HTTPException:
        log.warning("could not send an error reply in channel %s", getattr(ctx.channel, "id", "?"))


async def setup(bot: DispatchBot) -> None:
    """Load the error handler."""
    await bot.add_cog(ErrorHandler(bot))
