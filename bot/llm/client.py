"""Model calls: the OpenAI-compatible backend, a circuit breaker, the daily budget, usage records.

Retries on 429/5xx are the ``openai`` client's own (``max_retries``, with backoff and
``Retry-After``); nothing here loops on top of it. ``openai_timeout`` bounds a whole call end to
end, the client's retries and backoff included: the client's own timeout is per read, so a
server that trickles bytes would otherwise hold a call open for ever. A call that still fails,
or whose reply is unusable (empty, cut off, absurdly long, malformed after one repair), counts
towards the breaker: after ``BREAKER_THRESHOLD`` failures in a row (or one that cannot get
better, such as a rejected key or an unknown model) calls stop for ``BREAKER_COOLDOWN`` and the
engine falls back.

Usage: every reply that arrived is recorded, usable or not (it was billed); HTTP errors are not
(they are not billed), and neither is a call abandoned at the deadline (nothing came back to
count). Token figures from the server are trusted only as whole numbers in
``[0, MAX_REPORTED_TOKENS]``; anything else (negative, huge, strings) is counted with tiktoken.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlsplit

from bot.clock import Clock
from bot.llm.schemas import response_format
from bot.llm.tokens import count_messages, count_text
from bot.store.llm import LLMRepo, UsageRecord

log = logging.getLogger(__name__)

OPENAI_BASE_URL = "https://api.openai.com/v1"
BREAKER_THRESHOLD = 2
BREAKER_COOLDOWN = timedelta(minutes=10)
# Models that take ``max_completion_tokens`` and only their default temperature.
REASONING_PREFIXES = ("o1", "o3", "o4", "gpt-5")
# Words in a 400 error that mean "this server does not do that response_format".
FORMAT_WORDS = ("response_format", "json_schema", "json_object", "structured", "schema")
MAX_REPORTED_TOKENS = 10_000_000  # a usage figure past this is a server bug, not a bill
# A reply longer than this many characters per requested output token ignored the limit.
REPLY_CHARS_PER_TOKEN = 16
MIN_REPLY_CHARS = 32_000

Message = dict[str, str]


class LLMUnavailable(Exception):
    """No usable reply: the reason is shown to users in a note, so keep it one short line."""

    def __init__(self, reason: str, *, fatal: bool = False, counts: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fatal = fatal  # retrying cannot help (bad key, unknown model)
        self.counts = counts  # whether it is the endpoint's fault (counts towards the breaker)


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """One chat completion to make; ``schema`` is the reply kind (map, brief, answer)."""

    purpose: str
    messages: tuple[Message, ...]
    schema: str
    max_output: int


@dataclass(frozen=True, slots=True)
class ChatReply:
    """The reply text and the server's token counts (None when it did not report them)."""

    text: str
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    truncated: bool = False  # the server stopped at the output limit (finish_reason "length")


class Backend(Protocol):
    """Something that completes chats (the OpenAI client, or a fake in tests and benchmarks)."""

    def complete(self, request: ChatRequest) -> ChatReply:
        """Make the call; raise ``LLMUnavailable`` on any failure."""
        ...


class OpenAIBackend:
    """Chat completions through the official ``openai`` client, any compatible server."""

    def __init__(self, settings: Any) -> None:
        self.model: str = settings.openai_model
        self.temperature: float = settings.openai_temperature
        self.timeout: float = settings.openai_timeout
        self.max_retries: int = settings.openai_max_retries
        self.max_reply_bytes: int = settings.openai_max_reply_bytes
        self._key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""
        # base_url always explicit: the client must never pick up OPENAI_BASE_URL on its own.
        self.base_url: str = settings.openai_base_url or OPENAI_BASE_URL
        self.configured = bool(self._key or settings.openai_base_url)
        self.mode = "json_schema"  # downgraded to json_object, then text, if the server refuses
        self._client: Any = None

    @property
    def client(self) -> Any:
        """The ``openai`` client, made on first use (reading stored briefings never imports it)."""
        if self._client is None:
            import openai

            from bot.llm.transport import http_client

            self._client = openai.OpenAI(
                api_key=self._key or "not-needed",  # local servers need no key; the client does
                base_url=self.base_url,
                timeout=self.timeout,
                max_retries=self.max_retries,
                http_client=http_client(self.max_reply_bytes),
            )
        return self._client

    def complete(self, request: ChatRequest) -> ChatReply:
        """One completion, abandoned when it is not done within the timeout (retries included)."""
        if not self.configured:  # no setting asked for OpenAI: never call it with a dummy key
            raise LLMUnavailable("no API key and no server configured", fatal=True)
        outcome: list[ChatReply | BaseException] = []
        worker = threading.Thread(
            target=self._complete_into, args=(request, outcome), name="dispatch-llm", daemon=True
        )
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive() or not outcome:
            self._abandon()
            raise LLMUnavailable(f"timed out after {self.timeout:g} s")
        if isinstance(outcome[0], BaseException):
            raise outcome[0]
        return outcome[0]

    def _complete_into(
        self, request: ChatRequest, outcome: list[ChatReply | BaseException]
    ) -> None:
        try:
            outcome.append(self._complete(request))
        except BaseException as exc:  # handed to the caller's thread
            outcome.append(exc)

    def _abandon(self) -> None:
        """Drop the client of a call past its deadline; closing it ends that call's socket."""
        client, self._client = self._client, None
        if client is not None:
            threading.Thread(target=client.close, name="dispatch-llm-close", daemon=True).start()

    def _complete(self, request: ChatRequest) -> ChatReply:
        """One completion; a refused ``response_format`` is downgraded and asked again."""
        import openai

        from bot.llm.transport import ReplyTooLarge, ReplyUnreadable

        while True:
            try:
                response = self.client.chat.completions.create(**self._arguments(request))
            except (ReplyTooLarge, ReplyUnreadable) as exc:
                raise LLMUnavailable(str(exc)) from exc
            except openai.BadRequestError as exc:
                if self._downgrade(exc):
                    continue
                raise LLMUnavailable(f"request rejected (400): {_short(exc)}") from exc
            except openai.APIError as exc:
                raise _unavailable(exc, self) from exc
            except ValueError as exc:  # a 200 whose body is not JSON: an HTML error page, a proxy
                raise self._not_a_completion() from exc
            if not hasattr(response, "choices"):  # the client hands back text it could not parse
                raise self._not_a_completion()
            return _reply(response)

    def _not_a_completion(self) -> LLMUnavailable:
        host = urlsplit(self.base_url).netloc or self.base_url
        return LLMUnavailable(f"{host} sent something that is not a chat completion")

    def _arguments(self, request: ChatRequest) -> dict[str, Any]:
        args: dict[str, Any] = {"model": self.model, "messages": list(request.messages)}
        if self.model.lower().startswith(REASONING_PREFIXES):
            args["max_completion_tokens"] = request.max_output
        else:
            args["max_tokens"] = request.max_output
            args["temperature"] = self.temperature
        if self.mode == "json_schema":
            args["response_format"] = response_format(request.schema)
        elif self.mode == "json_object":
            args["response_format"] = {"type": "json_object"}
        return args

    def _downgrade(self, exc: Exception) -> bool:
        """Step down from strict schema to JSON mode to plain text when the server says so."""
        if self.mode == "text" or not any(w in str(exc).lower() for w in FORMAT_WORDS):
            return False
        self.mode = "json_object" if self.mode == "json_schema" else "text"
        log.warning("server refused response_format; using %s from now on", self.mode)
        return True


def _reply(response: Any) -> ChatReply:
    """The reply's text and token counts, whatever shape a compatible server sent."""
    choices = getattr(response, "choices", None)
    choice = choices[0] if isinstance(choices, list) and choices else None
    message = getattr(choice, "message", None)
    usage = getattr(response, "usage", None)
    return ChatReply(
        _content(getattr(message, "content", None)),
        _tokens(getattr(usage, "prompt_tokens", None)),
        _tokens(getattr(usage, "completion_tokens", None)),
        truncated=getattr(choice, "finish_reason", None) == "length",
    )


def _content(value: Any) -> str:
    """Message content as text: a string, or the text parts of a list ('' for anything else)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts = (p.get("text") if isinstance(p, dict) else getattr(p, "text", None) for p in value)
        return "".join(p for p in parts if isinstance(p, str))
    return ""


def _tokens(value: Any) -> int | None:
    """A server's token count, if it is a plausible one (None: count it ourselves)."""
    if type(value) is int and 0 <= value <= MAX_REPORTED_TOKENS:
        return value
    return None


def _unavailable(exc: Exception, backend: OpenAIBackend) -> LLMUnavailable:
    """A one-line reason for an API failure, and whether retrying later could help."""
    import openai

    host = urlsplit(backend.base_url).netloc or backend.base_url
    if isinstance(exc, openai.APITimeoutError):
        return LLMUnavailable(f"timed out after {backend.timeout:g} s")
    if isinstance(exc, openai.APIConnectionError):
        return LLMUnavailable(f"cannot reach {host}")
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return LLMUnavailable(f"{host} rejected the API key", fatal=True)
    if isinstance(exc, openai.NotFoundError):
        return LLMUnavailable(f"model {backend.model!r} not found at {host}", fatal=True)
    if isinstance(exc, openai.RateLimitError):
        return LLMUnavailable("rate limited (429)")
    status = getattr(exc, "status_code", None)
    return LLMUnavailable(f"server error {status}" if status else f"API error: {_short(exc)}")


def _short(exc: Exception, limit: int = 120) -> str:
    text = " ".join(str(getattr(exc, "message", None) or exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Breaker:
    """Stops calling a failing endpoint for a while (the injected clock decides how long)."""

    def __init__(self, clock: Clock, threshold: int = BREAKER_THRESHOLD) -> None:
        self.clock = clock
        self.threshold = threshold
        self.failures = 0
        self.reason = ""
        self.open_until: datetime | None = None
        self.stopped = False  # for the rest of the run: retrying cannot help
        self._lock = threading.Lock()

    def check(self) -> None:
        """Raise ``LLMUnavailable`` while the breaker is open."""
        with self._lock:
            if self.stopped:
                raise LLMUnavailable(f"{self.reason}; no more calls this run", counts=False)
            if self.open_until is not None and self.clock() < self.open_until:
                until = f"{self.open_until:%H:%M} UTC"
                raise LLMUnavailable(f"{self.reason}; calls paused until {until}", counts=False)

    def failure(self, error: LLMUnavailable) -> None:
        """Count a failed call; open after the threshold, or for good when it cannot get better."""
        with self._lock:
            self.failures += 1
            self.reason = error.reason
            if error.fatal:
                self.stopped = True
            elif self.failures >= self.threshold:
                self.open_until = self.clock() + BREAKER_COOLDOWN
                log.warning(
                    "LLM endpoint failed %d times in a row (%s)", self.failures, error.reason
                )

    def success(self) -> None:
        """A call worked: close the breaker."""
        with self._lock:
            self.failures = 0
            self.open_until = None


class ModelClient:
    """Guarded calls: breaker, daily budget, then the backend; records usage of every reply."""

    def __init__(
        self,
        backend: Backend,
        usage: LLMRepo,
        *,
        model: str,
        clock: Clock,
        daily_budget: int | None = None,
    ) -> None:
        self.backend = backend
        self.usage = usage
        self.model = model
        self.clock = clock
        self.daily_budget = daily_budget
        self.breaker = Breaker(clock)

    def available(self) -> bool:
        """Whether a call could be made now (breaker closed, budget not spent)."""
        try:
            self.breaker.check()
        except LLMUnavailable:
            return False
        budget = self.daily_budget
        return budget is None or self.usage.tokens_on(self.today()) < budget

    def today(self) -> date:
        """The UTC day the budget is counted on."""
        return self.clock().astimezone(UTC).date()

    def call(self, request: ChatRequest) -> str:
        """The reply text, or ``LLMUnavailable`` (breaker open, budget spent, endpoint failing).

        The caller reports whether the text was usable (``succeeded``/``failed``): only a
        usable reply closes the breaker.
        """
        self.breaker.check()
        estimate = count_messages(request.messages, self.model)
        self._check_budget(estimate + request.max_output)
        try:
            reply = self.backend.complete(request)
        except LLMUnavailable as exc:
            if exc.counts:
                self.breaker.failure(exc)
            raise
        except Exception as exc:  # a backend bug must not take the briefing down with it
            error = LLMUnavailable(f"{type(exc).__name__}: {_short(exc)}")
            self.breaker.failure(error)
            raise error from exc
        self._record(request, reply, estimate)
        problem = _unusable(reply, request)
        if problem is not None:
            self.failed(problem)
            raise problem
        return reply.text

    def succeeded(self) -> None:
        """The last reply was usable: close the breaker."""
        self.breaker.success()

    def failed(self, error: LLMUnavailable) -> None:
        """The last reply was unusable: count it towards the breaker."""
        self.breaker.failure(error)

    def _check_budget(self, needed: int) -> None:
        if self.daily_budget is None:
            return
        used = self.usage.tokens_on(self.today())
        if used + needed > self.daily_budget:
            raise LLMUnavailable(
                f"daily token budget reached: {used:,} of {self.daily_budget:,} tokens used today, "
                f"the next call needs up to {needed:,}",
                counts=False,
            )

    def _record(self, request: ChatRequest, reply: ChatReply, estimate: int) -> None:
        server = reply.prompt_tokens is not None
        record = UsageRecord(
            at=self.clock(),
            model=self.model,
            purpose=request.purpose,
            input_tokens=reply.prompt_tokens if server else estimate,  # type: ignore[arg-type]
            output_tokens=(
                reply.completion_tokens
                if reply.completion_tokens is not None
                else count_text(reply.text, self.model)
            ),
            counted_by="server" if server else "tiktoken",
        )
        self.usage.record_usage(record)


def _unusable(reply: ChatReply, request: ChatRequest) -> LLMUnavailable | None:
    """Why a reply that arrived cannot be used (empty, cut off, far too long), or None."""
    if not reply.text.strip():
        return LLMUnavailable("empty reply")
    if reply.truncated:
        return LLMUnavailable(f"reply cut off at the {request.max_output:,}-token output limit")
    limit = max(MIN_REPLY_CHARS, request.max_output * REPLY_CHARS_PER_TOKEN)
    if len(reply.text) > limit:
        return LLMUnavailable(
            f"reply of {len(reply.text):,} characters ignored the {request.max_output:,}-token limit"
        )
    return None


def messages(*pairs: tuple[str, str]) -> tuple[Message, ...]:
    """Chat messages from (role, content) pairs."""
    return tuple({"role": role, "content": content} for role, content in pairs)
