"""Speed and memory of ``wiretrace collate`` beside CollateX, as whole processes, on the same versions.

Versions are made from real articles by bench/versions.py (copies, trims, drops, swaps, local
paragraphs, substitutions, light rewording). Each run is a fresh process measured with
/usr/bin/time (wall seconds, peak resident memory). CollateX: collate(..., output="json",
segmentation=False), the PyPI package, with a time limit.
Run: python bench/collate_speed.py [--skip-collatex] [--scaling]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from versions import make_versions

COLLATEX = """
import sys
from pathlib import Path
from collatex import Collation, collate
c = Collation()
for p in sorted(Path(sys.argv[1]).glob("*.txt")):
    c.add_plain_witness(p.stem, p.read_text(encoding="utf-8"))
collate(c, output="json", segmentation=False)
"""


def measure(command: list[str], timeout: float) -> tuple[float | None, float | None]:
    try:
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%e %M", *command],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None, None
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    seconds, kbytes = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kbytes) / 1024


def write(folder: Path, versions: list[tuple[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in versions:
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")


def fmt(seconds: float | None, mb: float | None) -> str:
    return "timeout" if seconds is None else f"{seconds:.1f} s, {mb:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-collatex", action="store_true")
    parser.add_argument("--scaling", action="store_true", help="also 5, 10, 20, 50 versions")
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    wiretrace = [sys.executable, "-m", "wiretrace", "collate", "--format", "json", "-o", os.devnull]
    compare = [sys.executable, "-m", "wiretrace", "compare", "--format", "json", "-o", os.devnull]
    print(
        f"# collate speed, {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores\n"
    )
    print("| versions × words | wiretrace | CollateX | CollateX / wiretrace |")
    print("|---|---|---|---|")
    # (versions, words, wiretrace command): two versions are also compared with `compare`, the
    # command a user runs on a pair.
    cases = [
        (6, 300, "collate"),
        (6, 1000, "collate"),
        (20, 600, "collate"),
        (2, 1000, "compare"),
        (2, 4000, "collate"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for n, words, command in cases:
            folder = Path(tmp) / f"{n}x{words}"
            write(folder, make_versions(n, words))
            if command == "compare":
                pair = sorted(str(p) for p in folder.glob("*.txt"))
                ours = measure([*compare, *pair], args.timeout)
            else:
                ours = measure([*wiretrace, str(folder)], args.timeout)
            theirs = (
                (None, None)
                if args.skip_collatex
                else measure([sys.executable, "-c", COLLATEX, str(folder)], args.timeout)
            )
            ratio = (
                f"{theirs[0] / ours[0]:.0f}x"
                if theirs[0] and ours[0]
                else ("-" if args.skip_collatex else f"> {args.timeout / ours[0]:.0f}x")
            )
            print(
                f"| {n} × {words} ({command}) | {fmt(*ours)} | "
                f"{'not run' if args.skip_collatex else fmt(*theirs)} | {ratio} |",
                flush=True,
            )
        if args.scaling:
            print("\n| versions (600 words each) | wiretrace | per version |")
            print("|---|---|---|")
            for n in (5, 10, 20, 50):
                folder = Path(tmp) / f"scale{n}"
                write(folder, make_versions(n, 600))
                seconds, mb = measure([*wiretrace, str(folder)], args.timeout)
                assert seconds is not None
                print(f"| {n} | {fmt(seconds, mb)} | {seconds / n:.2f} s |", flush=True)


if __name__ == "__main__":
    main()
