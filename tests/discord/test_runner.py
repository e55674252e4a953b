"""`dispatch run` / `dispatch sync` entry points, logging hygiene, and where discord is imported."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.discord.runner import Redact, require_token
from bot.errors import ConfigError
from bot.settings import Settings

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No token in the environment and no .env file in the working directory."""
    monkeypatch.delenv("DISPATCH_DISCORD_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("argv", [["run"], ["sync"], ["sync", "--guild", "123"]])
def test_without_a_token_the_commands_exit_2_with_one_line(
    no_token: None, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "dispatch: no bot token: set DISPATCH_DISCORD_TOKEN (in the environment or .env)"
    ]


def test_blank_token_is_refused() -> None:
    with pytest.raises(ConfigError):
        require_token(Settings(_env_file=None, discord_token="   "))  # type: ignore[call-arg]


def test_logs_never_show_the_token(caplog: pytest.LogCaptureFixture) -> None:
    secret = "MTIzNDU2Nzg5.secret.token"
    logger = logging.getLogger("dispatch.test.redact")
    caplog.handler.addFilter(Redact([secret]))
    with caplog.at_level(logging.INFO, logger="dispatch.test.redact"):
        logger.info("connecting with %s", secret)
    assert secret not in caplog.text and "[redacted]" in caplog.text


def test_tracebacks_in_logs_never_show_the_token(caplog: pytest.LogCaptureFixture) -> None:
    secret = "MTIzNDU2Nzg5.secret.token"
    logger = logging.getLogger("dispatch.test.redact")
    caplog.handler.addFilter(Redact([secret]))
    with caplog.at_level(logging.DEBUG, logger="dispatch.test.redact"):
        try:
            raise RuntimeError(f"login failed for {secret}")
        except RuntimeError:
            logger.debug("unexpected error", exc_info=True, stack_info=True)
    assert "RuntimeError: login failed for [redacted]" in caplog.text
    assert secret not in caplog.text


def test_settings_repr_hides_the_token() -> None:
    settings = Settings(_env_file=None, discord_token="MTIz.secret")  # type: ignore[call-arg]
    assert "MTIz.secret" not in repr(settings) and "MTIz.secret" not in str(settings.model_dump())


def test_importing_bot_and_its_cli_does_not_import_discord() -> None:
    code = "import sys, bot, bot.cli; bot.cli.build_parser(); print('discord' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_create_bot_is_lazily_importable_from_bot() -> None:
    from bot import create_bot
    from bot.discord import create_bot as real

    assert create_bot is real


def test_run_and_sync_are_registered(capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(["sync", "--help"])
    except SystemExit as exit_:
        code = exit_.code  # type: ignore[assignment]
    assert code == 0
    assert "--guild ID" in capsys.readouterr().out


def test_json_logs_are_one_object_per_line_and_redacted() -> None:
    import io
    import json
    import logging

    from bot.discord.runner import configure_logging
    from bot.settings import Settings

    secret = "MTIz.secret-token.value"
    settings = Settings(discord_token=secret, log_format="json", log_level="INFO")
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging(settings, [secret])
        stream = io.StringIO()
        root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
        try:
            raise RuntimeError(f"login failed with {secret}")
        except RuntimeError:
            logging.getLogger("bot.test").exception("connect %s", secret, extra={"guild": 42})
        entry = json.loads(stream.getvalue().strip())
    finally:
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
    assert entry["level"] == "error" and entry["logger"] == "bot.test" and entry["guild"] == 42
    assert entry["message"] == "connect [redacted]"
    assert "RuntimeError" in entry["exception"] and secret not in json.dumps(entry)
