"""Reading JSON into plain data while keeping where every value and key stands.

The standard ``json`` module forgets positions, so this is a small recursive-descent reader
that uses the module's own string and number scanners; it accepts exactly standard JSON
(no NaN, no trailing commas) and rejects duplicate keys.
"""

from __future__ import annotations

import bisect
import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from json.scanner import NUMBER_RE
from typing import Any

from dataflyt.errors import LoadError
from dataflyt.loaders.positions import Located, Path_
from dataflyt.loaders.text import SourceText

__all__ = ["read_json"]

_SPACE = re.compile(r"[ \t\n\r]*")
_LITERALS = {"true": True, "false": False, "null": None}
_MAX_DEPTH = 200


class _Reader:
    def __init__(self, source: SourceText) -> None:
        self.file = source.path
        self.text = source.text
        self.starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}

    def where(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1

    def fail(self, index: int, message: str) -> LoadError:
        line, column = self.where(index)
        return LoadError(self.file, f"not valid JSON: {message}", line=line, column=column)

    def skip(self, index: int) -> int:
        match = _SPACE.match(self.text, index)
        return match.end() if match else index

    def string(self, index: int) -> tuple[str, int]:
        try:
            value, end = scanstring(self.text, index + 1, True)
        except json.JSONDecodeError as exc:
            raise self.fail(exc.pos, exc.msg) from None
        return str(value), int(end)

    def value(self, index: int, path: Path_) -> tuple[Any, int]:
        if len(path) > _MAX_DEPTH:
            raise self.fail(index, "nested too deeply")
        index = self.skip(index)
        self.positions[path] = self.where(index)
        char = self.text[index : index + 1]
        if char == "{":
            return self.object(index + 1, path)
        if char == "[":
            return self.array(index + 1, path)
        if char == '"':
            return self.string(index)
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, index):
                return literal, index + len(word)
        number = NUMBER_RE.match(self.text, index)
        if number:
            integer, fraction, exponent = number.groups()
            try:
                if fraction or exponent:
                    return float(number.group(0)), number.end()
                return int(integer), number.end()
            except ValueError:  # more digits than Python converts
                raise self.fail(index, "the number is too long") from None
        raise self.fail(index, "expected a value" if char else "unexpected end of the document")

    def object(self, index: int, path: Path_) -> tuple[dict[str, Any], int]:
        found: dict[str, Any] = {}
        index = self.skip(index)
        if self.text.startswith("}", index):
            return found, index + 1
        while True:
            index = self.skip(index)
            if not self.text.startswith('"', index):
                raise self.fail(index, "expected a key in double quotes")
            key_at = index
            key, index = self.string(index)
            if key in found:
                raise self.fail(key_at, f"duplicate key {key!r}")
            self.keys[(*path, key)] = self.where(key_at)
            index = self.skip(index)
            if not self.text.startswith(":", index):
                raise self.fail(index, "expected ':' after the key")
            found[key], index = self.value(index + 1, (*path, key))
            index = self.skip(index)
            if self.text.startswith("}", index):
                return found, index + 1
            if not self.text.startswith(",", index):
                raise self.fail(index, "expected ',' or '}'")
            index += 1

    def array(self, index: int, path: Path_) -> tuple[list[Any], int]:
        items: list[Any] = []
        index = self.skip(index)
        if self.text.startswith("]", index):
            return items, index + 1
        while True:
            item, index = self.value(index, (*path, len(items)))
            items.append(item)
            index = self.skip(index)
            if self.text.startswith("]", index):
                return items, index + 1
            if not self.text.startswith(",", index):
                raise self.fail(index, "expected ',' or ']'")
            index += 1


def read_json(source: SourceText) -> Located:
    """Return the JSON document of ``source`` as plain data with positions; raise
    ``LoadError`` naming line and column for syntax errors."""
    reader = _Reader(source)
    data, end = reader.value(0, ())
    end = reader.skip(end)
    if end < len(source.text):
        raise reader.fail(end, "extra data after the document")
    return Located(data, reader.positions, reader.keys)
