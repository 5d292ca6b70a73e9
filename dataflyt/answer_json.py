"""A command's answer as JSON text: most answers are msgspec structs (some holding pydantic
models, such as the loaders' terms), the list of watched sources a pydantic model; both come
out alike, fields in declaration order, indented by two spaces, non-ASCII characters as they
are."""

from __future__ import annotations

from typing import Any

import msgspec

__all__ = ["answer_json"]


def _pydantic(value: Any) -> Any:
    """Return a pydantic model inside a msgspec answer as plain JSON values."""
    dump = getattr(value, "model_dump", None)
    if dump is None:
        raise TypeError(f"cannot write {type(value).__name__} as JSON")
    return dump(mode="json")


def answer_json(answer: Any) -> str:
    """Return ``answer`` (a pydantic model or a msgspec struct, which may hold pydantic
    models: the loaders' terms) as indented JSON text."""
    if isinstance(answer, msgspec.Struct):
        encoded = msgspec.json.encode(answer, enc_hook=_pydantic)
        return msgspec.json.format(encoded, indent=2).decode()
    text: str = answer.model_dump_json(indent=2)
    return text
