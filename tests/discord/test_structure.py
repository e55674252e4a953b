"""Architecture guards: every cog loads, command names are unique, only bot/discord imports discord."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import simcord

from bot.discord.app import ERROR_HANDLER, cog_modules

BOT = Path(__file__).resolve().parents[2] / "bot"
IMPORTS_DISCORD = re.compile(r"^\s*(import discord\b|from discord\b)", re.MULTILINE)


async def test_every_cog_module_loads(simcord_env: simcord.Env) -> None:
    bot = simcord_env.bot
    assert set(bot.extensions) == {ERROR_HANDLER, *cog_modules()}
    assert {"Briefings", "Ask", "Digest", "Reingest", "ErrorHandler"} <= set(bot.cogs)


async def test_command_names_are_unique(simcord_env: simcord.Env) -> None:
    bot = simcord_env.bot
    prefix = Counter(c.qualified_name for c in bot.walk_commands())
    aliases = Counter(a for c in bot.walk_commands() for a in c.aliases)
    assert [n for n, k in (prefix + aliases).items() if k > 1] == []
    slash = Counter(c.qualified_name for c in bot.tree.walk_commands())
    assert [n for n, k in slash.items() if k > 1] == []
    assert {
        "status",
        "timeline",
        "sources",
        "ask",
        "topics",
        "digest now",
        "digest preview",
        "digest setup",
        "digest off",
    } <= set(slash)


async def test_slash_option_names(simcord_env: simcord.Env) -> None:
    options = {
        c.qualified_name: [p.name for p in c.parameters]
        for c in simcord_env.bot.tree.walk_commands()
        if hasattr(c, "parameters")
    }
    assert options["status"] == ["topic"]
    assert options["timeline"] == ["topic", "limit"]
    assert options["ask"] == ["question"]
    assert options["digest setup"] == ["channel", "time", "timezone", "topics"]
    assert options["digest off"] == ["channel"]


def test_only_the_discord_package_imports_discord() -> None:
    offenders = [
        str(path.relative_to(BOT.parent))
        for path in BOT.rglob("*.py")
        if "discord" not in path.relative_to(BOT).parts[:1]
        and IMPORTS_DISCORD.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_schedule_module_is_pure() -> None:
    source = (BOT / "schedule.py").read_text(encoding="utf-8")
    assert "discord" not in source and "datetime.now" not in source


async def test_commands_are_synced_once_and_not_again_after_a_restart(
    simcord_env: simcord.Env,
) -> None:
    from bot.discord import create_bot

    def syncs() -> int:
        return sum(
            1
            for r in simcord_env.http_requests
            if r.method == "PUT" and r.path.endswith("/commands")
        )

    assert syncs() == 1
    await simcord_env.restart_bot(create_bot(simcord_env.bot.settings))
    assert syncs() == 1
