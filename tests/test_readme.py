"""The README's code blocks run as pasted from the repository root.

``sh`` blocks: every line is a command; `make` and `pip` lines set the project up (the test suite
itself runs inside that set-up, so they are not run again), every other line is run and must
succeed. ``python`` blocks are run whole. ``text`` blocks are output, not code. A block of any
other kind is an error: nothing in the README goes unchecked by accident.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SETUP = ("make ", "pip ")
_BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in _BLOCK.finditer(README.read_text(encoding="utf-8"))]


def _environment() -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}


def test_every_block_is_of_a_kind_the_test_knows() -> None:
    kinds = {kind for kind, _ in blocks()}
    assert kinds <= {"sh", "python", "text"}, kinds
    assert "sh" in kinds and "python" in kinds


SH_LINES = [
    line.split("#")[0].strip()
    for kind, body in blocks()
    if kind == "sh"
    for line in body.splitlines()
    if line.split("#")[0].strip()
]


def test_shell_lines_run_in_order() -> None:
    """In the README's order, as a reader pastes them (the index query needs the index added)."""
    shutil.rmtree("/tmp/wiretrace-example-index", ignore_errors=True)
    for line in (line for line in SH_LINES if not line.startswith(SETUP)):
        done = subprocess.run(
            line, shell=True, cwd=ROOT, env=_environment(), capture_output=True, text=True,
            timeout=600,
        )  # fmt: skip
        assert done.returncode == 0, f"{line}: {done.stderr[-2000:]}"
        assert done.stdout.strip(), line


def test_only_set_up_lines_are_skipped() -> None:
    skipped = [line for line in SH_LINES if line.startswith(SETUP)]
    assert skipped and all(line.split()[0] in ("make", "pip") for line in skipped)


@pytest.mark.parametrize("code", [body for kind, body in blocks() if kind == "python"])
def test_python_blocks_run(code: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
