"""Running the bot as a service: a failed command sync, lost connections, SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
import simcord

from bot.discord import DispatchBot
from bot.discord.app import DispatchTree, build_service
from bot.discord.runner import serve_until_stopped
from tests.discord.conftest import World, build_world, make_settings

TITLE = "US–Ukraine minerals deal — as of 2025-03-05 · 3 sources"


@pytest.fixture(
    params=[
        aiohttp.ClientConnectionError("Cannot connect to host discord.com:443"),
        TimeoutError(),
        KeyError("options"),  # a command payload the library cannot build
    ],
    ids=["connection", "timeout", "bug"],
)
def broken_sync(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> BaseException:
    """The start-up slash-command sync fails with something other than an HTTP error."""
    error: BaseException = request.param

    async def sync(self: DispatchTree, *, guild: Any = None) -> list[Any]:
        raise error

    monkeypatch.setattr(DispatchTree, "sync", sync)
    return error


async def test_a_sync_that_fails_without_an_http_error_is_logged_and_the_bot_runs_on(
    caplog: pytest.LogCaptureFixture, broken_sync: BaseException, world: World
) -> None:
    await world.alice.send(world.channel, "!status minerals-deal")  # the bot is up and answers
    assert world.bot_messages()[-1].embeds[0].title == TITLE

    started = caplog.get_records("setup")  # the bot started in the world fixture
    logged = [r for r in started if "slash commands" in r.getMessage()]
    assert len(logged) == 1
    line = logged[0].getMessage()
    assert line.startswith("could not sync slash commands") and "running on" in line
    if isinstance(broken_sync, KeyError):  # a bug: its traceback is worth having
        assert logged[0].levelno == logging.ERROR and logged[0].exc_info
    else:
        assert logged[0].levelno == logging.WARNING and not logged[0].exc_info
        assert type(broken_sync).__name__ in line
    repo = world.env.bot.service.store.digests
    assert repo.command_hash(world.env.bot.application_id or 0) is None  # retried next start


async def test_each_failed_reconnect_logs_one_warning_line(
    world: World, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """discord.py's own reconnect loop (``Client.connect``), its gateway refusing three times."""
    attempts: list[int] = []

    async def refuse(cls: Any, client: Any, **kwargs: Any) -> Any:
        attempts.append(1)
        if len(attempts) > 3:
            raise asyncio.CancelledError  # end the loop here: the test has seen enough
        raise aiohttp.ClientConnectorError(
            aiohttp.client_reqrep.ConnectionKey(
                "gateway.discord.gg", 443, True, None, None, None, None
            ),
            OSError(111, "Connection refused"),
        )

    class QuickBackoff:  # real seconds otherwise (a task of the test, not of the bot)
        def delay(self) -> float:
            return 0.01

    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "from_client", classmethod(refuse))
    monkeypatch.setattr(discord.client, "ExponentialBackoff", QuickBackoff)
    bot = world.env.bot
    for name in ("sequence", "session_id", "gateway"):  # what connect() reads back from a socket
        monkeypatch.setattr(bot.ws, name, None, raising=False)
    with caplog.at_level(logging.DEBUG, logger="discord.client"):
        task = asyncio.ensure_future(bot.connect(reconnect=True))
        for _ in range(4):
            await world.env.advance_time(1)
        with pytest.raises(asyncio.CancelledError):
            await task
    records = [r for r in caplog.records if r.name == "discord.client" and r.levelno > logging.INFO]
    assert len(attempts) == 4 and len(records) == 3
    for record in records:
        assert record.levelno == logging.WARNING and not record.exc_info and not record.exc_text
        line = record.getMessage()
        assert "\n" not in line and "Connection refused" in line and "reconnecting in" in line


async def test_sigterm_finishes_the_reingest_pass_then_closes_the_database_with_one_line(
    tmp_path: Path, corpus: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(tmp_path, corpus)
    service = build_service(settings)
    order: list[str] = []
    started = threading.Event()
    real_ingest, real_close = service.ingest, service.close

    def slow_ingest(**kwargs: Any) -> Any:
        started.set()
        threading.Event().wait(0.3)  # a pass that is still running when SIGTERM arrives
        report = real_ingest(**kwargs)
        order.append("ingest finished")
        return report

    def close() -> None:
        order.append("database closed")
        real_close()

    service.ingest = slow_ingest  # type: ignore[method-assign]
    service.close = close  # type: ignore[method-assign]
    envs: list[simcord.Env] = []

    async def start(bot: DispatchBot) -> None:
        env = simcord.Env(bot)
        envs.append(env)
        await env.start()
        with env.time_context():
            world = build_world(env)
            await world.alice.send(world.channel, "!status minerals-deal")
            assert world.bot_messages()[-1].embeds[0].title == TITLE
        await asyncio.to_thread(started.wait, 10)
        os.kill(os.getpid(), signal.SIGTERM)
        while not bot.is_closed():
            await asyncio.sleep(0.01)

    with caplog.at_level(logging.INFO):
        try:
            await serve_until_stopped(settings, start, service)
        finally:
            await envs[-1].shutdown()
    assert order == ["ingest finished", "database closed"]
    lines = [r.getMessage() for r in caplog.records if "SIGTERM" in r.getMessage()]
    assert len(lines) == 1 and lines[0].startswith("shut down on SIGTERM")
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the handler is removed again
    with pytest.raises(Exception, match="closed"):
        service.store.db.query("SELECT 1")
