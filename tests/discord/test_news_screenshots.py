"""Screenshots of an alert and of a digest limited to one topic (skipped without chromium)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.discord.conftest import World
from tests.discord.test_digest import NINE_KYIV, digests
from tests.discord.test_digest_delivery import BRUSSELS, JEDDAH
from tests.discord.test_digest_topics import news, setup
from tests.discord.test_follows import DISCUSSED, PASS, alerts, follow, report
from tests.discord.test_screenshots import CHROMIUM, publish, shoot, system_chromium

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
__all__ = ["system_chromium"]  # the fixture, used by name


async def test_alert_screenshot(
    world: World, article: Any, tmp_path: Path, system_chromium: None
) -> None:
    world.env.backend.bot_user.name = "Dispatch"
    await follow(world)
    article("010_wire.md", report("Example Wire", DISCUSSED))
    article("011_ledger.md", report("Daily Ledger", DISCUSSED, "diplomats confirmed."))
    await world.env.advance_time(PASS)
    [alert] = alerts(world)
    await shoot(world, tmp_path / "alert.png", alert, 520, "viewport")
    publish(tmp_path / "alert.png")


async def test_digest_with_topics_screenshot(
    world: World, article: Any, tmp_path: Path, system_chromium: None
) -> None:
    world.env.backend.bot_user.name = "Dispatch"
    await setup(world, world.channel, topics="minerals-deal")
    await news(world, article)
    await world.env.advance_time(NINE_KYIV)
    [post] = digests(world)
    text = "\n".join((e.description or "") for e in post.embeds)
    assert JEDDAH in text and BRUSSELS not in text
    await shoot(world, tmp_path / "digest-topics.png", post, 700, "viewport")
    publish(tmp_path / "digest-topics.png")
