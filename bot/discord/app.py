"""The bot: a ``commands.Bot`` wired to one ``Dispatch`` service, and the ``create_bot`` factory.

Constructing a bot does no I/O and needs no token. ``setup_hook`` (run at login) builds the service
if none was given, loads the error handler and every cog module in ``bot.discord.cogs``, registers
the persistent buttons, and syncs slash commands when the command set changed since the last sync.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import pkgutil
from datetime import datetime
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
from discord.ext import commands

from bot.discord.errors import GENERIC, friendly
from bot.discord.notices import config_note
from bot.discord.views import DYNAMIC_ITEMS
from bot.logs import OneLineReconnect, one_line

if TYPE_CHECKING:
    from bot.service import Dispatch
    from bot.settings import Settings
    from bot.shards import Shards

log = logging.getLogger(__name__)

ERROR_HANDLER = "bot.discord.errors"


class _QuietIntentWarning(logging.Filter):
    """Drop discord.py's generic missing-intent warning: the runner logs one that says what to do."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every other record."""
        return "Privileged message content intent is missing" not in record.getMessage()


_QUIET = _QuietIntentWarning()
_RECONNECT = OneLineReconnect()


def discord_clock() -> datetime:
    """Now, from discord.py's clock (which a simulated Discord can drive)."""
    return discord.utils.utcnow()


def build_service(settings: Settings) -> Dispatch:
    """The service a bot uses when none is given: the settings' database, Discord's clock."""
    from bot.service import Dispatch

    return Dispatch(settings, clock=discord_clock)


def cog_modules() -> list[str]:
    """Every cog module in ``bot.discord.cogs`` (drop a module there and it is loaded)."""
    from bot.discord import cogs

    found = pkgutil.iter_modules(cogs.__path__)
    return sorted(f"{cogs.__name__}.{m.name}" for m in found if not m.name.startswith("_"))


def intents_for(settings: Settings) -> discord.Intents:
    """Default intents, plus the privileged Message Content intent when the settings ask for it."""
    intents = discord.Intents.default()
    intents.message_content = settings.message_content
    return intents


def command_set_hash(tree: discord.app_commands.CommandTree[Any]) -> str:
    """A hash of the slash command payloads Discord would receive on sync."""
    payload = sorted(
        (c.to_dict(tree) for c in tree.get_commands()), key=lambda c: str(c.get("name"))
    )
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


class DispatchTree(discord.app_commands.CommandTree["DispatchBot"]):
    """The slash command tree; errors that escape the hybrid commands still get a friendly reply."""

    async def on_error(
        self,
        interaction: discord.Interaction[DispatchBot],
        error: discord.app_commands.AppCommandError,
    ) -> None:
        """Answer ephemerally; log what is not an expected failure."""
        text = friendly(error)
        if text is None:
            name = interaction.command.qualified_name if interaction.command else "?"
            log.error("slash command %s failed", name, exc_info=error)
            text = GENERIC
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            elif interaction.type is discord.InteractionType.application_command:
                await interaction.response.send_message(text, ephemeral=True)
        except discord.HTTPException:
            log.warning("could not answer a failed interaction")


class DispatchBot(commands.Bot):
    """Dispatch on Discord: cited briefings on demand and a daily digest."""

    def __init__(
        self,
        settings: Settings,
        *,
        service: Dispatch | None = None,
        background: bool = True,
        **options: Any,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned_or(settings.prefix),
            intents=intents_for(settings),
            allowed_mentions=discord.AllowedMentions.none(),
            case_insensitive=True,
            strip_after_prefix=True,
            help_command=commands.DefaultHelpCommand(dm_help=False),
            tree_cls=DispatchTree,
            **options,
        )
        self.settings = settings
        self.background = background
        self.after_invoke(config_note)
        self._service = service
        self.shutdown_deadline: float | None = None  # loop time by which background work stops
        commands_log = logging.getLogger("discord.ext.commands.bot")
        if _QUIET not in commands_log.filters:
            commands_log.addFilter(_QUIET)
        client_log = logging.getLogger("discord.client")
        if _RECONNECT not in client_log.filters:
            client_log.addFilter(_RECONNECT)

    @property
    def service(self) -> Dispatch:
        """The service every command calls (built in ``setup_hook`` when none was given)."""
        if self._service is None:
            raise RuntimeError("the bot's service is built in setup_hook; log in first")
        return self._service

    async def setup_hook(self) -> None:
        """Build the service, load the cogs, register persistent buttons, sync commands if changed."""
        if self._service is None:
            self._service = await asyncio.to_thread(build_service, self.settings)
        await self.load_extension(ERROR_HANDLER)
        for name in cog_modules():
            await self.load_extension(name)
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        if self.background:
            await self.sync_if_changed()

    async def sync_if_changed(self) -> bool:
        """Sync slash commands globally when their payloads differ from the last sync's."""
        digest = command_set_hash(self.tree)
        app_id = self.application_id or 0
        repo = self.service.subscriptions.digests
        if await asyncio.to_thread(repo.command_hash, app_id) == digest:
            return False
        try:
            synced = await self.tree.sync()
        except discord.HTTPException as exc:
            log.warning("could not sync slash commands (status %s): %s", exc.status, exc.text)
            return False
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:  # the network, not Discord
            log.warning(
                "could not sync slash commands (%s); running on with the commands Discord "
                "already has, the sync is tried again at the next start",
                one_line(exc),
            )
            return False
        except Exception:  # a bug in a command definition must not keep the bot offline
            log.error(
                "could not sync slash commands; running on with the commands Discord already has",
                exc_info=True,
            )
            return False
        await asyncio.to_thread(repo.set_command_hash, app_id, digest)
        log.info("synced %d slash commands", len(synced))
        return True

    async def on_ready(self) -> None:
        """Log who we are and where."""
        user = self.user
        log.info(
            "ready as %s (id %s) in %d guilds", user, user.id if user else "?", len(self.guilds)
        )
        if not self.intents.message_content:
            log.info(
                "without the Message Content intent: use slash commands or @%s <command>", user
            )

    def grace_left(self) -> float:
        """Seconds background work in flight may still take before the bot stops without it."""
        if self.shutdown_deadline is None:
            return self.settings.shutdown_grace_seconds
        return max(0.0, self.shutdown_deadline - asyncio.get_running_loop().time())

    async def close(self) -> None:
        """Stop background loops (by unloading cogs, which wait for their work within the
        shutdown grace) before disconnecting."""
        if self.shutdown_deadline is None:
            grace = self.settings.shutdown_grace_seconds
            self.shutdown_deadline = asyncio.get_running_loop().time() + grace
        for name in list(self.extensions):
            try:
                await self.unload_extension(name)
            except commands.ExtensionError:
                log.debug("could not unload %s", name, exc_info=True)
        await super().close()


class ShardedDispatchBot(DispatchBot, commands.AutoShardedBot):
    """The same bot on chosen gateway shards (``dispatch run --shards 0-1/4``)."""


def create_bot(
    settings: Settings | None = None,
    *,
    service: Dispatch | None = None,
    background: bool = True,
    shards: Shards | None = None,
) -> DispatchBot:
    """The fully wired bot, not connected. Settings default to the environment, like ``dispatch run``.

    ``background=False`` skips the daily digest and re-ingest loops and the automatic command sync
    (``dispatch sync`` uses it). ``shards`` runs those shards of an ``AutoShardedBot``; without
    it the bot is unsharded (one gateway connection, as Discord asks of bots in < 2,500 servers).
    """
    if settings is None:
        from bot.settings import load_settings

        settings = load_settings()
    if shards is None:
        return DispatchBot(settings, service=service, background=background)
    return ShardedDispatchBot(
        settings,
        service=service,
        background=background,
        shard_ids=list(shards.ids),
        shard_count=shards.count,
    )
