"""A real run on a 1 GB JSON Lines corpus: does a local scan finish, how long, how much memory?

Writes articles from bench/families_corpus.py (about 600 words each; past ~20,000 articles its
real sentences are drawn again) until the file reaches the size asked, then runs the CLI on it as
a user would, under /usr/bin/time for wall time and peak memory.

Run: python bench/huge_input.py [--gigabytes 1.0] [--lexical-only] [--keep FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from families_corpus import build


def write_corpus(path: Path, size: int) -> int:
    """Articles until ``size`` bytes; how many were written."""
    written = batch = 0
    with path.open("w", encoding="utf-8") as handle:
        while handle.tell() < size:
            for doc in build(20_000, seed=100 + batch, scale=1.6):
                record = {"id": f"b{batch:03d}-{doc.id}", "text": doc.text}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += 1
                if handle.tell() >= size:
                    break
            batch += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigabytes", type=float, default=1.0)
    parser.add_argument("--lexical-only", action="store_true")
    parser.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        corpus = args.keep or Path(folder) / "corpus.jsonl"
        start = time.perf_counter()
        articles = write_corpus(corpus, int(args.gigabytes * 1e9))
        print(
            f"# {corpus.stat().st_size / 1e9:.2f} GB, {articles:,} articles, written in "
            f"{time.perf_counter() - start:.0f} s ({time.strftime('%Y-%m-%d')}, "
            f"{platform.machine()}, {os.cpu_count()} cores)",
            flush=True,
        )
        command = [sys.executable, "-m", "wiretrace", "scan", str(corpus), "-f", "json"]
        command += ["-o", str(Path(folder) / "families.json")]
        if args.lexical_only:
            command.append("--lexical-only")
        timed = subprocess.run(
            ["/usr/bin/time", "-f", "%e s wall, %M KB peak", *command],
            capture_output=True,
            text=True,
        )
        print(f"exit code {timed.returncode}; {timed.stderr.strip().splitlines()[-1]}")
        if timed.returncode == 0:
            result = json.loads((Path(folder) / "families.json").read_text())
            print(f"{len(result['families']):,} families; stages {result.get('stages')}")
        else:
            print(timed.stderr[-2000:])


if __name__ == "__main__":
    main()
