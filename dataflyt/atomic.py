"""Writing a file whole or not at all, for the map, exports and diagrams.

A regular file (or one still to be made) is written to a temporary file in its folder, which
then replaces it (``os.replace``, atomic on one file system): a failure, a full disk say, leaves
the file as it was. A symbolic link is written through: its target is replaced and the link
kept. The replaced file keeps its permission bits and, where the writer may set them, its owner
and group; a new file gets the usual ``0o666`` less the umask.

Anything else (a character device such as ``/dev/null``, a FIFO, a terminal, ``/dev/stdout``)
cannot be replaced without destroying it, so it is opened and written directly, as a shell's
``>`` would.

Temporary files are named ``.NAME.PID.TOKEN.dataflyt-tmp`` beside ``NAME``, with the id of the
writing process. A write killed before it finishes (SIGKILL, a power cut) leaves one behind;
the next write of the same file removes such leftovers, but only those that cannot belong to a
write still going on: unchanged for ``LEFTOVER_AGE`` seconds *and* named by a process that no
longer runs on this machine, or unchanged for ``ABANDONED_AGE`` seconds whatever their process
(a writer on another machine or container sharing the folder, whose process cannot be seen
from here, has long finished by then). A concurrent writer keeps its own file busy and its
process alive, so its temporary file is never removed.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import stat
import time
from pathlib import Path

__all__ = ["ABANDONED_AGE", "LEFTOVER_AGE", "TEMPORARY_SUFFIX", "write_atomically"]

TEMPORARY_SUFFIX = ".dataflyt-tmp"
# seconds without change after which a dead process's temporary file is a leftover
LEFTOVER_AGE = 60
# seconds without change after which any temporary file is a leftover
ABANDONED_AGE = 24 * 60 * 60


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (creating its folder): a regular file or a link to one is
    replaced whole or not at all, a device or FIFO written directly. Returns nothing; raises
    ``OSError`` when the write fails, with a regular target unchanged."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        found = None
    if found is not None and not stat.S_ISREG(found.st_mode):
        with os.fdopen(os.open(path, os.O_WRONLY), "wb") as stream:
            stream.write(data)
        return
    target = Path(os.path.realpath(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    temporary = target.with_name(
        f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMPORARY_SUFFIX}"
    )
    # a replaced file's contents are as private as its own mode while they are being written
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if found else 0o666)
    try:
        with os.fdopen(handle, "wb") as stream:
            if found is not None:
                _keep_owner_and_mode(stream.fileno(), found)
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _keep_owner_and_mode(handle: int, found: os.stat_result) -> None:
    """Give the open file ``handle`` the owner, group and permission bits of ``found``; an
    owner or group the writer may not give (only root may give files away) stays the
    writer's."""
    with contextlib.suppress(PermissionError):
        os.fchown(handle, found.st_uid, found.st_gid)
    os.fchmod(handle, stat.S_IMODE(found.st_mode))


def _remove_leftovers(target: Path) -> None:
    """Remove the temporary files of killed writes of ``target`` (the rule is in the module's
    docstring); returns nothing, and leaves any file it cannot judge or remove."""
    now = time.time()
    for candidate in target.parent.glob(f".{glob.escape(target.name)}.*{TEMPORARY_SUFFIX}"):
        middle = candidate.name[len(target.name) + 2 : -len(TEMPORARY_SUFFIX)]
        pid, _, token = middle.partition(".")
        if not (pid.isdigit() and token):
            continue
        try:
            age = now - candidate.lstat().st_mtime
        except FileNotFoundError:
            continue
        if age > ABANDONED_AGE or (age > LEFTOVER_AGE and not _running(int(pid))):
            with contextlib.suppress(OSError):  # another user's, say: not this write's concern
                candidate.unlink()


def _running(pid: int) -> bool:
    """Return whether a process with id ``pid`` runs on this machine."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # no process has such an id
        return False
    except PermissionError:  # another user's process
        return True
    return True
