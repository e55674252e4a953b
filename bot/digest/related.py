"""Related developments: a neighbouring topic's turning point that this topic's articles report.

An aid freeze lives in the aid topic, but when the deal story's own articles report it, it is a
turning point of the deal story too: it is shown in the deal's timeline, marked as related.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from bot.digest.features import STRONG, cue_weight
from bot.models import Development

RELATED_MAX = 3  # per topic
SCAN = 40  # a neighbouring topic's most significant developments looked at
SCORE_FACTOR = 0.8  # a related development ranks below the topic's own of equal weight


def related_developments(
    slug: str,
    own: Sequence[Development],
    others: Mapping[str, Sequence[Development]],
    members: Iterable[str],
) -> list[Development]:
    """Significant developments of other topics reported by this topic's own articles."""
    mine = set(members)
    own_keys = {s.key for d in own for s in d.sentences}
    picks: list[Development] = []
    for other, devs in sorted(others.items()):
        if other == slug:
            continue
        for d in devs[:SCAN]:
            if d.related or d.recap or d.date is None:
                continue
            if not any(s.source_id in mine for s in d.sentences):
                continue
            if any(s.key in own_keys for s in d.sentences):
                continue  # already one of this topic's own developments
            if d.outlets >= 2 or cue_weight(d.text) >= STRONG:
                picks.append(replace(d, related=other, score=round(d.score * SCORE_FACTOR, 4)))
    return sorted(picks, key=lambda d: (-d.score, d.id))[:RELATED_MAX]
