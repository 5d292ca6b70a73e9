"""dataflyt used as a library changes nothing process-wide: importing any of its modules,
loading documents and answering a query leave the environment and Python's garbage collector
as they were (the CLI's entry point alone sets what it wants for its own process)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import SEED

PROBE = """
import gc, importlib, json, os, pkgutil, sys
from pathlib import Path
import dataflyt

before = (dict(os.environ), gc.isenabled(), gc.get_threshold(), gc.get_freeze_count())
names = [m.name for m in pkgutil.walk_packages(dataflyt.__path__, "dataflyt.")]
for name in names:
    importlib.import_module(name)
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.ingest.load import load_files
from dataflyt.queries.breach import breach

store = EmbeddedStore(Path(sys.argv[1]))
load_files(store, [Path(sys.argv[2])])
breach(store, "Link Mobility")
after = (dict(os.environ), gc.isenabled(), gc.get_threshold(), gc.get_freeze_count())
print(json.dumps({"modules": len(names), "same": before == after}))
"""


def test_the_library_changes_nothing_process_wide(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "map.json"), str(SEED)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["modules"] > 50
    assert found["same"] is True
