"""Daily digests are delivered exactly once, with a crash injected at each point of a post.

A crash is a ``Crash`` (a ``BaseException``, so no ``except Exception`` in the bot survives it)
raised from a patched send or store call; the bot is then restarted on the same database, and the
simulated clock moves on. The news must reach the channel once: never twice, never not at all.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

import discord
import pytest

from bot.discord import create_bot, limits
from bot.settings import Settings
from bot.store.deliveries import DeliveryRepo
from bot.store.digests import DigestRepo
from tests.discord.conftest import World
from tests.discord.test_digest import HOUR, NEW_ARTICLE, NINE_KYIV, digests, setup_nine_kyiv

pytestmark = pytest.mark.backends

NATO_ARTICLE = (
    " date 2025-03-12 Ukraine's NATO bid on the summit agenda\n\n"
    "Allied foreign ministers in Brussels agreed on Wednesday to put Ukraine's NATO membership "
    "request on the agenda of the July summit, diplomats said.\n"
)
JEDDAH = "Negotiators in Jeddah finalised the text of the minerals deal"
BRUSSELS = "Allied foreign ministers in Brussels agreed"


class Crash(BaseException):
    """The process dies here (nothing in the bot catches a BaseException)."""


def crash_once(
    monkeypatch: pytest.MonkeyPatch,
    cls: type,
    name: str,
    when: Callable[..., bool] = lambda *a, **k: True,
    *,
    before: bool = True,
) -> list[int]:
    """Make ``cls.name`` raise ``Crash`` once (before or after doing its work) when ``when`` holds."""
    real = getattr(cls, name)
    fired: list[int] = []

    def patched(self: Any, *args: Any, **kwargs: Any) -> Any:
        if fired or not when(*args, **kwargs):
            return real(self, *args, **kwargs)
        fired.append(1)
        if not before:
            real(self, *args, **kwargs)
        raise Crash(name)

    async def apatched(self: Any, *args: Any, **kwargs: Any) -> Any:
        if fired or not when(*args, **kwargs):
            return await real(self, *args, **kwargs)
        fired.append(1)
        if not before:
            await real(self, *args, **kwargs)
        raise Crash(name)

    monkeypatch.setattr(cls, name, apatched if inspect.iscoroutinefunction(real) else patched)
    return fired


def text_of(message: discord.Message) -> str:
    return "\n".join(e.description or "" for e in message.embeds)


def posted_text(world: World) -> str:
    return "\n".join(text_of(m) for m in world.bot_messages())


async def restart(world: World, settings: Settings) -> None:
    """The process comes back on the same database (the crashed task's errors are acknowledged)."""
    errors = world.env.errors
    assert all(isinstance(e, Crash) for e in errors), errors
    await world.env.restart_bot(create_bot(settings))


async def news_ready(world: World, article: Any, *texts: str) -> None:
    await setup_nine_kyiv(world)
    for i, text in enumerate(texts):
        article(f"01{i}_news.txt", text)
    await world.env.advance_time(15 * 60 + 1)  # the re-ingest loop reads them


@pytest.fixture
def one_embed_per_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each topic of a digest goes out in its own message (a two-message digest from two topics)."""
    monkeypatch.setattr(limits, "EMBEDS_PER_MESSAGE", 1)


async def test_a_crash_after_sending_before_marking_done_does_not_repost_the_news(
    world: World, settings: Settings, article: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await news_ready(world, article, NEW_ARTICLE)
    fired = crash_once(monkeypatch, DigestRepo, "finish", lambda *a, **k: "sent" in a)
    await world.env.advance_time(NINE_KYIV)
    assert fired and posted_text(world).count(JEDDAH) == 1
    monkeypatch.undo()
    await restart(world, settings)

    await world.env.advance_time(24 * HOUR)
    days = digests(world)
    assert len(days) == 2
    assert "No new developments since" in days[1].content
    assert posted_text(world).count(JEDDAH) == 1


async def test_a_crash_between_discord_taking_a_message_and_recording_it_does_not_repost(
    world: World, settings: Settings, article: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await news_ready(world, article, NEW_ARTICLE)
    fired = crash_once(monkeypatch, DeliveryRepo, "delivered")
    await world.env.advance_time(NINE_KYIV)
    assert fired and len(digests(world)) == 1
    monkeypatch.undo()
    await restart(world, settings)

    await world.env.advance_time(2 * HOUR)  # the stale claim is taken back: nothing is re-sent
    assert len(digests(world)) == 1
    repo = world.env.bot.service.store.digests
    assert [status for _, status, _ in repo.posts(world.channel.id)] == ["sent"]
    await world.env.advance_time(22 * HOUR)
    assert posted_text(world).count(JEDDAH) == 1
    assert "No new developments since" in digests(world)[-1].content


async def test_a_crash_after_the_claim_before_sending_posts_the_same_day_after_the_timeout(
    world: World, settings: Settings, article: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await news_ready(world, article, NEW_ARTICLE)
    fired = crash_once(monkeypatch, discord.abc.Messageable, "send")
    await world.env.advance_time(NINE_KYIV - 15 * 60)  # one second past 09:00 in Kyiv
    assert fired and digests(world) == []
    monkeypatch.undo()
    await restart(world, settings)

    timeout = settings.digest_claim_timeout_minutes * 60
    await world.env.advance_time(timeout - 120)  # a claim younger than the timeout is left alone
    assert digests(world) == []
    await world.env.advance_time(HOUR + 120)
    [post] = digests(world)
    assert JEDDAH in text_of(post)
    assert post.created_at.date() == world.env.now().date()  # the same local day
    await world.env.advance_time(24 * HOUR)
    assert posted_text(world).count(JEDDAH) == 1


def on_nth_send(
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    n: int,
    *,
    wait: float = 0,
    status: int | None = None,
    code: int = 0,
) -> list[int]:
    """The ``n``-th message the bot sends first waits ``wait`` (virtual) seconds, then Discord
    refuses it with ``status`` (if given); returns the count of sends so far."""
    real_send = discord.abc.Messageable.send
    calls: list[int] = []

    async def send(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == n:
            if wait:
                await asyncio.sleep(wait)
            if status is not None:  # what env.inject_error adds (bot-owned work may not call it)
                path = f"/channels/{world.channel.id}/messages"
                fault = {"method": "POST", "path": path, "status": status, "code": code}
                world.env.backend.faults.append({**fault, "message": "injected", "times": 1})
        return await real_send(self, *args, **kwargs)

    monkeypatch.setattr(discord.abc.Messageable, "send", send)
    return calls


@pytest.mark.usefixtures("one_embed_per_message")
async def test_when_the_second_message_fails_the_next_day_sends_only_what_did_not_go_out(
    world: World, article: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await news_ready(world, article, NEW_ARTICLE, NATO_ARTICLE)
    preview = await world.admin.slash(world.channel, "digest preview")
    assert preview.response is not None
    first_topic = preview.response.embeds[0].description or ""
    assert (JEDDAH in first_topic) != (BRUSSELS in first_topic)  # one topic per message

    on_nth_send(world, monkeypatch, 2, status=403, code=50013)
    await world.env.advance_time(NINE_KYIV)
    [first] = world.bot_messages()
    assert text_of(first) == first_topic
    repo = world.env.bot.service.store.digests
    assert [status for _, status, _ in repo.posts(world.channel.id)] == ["failed"]

    await world.env.advance_time(24 * HOUR)
    text = posted_text(world)
    assert text.count(JEDDAH) == 1 and text.count(BRUSSELS) == 1  # each exactly once
    assert len(digests(world)) == 2


@pytest.mark.usefixtures("one_embed_per_message")
async def test_a_transient_failure_of_the_second_message_retries_only_the_second(
    world: World, article: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await news_ready(world, article, NEW_ARTICLE, NATO_ARTICLE)
    on_nth_send(world, monkeypatch, 2, status=503)
    await world.env.advance_time(NINE_KYIV - 15 * 60)  # one second past 09:00 in Kyiv
    assert len(world.bot_messages()) == 1
    await world.env.advance_time(5 * 60 + 1)
    messages = world.bot_messages()
    assert len(messages) == 2 and len(digests(world)) == 1  # the header went out once
    text = posted_text(world)
    assert text.count(JEDDAH) == 1 and text.count(BRUSSELS) == 1
    repo = world.env.bot.service.store.digests
    assert [status for _, status, _ in repo.posts(world.channel.id)] == ["sent"]


@pytest.mark.usefixtures("one_embed_per_message")
async def test_a_post_cut_off_by_shutdown_is_resumed_with_what_did_not_go_out(
    world: World, settings: Settings, article: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await news_ready(world, article, NEW_ARTICLE, NATO_ARTICLE)
    calls = on_nth_send(world, monkeypatch, 2, wait=3600)  # Discord is slow to take the second
    await world.env.advance_time(NINE_KYIV - 15 * 60)  # the post is under way
    assert len(calls) == 2 and len(world.bot_messages()) == 1
    cog = world.env.bot.get_cog("Digest")
    await cog.scheduler.aclose(0)  # type: ignore[union-attr]  # shutdown with no grace left
    monkeypatch.undo()
    await restart(world, settings)

    await world.env.advance_time(settings.digest_claim_timeout_minutes * 60 + HOUR)
    text = posted_text(world)
    assert text.count(JEDDAH) == 1 and text.count(BRUSSELS) == 1  # the rest, the same day
    assert len(world.bot_messages()) == 2 and len(digests(world)) == 1
    repo = world.env.bot.service.store.digests
    assert [status for _, status, _ in repo.posts(world.channel.id)] == ["sent"]


@pytest.mark.usefixtures("one_embed_per_message")
async def test_digest_now_during_a_scheduled_post_sends_each_development_once(
    world: World, article: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await news_ready(world, article, NEW_ARTICLE, NATO_ARTICLE)
    on_nth_send(world, monkeypatch, 2, wait=60, status=503)  # slow, then refused
    await world.env.advance_time(NINE_KYIV - 15 * 60)  # the scheduled post is half out
    now = await world.admin.slash(world.channel, "digest now")  # an admin posts meanwhile
    assert now.response is not None and "Posted the digest" in now.response.content
    await world.env.advance_time(61)  # the scheduled post's second message is refused
    await world.env.advance_time(6 * 60)  # and retried
    text = posted_text(world)
    assert text.count(JEDDAH) == 1 and text.count(BRUSSELS) == 1
    repo = world.env.bot.service.store.digests
    assert [status for _, status, _ in repo.posts(world.channel.id)] == ["sent"]
