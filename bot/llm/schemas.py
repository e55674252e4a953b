"""What the model must reply: pydantic models that validate it, and the strict JSON schemas sent.

The JSON schemas are written by hand in the subset OpenAI's strict structured outputs accept
(every property required, no additional properties); the pydantic models are more forgiving
(extra keys ignored, ``"[3]"``, ``"S3"`` or ``3.0`` read as 3, ``"1, 2"`` as [1, 2]) because
servers without strict mode only get the schema as text. Lengths are not enforced here:
verification drops overlong claims.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator

Section = Literal["now", "development", "disputed"]

_ID = re.compile(r"^\s*\[?\s*[sS]?(\d+)\s*\]?\s*$")
_SEPARATORS = re.compile(r"[,;\s]+|\]\s*\[")


class Cited(BaseModel):
    """A claim and the numbers of the sentences it rests on."""

    model_config = ConfigDict(extra="ignore")

    text: str
    cite: list[int]

    @field_validator("cite", mode="before")
    @classmethod
    def _ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [v for v in _SEPARATORS.split(value) if v.strip()]  # "1, 2", "[S1][S3]"
        elif isinstance(value, int | float):
            value = [value]
        if isinstance(value, list):
            return [_as_id(v) for v in value]
        return value


def _as_id(value: Any) -> Any:
    """Read ``3``, ``3.0``, ``"3"``, ``"[3]"`` or ``"S3"`` as 3; a boolean as 0 (no sentence).

    Out-of-range numbers (0, negative, huge) are valid here and discarded by verification, so
    they never reach a user; anything else is left to fail validation.
    """
    if isinstance(value, bool):
        return 0  # ``true`` is not sentence 1: numbering starts at 1, so 0 cites nothing
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and (match := _ID.match(value)):
        return int(match.group(1))
    return value


class MapReply(BaseModel):
    """Per-article extraction: the things that happened, each citing its sentences."""

    model_config = ConfigDict(extra="ignore")

    events: list[Cited]


class BriefItem(Cited):
    """A briefing statement and the section it belongs to."""

    section: Section = "development"


class BriefReply(BaseModel):
    """A status, timeline or digest."""

    model_config = ConfigDict(extra="ignore")

    statements: list[BriefItem]


class AnswerReply(BaseModel):
    """An answer to a question, or ``answerable: false`` when the sentences don't say."""

    model_config = ConfigDict(extra="ignore")

    answerable: bool = True
    statements: list[Cited] = []


def _cited_item(**extra: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = {
        **extra,
        "text": {"type": "string"},
        "cite": {"type": "array", "items": {"type": "integer"}},
    }
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _object(**properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


SCHEMAS: dict[str, dict[str, Any]] = {
    "map": _object(events={"type": "array", "items": _cited_item()}),
    "brief": _object(
        statements={
            "type": "array",
            "items": _cited_item(
                section={"type": "string", "enum": ["now", "development", "disputed"]}
            ),
        }
    ),
    "answer": _object(
        answerable={"type": "boolean"},
        statements={"type": "array", "items": _cited_item()},
    ),
}

MODELS: dict[str, type[BaseModel]] = {"map": MapReply, "brief": BriefReply, "answer": AnswerReply}


def response_format(kind: str) -> dict[str, Any]:
    """The strict ``json_schema`` response format for a reply kind."""
    return {
        "type": "json_schema",
        "json_schema": {"name": f"dispatch_{kind}", "strict": True, "schema": SCHEMAS[kind]},
    }


def schema_text(kind: str) -> str:
    """The schema as compact text, for the prompt (servers without strict mode read it there)."""
    return json.dumps(SCHEMAS[kind], separators=(",", ":"))
