"""The command line as a user runs it: real processes, real files, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import SEED_A, SEED_B, SEEDS

WIRETRACE = [sys.executable, "-m", "wiretrace"]


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*WIRETRACE, *args],
        input=stdin.decode() if stdin else None,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_compare_text_report_leads_with_the_verdict() -> None:
    done = run("compare", str(SEED_A), str(SEED_B))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "DERIVED: paraphrased (spun) copy" in lines[1]
    assert "B is a paraphrased (spun) copy of A" in done.stdout
    assert "only in A" in done.stdout and "only in B" in done.stdout


def test_compare_json_to_file_equals_the_api(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    done = run("compare", str(SEED_A), str(SEED_B), "--format", "json", "-o", str(out))
    assert done.returncode == 0 and done.stdout == ""
    from wiretrace import compare, read_document

    expected = compare(read_document(SEED_A), read_document(SEED_B)).to_dict()
    assert json.loads(out.read_text(encoding="utf-8")) == expected


def test_standard_input_is_read() -> None:
    done = run("compare", str(SEED_A), "-", "--format", "json", stdin=SEED_B.read_bytes())
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["b"]["id"] == "stdin" and payload["verdict"]["derived"]


def test_cp1252_input_gets_a_notice_and_still_works(tmp_path: Path) -> None:
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(SEED_B.read_text(encoding="utf-8").encode("cp1252"))
    done = run("compare", str(SEED_A), str(legacy), "-f", "json")
    assert done.returncode == 0
    assert "cp1252" in done.stderr
    assert json.loads(done.stdout)["verdict"]["relation"] == "paraphrased_copy"


def _empty(tmp: Path) -> Path:
    (tmp / "empty.txt").write_text("")
    return tmp / "empty.txt"


def _binary(tmp: Path) -> Path:
    (tmp / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" * 50)
    return tmp / "photo.jpg"


BAD_INPUTS = [
    pytest.param(lambda tmp: ["compare", str(SEED_A)], "missing argument B", id="missing B"),
    pytest.param(
        lambda tmp: ["compare", str(SEED_A), str(tmp / "missing.txt")],
        "no such file",
        id="missing file",
    ),
    pytest.param(lambda tmp: ["compare", str(SEED_A), str(_empty(tmp))], "empty", id="empty"),
    pytest.param(lambda tmp: ["compare", str(SEED_A), str(_binary(tmp))], "binary", id="binary"),
    pytest.param(lambda tmp: ["compare", str(SEEDS), str(SEED_A)], "directory", id="directory"),
    pytest.param(
        lambda tmp: ["compare", str(SEED_A), str(SEED_B), "--format", "xml"], "xml", id="format"
    ),
    pytest.param(
        lambda tmp: ["compare", str(SEED_A), str(SEED_B), "-o", str(tmp / "no" / "x.json")],
        "does not exist",
        id="output folder",
    ),
    pytest.param(lambda tmp: ["nosuchcommand"], "no command", id="unknown command"),
]


@pytest.mark.parametrize(("arguments", "message"), BAD_INPUTS)
def test_bad_input_is_one_line_and_exit_code_2(
    tmp_path: Path, arguments: Callable[[Path], list[str]], message: str
) -> None:
    done = run(*arguments(tmp_path))
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("wiretrace: error:") and message in lines[0]
    assert "Traceback" not in done.stderr


def test_help_teaches_and_version() -> None:
    done = run("compare", "--help")
    assert done.returncode == 0 and "Examples" in done.stdout and "--format" in done.stdout
    assert run("--version").stdout.startswith("wiretrace ")


def test_every_command_is_documented() -> None:
    """Each command in the command-line reference, and each top-level one in the README."""
    from wiretrace.cli import build_parser

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    reference = (root / "docs" / "command-line.md").read_text(encoding="utf-8")
    names = []
    for action in build_parser()._subparsers._group_actions:  # type: ignore[union-attr]
        for name, sub in action.choices.items():
            nested = [a for a in sub._actions if a.dest == "index_command"]
            names += [f"{name} {n}" for a in nested for n in a.choices] or [name]
            assert f"**{name}**" in readme, f"wiretrace {name} is not in the README"
    assert "index add" in names and "compare" in names
    for name in names:
        assert f"`wiretrace {name} " in reference, (
            f"wiretrace {name} is not in docs/command-line.md"
        )


def test_a_model_to_build_without_the_build_extra_is_one_clear_line(tmp_path: Path) -> None:
    """An empty cache and no torch (as after a plain `pip install .`): one line naming the extra."""
    script = (
        "import sys; sys.modules['torch'] = None; sys.modules['onnx'] = None\n"
        "from wiretrace.cli import main\n"
        f"main(['compare', {str(SEED_A)!r}, {str(SEED_B)!r}])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "WIRETRACE_CACHE": str(tmp_path / "cache")},
        timeout=300,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'wiretrace[build]'" in lines[0], done.stderr


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["compare"],
        ["collate"],
        ["scan"],
        ["index"],
        ["index", "add"],
        ["index", "query"],
        ["index", "families"],
        ["serve"],
    ],
    ids=lambda c: " ".join(c) or "wiretrace",
)
def test_help_reads_like_a_manual(command: list[str]) -> None:
    """Every command's help: no type placeholders, no lost brackets, an example, and each option
    explained in words."""
    done = run(*command, "--help")
    assert done.returncode == 0 and done.stderr == ""
    text = done.stdout
    for placeholder in ("<bool>", "<list", "<int", "<str", "[x>=", "{A}", "{B}", "<path>"):
        assert placeholder not in text, placeholder
    assert "Example" in text
    if command == ["serve"]:
        assert "wiretrace[web]" in text
    if command and command[-1] in ("compare", "collate", "scan"):
        assert "html" in text and "--format" in text and "--output" in text
