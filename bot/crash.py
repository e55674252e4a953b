"""Crash points for recovery tests: a process that dies at a named step, as ``kill -9`` would.

Off unless ``$DISPATCH_CRASH_AT`` names the point (a dictionary look-up otherwise), so tests can
prove that what a crash leaves behind is recovered by the next run.
"""

from __future__ import annotations

import os
import signal

ENV = "DISPATCH_CRASH_AT"


def crash_point(name: str) -> None:
    """Die at once (SIGKILL: no cleanup, no commit) when ``$DISPATCH_CRASH_AT`` is ``name``."""
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
