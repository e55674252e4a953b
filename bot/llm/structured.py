"""JSON replies: parse and validate, one repair attempt, and the cache in front of it all."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Sequence
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from bot.clock import Clock
from bot.llm.client import ChatRequest, LLMUnavailable, ModelClient, messages
from bot.llm.prompts import PromptSet
from bot.llm.schemas import MODELS, schema_text
from bot.store.llm import LLMRepo

log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)

# How much of a malformed reply is echoed back in the repair request.
REPAIR_ECHO_CHARS = 4000
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.IGNORECASE)


class ReplyInvalid(ValueError):
    """The reply is not JSON, or not the JSON the schema asks for."""


def parse_reply(text: str, model: type[T]) -> T:
    """Read a model reply as ``model`` (code fences and chatter around the object tolerated)."""
    body = _FENCE.sub("", text.strip())
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        start, end = body.find("{"), body.rfind("}")
        if start < 0 or end <= start:
            raise ReplyInvalid(
                f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
            ) from exc
        try:
            data = json.loads(body[start : end + 1])
        except json.JSONDecodeError as inner:
            raise ReplyInvalid(
                f"not JSON: {inner.msg} at line {inner.lineno} column {inner.colno}"
            ) from inner
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'reply'}: {e['msg']}" for e in exc.errors()[:3]
        )
        raise ReplyInvalid(f"does not match the schema: {problems}") from exc


class Caller:
    """Cached, validated, once-repaired JSON calls for one model and prompt set."""

    def __init__(
        self, client: ModelClient, prompts: PromptSet, cache: LLMRepo, *, model: str, clock: Clock
    ) -> None:
        self.client = client
        self.prompts = prompts
        self.cache = cache
        self.model = model
        self.clock = clock

    def __call__(
        self,
        purpose: str,
        prompt: str,
        user: str,
        *,
        schema: str,
        max_output: int,
        key: Sequence[str] | None = None,
    ) -> BaseModel:
        """The validated reply for ``user`` (rendered from prompt ``prompt``), cached.

        ``key`` names the input when something smaller than the whole message identifies it
        (an article's content hash); otherwise the messages themselves are the key.
        """
        version = self.prompts.version("system", prompt, "repair")
        chat = messages(("system", self.prompts["system"].render()), ("user", user))
        cache_key = _cache_key(purpose, self.model, version, key if key is not None else chat)
        hit = self.cache.cached(cache_key)
        if hit is not None:
            try:
                return MODELS[schema].model_validate(hit)
            except ValidationError:
                pass  # stored by an older schema: ask again
        reply = self._ask(ChatRequest(purpose, chat, schema, max_output))
        self.cache.put_cached(
            cache_key,
            reply.model_dump(mode="json"),
            purpose=purpose,
            model=self.model,
            prompt_version=version,
            at=self.clock(),
        )
        return reply

    def _ask(self, request: ChatRequest) -> BaseModel:
        model = MODELS[request.schema]
        text = self.client.call(request)
        try:
            reply = parse_reply(text, model)
        except ReplyInvalid as first:
            repair = self.prompts["repair"].render(
                error=str(first), schema=schema_text(request.schema)
            )
            chat = (
                *request.messages,
                *messages(("assistant", text[:REPAIR_ECHO_CHARS]), ("user", repair)),
            )
            text = self.client.call(ChatRequest("repair", chat, request.schema, request.max_output))
            try:
                reply = parse_reply(text, model)
            except ReplyInvalid as second:
                log.warning("malformed %s reply after repair: %s", request.purpose, second)
                error = LLMUnavailable("malformed reply after one repair attempt")
                self.client.failed(error)  # a model that cannot write the JSON is failing too
                raise error from second
        self.client.succeeded()
        return reply


def _cache_key(purpose: str, model: str, version: str, parts: Sequence[object]) -> str:
    payload = json.dumps([purpose, model, version, list(parts)], sort_keys=True, ensure_ascii=False)
    return f"{purpose}:{hashlib.sha256(payload.encode()).hexdigest()}"
