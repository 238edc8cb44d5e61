"""Local engine against Spark ``local[2]`` on the same corpus (bench/families_corpus.py), and a
per-stage cost table to estimate a cluster run.

On two cores Spark loses (start-up, serialisation, shuffles): the point is that every stage is a
distributed operation that scales out. Run: python bench/spark_speed.py [--docs 1000] [--docs 10000]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from families_corpus import build

from wiretrace import Document
from wiretrace.engines.local import scan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, action="append")
    args = parser.parse_args()
    from wiretrace.engines.spark import frame_of, scan_spark, session

    print(
        f"# local vs Spark local[2], {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores\n"
    )
    print(
        "| documents | engine | total s | prepare | candidates | verify | families | same families |"
    )
    print("|---|---|---|---|---|---|---|---|")
    start = time.perf_counter()
    spark = session("local[2]")
    started = time.perf_counter() - start
    for n in args.docs or [1000]:
        docs = [Document(d.id, d.text) for d in build(n)]
        t = time.perf_counter()
        local = scan(docs)
        local_s = time.perf_counter() - t
        t = time.perf_counter()
        distributed = scan_spark(spark, frame_of(spark, docs, 8), partitions=8)
        spark_s = time.perf_counter() - t
        same = distributed.to_dict()["families"] == local.to_dict()["families"]
        for name, seconds, result in (("local", local_s, local), ("spark", spark_s, distributed)):
            st = result.seconds
            print(
                f"| {n} | {name} | {seconds:.1f} | {st.get('prepare', 0):.1f} | {st.get('candidates', 0):.1f} | "
                f"{st.get('verify', 0):.1f} | {st.get('families', 0):.1f} | {same} |",
                flush=True,
            )
    print(f"\nSpark session start-up: {started:.1f} s")
    spark.stop()


if __name__ == "__main__":
    main()
