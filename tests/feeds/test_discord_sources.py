"""Discord `source` commands: owners only (the corpus is shared by every server), simulated Discord."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from bot.discord.app import DispatchBot
from tests.conftest import T0
from tests.feeds.conftest import Item, Site, rss2

pytestmark = pytest.mark.simcord(strict_sync=False)


@pytest.fixture
def simcord_bot(make_service: Any, corpus: Any) -> DispatchBot:
    """The real bot over a service that may fetch from the loopback site."""
    service = make_service(corpus, fetch_allow=["127.0.0.1"])
    return DispatchBot(service.settings, service=service, background=False)


@pytest.fixture
def env(simcord_env: Any) -> Any:
    return simcord_env


def expected_errors(env: Any) -> set[str]:
    """The kinds of errors the bot's handler answered (reading them acknowledges them)."""
    from bot.discord.errors import unwrap

    return {type(unwrap(e)).__name__ for e in env.errors}


def people(env: Any) -> tuple[Any, Any, Any]:
    """A channel, an owner (listed in DISPATCH_OWNER_IDS) and a server admin who is not an owner."""
    guild = env.create_guild()
    channel = guild.create_text_channel("news")
    owner_user = env.create_user("owner")
    env.bot.settings.owner_ids = [owner_user.id]
    owner = guild.add_member(owner_user)
    admins = guild.create_role("admins", permissions=discord.Permissions(administrator=True))
    admin = guild.add_member(env.create_user("admin"), roles=[admins])
    return channel, owner, admin


async def test_non_owner_is_refused_even_as_server_admin(env: Any, site: Site) -> None:
    site.put("/feed", rss2([Item("One", site.url("/a1"), T0)]), "application/rss+xml")
    channel, _, admin = people(env)
    result = await admin.slash(channel, "source add", url=site.url("/feed"))
    assert "Only the bot's owners" in result.response.content and result.ephemeral
    await admin.send(channel, f"!source add {site.url('/feed')}")
    assert "Only the bot's owners" in channel.last_message.content
    assert env.bot.service.store.feeds.all() == [] and site.hits == []
    assert expected_errors(env) == {"OwnersOnly"}


async def test_owner_adds_lists_and_removes_a_feed(env: Any, site: Site) -> None:
    site.put(
        "/feed",
        rss2([Item("One", site.url("/a1"), T0)], title="Wire @everyone Desk"),
        "application/rss+xml",
    )
    channel, owner, _ = people(env)
    added = await owner.slash(channel, "source add", url=site.url("/feed"), interval=15)
    text = (added.followups[0] if added.followups else added.response).content
    assert text.startswith("Added feed #1: Wire") and "@everyone" not in text
    [src] = env.bot.service.store.feeds.all()
    assert (src.kind, src.interval_minutes, src.origin, src.added_by) == (
        "feed",
        15,
        "discord",
        str(owner.id),
    )
    await owner.send(channel, "!source list")
    listing = channel.last_message.embeds[0].description
    assert "#1 [new]" in listing and site.url("/feed") in listing
    removed = await owner.slash(channel, "source remove", source="1")
    assert removed.response.content.startswith("Removed #1")
    assert env.bot.service.store.feeds.all() == []


async def test_list_shows_why_a_source_was_disabled(env: Any, site: Site) -> None:
    from bot.feeds.sources import add_source

    site.put("/feed", rss2([]), "application/rss+xml")
    service = env.bot.service
    src = add_source(service, site.url("/feed")).source
    service.store.feeds.record_failure(
        src.id,
        now=T0,
        next_due=T0,
        error="HTTP 500",
        disabled_reason="disabled after 5 failures in a row: HTTP 500",
    )
    channel, owner, _ = people(env)
    result = await owner.slash(channel, "source list")
    description = result.response.embeds[0].description
    assert "[disabled]" in description and "after 5 failures in a row: HTTP 500" in description


async def test_bad_urls_get_a_one_line_reply(env: Any) -> None:
    channel, owner, _ = people(env)
    result = await owner.slash(channel, "source add", url="ftp://example.com/feed")
    text = (result.followups[0] if result.followups else result.response).content
    assert "Only http and https" in text
    refused = await owner.slash(channel, "source add", url="http://10.0.0.1/feed")
    text = (refused.followups[0] if refused.followups else refused.response).content
    assert "private address" in text
    assert expected_errors(env) == {"UsageError"}
