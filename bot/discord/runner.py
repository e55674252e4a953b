"""``dispatch run`` and ``dispatch sync``: connect to Discord with the token from the settings."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable, Iterable

import aiohttp
import discord

from bot.discord.app import DispatchBot, build_service, command_set_hash, create_bot
from bot.errors import ConfigError, DispatchError
from bot.logs import formatter
from bot.service import Dispatch
from bot.settings import Settings
from bot.shards import Shards

log = logging.getLogger("bot.discord")

INTENT_WARNING = (
    "Discord refused the privileged Message Content intent: turn on 'Message Content Intent' under "
    "Bot > Privileged Gateway Intents in the Discord Developer Portal (or set "
    "DISPATCH_MESSAGE_CONTENT=false). Continuing without it: slash commands and "
    "'@Dispatch status <topic>' still work, '!' prefix commands do not."
)

Starter = Callable[[DispatchBot], Awaitable[None]]


def require_token(settings: Settings) -> str:
    """The bot token, or a ConfigError saying how to provide one."""
    token = settings.discord_token.get_secret_value().strip() if settings.discord_token else ""
    if not token:
        raise ConfigError("no bot token: set DISPATCH_DISCORD_TOKEN (in the environment or .env)")
    return token


class Redact(logging.Filter):
    """Replace secrets in log records, whoever logs them."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def redact(self, text: str) -> str:
        """``text`` with every secret replaced."""
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the message, and any traceback or stack logged with it, without the secrets."""
        message = record.getMessage()
        if any(s in message for s in self.secrets):
            record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def configure_logging(settings: Settings, secrets: Iterable[str]) -> None:
    """Lines on stderr (readable, or JSON with ``DISPATCH_LOG_FORMAT=json``), secrets redacted."""
    root = logging.getLogger()
    level = logging.DEBUG if root.level == logging.DEBUG else settings.log_level.upper()
    logging.basicConfig(level=level, force=True)
    redact = Redact(secrets)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter(settings.log_format))
        handler.addFilter(redact)


async def serve(
    settings: Settings,
    start: Starter,
    *,
    service: Dispatch | None = None,
    shards: Shards | None = None,
) -> DispatchBot:
    """Start a bot; if Discord refuses the Message Content intent, warn once and start without it."""
    bot = create_bot(settings, service=service, shards=shards)
    try:
        await start(bot)
        return bot
    except discord.PrivilegedIntentsRequired:
        if not settings.message_content:
            raise
    log.warning(INTENT_WARNING)
    await bot.close()
    fallback = settings.model_copy(update={"message_content": False})
    bot = create_bot(fallback, service=service, shards=shards)
    await start(bot)
    return bot


class StopOnSignal:
    """SIGTERM or SIGINT close the running bot, once; the signal's name is kept for the log."""

    SIGNALS = (signal.SIGTERM, signal.SIGINT)

    def __init__(self) -> None:
        self.received: str | None = None
        self.closing: asyncio.Task[None] | None = None
        self._bot: DispatchBot | None = None
        self._installed: list[signal.Signals] = []

    def watch(self, bot: DispatchBot) -> None:
        """Close this bot (the one being served now) on a stop signal."""
        self._bot = bot
        loop = asyncio.get_running_loop()
        for sig in self.SIGNALS:
            if sig in self._installed:
                continue
            try:
                loop.add_signal_handler(sig, self._on_signal, sig)
            except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not main thread
                continue
            self._installed.append(sig)

    def _on_signal(self, sig: signal.Signals) -> None:
        if self.received is not None or self._bot is None:
            return  # already stopping
        self.received = sig.name
        self.closing = asyncio.get_running_loop().create_task(self._bot.close())

    async def uninstall(self) -> None:
        """Restore the default handlers; wait until a close the signal started has ended."""
        loop = asyncio.get_running_loop()
        for sig in self._installed:
            loop.remove_signal_handler(sig)
        self._installed.clear()
        if self.closing is not None:
            await self.closing


async def serve_until_stopped(
    settings: Settings, start: Starter, service: Dispatch, shards: Shards | None = None
) -> None:
    """Serve until Discord ends the session or a stop signal arrives; then close the database.

    On SIGTERM the cogs stop their loops and wait (``DISPATCH_SHUTDOWN_GRACE_SECONDS``) for a
    digest post or re-ingest pass in flight, the bot disconnects, the database is closed, and
    one line says so.
    """
    stop = StopOnSignal()

    async def watched(bot: DispatchBot) -> None:
        stop.watch(bot)
        await start(bot)

    try:
        await serve(settings, watched, service=service, shards=shards)
    finally:
        await stop.uninstall()
        service.close()
    if stop.received:
        log.info(
            "shut down on %s: background work finished or set aside, database closed",
            stop.received,
        )


async def _run(settings: Settings, token: str, shards: Shards | None) -> None:
    service = await asyncio.to_thread(build_service, settings)

    async def start(bot: DispatchBot) -> None:
        async with bot:
            await bot.start(token)

    await serve_until_stopped(settings, start, service, shards)


def run(settings: Settings, shards: Shards | None = None) -> int:
    """Run the bot (on ``shards``, or unsharded) until interrupted."""
    token = require_token(settings)
    configure_logging(settings, [token])
    try:
        asyncio.run(_run(settings, token, shards))
    except discord.LoginFailure:
        raise ConfigError("Discord rejected the bot token (DISPATCH_DISCORD_TOKEN)") from None
    except (aiohttp.ClientError, OSError) as exc:
        raise DispatchError(f"could not reach Discord: {exc}") from None
    return 0


async def _sync(settings: Settings, token: str, guild_id: int | None) -> str:
    bot = create_bot(settings, background=False)
    async with bot:
        await bot.login(token)
        if guild_id is None:
            synced = await bot.tree.sync()
            repo = bot.service.subscriptions.digests
            await asyncio.to_thread(
                repo.set_command_hash, bot.application_id or 0, command_set_hash(bot.tree)
            )
            where = "globally"
        else:
            guild = discord.Object(guild_id)
            bot.tree.copy_global_to(guild=guild)
            synced = await bot.tree.sync(guild=guild)
            where = f"to server {guild_id}"
        bot.service.close()
    return f"synced {len(synced)} slash commands {where}"


def sync(settings: Settings, guild_id: int | None = None) -> int:
    """Register the slash commands with Discord now."""
    token = require_token(settings)
    configure_logging(settings, [token])
    try:
        print(asyncio.run(_sync(settings, token, guild_id)))
    except discord.LoginFailure:
        raise ConfigError("Discord rejected the bot token (DISPATCH_DISCORD_TOKEN)") from None
    except discord.Forbidden:
        raise DispatchError(
            "Discord refused the sync: invite the bot to that server with the applications.commands scope"
        ) from None
    except discord.HTTPException as exc:
        raise DispatchError(
            f"Discord refused the sync ({exc.status}): {exc.text or 'no detail'}"
        ) from None
    except (aiohttp.ClientError, OSError) as exc:
        raise DispatchError(f"could not reach Discord: {exc}") from None
    return 0
