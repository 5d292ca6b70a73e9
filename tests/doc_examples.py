"""The console examples of README.md and docs/*.md, as the documentation tests run them.

An example is a fenced block marked ``console``: lines starting with ``$ `` are commands, the
lines after each are what it prints (standard output and error, as a terminal shows them).
Every block runs in a fresh folder whose map (``DATAFLYT_MAP``) already holds the bundled
examples, unless the block loads documents itself first; tables are laid out 140 columns
wide. ``python -m tests.regenerate_doc_examples`` writes the current outputs into the files
(review the diff like code).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dataflyt.examples import example_paths

__all__ = ["DOCUMENTS", "Example", "examples", "run", "with_outputs"]

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_BLOCK = re.compile(r"^```console\n(.*?)^```\n", re.M | re.S)
WIDTH = "140"


@dataclass(frozen=True)
class Example:
    """One console block: its file, the line it starts on, and its commands with the output
    each is documented to print."""

    path: Path
    line: int
    steps: list[tuple[str, str]]
    span: tuple[int, int]

    @property
    def name(self) -> str:
        """Return where the block is, e.g. ``README.md:40``."""
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def examples(path: Path) -> list[Example]:
    """Return the console examples of the Markdown file ``path``."""
    text = path.read_text("utf-8")
    found = []
    for match in _BLOCK.finditer(text):
        steps: list[tuple[str, list[str]]] = []
        for line in match.group(1).splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif steps:
                steps[-1][1].append(line)
        line_number = text.count("\n", 0, match.start()) + 1
        found.append(
            Example(
                path,
                line_number,
                [(command, "\n".join(lines)) for command, lines in steps],
                match.span(1),
            )
        )
    return found


def _normalised(output: str, folder: Path) -> str:
    """Return ``output`` with the paths that differ between machines written the same way:
    the bundled examples' folder as ``dataflyt/examples``, the example's own folder as ``.``;
    trailing spaces dropped."""
    examples_folder = str(example_paths()[0].parent)
    text = output.replace(examples_folder, "dataflyt/examples").replace(str(folder), ".")
    return "\n".join(line.rstrip() for line in text.rstrip("\n").splitlines())


def run(example: Example) -> list[str]:
    """Return what each command of ``example`` prints now, run as the module docstring says."""
    with tempfile.TemporaryDirectory(prefix="dataflyt-doc-") as name:
        folder = Path(name)
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "DATAFLYT_MAP": str(folder / "dataflyt-map.json"),
            "COLUMNS": WIDTH,
            "NO_COLOR": "1",
        }
        env.pop("DATAFLYT_BACKEND", None)
        loads_first = bool(example.steps) and example.steps[0][0].startswith("dataflyt load")
        if not loads_first:
            # loaded from a copy by a relative path, as the map keeps the path it is given:
            # what the examples print then does not depend on where the checkout is
            subprocess.run(
                "mkdir -p dataflyt/examples && cp $(dataflyt examples) dataflyt/examples/ && "
                "dataflyt load -q dataflyt/examples/*.txt",
                shell=True,
                cwd=folder,
                env=env,
                check=True,
                capture_output=True,
            )
        outputs = []
        for command, _ in example.steps:
            done = subprocess.run(
                ["bash", "-c", f"{command} 2>&1"],
                cwd=folder,
                env=env,
                capture_output=True,
                text=True,
            )
            outputs.append(_normalised(done.stdout, folder))
        return outputs


def with_outputs(text: str, example: Example, outputs: list[str]) -> str:
    """Return the Markdown ``text`` with ``example``'s block holding ``outputs``."""
    lines = []
    for (command, _), output in zip(example.steps, outputs, strict=True):
        lines.append(f"$ {command}")
        if output:
            lines.append(output)
    start, end = example.span
    return text[:start] + "\n".join(lines) + "\n" + text[end:]
