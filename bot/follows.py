"""Follows on the façade: a channel follows a topic, and the alerts due for what it follows.

``Dispatch.follows`` returns this; the Discord cogs and the CLI manage follows through it (never
the store), and the bot's alert loop asks it what is due and for the briefing of each alert.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.alerts import AlertDue, Alerts, pick
from bot.errors import UsageError
from bot.models import Briefing, Topic
from bot.store.follows import Follow, FollowRepo

if TYPE_CHECKING:
    from bot.service import Dispatch


class Follows:
    """Follow, unfollow and list follows of one platform; what to alert now."""

    def __init__(self, service: Dispatch, platform: str = "discord") -> None:
        self.service = service
        self.repo = FollowRepo(service.store.db, platform)

    @property
    def delivery(self) -> Alerts:
        """Claim-post-record delivery of alerts (exactly once per channel and development)."""
        return Alerts(self.repo, self.service.settings, self.service.clock)

    def follow(
        self, guild_id: int, channel_id: int, query: str, by: str | None = None
    ) -> tuple[Follow, Topic, bool]:
        """Follow the topic a user meant in a channel: the follow, its topic, whether it is new."""
        topic = self.service.resolve_topic(query)
        with self.service.writer():
            follow, created = self.repo.follow(
                guild_id, channel_id, topic.slug, self.service.clock(), by
            )
        return follow, topic, created

    def unfollow(self, channel_id: int, query: str) -> str:
        """Stop following a topic in a channel; its slug. A topic removed since can still be
        unfollowed by its slug."""
        followed = {f.topic for f in self.repo.follows() if f.channel_id == channel_id}
        slug = query.strip().lower()
        if slug not in followed:
            slug = self.service.resolve_topic(query).slug
        with self.service.writer():
            if not self.repo.unfollow(channel_id, slug):
                raise UsageError(f"That channel does not follow {slug!r}; `follows` lists them.")
        return slug

    def listed(self, guild_id: int | None = None) -> list[Follow]:
        """Every follow (of one server, if given)."""
        return self.repo.follows(guild_id)

    def forget_guild(self, guild_id: int) -> int:
        """Drop a server's follows (the bot left it); how many it had."""
        with self.service.writer():
            return self.repo.drop_guild(guild_id)

    def due(self) -> list[AlertDue]:
        """The alerts to post now: per follow, its best new development, unless rate-limited."""
        service = self.service
        known = {t.slug for t in service.topic_list()}
        now = service.clock()
        out = []
        for follow in self.repo.follows():
            if follow.topic not in known:
                continue  # a topic removed since: nothing to alert until it is back
            records = self.repo.alerts(follow.channel_id, follow.topic)
            dev = pick(follow, service.developments(follow.topic), records, now, service.settings)
            if dev is not None:
                out.append(AlertDue(follow, dev))
        return out

    def briefing(self, due: AlertDue) -> Briefing:
        """The alert's statement and the sources it cites (a one-development digest)."""
        topic = self.service.resolve_topic(due.development.topic)
        return self.service.brief_news(topic, [due.development])
