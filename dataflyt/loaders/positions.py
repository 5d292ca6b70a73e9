"""Reading YAML into plain data while keeping where every value stands (line and column), so
that a validation error can name ``file:line:column`` and the field path.

Scalars are kept as the text written: YAML 1.1's implicit typing would turn the country code
``NO`` into ``False`` and a company called ``1881`` into a number, so typing is left to the
pydantic model, which converts "true", "2025-01-31" or "3" where a field asks for it. Only
``null``, ``~`` and empty values become None. Tags are never constructed, so nothing in the
file is ever executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from dataflyt.errors import LoadError
from dataflyt.loaders.text import SourceText

__all__ = ["Located", "Path_", "field_path", "read_yaml"]

Path_ = tuple[str | int, ...]
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
# aliases can make a small file expand enormously; no hand-written inventory comes near this
_MAX_VALUES = 200_000


@dataclass(frozen=True)
class Located:
    """A document read into plain data, with the 1-based (line, column) of each value."""

    data: Any
    positions: dict[Path_, tuple[int, int]]
    keys: dict[Path_, tuple[int, int]]

    def position(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """Return where the value at ``path`` stands (its key's place with ``key``), or where
        its nearest enclosing value stands."""
        if key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            found = self.positions.get(tuple(path[:end]))
            if found is not None:
                return found
        return 1, 1


def field_path(path: Path_) -> str:
    """Return ``("services", 2, "countries", 0)`` as ``services[2].countries[0]``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


class _Walker:
    def __init__(self, file: str) -> None:
        self.file = file
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}
        self.budget = _MAX_VALUES
        self.open: set[int] = set()

    def fail(self, node: Node, message: str) -> LoadError:
        mark = node.start_mark
        return LoadError(self.file, message, line=mark.line + 1, column=mark.column + 1)

    def value(self, node: Node, path: Path_) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise self.fail(node, "the document expands to too many values (YAML aliases?)")
        self.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, ScalarNode):
            plain = node.style is None
            return None if plain and _NULL.match(node.value) else node.value
        if id(node) in self.open:
            raise self.fail(node, "a YAML alias refers to the value that contains it")
        self.open.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return [self.value(item, (*path, i)) for i, item in enumerate(node.value)]
            if isinstance(node, MappingNode):
                return self.mapping(node, path)
            raise self.fail(node, "unexpected YAML node")
        finally:
            self.open.discard(id(node))

    def mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise self.fail(key_node, "a key must be a plain text")
            key = str(key_node.value)
            if key in found:
                raise self.fail(key_node, f"duplicate key {key!r}")
            mark = key_node.start_mark
            self.keys[(*path, key)] = (mark.line + 1, mark.column + 1)
            found[key] = self.value(value_node, (*path, key))
        return found


def read_yaml(source: SourceText) -> Located:
    """Return the YAML document of ``source`` as plain data with positions; raise
    ``LoadError`` naming line and column for syntax errors."""
    try:
        loader = yaml.SafeLoader(source.text)
    except yaml.reader.ReaderError as exc:
        before = source.text[: exc.position]
        raise LoadError(
            source.path,
            f"character {exc.character!r} is not allowed in YAML",
            line=before.count("\n") + 1,
            column=len(before.rsplit("\n", 1)[-1]) + 1,
        ) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise LoadError(source.path, "the document is empty")
        walker = _Walker(source.path)
        return Located(walker.value(node, ()), walker.positions, walker.keys)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or "not valid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise LoadError(
            source.path, f"not valid YAML: {reason}", line=line, column=column
        ) from None
    except yaml.YAMLError as exc:
        raise LoadError(source.path, f"not valid YAML: {exc}") from None
    except RecursionError:
        raise LoadError(source.path, "the document is nested too deeply") from None
    finally:
        loader.dispose()
