"""A bot started with ``--no-worker`` leaves ingest to a ``dispatch worker`` process: it never reads
the folders itself, and it answers and alerts from the results the worker stored."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.discord.app import discord_clock
from bot.service import Dispatch
from bot.settings import Settings
from bot.worker import run_pass
from tests.discord.conftest import World
from tests.discord.test_follows import PASS, SIGNED, alerts, follow, report

pytestmark = pytest.mark.backends


@pytest.mark.parametrize(
    ("settings", "ingests"),
    [({"worker": True}, True), ({"worker": False}, False)],
    indirect=["settings"],
)
async def test_only_a_bot_doing_the_worker_job_ingests(
    world: World, article: Any, ingests: bool
) -> None:
    article("010_wire.md", report("Example Wire", SIGNED))
    await world.env.advance_time(2 * PASS)
    store = world.env.bot.service.store
    assert (store.meta_get("corpus_version") is not None) is ingests
    assert bool(store.sources.files()) is ingests


@pytest.mark.parametrize("settings", [{"worker": False}], indirect=True)
async def test_the_bot_answers_and_alerts_from_what_the_worker_stored(
    world: World, settings: Settings, article: Any
) -> None:
    worker = Dispatch(settings.model_copy(update={"worker": True}), clock=discord_clock)
    try:  # as a `dispatch worker` process would: the seeds first, then one new report
        await asyncio.to_thread(run_pass, worker)
        await follow(world)
        await world.env.advance_time(60)
        article("010_wire.md", report("Example Wire", SIGNED))
        await asyncio.to_thread(run_pass, worker)
    finally:
        worker.close()
    await world.env.advance_time(PASS)
    [alert] = alerts(world)
    assert SIGNED in (alert.embeds[0].description or "")
    await world.alice.send(world.channel, "!status minerals-deal")
    assert (world.bot_messages()[-1].embeds[0].title or "").startswith("US–Ukraine minerals deal")
