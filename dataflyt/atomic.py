"""Writing a file whole or not at all, for the map, exports and diagrams: the bytes go to a
temporary file in the target's folder, which then replaces the target (``os.replace``, atomic
on one file system). A failure, a full disk say, leaves the target as it was and no temporary
file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomically"]


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (creating its folder), whole or not at all; returns nothing
    and raises ``OSError`` with the target unchanged when the write fails."""
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(handle, "wb") as tmp:
            tmp.write(data)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
