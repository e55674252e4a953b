"""Screenshots of the bot in simcord's preview (skipped without Debian's chromium).

PNGs go to ``tmp_path``; with ``SCREENSHOT_DIR`` set (``make screenshots``) they are copied there.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.discord.conftest import World

CHROMIUM = Path("/usr/bin/chromium")
DISPUTES = Path(__file__).resolve().parents[1] / "fixtures" / "disputes"
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")

WIDTH = 1000


@pytest.fixture
def corpus(corpus: Path) -> Path:
    """The seeds plus a story two sources dispute (the seeds' one dispute is a single article's)."""
    for path in DISPUTES.glob("*.txt*"):
        shutil.copyfile(path, corpus / path.name)
    topics = corpus / "topics.toml"
    topics.write_text(topics.read_text() + "\n" + (DISPUTES / "topics.toml").read_text())
    return corpus


@pytest.fixture
def system_chromium(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make Playwright launch the system chromium instead of a downloaded browser."""
    from playwright.async_api import BrowserType

    original = BrowserType.launch

    async def launch(self: BrowserType, **kwargs: Any) -> Any:
        kwargs.setdefault("executable_path", str(CHROMIUM))
        return await original(self, **kwargs)

    monkeypatch.setattr(BrowserType, "launch", launch)


def publish(*paths: Path) -> None:
    """Copy PNGs to $SCREENSHOT_DIR when it is set."""
    target = os.environ.get("SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        for path in paths:
            shutil.copyfile(path, Path(target) / path.name)


async def shoot(world: World, path: Path, target: Any, height: int, mode: str) -> None:
    """One PNG of the news channel as alice sees it, focused on ``target``."""
    async with world.env.preview(
        world.channel, viewers=[world.alice], layout="channel", width=WIDTH, height=height
    ) as preview:
        capture = await preview.screenshot(path, target=target, mode=mode)
    assert capture.ready and capture.complete, capture.diagnostics
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


async def test_status_and_timeline_screenshots(
    world: World, tmp_path: Path, system_chromium: None
) -> None:
    world.env.backend.bot_user.name = "Dispatch"  # how a real deployment names its bot user
    await world.alice.send(world.channel, "!status minerals-deal")
    await shoot(world, tmp_path / "status.png", world.bot_messages()[-1], 1180, "viewport")

    timeline = await world.alice.slash(world.channel, "timeline", topic="minerals-deal")
    assert timeline.response is not None
    await shoot(world, tmp_path / "timeline.png", timeline.response, 1000, "surface")
    publish(tmp_path / "status.png", tmp_path / "timeline.png")


async def test_disputed_briefing_and_private_quotes_screenshots(
    world: World, tmp_path: Path, system_chromium: None
) -> None:
    world.env.backend.bot_user.name = "Dispatch"
    status = await world.alice.slash(world.channel, "status", topic="port-strike")
    assert status.response is not None
    assert "**Disputed**" in status.response.embeds[0].description
    quotes = await world.alice.click(status.response, label="Show quotes")
    assert quotes.ephemeral and quotes.response is not None
    assert "[open ↗](https://coastcourier.example/" in quotes.response.embeds[0].description
    shots = [
        (tmp_path / "disputed.png", status.response),
        (tmp_path / "quotes.png", quotes.response),
    ]
    async with world.env.preview(
        world.channel, viewers=[world.alice], layout="channel", width=WIDTH, height=1100
    ) as preview:
        for path, target in shots:
            capture = await preview.screenshot(path, target=target, mode="viewport")
            assert capture.ready and capture.complete, capture.diagnostics
            assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    publish(*(path for path, _ in shots))
