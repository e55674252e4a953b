"""`dispatch run --shards 0-1/4`: the spec is parsed once, and the bot runs exactly those shards."""

from __future__ import annotations

from pathlib import Path

import pytest
from discord.ext import commands

from bot.cli import main
from bot.discord import create_bot
from bot.errors import UsageError
from bot.shards import Shards, parse_shards
from tests.discord.conftest import make_settings


@pytest.mark.parametrize(
    ("spec", "ids", "count"),
    [
        ("0-1/4", (0, 1), 4),
        ("2-3/4", (2, 3), 4),
        ("3/4", (3,), 4),
        ("0,2/4", (0, 2), 4),
        (" 0-0/1 ", (0,), 1),
    ],
)
def test_a_good_spec_names_the_shards_and_the_count(
    spec: str, ids: tuple[int, ...], count: int
) -> None:
    assert parse_shards(spec) == Shards(ids, count)


@pytest.mark.parametrize(
    ("spec", "why"),
    [
        ("0-1", "needs a shard count"),
        ("4/4", "shard 4 is not below the shard count 4"),
        ("2-1/4", "2-1 is an empty range"),
        ("0-1/0", "the shard count must be at least 1"),
        ("a-b/4", "'a-b' is not a shard number or range"),
        ("0,0/2", "shard 0 is named twice"),
        ("/4", "'' is not a shard number or range"),
    ],
)
def test_a_bad_spec_is_refused_with_the_reason(spec: str, why: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_shards(spec)
    assert str(caught.value) == f"bad --shards {spec.strip()!r}: {why} (e.g. 0-1/4)"


def test_run_with_a_bad_spec_exits_2_with_one_line_before_needing_a_token(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("DISPATCH_DISCORD_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["run", "--shards", "5/4"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "dispatch: bad --shards '5/4': shard 5 is not below the shard count 4 (e.g. 0-1/4)"
    ]


def test_the_bot_built_for_shards_runs_those_shards_of_that_count(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, tmp_path)
    bot = create_bot(settings, shards=parse_shards("2-3/4"))
    assert isinstance(bot, commands.AutoShardedBot)
    assert (bot.shard_ids, bot.shard_count) == ([2, 3], 4)


def test_by_default_the_bot_is_unsharded(tmp_path: Path) -> None:
    bot = create_bot(make_settings(tmp_path, tmp_path))
    assert not isinstance(bot, commands.AutoShardedBot)
    assert bot.shard_count is None and bot.shard_id is None
