"""Writing to something that is not a regular file: ``-o /dev/null``, ``/dev/full``,
``/dev/stdout`` or a FIFO is written directly, never replaced by a regular file, and a device
that refuses the bytes is one error line and exit 1.

The devices are the test's own: each case runs in a private mount namespace (``unshare -m``,
as root) with a tmpfs on ``/dev`` holding ``mknod``'ed null and full devices, so the machine's
own ``/dev`` is never written to.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATAFLYT, SEED, require_root


@pytest.fixture(autouse=True)
def _private_mount_namespace_possible() -> None:
    """Fail (never skip) where a private mount namespace cannot be made."""
    require_root("a private mount namespace with a /dev of its own")
    if shutil.which("unshare") is None:
        pytest.fail("unshare (util-linux) is missing", pytrace=False)


COMMANDS = {
    "diagram": ["diagram", "--all", "--format", "dot"],
    "report": ["report", "--all", "--format", "md"],
    "export": ["export", "--format", "json"],
}

# Run inside the namespace: make /dev the test's own, run one command, and report what it
# printed and what each device is afterwards.
IN_NAMESPACE = """
import json, os, stat, subprocess, sys
subprocess.run(["mount", "-t", "tmpfs", "tmpfs", "/dev"], check=True)
os.mknod("/dev/null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
os.mknod("/dev/full", 0o666 | stat.S_IFCHR, os.makedev(1, 7))
os.symlink("/proc/self/fd/1", "/dev/stdout")
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
kinds = {
    name: stat.filemode(os.lstat("/dev/" + name).st_mode)[0]
    for name in sorted(os.listdir("/dev"))
}
print(json.dumps({"code": done.returncode, "stdout": done.stdout, "stderr": done.stderr,
                  "dev": kinds}))
"""


def _in_namespace(*args: str) -> dict[str, object]:
    """Return the exit code, output and the kinds of the files in ``/dev`` after running the
    command ``args`` in a mount namespace of its own."""
    done = subprocess.run(
        ["unshare", "-m", "--propagation", "private", sys.executable, "-c", IN_NAMESPACE, *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"no private mount namespace here: {done.stderr.strip()}", pytrace=False)
    result: dict[str, object] = json.loads(done.stdout)
    return result


# the kinds of /dev's files as the namespace makes them: two character devices and a link
DEVICES = {"full": "c", "null": "c", "stdout": "l"}


@pytest.fixture(scope="module")
def map_option(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Return the options of an embedded map holding the seed."""
    map_path = tmp_path_factory.mktemp("map") / "map.json"
    subprocess.run([DATAFLYT, "load", "--map", map_path, SEED], check=True, capture_output=True)
    return ["--map", str(map_path)]


@pytest.mark.parametrize("command", COMMANDS)
def test_dev_null_stays_a_device(command: str, map_option: list[str]) -> None:
    done = _in_namespace(str(DATAFLYT), *COMMANDS[command], *map_option, "-o", "/dev/null")
    assert done["code"] == 0, done["stderr"]
    assert done["dev"] == DEVICES
    assert "Wrote /dev/null" in f"{done['stdout']}{done['stderr']}"


@pytest.mark.parametrize("command", COMMANDS)
def test_dev_full_fails_in_one_line(command: str, map_option: list[str]) -> None:
    done = _in_namespace(str(DATAFLYT), *COMMANDS[command], *map_option, "-o", "/dev/full")
    assert done["code"] == 1
    assert done["stderr"] == ("dataflyt: error: /dev/full: cannot write: No space left on device\n")
    assert "Wrote" not in str(done["stdout"])
    assert done["dev"] == DEVICES


@pytest.mark.parametrize("command", COMMANDS)
def test_dev_stdout_writes_to_standard_output(command: str, map_option: list[str]) -> None:
    done = _in_namespace(str(DATAFLYT), *COMMANDS[command], *map_option, "-o", "/dev/stdout")
    assert done["code"] == 0, done["stderr"]
    assert done["dev"] == DEVICES
    assert "Mobilt Opptak" in str(done["stdout"])


def test_dash_stays_standard_output(map_option: list[str]) -> None:
    done = _in_namespace(str(DATAFLYT), *COMMANDS["diagram"], *map_option, "-o", "-")
    assert done["code"] == 0, done["stderr"]
    assert str(done["stdout"]).startswith("digraph dataflyt {")
    assert done["dev"] == DEVICES


def test_a_fifo_is_written_to_its_reader(tmp_path: Path, map_option: list[str]) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", fifo], stdout=subprocess.PIPE)
    try:
        done = subprocess.run(
            [DATAFLYT, *COMMANDS["diagram"], *map_option, "-o", fifo],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        received, _ = reader.communicate(timeout=10)
    finally:  # a reader nobody writes to would wait for ever
        reader.kill()
        reader.wait()
    assert done.returncode == 0, done.stderr
    assert received.startswith(b"digraph dataflyt {")
    assert fifo.is_fifo()
