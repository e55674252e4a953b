"""Alerts on Discord: one short embed per followed development, posted after each recompute.

What is due and the exactly-once bookkeeping live in ``bot.alerts`` (no Discord there); this
module renders an alert (the statement, its citations, a "Full briefing" button) and posts it
through the same ``DiscordChannel`` the daily digest uses, so a refused or lost message is
handled alike. Nothing it posts can ping anyone (the bot's mentions are off; text is escaped).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord

from bot.discord.embeds import citations, plural, sources_fields, statement_line
from bot.discord.lifecycle import finish_or_abandon
from bot.discord.limits import COLOR, FOOTER_BUDGET, TITLE, clip, safe
from bot.discord.scheduler import DigestPoster, Part
from bot.discord.views import briefing_view
from bot.subscriptions import DeliveryError

if TYPE_CHECKING:
    from bot.alerts import AlertDue
    from bot.discord.app import DispatchBot
    from bot.models import Briefing

log = logging.getLogger(__name__)


def alert_embed(briefing: Briefing, due: AlertDue) -> discord.Embed:
    """``🔔 <Topic>``: the development's statement with ``[n]``, its sources, how corroborated."""
    name = safe(briefing.topic.title) if briefing.topic else due.development.topic
    lines = [statement_line(briefing, s, dated=True).text for s in briefing.statements[:1]]
    text = "\n".join(lines) or safe(due.development.text)
    embed = discord.Embed(title=clip(f"🔔 {name}", TITLE), description=text, colour=COLOR)
    numbers = citations(briefing, briefing.statements[0]) if briefing.statements else ()
    sources_fields(embed, briefing, numbers)
    outlets = plural(due.development.outlets, "outlet")
    footer = f"Followed topic · reported by {outlets} · /unfollow {due.development.topic} to stop"
    return embed.set_footer(text=clip(footer, FOOTER_BUDGET))


def alert_part(briefing: Briefing, due: AlertDue) -> Part:
    """The alert as one message: its embed and the "Full briefing" button."""
    embed = alert_embed(briefing, due)
    return Part(None, [embed], (due.development.topic,), briefing_view(due.development.topic))


class AlertPoster:
    """Posts the alerts due after a recompute; one run at a time, stopped with the cog."""

    def __init__(self, bot: DispatchBot) -> None:
        self.bot = bot
        self.channels = DigestPoster(bot)  # opens a channel as the digest does
        self._run: asyncio.Future[None] | None = None

    def kick(self) -> None:
        """Check for alerts now, unless a check is already running (it will see the same news)."""
        if self._run is None or self._run.done():
            self._run = asyncio.ensure_future(self.check())

    async def aclose(self, grace: float) -> None:
        """Let a check in flight finish within ``grace`` seconds (a cut-off alert is settled later)."""
        await finish_or_abandon(self._run, grace, "alert check")

    async def check(self) -> None:
        """Post every alert due now; a failure is logged, never fatal to the loop."""
        try:
            await self._check()
        except Exception:
            log.exception("alert check failed; it runs again after the next recompute")

    async def _check(self) -> None:
        follows = self.bot.service.follows
        delivery = follows.delivery
        await delivery.settle(self.channels.open)
        for due in await asyncio.to_thread(follows.due):
            briefing = await asyncio.to_thread(follows.briefing, due)
            part = alert_part(briefing, due)
            try:
                channel = await self.channels.open(due.follow.channel_id)
            except DeliveryError as exc:
                log.warning("cannot alert channel %s: %s", due.follow.channel_id, exc)
                continue
            await delivery.post(due, channel, part, part.fingerprint)
