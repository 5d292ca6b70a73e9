"""Reading a user's file of vendor groups (the shape of ``reference/vendor_groups.json``, in
JSON or YAML) over the built-in groups: a group of the same name replaces the built-in one,
others are added. A bad file raises ``LoadError`` naming file, line and field; so does a name
that already stands for another group or another group's entity.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from dataflyt.errors import LoadError
from dataflyt.loaders.json_positions import read_json
from dataflyt.loaders.positions import field_path, read_yaml
from dataflyt.loaders.text import read_source
from dataflyt.reference.vendor_groups import (
    VendorGroups,
    VendorGroupsFile,
    clashes,
    groups_from,
    vendor_groups,
)

__all__ = ["read_vendor_groups"]


def read_vendor_groups(path: Path) -> VendorGroups:
    """Return the built-in vendor groups with the groups of the file at ``path`` read over
    them; raise ``LoadError`` naming the file and line of the first problem."""
    source = read_source(path)
    is_yaml = path.suffix.lower() in (".yaml", ".yml")
    located = read_yaml(source) if is_yaml else read_json(source)
    try:
        model = VendorGroupsFile.model_validate(located.data)
    except ValidationError as exc:
        error = min(exc.errors(include_url=False), key=lambda e: located.position(e["loc"]))
        where = tuple(error["loc"])
        line, column = located.position(where, key=error["type"] == "extra_forbidden")
        message = str(error["ctx"]["error"]) if error["type"] == "value_error" else error["msg"]
        raise LoadError(
            source.path,
            message[0].lower() + message[1:],
            line=line,
            column=column,
            field=field_path(where) or None,
        ) from None
    extra = groups_from(model.groups)
    merged = vendor_groups().merged_with(extra)
    for index, name, other in clashes(merged, extra):
        line, column = located.position(("groups", index))
        raise LoadError(
            source.path,
            f"{name!r} already names {other!r}; give each name to one group only",
            line=line,
            column=column,
            field=f"groups[{index}]",
        )
    return merged
