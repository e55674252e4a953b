"""``digest now|preview|setup|off`` (Manage Server) and the daily digest loop's lifecycle."""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import zoneinfo
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

import discord
from discord import app_commands
from discord.ext import commands

from bot import schedule
from bot.discord.checks import manage_server, require_can_post, text_channel
from bot.discord.limits import CONTENT, clip, fit_lines
from bot.discord.replies import send_embeds
from bot.discord.scheduler import DEFAULT_WINDOW, DigestPoster, DigestScheduler, describe_failure
from bot.errors import UsageError

if TYPE_CHECKING:
    from bot.discord.app import DispatchBot
    from bot.subscriptions import DigestChannel, DigestRepo

Context = commands.Context[Any]
log = logging.getLogger(__name__)
LIST_BUDGET = 1500  # leaves room in one message for a failure note and the usage line
TOPICS_TAIL = re.compile(r"\s+topics\s*[:=]\s*(?P<names>.*)$", re.IGNORECASE | re.DOTALL)


@functools.cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


async def timezone_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """IANA zone names containing what the user typed."""
    needle = current.strip().lower().replace(" ", "_")
    found = [z for z in _zones() if needle in z.lower()][:25]
    return [app_commands.Choice(name=z, value=z) for z in found]


def schedule_line(config: DigestChannel, now: datetime) -> str:
    """``#news at 09:00 Europe/Kyiv · next post in 3 hours · all topics`` (or ``(off)``)."""
    head = f"<#{config.channel_id}> at {schedule.format_hhmm(config.post_time)} {config.timezone}"
    chosen = f"topics: {', '.join(config.topics)}" if config.topics is not None else "all topics"
    if not config.enabled:
        return f"{head} (off) · {chosen}"
    try:
        tz = zoneinfo.ZoneInfo(config.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return f"{head} (unknown time zone: run `digest setup` again) · {chosen}"
    at = discord.utils.format_dt(schedule.next_post(now, config.post_time, tz), "R")
    return f"{head} · next post {at} · {chosen}"


def split_topics(timezone: str, topics: str | None) -> tuple[str, list[str] | None]:
    """The time zone and the topic names typed (``Europe/Kyiv topics: a, b`` in prefix form)."""
    if topics is None and (found := TOPICS_TAIL.search(timezone)):
        timezone, topics = timezone[: found.start()], found["names"]
    if topics is None:
        return timezone, None
    names = [n for n in re.split(r"[,\s]+", topics) if n]
    if not names:
        raise UsageError("Name at least one topic after `topics:` (or leave it out for all).")
    return timezone, names


class Window(NamedTuple):
    """Where a channel's next digest starts, its per-topic cut-offs, whether it is scheduled,
    and the topics it is limited to (None: every topic)."""

    since: datetime
    cutoffs: dict[str, datetime]
    scheduled: bool
    topics: tuple[str, ...] | None


class Digest(commands.Cog):
    """Daily digest posts, per channel, at a local time."""

    def __init__(self, bot: DispatchBot) -> None:
        self.bot = bot
        self.poster = DigestPoster(bot)
        self.scheduler = DigestScheduler(bot, self.poster)

    async def cog_load(self) -> None:
        """Start the daily digest loop unless the bot runs without background work."""
        if self.bot.background:
            self.scheduler.start()

    async def cog_unload(self) -> None:
        """Stop the loop; a post in flight finishes within the shutdown grace, or is resumed later."""
        await self.scheduler.aclose(self.bot.grace_left())

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """The bot was removed from a server (or it was deleted): stop its digests."""
        stopped = await asyncio.to_thread(self.repo.disable_guild, guild.id)
        if stopped:
            log.info("left server %s: turned off its %d daily digest(s)", guild.id, stopped)
            self.scheduler.reschedule()

    @property
    def repo(self) -> DigestRepo:
        """The digest tables."""
        return self.bot.service.subscriptions.digests

    async def failure_note(self, ctx: Context) -> str:
        """A line reporting the guild's last failed scheduled post (once), or ''."""
        assert ctx.guild is not None
        failure = await asyncio.to_thread(self.repo.take_failure, ctx.guild.id)
        if failure is None:
            return ""
        when = discord.utils.format_dt(failure.at, "f")
        return (
            f"⚠️ The daily digest in <#{failure.channel_id}> failed at {when}: {failure.message}.\n"
        )

    async def answer(self, ctx: Context, text: str) -> None:
        """Reply to an admin (ephemeral for slash), first reporting a scheduled post that failed."""
        await ctx.send(clip(await self.failure_note(ctx) + text, CONTENT), ephemeral=True)

    @commands.hybrid_group(name="digest", invoke_without_command=True)  # type: ignore[arg-type]
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @manage_server()
    async def digest(self, ctx: Context) -> None:
        """Daily digest posts: list, setup, off, now, preview (Manage Server)."""
        await self.list_digests(ctx)

    @digest.command(name="list")  # type: ignore[arg-type]
    @manage_server()
    async def list_digests(self, ctx: Context) -> None:
        """This server's daily digests: where, when, and the next post."""
        assert ctx.guild is not None
        configs = await asyncio.to_thread(self.repo.in_guild, ctx.guild.id)
        now = discord.utils.utcnow()
        lines = fit_lines([schedule_line(c, now) for c in configs], LIST_BUDGET)
        body = "\n".join(lines) if lines else "No daily digest is set up here yet."
        await self.answer(
            ctx,
            f"{body}\nUse `digest setup`, `digest off`, `digest now` or `digest preview`.",
        )

    @digest.command(name="setup", usage="<channel> <time> <timezone> [topics: a, b]")  # type: ignore[arg-type]
    @app_commands.describe(
        channel="Where to post the digest",
        time="Local time to post, 24-hour HH:MM (e.g. 09:00)",
        timezone="IANA time zone (e.g. Europe/Kyiv)",
        topics="Only these topics, comma-separated (default: every topic)",
    )
    @app_commands.autocomplete(timezone=timezone_autocomplete)
    @manage_server()
    async def setup_digest(
        self,
        ctx: Context,
        channel: discord.TextChannel,
        time: str,
        *,
        timezone: str,
        topics: str | None = None,
    ) -> None:
        """Post a daily digest in a channel at a local time (``topics: a, b`` to limit it)."""
        at = schedule.parse_hhmm(time)
        zone, names = split_topics(timezone, topics)
        tz = schedule.parse_timezone(zone)
        chosen = None
        if names is not None:
            chosen = await asyncio.to_thread(self.bot.service.resolve_topics, names)
        require_can_post(channel)
        assert ctx.guild is not None
        now = discord.utils.utcnow()
        slugs = None if chosen is None else tuple(t.slug for t in chosen)
        await asyncio.to_thread(
            self.repo.configure, ctx.guild.id, channel.id, at, tz.key, now, slugs
        )
        self.scheduler.reschedule()
        first = schedule.next_post(now, at, tz)
        which = "" if chosen is None else f" Topics: {', '.join(t.title for t in chosen)}."
        await self.answer(
            ctx,
            f"Daily digest set for {channel.mention} at {schedule.format_hhmm(at)} ({tz.key}). "
            f"First post {discord.utils.format_dt(first, 'F')} ({discord.utils.format_dt(first, 'R')})."
            + which,
        )

    @digest.command(name="off")  # type: ignore[arg-type]
    @app_commands.describe(channel="The channel whose daily digest to stop (default: this one)")
    @manage_server()
    async def off(self, ctx: Context, channel: discord.TextChannel | None = None) -> None:
        """Stop a channel's daily digest."""
        target = text_channel(ctx, channel)
        stopped = await asyncio.to_thread(self.repo.disable, target.id)
        self.scheduler.reschedule()
        text = (
            f"Daily digest in {target.mention} turned off."
            if stopped
            else f"{target.mention} had no daily digest."
        )
        await self.answer(ctx, text)

    async def _since(self, channel_id: int) -> Window:
        """Where this channel's next digest starts, per-topic cut-offs, and whether it has one."""
        config = await asyncio.to_thread(self.repo.get, channel_id)
        if config is not None and config.enabled:
            deliveries = self.bot.service.subscriptions.deliveries
            cutoffs = await asyncio.to_thread(deliveries.topic_cutoffs, channel_id)
            return Window(config.cutoff, cutoffs, True, config.topics)
        return Window(discord.utils.utcnow() - DEFAULT_WINDOW, {}, False, None)

    @digest.command(name="now")  # type: ignore[arg-type]
    @app_commands.describe(channel="Where to post it (default: this channel)")
    @manage_server()
    async def now(self, ctx: Context, channel: discord.TextChannel | None = None) -> None:
        """Post the digest now; the next daily post starts from here."""
        target = text_channel(ctx, channel)
        require_can_post(target)
        await ctx.defer(ephemeral=True)
        since, cutoffs, scheduled, topics = await self._since(target.id)
        moment = discord.utils.utcnow()
        digest = await self.poster.compose(since, until=moment, cutoffs=cutoffs, topics=topics)
        try:
            await self.poster.send(target, digest)
        except discord.HTTPException as exc:
            raise UsageError(
                f"I couldn't post in {target.mention}: {describe_failure(exc)}."
            ) from exc
        if scheduled:
            await asyncio.to_thread(self.repo.move_cutoff, target.id, moment)
        note = "" if scheduled else " (no daily digest here, so it covers the last 24 hours)"
        await self.answer(ctx, f"Posted the digest in {target.mention}{note}.")

    @digest.command(name="preview")  # type: ignore[arg-type]
    @app_commands.describe(channel="Preview the next digest of this channel (default: this one)")
    @manage_server()
    async def preview(self, ctx: Context, channel: discord.TextChannel | None = None) -> None:
        """Show what the next digest would say, without posting it or changing anything."""
        target = text_channel(ctx, channel)
        await ctx.defer(ephemeral=True)
        since, cutoffs, _, topics = await self._since(target.id)
        digest = await self.poster.compose(since, cutoffs=cutoffs, topics=topics)
        note = await self.failure_note(ctx)
        header = f"{note}Preview of the next digest in {target.mention} (nothing was posted):\n{digest.header}"
        await send_embeds(ctx, digest.embeds, ephemeral=True, content=header, max_messages=3)


async def setup(bot: DispatchBot) -> None:
    """Add the digest commands and loop."""
    await bot.add_cog(Digest(bot))
