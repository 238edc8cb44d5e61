"""Golden outputs: what wiretrace prints for the seeds and the test articles, checked in.

Any drift in spans, labels, similarities or wording shows as a failing test here and as a diff in
review. When a change is meant to alter the output, regenerate them and read the diff:
``.venv/bin/python tests/golden/regenerate.py && git diff tests/golden``.
"""

from __future__ import annotations

import difflib
import importlib.util
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"


def _regenerate_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("golden_regenerate", GOLDEN / "regenerate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["golden_regenerate"] = module
    spec.loader.exec_module(module)
    return module


REGENERATE = _regenerate_module()


@pytest.mark.parametrize(
    ("name", "arguments"), REGENERATE.GOLDENS, ids=[g[0] for g in REGENERATE.GOLDENS]
)
def test_output_equals_the_golden_file(name: str, arguments: list[str]) -> None:
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    actual = REGENERATE.run(arguments)
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                f"golden/{name}",
                "now",
                n=1,
            )
        )
        pytest.fail(
            f"{name} differs from the golden output (first 60 lines of the diff below); if the "
            f"change is intended, run tests/golden/regenerate.py and review `git diff`:\n"
            + "".join(diff.splitlines(keepends=True)[:60])
        )
