"""docker-compose.yml: its processes are commands this CLI accepts, and together they make one
worker and bots that cover every shard exactly once."""

from __future__ import annotations

import json
import re

from bot.cli import build_parser
from bot.shards import parse_shards
from tests.conftest import ROOT


def commands() -> list[list[str]]:
    text = (ROOT / "docker-compose.yml").read_text()
    return [json.loads(m) for m in re.findall(r"^\s+command: (\[.*\])$", text, re.M)]


def test_compose_runs_one_worker_and_no_worker_bots_on_every_shard_once() -> None:
    parsed = [build_parser().parse_args(argv) for argv in commands()]  # a usage error exits
    assert [a.command for a in parsed].count("worker") == 1
    bots = [a for a in parsed if a.command == "run"]
    assert len(bots) >= 2 and all(a.worker is False for a in bots)
    shards = [parse_shards(a.shards) for a in bots]
    assert len({s.count for s in shards}) == 1
    ids = sorted(i for s in shards for i in s.ids)
    assert ids == list(range(shards[0].count))
