"""Persistent buttons: page through a listing, show the quotes behind citations, open a briefing.

Every button is a ``DynamicItem`` whose custom id carries everything needed to answer it
(kind, topic, page), so buttons keep working after a restart and no view state is held in memory.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.discord import pages
from bot.discord.errors import friendly

if TYPE_CHECKING:
    from bot.discord.app import DispatchBot

log = logging.getLogger(__name__)

CUSTOM_ID_MAX = 100


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"dispatch:page:(?P<kind>[a-z]+):(?P<key>[^:]+):(?P<arg>\d*):(?P<page>\d+)(?::(?P<owner>\d+))?",
):
    """Previous/next button of a paginated listing.

    A public listing pages in place only for the member who asked for it (``owner``); anyone else
    who clicks gets the requested page privately, with buttons of their own.
    """

    def __init__(
        self,
        kind: str,
        key: str,
        arg: str,
        page: int,
        *,
        label: str,
        disabled: bool = False,
        owner: int | None = None,
    ) -> None:
        tail = f":{owner}" if owner else ""
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=f"dispatch:page:{kind}:{key}:{arg}:{page}{tail}",
                disabled=disabled,
            )
        )
        self.kind, self.key, self.arg, self.page, self.owner = kind, key, arg, page, owner

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> PageButton:
        """Rebuild the button from its custom id (after a restart, too)."""
        label = getattr(item, "label", None) or "Page"
        owner = int(match["owner"]) if match["owner"] else None
        return cls(
            match["kind"], match["key"], match["arg"], int(match["page"]), label=label, owner=owner
        )

    def turns_in_place(self, interaction: discord.Interaction[Any]) -> bool:
        """Whether this click may change the message itself (else the clicker gets a private copy)."""
        message = interaction.message
        private = message is not None and message.flags.ephemeral
        return private or self.owner is None or interaction.user.id == self.owner

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Show the requested page: in place for its owner, privately for anyone else."""
        bot: DispatchBot = interaction.client
        try:
            embeds = await pages.render(bot, self.kind, self.key, self.arg)
        except Exception as exc:  # a button must always answer
            await _fail(interaction, exc)
            return
        page = max(0, min(self.page, len(embeds) - 1))
        quotes = self.kind in pages.WITH_QUOTES
        in_place = self.turns_in_place(interaction)
        owner = self.owner if in_place else interaction.user.id
        view = page_view(
            self.kind, self.key, page, len(embeds), arg=self.arg, quotes=quotes, owner=owner
        )
        if in_place:
            await interaction.response.edit_message(embed=embeds[page], view=view)
        elif view is None:
            await interaction.response.send_message(embed=embeds[page], ephemeral=True)
        else:
            await interaction.response.send_message(embed=embeds[page], view=view, ephemeral=True)


class QuotesButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"dispatch:quotes:(?P<key>[^:]+)"
):
    """Answers privately with the exact source sentence behind each citation."""

    LABEL, PREFIX, KIND = "Show quotes", "dispatch:quotes", "quotes"

    def __init__(self, key: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=self.LABEL,
                style=discord.ButtonStyle.primary,
                custom_id=f"{self.PREFIX}:{key}",
            )
        )
        self.key = key

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> QuotesButton:
        """Rebuild the button from its custom id."""
        return cls(match["key"])

    async def embeds_for(self, bot: DispatchBot) -> list[discord.Embed]:
        """The pages this button answers with."""
        return await pages.quotes(bot, self.key)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Answer privately with the first page, with buttons to page through the rest."""
        bot: DispatchBot = interaction.client
        try:
            embeds = await self.embeds_for(bot)
        except Exception as exc:  # a button must always answer
            await _fail(interaction, exc)
            return
        quotes = self.KIND in pages.WITH_QUOTES
        view = page_view(self.KIND, self.key, 0, len(embeds), quotes=quotes)
        if view is None:
            await interaction.response.send_message(embed=embeds[0], ephemeral=True)
        else:
            await interaction.response.send_message(embed=embeds[0], view=view, ephemeral=True)


class BriefingButton(QuotesButton, template=r"dispatch:briefing:(?P<key>[^:]+)"):
    """Answers privately with a topic's full status briefing (under an alert)."""

    LABEL, PREFIX, KIND = "Full briefing", "dispatch:briefing", "status"

    async def embeds_for(self, bot: DispatchBot) -> list[discord.Embed]:
        """The topic's status briefing, every page."""
        return await pages.render(bot, "status", self.key)


def briefing_view(key: str) -> discord.ui.View | None:
    """The "Full briefing" button of a topic (None if its slug would not fit a custom id)."""
    if len(f"dispatch:briefing:{key}") > CUSTOM_ID_MAX:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(BriefingButton(key))
    return view


async def _fail(interaction: discord.Interaction[Any], exc: Exception) -> None:
    text = friendly(exc)
    if text is None:
        log.exception(
            "button %s failed", interaction.data.get("custom_id") if interaction.data else "?"
        )
        text = "Something went wrong on my side; please try again in a moment."
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True)
    else:
        await interaction.response.send_message(text, ephemeral=True)


def page_view(
    kind: str,
    key: str,
    page: int,
    total: int,
    *,
    arg: str = "",
    quotes: bool = False,
    owner: int | None = None,
) -> discord.ui.View | None:
    """Previous/next buttons (and optionally "Show quotes") for page ``page`` of ``total``.

    ``owner``: the member whose clicks turn the pages in place (dropped if the id would not fit).
    """
    view = discord.ui.View(timeout=None)
    longest = f"dispatch:page:{kind}:{key}:{arg}:{total}"
    if owner and len(f"{longest}:{owner}") > CUSTOM_ID_MAX:
        owner = None
    if total > 1 and len(longest) <= CUSTOM_ID_MAX:
        previous = max(page - 1, 0)
        following = min(page + 1, total - 1)
        view.add_item(
            PageButton(
                kind, key, arg, previous, label="◀ Previous", disabled=page <= 0, owner=owner
            )
        )
        view.add_item(
            PageButton(
                kind, key, arg, following, label="Next ▶", disabled=page >= total - 1, owner=owner
            )
        )
    if quotes and len(f"dispatch:quotes:{key}") <= CUSTOM_ID_MAX:
        view.add_item(QuotesButton(key))
    return view if view.children else None


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    PageButton,
    QuotesButton,
    BriefingButton,
)
