"""Log output for long-running processes: readable lines, or one JSON object per line."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO), level, logger, message, and any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON line (extra fields passed with ``extra=`` are kept)."""
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(
            {
                k: v
                for k, v in record.__dict__.items()
                if k not in _STANDARD and not k.startswith("_")
            }
        )
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def formatter(kind: str) -> logging.Formatter:
    """The formatter for ``DISPATCH_LOG_FORMAT`` (``text`` or ``json``)."""
    return JsonFormatter() if kind == "json" else logging.Formatter(TEXT_FORMAT)


def one_line(error: BaseException) -> str:
    """``ClientConnectorError: Cannot connect to host …``: an exception's type and text, one line."""
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


RECONNECT_PREFIX = "Attempting a reconnect in"  # what discord.py's Client.connect logs on a retry


class OneLineReconnect(logging.Filter):
    """Turn discord.py's reconnect record (ERROR, with a ~55-line traceback) into one WARNING line.

    A lost connection is expected on a long-running bot and discord.py retries it by itself:
    the operator needs the reason and the delay, once per retry, not a stack trace.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the reconnect record in place; keep every record."""
        if not (isinstance(record.msg, str) and record.msg.startswith(RECONNECT_PREFIX)):
            return True
        error = record.exc_info[1] if record.exc_info else None
        reason = one_line(error) if error else "no reason given"
        delay = record.args[0] if isinstance(record.args, tuple) and record.args else 0.0
        record.msg = "lost the connection to Discord (%s); reconnecting in %.1f s"
        record.args = (reason, delay)
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info, record.exc_text = None, None
        return True
