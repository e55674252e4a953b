"""The LLM engine: fluent briefings from numbered sentences, every claim verified, cost bounded.

Per topic it maps the articles behind a bounded pool of developments (cached per article), picks
the most relevant developments, packs them to fit the context, asks for JSON (cached by the
exact input), verifies every claim against the sentences it cites, and falls back to the
extractive engine, with a note saying why, whenever the model cannot be trusted or reached.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, cast

from bot.clock import Clock
from bot.digest.engine import BriefKind, Engine, engine_name
from bot.digest.extractive import DONT_SAY, assemble, rank_answers
from bot.llm.client import Backend, LLMUnavailable, ModelClient, OpenAIBackend
from bot.llm.compose import brief_statements, cap, citations
from bot.llm.mapper import Mapper
from bot.llm.packing import clean, pack_developments, pack_sentences, select, selection_size
from bot.llm.prompts import PromptSet
from bot.llm.schemas import AnswerReply, BriefReply, schema_text
from bot.llm.structured import Caller
from bot.llm.tokens import context_window
from bot.llm.verify import Checked, Outcome, verify
from bot.models import Briefing, Development, Sentence, Source, Statement, Topic, Verification

OUTPUT_TOKENS = {"status": 1500, "timeline": 3000, "digest": 1500, "answer": 800}
PROMPT_OVERHEAD = 1000  # system prompt, instructions and schema around the packed sources
MIN_INPUT = 1000
ANSWER_SENTENCES = 12
STATUS_STATEMENTS = 10  # a status reads in a glance: a few "now" lines, then the turning points


class Rejected(Exception):
    """The model replied, but too few of its claims survived verification."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(f"{len(outcome.dropped)} of {outcome.claims} claims unsupported")
        self.outcome = outcome


class LLMEngine:
    """Briefings written by an OpenAI-compatible model, verified, with extractive fallback."""

    def __init__(
        self,
        settings: Any,
        store: Any,
        fallback: Engine,
        *,
        clock: Clock,
        backend: Backend | None = None,
        prompts: PromptSet | None = None,
    ) -> None:
        self.fallback = fallback
        self.model: str = settings.openai_model
        self.name = engine_name(True, self.model)
        self.prompts = prompts or PromptSet.load()
        self.client = ModelClient(
            backend or OpenAIBackend(settings),
            store.llm,
            model=self.model,
            clock=clock,
            daily_budget=settings.daily_token_budget,
        )
        self.call = Caller(self.client, self.prompts, store.llm, model=self.model, clock=clock)
        window = context_window(self.model, settings.context_tokens)
        self.input_budget = max(MIN_INPUT, window - max(OUTPUT_TOKENS.values()) - PROMPT_OVERHEAD)
        self.mapper = Mapper(self.call, store.sources.sentences, budget=self.input_budget)

    def available(self) -> bool:
        """Whether the model can be called now: stored fallbacks are worth recomputing."""
        return self.client.available()

    # -- briefings ---------------------------------------------------------------------------
    def brief(
        self,
        kind: BriefKind,
        topic: Topic,
        developments: Sequence[Development],
        sources: Mapping[str, Source],
        *,
        limit: int | None = None,
    ) -> Briefing:
        """Write a status, timeline or digest; fall back to extractive when the model fails."""
        # The extractive briefing is cheap: it anchors the selection and is the fallback.
        extractive = self.fallback.brief(kind, topic, developments, sources, limit=limit)
        if not developments:
            return extractive
        try:
            return self._brief(kind, topic, developments, sources, limit, extractive)
        except LLMUnavailable as exc:
            why, verification = f"LLM unavailable ({exc.reason})", None
        except Rejected as exc:
            why = f"LLM briefing failed verification ({exc})"
            verification = _verification(exc.outcome)
        return _with_note(extractive, f"{why}; extractive briefing shown", verification)

    def _brief(
        self,
        kind: BriefKind,
        topic: Topic,
        developments: Sequence[Development],
        sources: Mapping[str, Source],
        limit: int | None,
        extractive: Briefing,
    ) -> Briefing:
        size = selection_size(kind, limit)
        anchors = _shown(extractive, developments)
        pool = select(kind, developments, 2 * size, first=anchors)
        summaries = self.mapper.summaries(pool, sources)
        chosen = select(kind, pool, size, set(summaries), first=anchors)
        packed = pack_developments(kind, chosen, summaries, self.input_budget, self.model)
        user = self.prompts[kind].render(
            topic=clean(topic.title),
            description=clean(topic.description or topic.title),
            developments=packed.text,
            max_statements=STATUS_STATEMENTS if kind == "status" else size,
            schema=schema_text("brief"),
        )
        reply = cast(
            BriefReply,
            self.call(kind, kind, user, schema="brief", max_output=OUTPUT_TOKENS[kind]),
        )
        outcome = verify(reply.statements, packed.numbered)
        if outcome.too_many_dropped:
            raise Rejected(outcome)
        statements = brief_statements(kind, outcome.kept, packed.developments, sources)
        statements = cap(statements, limit or (STATUS_STATEMENTS if kind == "status" else size))
        return assemble(
            kind,
            statements,
            sources,
            topic=topic,
            engine=self.name,
            verification=_verification(outcome),
        )

    # -- questions ---------------------------------------------------------------------------
    def answer(
        self,
        question: str,
        candidates: Sequence[tuple[Sentence, float]],
        sources: Mapping[str, Source],
    ) -> Briefing:
        """Answer from the relevant sentences, citing them; "the sources don't say" otherwise."""
        relevant = [s for s, _ in rank_answers(question, candidates) if s.source_id in sources]
        if not relevant:
            return self.fallback.answer(question, candidates, sources)
        try:
            return self._answer(question, relevant[:ANSWER_SENTENCES], sources)
        except LLMUnavailable as exc:
            why, verification = f"LLM unavailable ({exc.reason})", None
        except Rejected as exc:
            why, verification = (
                f"LLM answer failed verification ({exc})",
                _verification(exc.outcome),
            )
        extractive = self.fallback.answer(question, candidates, sources)
        return _with_note(extractive, f"{why}; extractive answer shown", verification)

    def _answer(
        self, question: str, relevant: list[Sentence], sources: Mapping[str, Source]
    ) -> Briefing:
        packed = pack_sentences(relevant, self.input_budget, self.model)
        user = self.prompts["answer"].render(
            question=clean(question), sentences=packed.text, schema=schema_text("answer")
        )
        reply = cast(
            AnswerReply,
            self.call(
                "answer", "answer", user, schema="answer", max_output=OUTPUT_TOKENS["answer"]
            ),
        )
        if not reply.answerable or not reply.statements:
            return assemble(
                "ask", [], sources, question=question, engine=self.name, notes=(DONT_SAY,)
            )
        outcome = verify(reply.statements, packed.numbered)
        if outcome.too_many_dropped:
            raise Rejected(outcome)
        statements = [_answer_statement(c, sources) for c in outcome.kept]
        return assemble(
            "ask",
            statements,
            sources,
            question=question,
            engine=self.name,
            verification=_verification(outcome),
        )


def _answer_statement(claim: Checked, sources: Mapping[str, Source]) -> Statement:
    """An answer line, dated by its first cited sentence (or that sentence's source)."""
    first = claim.sentences[0]
    source = sources.get(first.source_id)
    if first.date:
        return Statement(
            "answer", claim.text, citations(claim, sources), first.date, first.date_precision
        )
    when = source.published if source else None
    return Statement("answer", claim.text, citations(claim, sources), when, "day" if when else None)


def _shown(briefing: Briefing, developments: Sequence[Development]) -> list[str]:
    """Ids of the developments a briefing quotes, in the order it shows them."""
    owner = {(s.source_id, s.shown): d.id for d in developments for s in d.sentences}
    ids = (owner.get((c.source_id, c.quote)) for st in briefing.statements for c in st.citations)
    return list(dict.fromkeys(i for i in ids if i))


def _verification(outcome: Outcome) -> Verification:
    return Verification(claims=outcome.claims, dropped=len(outcome.dropped))


def _with_note(briefing: Briefing, note: str, verification: Verification | None) -> Briefing:
    """The fallback briefing, saying why it is shown (and what the model's attempt scored)."""
    return dataclasses.replace(
        briefing,
        notes=(*briefing.notes, note),
        verification=verification or briefing.verification,
    )
