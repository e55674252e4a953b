"""Re-read the corpus folders (and poll due feeds) on a schedule, in a worker thread.

A bot run with ``--no-worker`` (``DISPATCH_WORKER=false``) leaves that to a ``dispatch worker``
process: it only watches the stored results and, when the worker's recompute moved them, checks
for alerts (their claims in the database keep each one sent once, whichever bot is due).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from discord.ext import commands, tasks

from bot.discord.lifecycle import finish_or_abandon
from bot.discord.notices import tell_owners
from bot.errors import ConfigError, DispatchError

if TYPE_CHECKING:
    from bot.discord.app import DispatchBot
    from bot.models import IngestReport

log = logging.getLogger(__name__)
WATCH_MINUTES = 1.0  # how often a --no-worker bot looks for the worker's new results (one read)


class Reingest(commands.Cog):
    """New article files reach the next digest and ``status`` without a restart."""

    def __init__(self, bot: DispatchBot) -> None:
        self.bot = bot
        self._told: str | None = None  # the config problem owners were last told about
        self._pass: asyncio.Future[IngestReport] | None = None  # the pass in its worker thread
        self._seen: str | None = None  # the stored results' version a --no-worker bot last saw

    async def cog_load(self) -> None:
        """Start the loop (first run right away) unless the bot runs without background work:
        the re-ingest, or (the worker's job done elsewhere) the watch for its results."""
        if not self.bot.background:
            return
        minutes = self.bot.settings.reingest_minutes
        if self.bot.settings.worker:
            self.reingest.change_interval(minutes=minutes)
            self.reingest.start()
        else:
            self.watch.change_interval(minutes=min(minutes, WATCH_MINUTES))
            self.watch.start()

    async def cog_unload(self) -> None:
        """Stop the loop; a pass in flight finishes within the shutdown grace, or is left
        (the file in hand commits or rolls back whole; the rest is read at the next start)."""
        self.reingest.cancel()
        self.watch.cancel()
        await finish_or_abandon(self._pass, self.bot.grace_left(), "re-ingest pass")

    @tasks.loop(minutes=1)
    async def watch(self) -> None:
        """When the worker stored new results, check for alerts; a failed read is logged."""
        try:
            version = await asyncio.to_thread(self.bot.service.results_version)
        except Exception:
            log.exception("could not read the stored results' version")
            return
        if version is not None and version != self._seen:
            self._seen = version
            self.bot.dispatch("corpus_refreshed")

    @tasks.loop(minutes=15)
    async def reingest(self) -> None:
        """One ingest pass; a failure is logged and the loop carries on."""
        try:
            self._pass = asyncio.ensure_future(asyncio.to_thread(self.bot.service.ingest))
            report = await asyncio.shield(self._pass)  # stopping the loop does not cut it off
        except ConfigError as exc:  # a broken topics.toml and no good topics ever read
            log.error("re-ingest skipped: %s", exc)
            await self._tell(str(exc))
            return
        except DispatchError as exc:
            log.warning("re-ingest skipped: %s", exc)
            return
        except Exception:
            log.exception("re-ingest failed")
            return
        self.bot.dispatch("corpus_refreshed")  # alerts on followed topics are checked now
        for notice in report.notices():
            log.warning("re-ingest: %s", notice)
        await self._tell(self.bot.service.config_problem)
        if report.changed:
            log.info(
                "re-ingest: %d added, %d updated, %d removed, %d rejected",
                report.count("added"),
                report.count("updated"),
                report.count("removed"),
                report.count("rejected"),
            )

    async def _tell(self, problem: str | None) -> None:
        """DM the owners about a config problem once (again only after it changed or was fixed)."""
        if problem is not None and problem != self._told:
            await tell_owners(self.bot, problem)
        self._told = problem


async def setup(bot: DispatchBot) -> None:
    """Add the re-ingest loop."""
    await bot.add_cog(Reingest(bot))
