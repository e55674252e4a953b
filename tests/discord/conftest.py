"""A real Dispatch service on a copy of the seeds, driven through simcord's simulated Discord."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import discord
import pytest
import simcord

from bot.discord import DispatchBot, create_bot
from bot.settings import Settings

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the repository's seeds folder."""
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder, copy_function=shutil.copyfile)
    return folder


def make_settings(tmp_path: Path, corpus: Path, **overrides: object) -> Settings:
    """Settings for a test bot: extractive engine, tmp database, nothing read from .env."""
    values: dict[str, object] = {
        "corpus": [corpus],
        "db": tmp_path / "dispatch.db",
        "engine": "extractive",
        "prefix": "!",
        "message_content": True,
        "reingest_minutes": 15,
        "ask_cooldown_seconds": 30,
        "digest_when_empty": "post",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.fixture
def settings(
    request: pytest.FixtureRequest, tmp_path: Path, corpus: Path, database: Path | str
) -> Settings:
    """Test settings; parametrize indirectly with a dict of overrides."""
    return make_settings(tmp_path, corpus, **{"db": database, **getattr(request, "param", {})})


@pytest.fixture
def simcord_bot(settings: Settings) -> DispatchBot:
    """The bot under test, built exactly as ``dispatch run`` builds it."""
    return create_bot(settings)


@dataclass
class World:
    """A guild with a news channel, an admin and two members."""

    env: simcord.Env
    guild: simcord.GuildHandle
    channel: simcord.ChannelHandle
    admin: simcord.MemberActor
    alice: simcord.MemberActor
    bob: simcord.MemberActor

    def bot_messages(self, channel: simcord.ChannelHandle | None = None) -> list[discord.Message]:
        """Messages the bot posted in a channel (default: the news channel), oldest first."""
        me = self.env.bot.user
        assert me is not None
        return [m for m in (channel or self.channel).history() if m.author.id == me.id]


def build_world(env: simcord.Env) -> World:
    """Populate a guild."""
    guild = env.create_guild("Newsroom")
    channel = guild.create_text_channel("news")
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(env.create_user("ada"), roles=[admins])
    alice = guild.add_member(env.create_user("alice"))
    bob = guild.add_member(env.create_user("bob"))
    return World(env, guild, channel, admin, alice, bob)


@pytest.fixture
def world(simcord_env: simcord.Env) -> World:
    """A populated guild in the running simulated Discord."""
    return build_world(simcord_env)


def acknowledge(env: simcord.Env, *types: type[BaseException]) -> list[BaseException]:
    """Take the errors the bot's handlers saw (expected ones), checking their types."""
    from bot.discord.errors import unwrap

    seen = [unwrap(e) for e in env.errors]
    for error in seen:
        assert isinstance(error, types), f"unexpected error {error!r}"
    return seen


@pytest.fixture
def article(corpus: Path) -> Iterator[object]:
    """Write an article file into the corpus: ``article(name, text)``."""

    def write(name: str, text: str) -> Path:
        path = corpus / name
        path.write_text(text, encoding="utf-8")
        return path

    yield write


def callback_types(env: simcord.Env, result: simcord.InteractionResult) -> list[int]:
    """The response types the bot sent for an interaction (5 = deferred, 4 = message, 7 = update)."""
    prefix = f"/interactions/{result._interaction.id}/"
    return [
        r.json["type"]
        for r in env.http_requests
        if r.path.startswith(prefix) and r.path.endswith("/callback")
    ]
