"""Suggested storylines in Discord: their embeds, Accept/Dismiss buttons, the recompute after.

The buttons are ``DynamicItem``s whose custom id carries the action and the candidate id, so
they work after a restart. Topics are shared by every server, so only the bot's owners may
press them; anyone else is told so privately.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.discord.checks import is_owner
from bot.discord.errors import friendly
from bot.discord.limits import COLOR, FIELD_VALUE, TITLE, clip, safe
from bot.errors import DispatchError

if TYPE_CHECKING:
    from bot.discord.app import DispatchBot
    from bot.models import Topic
    from bot.service import Candidate

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
SHOWN = 5  # candidates shown per listing (each is an embed with its own buttons)


class TopicOwnersOnly(DispatchError):
    """Someone who is not an owner tried to change the shared topics."""

    def __init__(self) -> None:
        super().__init__(
            "Only the bot's owners can manage topics: they are shared by every server it is in."
        )


def candidate_embed(c: Candidate) -> discord.Embed:
    """One suggested storyline: its cited summary, proposed topic and coverage."""
    span = c.first if c.first == c.last else f"{c.first} to {c.last}"
    embed = discord.Embed(
        title=clip(safe(c.title), TITLE),
        description=clip(f"“{safe(c.summary)}” [1]\n\n{_source_line(c)}", 1000),
        colour=COLOR,
    )
    embed.add_field(name="Proposed topic", value=clip(f"`{c.slug}`", FIELD_VALUE), inline=True)
    coverage = f"{len(c.articles)} articles · {len(c.outlets)} outlets · {span}"
    embed.add_field(name="Coverage", value=clip(coverage, FIELD_VALUE), inline=True)
    embed.add_field(
        name="Keywords", value=clip(safe(", ".join(c.keywords)) or "—", FIELD_VALUE), inline=False
    )
    if c.requires:
        embed.add_field(
            name="Requires", value=clip(safe(", ".join(c.requires)), FIELD_VALUE), inline=False
        )
    embed.add_field(name="Outlets", value=clip(safe(", ".join(c.outlets)), FIELD_VALUE))
    return embed.set_footer(text=f"suggestion {c.id} · owners: Accept makes it a topic")


def _source_line(c: Candidate) -> str:
    """``[1] Title — Outlet, date``, the title linked when the article has a URL."""
    from bot.render.storylines import cited

    text = safe(cited(c))
    if c.summary_url.startswith(("http://", "https://")):
        title = safe(c.summary_title)
        text = text.replace(title, f"[{title}]({c.summary_url.replace(')', '%29')})", 1)
    return f"[1] {text}"


def candidate_view(c: Candidate) -> discord.ui.View:
    """Accept and Dismiss buttons for one candidate."""
    view = discord.ui.View(timeout=None)
    view.add_item(StorylineButton("accept", c.id))
    view.add_item(StorylineButton("dismiss", c.id))
    return view


async def send_suggested(ctx: Any) -> None:
    """The open suggested storylines, each with its buttons (or a line saying there are none)."""
    bot: DispatchBot = ctx.bot
    found = await asyncio.to_thread(bot.service.suggested)
    if not found:
        await ctx.send(
            "No suggested storylines right now: every recent article belongs to a topic, or no "
            "group of them was reported by enough outlets on enough days.",
            allowed_mentions=NONE,
        )
        return
    for c in found[:SHOWN]:
        await ctx.send(embed=candidate_embed(c), view=candidate_view(c), allowed_mentions=NONE)
    if len(found) > SHOWN:
        await ctx.send(
            f"{len(found) - SHOWN} more: `dispatch topics --suggested` lists all.",
            allowed_mentions=NONE,
        )


async def recompute(bot: DispatchBot, topic: Topic) -> str:
    """Recompute in a worker thread after a topic change; the line saying it is ready."""
    try:
        await asyncio.to_thread(bot.service.apply_topics)
        detail = await asyncio.to_thread(bot.service.topic_detail, topic.slug)
    except Exception:
        log.exception("recompute after changing topic %s failed", topic.slug)
        return (
            f"Computing `{topic.slug}` failed; it is tried again at the next re-ingest pass. "
            "The error is in the bot's log."
        )
    return (
        f"Topic `{topic.slug}` is ready: {detail.articles} articles, "
        f"{detail.developments} developments. Try `/status topic:{topic.slug}`."
    )


class StorylineButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"dispatch:story:(?P<action>accept|dismiss):(?P<cid>[0-9a-f]{1,40})",
):
    """Accept (make it a topic) or dismiss a suggested storyline; owners only."""

    def __init__(self, action: str, cid: str) -> None:
        accept = action == "accept"
        super().__init__(
            discord.ui.Button(
                label="Accept" if accept else "Dismiss",
                style=discord.ButtonStyle.success if accept else discord.ButtonStyle.secondary,
                custom_id=f"dispatch:story:{action}:{cid}",
            )
        )
        self.action, self.cid = action, cid

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> StorylineButton:
        """Rebuild the button from its custom id (after a restart, too)."""
        return cls(match["action"], match["cid"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Accept or dismiss, then (accepted) recompute and say when the topic is ready."""
        bot: DispatchBot = interaction.client
        try:
            if not await is_owner(bot, interaction.user):
                raise TopicOwnersOnly()
            if self.action == "dismiss":
                found = await asyncio.to_thread(bot.service.dismiss_candidate, self.cid)
                text = f"Dismissed “{safe(found.title)}”: it will not be suggested again."
                await interaction.response.send_message(clip(text, 2000), allowed_mentions=NONE)
                return
            topic = await asyncio.to_thread(
                bot.service.accept_candidate, self.cid, by=str(interaction.user.id)
            )
        except Exception as exc:  # a button must always answer
            await _refuse(interaction, exc)
            return
        await interaction.response.send_message(
            f"Accepted as topic `{topic.slug}`; computing its briefings…", allowed_mentions=NONE
        )
        await interaction.followup.send(await recompute(bot, topic), allowed_mentions=NONE)


async def _refuse(interaction: discord.Interaction[Any], exc: Exception) -> None:
    text = friendly(exc)
    if text is None:
        log.exception("storyline button %s failed", interaction.data)
        text = "Something went wrong on my side; please try again in a moment."
    await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)
