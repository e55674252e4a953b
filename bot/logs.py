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
