"""`dispatch follow|unfollow|follows`: the same follows the bot's /follow manages, with --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.test_cli import run


@pytest.fixture
def cli(seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    def call(*argv: str) -> tuple[int, str, str]:
        return run(capsys, "--corpus", str(seeds_dir), "--db", str(tmp_path / "cli.db"), *argv)

    return call


def test_follow_list_unfollow_round_trip(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("follow", "minerals", "--channel", "111", "--guild", "9")
    assert code == 0, err
    assert out == "Channel 111 now follows minerals-deal (US–Ukraine minerals deal).\n"
    code, out, _ = cli("follow", "minerals-deal", "--channel", "111", "--guild", "9", "--json")
    data = json.loads(out)
    assert code == 0 and data["created"] is False and data["topic"] == "minerals-deal"
    cli("follow", "nato", "--channel", "222", "--guild", "8")

    code, out, _ = cli("follows", "--json")
    listed = json.loads(out)["follows"]
    assert [(f["guild_id"], f["channel_id"], f["topic"]) for f in listed] == [
        (9, 111, "minerals-deal"),
        (8, 222, "nato-membership"),
    ]
    code, out, _ = cli("follows", "--guild", "8")
    assert code == 0 and "nato-membership" in out and "minerals-deal" not in out

    code, out, _ = cli("unfollow", "minerals-deal", "--channel", "111", "--json")
    assert code == 0 and json.loads(out) == {
        "channel_id": 111,
        "topic": "minerals-deal",
        "removed": True,
    }
    code, out, _ = cli("follows", "--guild", "9")
    assert out.startswith("Nothing is followed yet")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("follow", "no-such-topic", "--channel", "1", "--guild", "2"), "Unknown topic"),
        (("follow", "minerals", "--channel", "abc", "--guild", "2"), "not a Discord id"),
        (("follow", "minerals", "--channel", "1"), "--guild"),
        (("unfollow", "minerals", "--channel", "1"), "does not follow"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(cli, argv, message) -> None:  # type: ignore[no-untyped-def]
    cli("follow", "nato", "--channel", "5", "--guild", "6")
    code, out, err = cli(*argv)
    last = err.strip().splitlines()[-1]
    assert code == 2 and "Traceback" not in err
    assert last.startswith("dispatch: ") and message in last  # one line (after argparse's usage)
    code, out, _ = cli("follows", "--json")
    assert [f["topic"] for f in json.loads(out)["follows"]] == ["nato-membership"]
