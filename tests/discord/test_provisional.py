"""A status answered from a quick update's results says so in its footer, until the exact pass."""

from __future__ import annotations

from tests.discord.conftest import World

ARTICLE = (
    " date 2025-03-10 Minerals deal signed in Kyiv\n\n"
    "Officials said the minerals deal was signed in Kyiv on Monday by Ukraine and the United States.\n"
)


async def test_a_provisional_status_says_so_until_the_reingest_pass(
    world: World, article: object
) -> None:
    service = world.env.bot.service  # type: ignore[attr-defined]
    article("009_signed.txt", ARTICLE)  # type: ignore[operator]
    service.refresh(exact=False)  # what a `dispatch status` in another process leaves behind
    await world.alice.send(world.channel, "!status minerals-deal")
    reply = world.bot_messages()[-1]
    assert "signed in Kyiv on Monday" in (reply.embeds[0].description or "")
    assert "provisional" in (reply.embeds[0].footer.text or "")
    await world.env.advance_time(15 * 60 + 1)  # the re-ingest pass runs the exact recompute
    await world.alice.send(world.channel, "!status minerals-deal")
    reply = world.bot_messages()[-1]
    assert "signed in Kyiv on Monday" in (reply.embeds[0].description or "")
    assert "provisional" not in (reply.embeds[0].footer.text or "")
