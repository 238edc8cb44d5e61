"""Regenerate the golden outputs: what wiretrace prints for the seeds and the test articles.

Run from the repository root after a change that is meant to alter the output, then read the
diff (``git diff tests/golden``) before committing it: every changed span, label or similarity
shows there.

    .venv/bin/python tests/golden/regenerate.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SEEDS = ROOT.parent / "shared" / "examples" / "seeds"
ARTICLES = ROOT / "tests" / "articles"
SEED_A = SEEDS / "000_a59e668317105786.txt"
SEED_B = SEEDS / "001_53f5005e8be909a9.txt"

#: (golden file, wiretrace arguments)
GOLDENS: list[tuple[str, list[str]]] = [
    ("seeds.compare.json", ["compare", str(SEED_A), str(SEED_B), "--format", "json"]),
    ("seeds.compare.txt", ["compare", str(SEED_A), str(SEED_B)]),
    (
        "strike.collate.json",
        [
            "collate",
            str(ARTICLES / "strike_original.txt"),
            str(ARTICLES / "strike_faithful_copy.txt"),
            str(ARTICLES / "strike_loaded_copy.txt"),
            "--format",
            "json",
        ],
    ),
    ("articles.scan.json", ["scan", str(ARTICLES), "--format", "json"]),
]


def run(arguments: list[str]) -> str:
    """What ``wiretrace ARGUMENTS`` prints, piped (plain text at a fixed width)."""
    done = subprocess.run(
        [sys.executable, "-m", "wiretrace", *arguments],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return done.stdout


def main() -> None:
    for name, arguments in GOLDENS:
        (HERE / name).write_text(run(arguments), encoding="utf-8")
        print(f"wrote tests/golden/{name}")


if __name__ == "__main__":
    main()
