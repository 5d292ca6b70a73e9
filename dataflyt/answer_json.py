"""A command's answer as JSON text: the queries' answers are msgspec structs, the load report
and ``diff``'s answer pydantic models; both come out alike, fields in declaration order,
indented by two spaces, non-ASCII characters as they are."""

from __future__ import annotations

from typing import Any

import msgspec

__all__ = ["answer_json"]


def answer_json(answer: Any) -> str:
    """Return ``answer`` (a pydantic model or a msgspec struct) as indented JSON text."""
    if isinstance(answer, msgspec.Struct):
        return msgspec.json.format(msgspec.json.encode(answer), indent=2).decode()
    text: str = answer.model_dump_json(indent=2)
    return text
