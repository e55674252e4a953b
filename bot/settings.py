"""One ``Settings`` object, built at the entry point and passed down; never read at import time."""

from __future__ import annotations

import difflib
import json
import logging
import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.store.translate import is_postgres_url

log = logging.getLogger(__name__)

ENV_PREFIX = "DISPATCH_"


def _split_list(value: Any) -> Any:
    """Accept a JSON list, an ``os.pathsep``- or comma-separated string, or a list."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return []
        if text.startswith("["):
            return json.loads(text)
        return [part.strip() for part in text.split(os.pathsep) if part.strip()]
    return value


def database_target(value: str) -> Path | str:
    """A database setting: a postgresql:// URL stays text (a Path would fold its "//"),
    anything else names an SQLite file."""
    return value.strip() if is_postgres_url(value) else Path(value)


class Settings(BaseSettings):
    """Everything Dispatch can be configured with (env prefix ``DISPATCH_``, ``.env`` read)."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    corpus: Annotated[list[Path], NoDecode] = Field(
        default_factory=lambda: [Path("seeds")],
        description="Corpus folders, os.pathsep-separated or a JSON list.",
    )
    db: Path | str = Field(
        Path("data/dispatch.db"),
        description="The SQLite database file, or a postgresql:// URL to share state between "
        "processes (needs the postgres extra).",
    )
    engine: Literal["auto", "extractive", "openai"] = Field(
        "auto", description="auto (LLM when a key or base URL is set), extractive, or openai."
    )
    openai_api_key: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices(
            "DISPATCH_OPENAI_API_KEY", "OPENAI_API_KEY", "openai_api_key"
        ),
        description="Key for OpenAI or a compatible server (OPENAI_API_KEY works too).",
    )
    openai_base_url: str | None = Field(
        None, description="Base URL of any OpenAI-compatible server (Ollama, vLLM, LM Studio)."
    )
    openai_model: str = Field("gpt-4o-mini", description="Model name for chat completions.")
    openai_temperature: float = Field(0.2, ge=0, le=2, description="Sampling temperature.")
    openai_timeout: float = Field(60.0, gt=0, description="Seconds before a model call times out.")
    openai_max_retries: int = Field(
        2, ge=0, description="Retries on 429/5xx (the client's own backoff)."
    )
    openai_max_reply_bytes: int = Field(
        2_000_000,
        gt=0,
        description="Cap on one model reply's size in bytes; a longer (or endless) reply is "
        "abandoned as it arrives and the extractive engine takes over.",
    )
    context_tokens: int | None = Field(
        None, gt=0, description="Input tokens to pack per call (default: the model's context)."
    )
    daily_token_budget: int | None = Field(
        None,
        gt=0,
        description="Stop LLM calls (extractive takes over) past this many tokens a day.",
    )
    discord_token: SecretStr | None = Field(None, description="Bot token, for `dispatch run` only.")
    prefix: str = Field(
        "!", min_length=1, description="Prefix for prefix commands (a mention always works)."
    )
    message_content: bool = Field(
        True, description="Request the privileged Message Content intent."
    )
    owner_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="Users allowed to change the shared corpus from Discord."
    )
    reingest_minutes: float = Field(
        15,
        gt=0,
        description="How often the bot (or `dispatch worker`) re-reads its folders and polls "
        "due feeds.",
    )
    quick_update: bool = Field(
        True,
        description="Show a few new articles at once through a quick update (results marked "
        "provisional) before the full recompute; false: always wait for the full recompute.",
    )
    worker: bool = Field(
        True,
        description="Whether `dispatch run` also ingests, polls feeds and recomputes; false when "
        "a `dispatch worker` process does it (the bot then only reads the results it stores and "
        "posts digests and alerts).",
    )
    ask_cooldown_seconds: float = Field(30, ge=0, description="Per-user cooldown on ask.")
    digest_when_empty: Literal["post", "skip"] = Field(
        "post", description="post a short 'no new developments' line, or skip the post."
    )
    shutdown_grace_seconds: float = Field(
        8,
        ge=0,
        description="On SIGTERM, how long a digest post or re-ingest pass in flight may take to "
        "finish before the bot stops without it (it is resumed at the next start).",
    )
    digest_claim_timeout_minutes: float = Field(
        30,
        gt=0,
        description="A daily digest post claimed this long ago without progress died with its "
        "process: another run takes it over and sends what did not go out.",
    )
    alert_min_outlets: int = Field(
        2,
        ge=1,
        description="A followed topic's new development is alerted once this many distinct "
        "outlets report it (or sooner, when it reports a strong event as done: signed, ruled...).",
    )
    alert_interval_minutes: float = Field(
        60, gt=0, description="At most one alert per followed topic per channel this often."
    )
    feed_max_age_days: float = Field(
        3, ge=0, description="Older feed items are stored but not reported as new."
    )
    fetch_allow: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Hosts/CIDRs (host:port, [v6]:port, cidr:port too) exempt from the "
        "private-address guard, comma-separated; metadata and link-local addresses never are.",
    )
    fetch_deadline_seconds: float = Field(
        30, gt=0, description="Longest one fetch (a feed or a page, redirects included) may take."
    )
    poll_deadline_seconds: float = Field(
        300,
        gt=0,
        description="Longest one poll of the due feeds may spend fetching; what is left waits "
        "for the next poll.",
    )
    follow_outside_links: bool = Field(
        False,
        description="Read corpus files that are links to files outside every corpus folder.",
    )
    discovery_min_outlets: int = Field(
        3, ge=1, description="Distinct outlets a discovered storyline needs to be suggested."
    )
    discovery_min_days: int = Field(
        2, ge=1, description="Distinct publication days a discovered storyline needs."
    )
    discovery_window_days: int = Field(
        30,
        ge=1,
        description="Discovery looks at articles published this many days before the newest.",
    )
    max_article_bytes: int = Field(5_000_000, gt=0, description="Cap for files and fetched pages.")
    ingest_workers: int | None = Field(
        None,
        ge=1,
        description="Processes that read and parse the files of a large ingest pass (more than "
        "200 changed files); 1: all in the ingesting process. Default: min(2, CPU count).",
    )
    timeline_limit: int = Field(30, gt=0, description="Default maximum timeline entries.")
    log_level: str = Field("INFO", description="Logging level.")
    log_format: Literal["text", "json"] = Field(
        "text",
        description="Log lines for `dispatch run`: readable text, or one JSON object per line.",
    )

    @field_validator("corpus", mode="before")
    @classmethod
    def _corpus(cls, value: Any) -> Any:
        return _split_list(value)

    @field_validator("db", mode="before")
    @classmethod
    def _database(cls, value: Any) -> Any:
        return database_target(value) if isinstance(value, str) else value

    @field_validator("owner_ids", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip().startswith("["):
            return [p.strip() for p in value.replace(os.pathsep, ",").split(",") if p.strip()]
        return _split_list(value)

    @field_validator("fetch_allow", mode="before")
    @classmethod
    def _allow_list(cls, value: Any) -> Any:
        # Commas only: a colon belongs to host:port entries and IPv6 addresses; and "[::1]:80"
        # starts like a JSON list without being one.
        if not isinstance(value, str):
            return value
        try:
            parsed = json.loads(value) if value.strip().startswith("[") else None
        except ValueError:
            parsed = None
        if isinstance(parsed, list):
            return parsed
        return [p.strip() for p in value.split(",") if p.strip()]

    @property
    def llm_configured(self) -> bool:
        """Whether a key or a base URL is set."""
        return bool(self.openai_api_key or self.openai_base_url)

    def engine_problem(self) -> str | None:
        """Why the chosen engine cannot start, or None (``openai`` with no key and no server)."""
        if self.engine == "openai" and not self.llm_configured:
            return (
                "the openai engine needs DISPATCH_OPENAI_API_KEY (or OPENAI_API_KEY) or "
                "DISPATCH_OPENAI_BASE_URL, and neither is set"
            )
        return None

    @property
    def use_llm(self) -> bool:
        """Whether the LLM engine should be used."""
        return self.engine == "openai" or (self.engine == "auto" and self.llm_configured)


def unknown_env_names(environ: dict[str, str] | None = None) -> list[str]:
    """Return ``DISPATCH_*`` names in the environment that no setting reads (likely typos)."""
    environ = dict(os.environ if environ is None else environ)
    return sorted(k for k in environ if k.startswith(ENV_PREFIX) and k not in _known_names())


HOOKS = frozenset({"DISPATCH_CRASH_AT"})  # read by the process itself (a test's crash point)


def _known_names() -> list[str]:
    return sorted({ENV_PREFIX + name.upper() for name in Settings.model_fields} | HOOKS)


def unknown_setting_warnings(
    environ: dict[str, str] | None = None, env_file: Path = Path(".env")
) -> list[str]:
    """One line per unknown ``DISPATCH_*`` name in the environment or ``.env``, with the closest one."""
    where = {name: "environment" for name in unknown_env_names(environ)}
    for name in unknown_env_names(_dotenv(env_file)):
        where.setdefault(name, str(env_file))
    lines = []
    for name, source in sorted(where.items()):
        fields = [known.removeprefix(ENV_PREFIX) for known in _known_names()]
        close = difflib.get_close_matches(name.removeprefix(ENV_PREFIX), fields, n=1, cutoff=0.6)
        hint = f"; did you mean {ENV_PREFIX}{close[0]}?" if close else ""
        lines.append(f"ignoring unknown setting {name} (in the {source}){hint}")
    return lines


def _dotenv(path: Path) -> dict[str, str]:
    """The names a ``.env`` file sets (empty when there is none or it cannot be read)."""
    from dotenv import dotenv_values

    try:
        return {k: v or "" for k, v in dotenv_values(path).items()} if path.is_file() else {}
    except (OSError, UnicodeDecodeError):
        return {}


def load_settings(**overrides: Any) -> Settings:
    """Build settings from the environment and ``.env``, warning about unknown ``DISPATCH_*`` names."""
    for line in unknown_setting_warnings():
        log.warning("%s", line)
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
