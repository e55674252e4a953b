"""What goes into a prompt: a bounded, most-relevant selection, numbered and packed to fit.

Source text enters prompts only as numbered lines between ``<sources>`` tags: whitespace is
collapsed (a sentence can never start a line of its own and forge a number) and angle brackets
become look-alikes (an article cannot close the tag and speak outside it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date

from bot.llm.tokens import count_text
from bot.models import Development, Sentence

# Bounded selections per briefing kind: the reduce step never sees a whole topic.
SELECT_DEFAULT = {"status": 12, "timeline": 30, "digest": 10}
SELECT_MAX = {"status": 16, "timeline": 40, "digest": 16}
STATUS_NEWEST = 4  # status always shows the newest developments, whatever their score
SENTENCES_PER_DEVELOPMENT = 3
SUMMARIES_PER_DEVELOPMENT = 1
CONFIRMED_BOOST = 1.5  # developments the per-article (map) step also extracted rank higher


def clean(text: str) -> str:
    """Source text made safe to sit inside the ``<sources>`` block."""
    return " ".join(text.split()).replace("<", "‹").replace(">", "›")


@dataclass(slots=True)
class Packed:
    """A rendered ``<sources>`` body and what its numbers mean."""

    text: str = ""
    numbered: dict[int, Sentence] = field(default_factory=dict)
    developments: list[Development] = field(default_factory=list)
    tokens: int = 0


def pack_sentences(sentences: Sequence[Sentence], budget: int, model: str) -> Packed:
    """``[n] text`` lines, in order, while they fit ``budget`` tokens (at least one)."""
    packed = Packed()
    lines: list[str] = []
    for sentence in sentences:
        line = f"[{len(packed.numbered) + 1}] {clean(sentence.shown)}"
        cost = count_text(line, model) + 1
        if packed.numbered and packed.tokens + cost > budget:
            break
        packed.numbered[len(packed.numbered) + 1] = sentence
        packed.tokens += cost
        lines.append(line)
    packed.text = "\n".join(lines)
    return packed


def selection_size(kind: str, limit: int | None) -> int:
    """How many developments the reduce step sees for this kind and limit."""
    return min(limit or SELECT_DEFAULT[kind], SELECT_MAX[kind])


def select(
    kind: str,
    developments: Sequence[Development],
    wanted: int,
    confirmed: AbstractSet[str] = frozenset(),
    first: Sequence[str] = (),
) -> list[Development]:
    """The ``wanted`` developments most worth the model's attention, best first.

    ``first`` (ids) lead: the developments the extractive engine would show, so the model never
    sees less than the offline briefing does. A status then takes the newest developments,
    and the rest go by score, boosted when the per-article (map) step extracted them too.
    """
    by_id = {d.id: d for d in developments}
    lead = [by_id[i] for i in first if i in by_id]
    ranked = sorted(developments, key=lambda d: (-_weight(d, confirmed), d.id))
    if kind == "status":
        ranked = [*sorted(developments, key=_newest_first)[:STATUS_NEWEST], *ranked]
    return list(dict.fromkeys([*lead, *ranked]))[:wanted]


def _weight(d: Development, confirmed: AbstractSet[str]) -> float:
    boosted = any(s.key in confirmed for s in d.sentences)
    return d.score * (CONFIRMED_BOOST if boosted else 1.0)


def _newest_first(d: Development) -> tuple[int, float, str]:
    return (-(d.date or date.min).toordinal(), -d.score, d.id)


def _chronological(d: Development) -> tuple[date, float, str]:
    return (d.date or date.max, -d.score, d.id)


def pack_developments(
    kind: str,
    chosen: Sequence[Development],
    summaries: Mapping[str, Sequence[str]],
    budget: int,
    model: str,
) -> Packed:
    """Development blocks in priority order while they fit, then shown in the kind's order."""
    kept: list[Development] = []
    used = 0
    for dev in chosen:
        # Priced with the widest label and numbers it could get, plus its line break.
        cost = count_text(_block(dev, range(900, 904), summaries, {dev.id: "D99"}), model) + 1
        if kept and used + cost > budget:
            break
        kept.append(dev)
        used += cost
    order = _chronological if kind == "timeline" else _newest_first
    packed = Packed(developments=sorted(kept, key=order))
    labels = {d.id: f"D{i}" for i, d in enumerate(packed.developments, 1)}
    blocks = []
    for dev in packed.developments:
        shown = _sentences_of(dev)
        first = len(packed.numbered) + 1
        numbers = range(first, first + len(shown))
        packed.numbered.update(zip(numbers, shown, strict=True))
        blocks.append(_block(dev, numbers, summaries, labels))
    packed.text = "\n".join(blocks)
    packed.tokens = count_text(packed.text, model)
    return packed


def _sentences_of(dev: Development) -> list[Sentence]:
    """The representative sentence first, then reports from other sources first."""
    first, rest = dev.sentences[0], dev.sentences[1:]
    other = [s for s in rest if s.source_id != first.source_id]
    same = [s for s in rest if s.source_id == first.source_id]
    unique = list(dict.fromkeys([first, *other, *same]))
    return unique[:SENTENCES_PER_DEVELOPMENT]


def _block(
    dev: Development,
    numbers: Sequence[int],
    summaries: Mapping[str, Sequence[str]],
    labels: Mapping[str, str],
) -> str:
    """One development: a header line, its numbered sentences, and the map step's summary."""
    header = [
        labels.get(dev.id, "D"),
        _when(dev),
        f"{dev.outlets} outlet{'s' if dev.outlets != 1 else ''}",
    ]
    disputes = [labels[d] for d in dev.disputed_by if d in labels]
    if disputes:
        header.append("contradicted by " + ", ".join(disputes))
    lines = [" · ".join(header)]
    lines += [
        f"  [{n}] {clean(s.shown)}" for n, s in zip(numbers, _sentences_of(dev), strict=False)
    ]
    for text in _summaries_of(dev, summaries)[:SUMMARIES_PER_DEVELOPMENT]:
        lines.append(f"  summary: {clean(text)}")
    return "\n".join(lines)


def _summaries_of(dev: Development, summaries: Mapping[str, Sequence[str]]) -> list[str]:
    found = [t for s in dev.sentences for t in summaries.get(s.key, ())]
    return list(dict.fromkeys(found))


def _when(dev: Development) -> str:
    if dev.date is None:
        return "undated"
    if dev.date_precision == "week":
        return f"week of {dev.date.isoformat()}"
    if dev.date_precision == "month":
        return dev.date.strftime("%Y-%m")
    return dev.date.isoformat()
