"""Speed of ``wiretrace compare`` beside what users would otherwise run, on the same pairs.

Whole processes (interpreter start, imports and model load included), median of several runs:
  * wiretrace compare A B --format json
  * CollateX (PyPI ``collatex``): collate(..., output="json", segmentation=False)
  * difflib: SequenceMatcher over the two word lists (no model, no semantics; a floor, not a rival)
In-process: wiretrace's start-up (import + encoder load) and the per-pair time once loaded.

Pairs: the two seed articles (a spun copy: ~700 and ~600 words) and the longest IteraTeR revision
pair (~980 words, a lightly revised Wikipedia article). Run: python bench/speed.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "examples" / "seeds"
ITERATER_ID = "dev-23-51488038-1"
#: The four longest IteraTeR revision pairs end to end: a ~4,000-word pair.
LARGE_IDS = [
    "train-385-29326123-1",
    "train-362-21045681-2",
    "train-395-33653387-2",
    "dev-23-51488038-1",
]

COLLATEX = """
import sys
from collatex import Collation, collate
c = Collation()
c.add_plain_witness("A", open(sys.argv[1], encoding="utf-8").read())
c.add_plain_witness("B", open(sys.argv[2], encoding="utf-8").read())
collate(c, output="json", segmentation=False)
"""
DIFFLIB = """
import sys, difflib
a = open(sys.argv[1], encoding="utf-8").read().split()
b = open(sys.argv[2], encoding="utf-8").read().split()
list(difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes())
"""


def pairs(tmp: Path, large: bool) -> list[tuple[str, Path, Path]]:
    out = [
        (
            "seeds (spun copy)",
            SEEDS / "000_a59e668317105786.txt",
            SEEDS / "001_53f5005e8be909a9.txt",
        )
    ]
    with (SHARED / "data" / "iterater-human-train-dev.jsonl").open(encoding="utf-8") as f:
        row = next(r for r in map(json.loads, f) if r["id"] == ITERATER_ID)
    a, b = tmp / "iterater_a.txt", tmp / "iterater_b.txt"
    a.write_text(row["text_a"], encoding="utf-8")
    b.write_text(row["text_b"], encoding="utf-8")
    out.append(("IteraTeR revision", a, b))
    if large:
        with (SHARED / "data" / "iterater-human-train-dev.jsonl").open(encoding="utf-8") as f:
            rows = {r["id"]: r for r in map(json.loads, f) if r["id"] in LARGE_IDS}
        a, b = tmp / "large_a.txt", tmp / "large_b.txt"
        a.write_text("\n\n".join(rows[i]["text_a"] for i in LARGE_IDS), encoding="utf-8")
        b.write_text("\n\n".join(rows[i]["text_b"] for i in LARGE_IDS), encoding="utf-8")
        out.append(("4 IteraTeR revisions end to end", a, b))
    return out


def timed(command: list[str], runs: int, timeout: float) -> float | None:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def words(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--collatex-runs", type=int, default=1)
    parser.add_argument(
        "--large", action="store_true", help="add a ~4,000-word pair (CollateX: minutes, GBs)"
    )
    args = parser.parse_args()
    wiretrace = [sys.executable, "-m", "wiretrace", "compare"]

    # Start-up and per-pair cost inside one process.
    start = time.perf_counter()
    from wiretrace import Comparer, read_document
    from wiretrace.models.embed import CachedEncoder, default_encoder

    encoder = default_encoder()
    encoder.encode(["warm up"])
    comparer = Comparer(encoder=encoder)
    startup = time.perf_counter() - start

    print(
        f"# compare speed, {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}\n"
    )
    print(f"wiretrace start-up in process (import + encoder load): {startup:.2f} s\n")
    print(
        "| pair | words A/B | wiretrace (process) | wiretrace (in process, per pair) | CollateX (process) | difflib (process) | CollateX / wiretrace |"
    )
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, a, b in pairs(Path(tmp), args.large):
            doc_a, doc_b = read_document(a), read_document(b)
            comparer.compare(doc_a, doc_b)
            inproc = []
            for _ in range(10):
                t = time.perf_counter()
                # A fresh sentence cache each time: every sentence is embedded again.
                Comparer(encoder=CachedEncoder(comparer.encoder.inner)).compare(doc_a, doc_b)
                inproc.append(time.perf_counter() - t)
            ours = timed([*wiretrace, str(a), str(b), "--format", "json"], args.runs, 600)
            theirs = timed(
                [sys.executable, "-c", COLLATEX, str(a), str(b)], args.collatex_runs, 1800
            )
            floor = timed([sys.executable, "-c", DIFFLIB, str(a), str(b)], args.runs, 600)
            ratio = f"{theirs / ours:.0f}x" if theirs and ours else "n/a"
            print(
                f"| {name} | {words(a)}/{words(b)} | {ours:.2f} s | {statistics.median(inproc) * 1000:.0f} ms "
                f"| {theirs:.1f} s | {floor:.2f} s | {ratio} |"
                if theirs
                else f"| {name} | {words(a)}/{words(b)} | {ours:.2f} s | - | timeout | {floor:.2f} s | n/a |"
            )


if __name__ == "__main__":
    main()
