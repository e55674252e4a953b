"""A topics.toml broken while the bot runs: members keep their briefings; only owners and admins hear of it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.errors import ConfigError
from tests.discord.conftest import World, acknowledge

TITLE = "US–Ukraine minerals deal — as of 2025-03-05 · 3 sources"
BROKEN = '[[topic]\nslug = "minerals-deal"\n'  # a bracket lost in an edit
PROBLEM = "corpus/topics.toml: not valid TOML (Expected ']]' at the end of an array declaration (at line 1, column 8))"


def _everything_members_saw(world: World) -> str:
    parts = []
    for message in world.channel.history():
        parts.append(message.content)
        for embed in message.embeds:
            parts += [embed.title or "", embed.description or "", *(f.value for f in embed.fields)]
    return "\n".join(parts)


async def test_a_topics_toml_broken_while_running_keeps_the_topics_and_tells_only_owners(
    world: World, corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    owner_user = world.env.create_user("owner")
    world.env.bot.settings.owner_ids = [owner_user.id]
    owner = world.guild.add_member(owner_user)
    await world.alice.send(world.channel, "!status minerals-deal")
    assert world.bot_messages()[-1].embeds[0].title == TITLE
    (corpus / "topics.toml").write_text(BROKEN, encoding="utf-8")
    await world.env.advance_time(15 * 60 + 1)  # the re-ingest loop reads the broken file

    await world.alice.send(world.channel, "!status minerals-deal")
    assert world.bot_messages()[-1].embeds[0].title == TITLE  # the last good topics serve
    public = await world.alice.slash(world.channel, "status", topic="minerals-deal")
    assert public.response is not None and public.response.embeds[0].title == TITLE
    assert public.followups == []
    seen = _everything_members_saw(world)
    assert "topics.toml" not in seen and "TOML" not in seen and str(tmp_path) not in seen

    admin = await world.admin.slash(world.channel, "status", topic="minerals-deal")
    assert admin.response is not None and admin.response.embeds[0].title == TITLE
    [note] = admin.followups
    assert note.ephemeral
    assert note.content == f"⚠️ {PROBLEM}. Still serving the last good topics until it is fixed."
    await world.env.advance_time(15 * 60 + 1)  # another reload: the owner is not told twice
    [dm] = owner_user.dm_channel.history()
    assert dm.content == note.content and str(tmp_path) not in dm.content
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in errors] == [f"{PROBLEM}; serving the last good topics"]

    (corpus / "topics.toml").write_text(BROKEN.replace("[[topic]", "[[topic]]"), encoding="utf-8")
    await world.env.advance_time(15 * 60 + 1)
    fixed = await owner.slash(world.channel, "status", topic="minerals-deal")
    assert fixed.response is not None and fixed.followups == []  # fixed: nothing more to say
    assert world.env.bot.service.config_problem is None


class TestStartedBroken:
    """A bot whose first read of topics.toml fails: there are no good topics to fall back on."""

    @pytest.fixture
    def corpus(self, corpus: Path) -> Path:
        """The seeds with topics.toml broken before the bot starts."""
        (corpus / "topics.toml").write_text(BROKEN, encoding="utf-8")
        return corpus

    async def test_members_hear_nothing_of_the_file_and_admins_see_it_privately(
        self, world: World, tmp_path: Path
    ) -> None:
        await world.alice.send(world.channel, "!status minerals-deal")
        reply = world.bot_messages()[-1].content
        assert (
            reply == "I can't read my list of topics right now; the people who run me can see why."
        )
        admin = await world.admin.slash(world.channel, "status", topic="minerals-deal")
        assert admin.ephemeral and admin.response is not None
        assert admin.response.content.startswith(f"⚠️ {PROBLEM}.")
        assert str(tmp_path) not in admin.response.content
        acknowledge(world.env, ConfigError)
