"""Daily digest posts: once per channel per local date, across restarts; now, preview, failures."""

from __future__ import annotations

import logging
from datetime import date, time, timedelta
from pathlib import Path

import discord
import pytest

from bot.discord import create_bot
from bot.settings import Settings
from tests.discord.conftest import World

pytestmark = pytest.mark.backends

HOUR = 3600
NINE_KYIV = 7 * HOUR  # the simulated clock starts at 2026-01-01 00:00 UTC; Kyiv is UTC+2 in winter

NEW_ARTICLE = (
    " date 2025-03-12 Ukraine and US finalise minerals deal text\n\n"
    "Negotiators in Jeddah finalised the text of the minerals deal on Wednesday, and the joint fund "
    "will hold its first board meeting in Warsaw next month, officials said.\n"
)


def digests(world: World) -> list[discord.Message]:
    """The digest posts in the news channel."""
    return [m for m in world.bot_messages() if m.content.startswith("**Daily digest**")]


async def setup_nine_kyiv(world: World) -> None:
    result = await world.admin.slash(
        world.channel, "digest setup", channel=world.channel, time="09:00", timezone="Europe/Kyiv"
    )
    assert result.ephemeral and result.response is not None
    assert result.response.content.startswith(
        f"Daily digest set for {world.channel.mention} at 09:00 (Europe/Kyiv)."
    )


async def test_exactly_one_post_per_local_date_across_a_restart(
    world: World, settings: Settings
) -> None:
    await setup_nine_kyiv(world)
    await world.env.advance_time(NINE_KYIV - 60)
    assert digests(world) == []
    await world.env.advance_time(61)
    assert len(digests(world)) == 1
    assert "No new developments since" in digests(world)[0].content

    await world.env.restart_bot(create_bot(settings))
    await world.env.advance_time(3 * HOUR)
    assert len(digests(world)) == 1

    await world.env.advance_time(21 * HOUR)  # 2026-01-02 09:00:01 in Kyiv
    assert len(digests(world)) == 2


async def test_new_article_reaches_the_next_digest(world: World, article: object) -> None:
    await setup_nine_kyiv(world)
    article("010_jeddah.txt", NEW_ARTICLE)  # type: ignore[operator]
    await world.env.advance_time(15 * 60 + 1)  # the re-ingest loop runs
    await world.env.advance_time(NINE_KYIV)
    [post] = digests(world)
    assert "new development" in post.content
    text = "\n".join(e.description or "" for e in post.embeds)
    assert "Negotiators in Jeddah finalised the text of the minerals deal on Wednesday" in text
    assert "[1]" in text
    assert "Trump seeks a rare earth deal" not in text  # old news stays out


async def test_now_posts_and_moves_the_cutoff_preview_changes_nothing(
    world: World, article: object
) -> None:
    await setup_nine_kyiv(world)
    article("010_jeddah.txt", NEW_ARTICLE)  # type: ignore[operator]
    await world.env.advance_time(15 * 60 + 1)

    preview = await world.admin.slash(world.channel, "digest preview")
    assert preview.ephemeral and preview.response is not None
    assert "nothing was posted" in preview.response.content
    assert "Jeddah" in preview.response.embeds[0].description
    assert world.bot_messages() == []

    now = await world.admin.slash(world.channel, "digest now")
    assert now.ephemeral and now.response is not None
    assert now.response.content == f"Posted the digest in {world.channel.mention}."
    [posted] = digests(world)
    assert "Jeddah" in posted.embeds[0].description

    await world.env.advance_time(NINE_KYIV)
    scheduled = digests(world)
    assert len(scheduled) == 2  # `digest now` did not use up the scheduled post
    assert "No new developments since" in scheduled[1].content


async def test_a_failed_post_is_reported_to_the_next_admin_command_and_the_loop_goes_on(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    await setup_nine_kyiv(world)
    world.env.inject_error(
        "POST", "/channels/*/messages", status=403, code=50013, message="Missing Permissions"
    )
    with caplog.at_level(logging.WARNING, logger="bot.discord.scheduler"):
        await world.env.advance_time(NINE_KYIV + 1)
    assert digests(world) == []
    assert any("daily digest for 2026-01-01" in r.getMessage() for r in caplog.records)

    report = await world.admin.slash(world.channel, "digest preview")
    assert report.response is not None
    assert report.response.content.startswith(
        f"⚠️ The daily digest in {world.channel.mention} failed"
    )
    assert "not allowed to post there" in report.response.content
    again = await world.admin.slash(world.channel, "digest preview")
    assert again.response is not None and "⚠️" not in again.response.content  # reported once

    await world.env.advance_time(24 * HOUR)
    assert len(digests(world)) == 1


async def test_deleted_channel_turns_its_digest_off(world: World) -> None:
    await setup_nine_kyiv(world)
    world.env.inject_error(
        "POST", "/channels/*/messages", status=404, code=10003, message="Unknown Channel"
    )
    await world.env.advance_time(NINE_KYIV + 1)
    await world.admin.send(world.channel, "!digest")
    reply = world.bot_messages()[-1].content
    assert "the channel no longer exists" in reply
    assert f"{world.channel.mention} at 09:00 Europe/Kyiv (off)" in reply


async def test_off_stops_the_posts(world: World) -> None:
    await setup_nine_kyiv(world)
    off = await world.admin.slash(world.channel, "digest off", channel=world.channel)
    assert (
        off.response is not None
        and off.response.content == f"Daily digest in {world.channel.mention} turned off."
    )
    await world.env.advance_time(2 * 24 * HOUR)
    assert digests(world) == []


@pytest.mark.parametrize("settings", [{"digest_when_empty": "skip"}], indirect=True)
async def test_empty_digest_can_be_skipped(world: World) -> None:
    await setup_nine_kyiv(world)
    await world.env.advance_time(NINE_KYIV + 1)
    assert digests(world) == []


async def test_first_post_is_the_next_occurrence_after_setup(world: World) -> None:
    await world.env.advance_time(NINE_KYIV + HOUR)  # 10:00 in Kyiv: today's 09:00 has passed
    await setup_nine_kyiv(world)
    await world.env.advance_time(20 * HOUR)  # 06:00 next day in Kyiv
    assert digests(world) == []
    await world.env.advance_time(3 * HOUR + 1)
    assert len(digests(world)) == 1


async def test_after_a_week_of_downtime_there_is_one_catch_up_post(
    world: World, settings: Settings
) -> None:
    await world.env.advance_time(NINE_KYIV + 3 * HOUR)  # 2026-01-01 11:00 in Kyiv, no schedule yet
    week_ago = world.env.now() - timedelta(days=7)
    repo = world.env.bot.service.store.digests
    repo.configure(
        world.guild.id, world.channel.id, time(9), "Europe/Kyiv", week_ago
    )  # set up, then down
    await world.env.restart_bot(create_bot(settings))
    assert len(digests(world)) == 1
    await world.env.advance_time(12 * HOUR)
    assert len(digests(world)) == 1
    assert [d for d, status, _ in repo.posts(world.channel.id)] == [date(2026, 1, 1)]


async def test_two_channels_at_different_times_and_zones_and_a_slash_list(world: World) -> None:
    other = world.guild.create_text_channel("americas")
    await setup_nine_kyiv(world)
    await world.admin.slash(
        world.channel, "digest setup", channel=other, time="10:00", timezone="America/New_York"
    )
    again = await world.admin.slash(  # setting up the same channel again updates it
        world.channel, "digest setup", channel=world.channel, time="09:30", timezone="Europe/Kyiv"
    )
    assert again.response is not None and "at 09:30 (Europe/Kyiv)" in again.response.content

    listed = await world.admin.slash(world.channel, "digest list")
    assert listed.ephemeral and listed.response is not None
    lines = listed.response.content.splitlines()
    assert lines[0].startswith(f"{world.channel.mention} at 09:30 Europe/Kyiv · next post <t:")
    assert lines[1].startswith(f"{other.mention} at 10:00 America/New_York · next post <t:")
    assert len(lines) == 3

    await world.env.advance_time(NINE_KYIV + 30 * 60 + 1)  # 09:30 in Kyiv
    assert len(digests(world)) == 1
    await world.env.advance_time(8 * HOUR)  # 10:00 in New York is 15:00 UTC
    assert len(digests(world)) == 1
    assert len([m for m in other.history() if m.content.startswith("**Daily digest**")]) == 1


async def test_a_server_that_removed_the_bot_gets_no_more_attempts(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    await setup_nine_kyiv(world)
    # Real Discord answers 403 Missing Access (not 404) for a channel of a server the bot left.
    world.env.inject_error("GET", "/channels/*", status=403, code=50001, message="Missing Access")
    world.env.backend.remove_guild(world.guild.id)
    await world.env.settle()
    repo = world.env.bot.service.store.digests
    assert repo.enabled() == []
    with caplog.at_level(logging.WARNING, logger="bot.discord.scheduler"):
        await world.env.advance_time(2 * 24 * HOUR)
    assert repo.posts(world.channel.id) == [] and caplog.records == []


@pytest.mark.parametrize("settings", [{"reingest_minutes": 10_000}], indirect=True)
async def test_a_post_time_in_the_spring_gap_posts_once_at_the_first_valid_minute(
    world: World,
) -> None:
    from datetime import UTC, datetime

    day_before = datetime(2026, 3, 28, 12, tzinfo=UTC)  # Kyiv skips 03:00–04:00 on 29 March
    await world.env.advance_time((day_before - world.env.now()).total_seconds())
    setup = await world.admin.slash(
        world.channel, "digest setup", channel=world.channel, time="03:30", timezone="Europe/Kyiv"
    )
    assert setup.response is not None
    first = int(datetime(2026, 3, 29, 1, tzinfo=UTC).timestamp())  # 04:00 EEST
    assert f"First post <t:{first}:F>" in setup.response.content
    for _ in range(3 * 24 * 4):  # three days in quarter hours
        await world.env.advance_time(15 * 60)
    posted = [m.created_at for m in digests(world)]
    assert posted == [
        datetime(2026, 3, 29, 1, tzinfo=UTC),
        datetime(2026, 3, 30, 0, 30, tzinfo=UTC),  # 03:30 EEST from now on
        datetime(2026, 3, 31, 0, 30, tzinfo=UTC),
    ]


async def test_off_for_a_channel_that_never_had_a_digest(world: World) -> None:
    quiet = world.guild.create_text_channel("quiet")
    result = await world.admin.slash(world.channel, "digest off", channel=quiet)
    assert result.ephemeral and result.response is not None
    assert result.response.content == f"{quiet.mention} had no daily digest."


async def test_a_long_list_of_schedules_fits_one_message(world: World) -> None:
    repo = world.env.bot.service.store.digests
    for i in range(60):
        repo.configure(
            world.guild.id, 10**18 + i, time(9), "America/Argentina/Buenos_Aires", world.env.now()
        )
    listed = await world.admin.slash(world.channel, "digest list")
    assert listed.response is not None
    text = listed.response.content
    assert len(text) <= 2000 and "more" in text and text.endswith("`digest preview`.")


async def test_one_channels_failed_post_does_not_stop_the_others(
    world: World, article: object
) -> None:
    other = world.guild.create_text_channel("briefs")
    await setup_nine_kyiv(world)
    await world.admin.slash(
        world.channel, "digest setup", channel=other, time="09:00", timezone="Europe/Kyiv"
    )
    article("010_jeddah.txt", NEW_ARTICLE)  # type: ignore[operator]
    world.env.inject_error(
        "POST",
        f"/channels/{world.channel.id}/messages",
        status=403,
        code=50013,
        message="Missing Permissions",
    )
    await world.env.advance_time(NINE_KYIV + 1)
    assert digests(world) == []
    [posted] = [m for m in other.history() if m.content.startswith("**Daily digest**")]
    assert "Jeddah" in posted.embeds[0].description

    await world.env.advance_time(24 * HOUR)  # the failed channel's next digest still has the news
    [retried] = digests(world)
    assert "Jeddah" in retried.embeds[0].description


async def test_a_transient_discord_error_is_retried_the_same_day(
    world: World, article: object
) -> None:
    await setup_nine_kyiv(world)
    article("010_jeddah.txt", NEW_ARTICLE)  # type: ignore[operator]
    world.env.inject_error("POST", f"/channels/{world.channel.id}/messages", status=503, times=1)
    await world.env.advance_time(NINE_KYIV + 1)
    assert digests(world) == []
    await world.env.advance_time(5 * 60 + 1)
    [posted] = digests(world)
    assert "Jeddah" in posted.embeds[0].description
    await world.env.advance_time(3 * HOUR)
    assert len(digests(world)) == 1  # retried once, posted once


async def test_a_lasting_outage_gives_up_after_three_attempts(
    world: World, article: object
) -> None:
    await setup_nine_kyiv(world)
    article("010_jeddah.txt", NEW_ARTICLE)  # type: ignore[operator]
    world.env.inject_error("POST", f"/channels/{world.channel.id}/messages", status=500, times=3)
    await world.env.advance_time(NINE_KYIV + 1)
    for _ in range(3):
        await world.env.advance_time(5 * 60 + 1)
    assert digests(world) == []  # three attempts failed: today's post is given up
    assert world.env.bot.service.store.digests.posts(world.channel.id)[0][1] == "failed"  # type: ignore[attr-defined]
    await world.env.advance_time(24 * HOUR)
    [posted] = digests(world)
    assert "Jeddah" in posted.embeds[0].description


async def after_a_first_empty_digest(world: World) -> None:
    """Set up the 09:00 digest and let its first (empty) post go out."""
    await setup_nine_kyiv(world)
    await world.env.advance_time(NINE_KYIV + 1)
    assert "No new developments since" in digests(world)[0].content


async def the_next_digest_has_no_news(world: World) -> None:
    """Two re-ingests ran since the first digest; the next 09:00 post announces nothing."""
    await world.env.advance_time(24 * HOUR - 30 * 60)
    assert len(digests(world)) == 2
    assert "No new developments since" in digests(world)[1].content


async def test_a_corpus_folder_that_vanishes_and_returns_is_not_news(
    world: World, corpus: Path
) -> None:
    await after_a_first_empty_digest(world)
    away = corpus.parent / "away"
    corpus.rename(away)  # an unmounted share: its mount point is an empty folder
    corpus.mkdir()
    await world.env.advance_time(15 * 60 + 1)  # a re-ingest while it is gone
    await world.alice.send(world.channel, "!status minerals-deal")  # still briefed meanwhile
    assert world.bot_messages()[-1].embeds[0].title.startswith("US–Ukraine minerals deal")
    corpus.rmdir()
    away.rename(corpus)  # the share is back, the same files in it
    await world.env.advance_time(15 * 60 + 1)
    await the_next_digest_has_no_news(world)


async def test_one_file_removed_and_restored_unchanged_is_not_news(
    world: World, corpus: Path
) -> None:
    await after_a_first_empty_digest(world)
    path = corpus / "000_73d30c671a85fbfc.txt"
    kept = path.read_bytes()
    path.unlink()
    await world.env.advance_time(15 * 60 + 1)
    path.write_bytes(kept)
    await world.env.advance_time(15 * 60 + 1)
    await the_next_digest_has_no_news(world)
