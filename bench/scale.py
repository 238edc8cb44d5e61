"""How scan time and memory grow with the corpus (1k → 10k → 100k articles), and how fast the
index answers a query once it holds the largest corpus.

The corpora come from bench/families_corpus.py with ``fresh=True`` and about 600 words per article
(``scale=1.6``): the same families and operations as the accuracy benchmark, from text that is
not re-drawn (spliced from real sentences; reused real paraphrase pairs disguised), so that
unrelated articles do not share more text as the corpus grows, as in a real crawl. Pairwise
scores are printed as well. Each run is a fresh child process (wall time, peak memory).

Run: python bench/scale.py [--docs 1000 --docs 10000 --docs 100000] [--index-docs 100000]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from families_corpus import build
from families_eval import datasketch_families, measured, score, wiretrace_families

from wiretrace import Document

SCALE = 1.6  # sentences per article x: about 600 words


def _index_build_and_query(n: int, queries: int) -> list[set[str]]:
    """Runs in the child: add ``n`` articles in batches of 10,000, then time queries.

    To fill the index in minutes rather than hours, the adds here skip verifying their candidate
    pairs (the stored documents, sentence keys, bands and vectors, all that a query searches,
    are stored as usual; only the edges between stored articles are missing, and a query does
    not read them). The queries run the whole query path, verification included (a fresh open).
    """
    from wiretrace.index import Index

    docs = build(n, seed=3, scale=SCALE, fresh=True)
    held_out = build(n + queries, seed=3, scale=SCALE, fresh=True)[
        n:
    ]  # articles not in the index: new copies and others
    with tempfile.TemporaryDirectory() as folder:
        with Index.open(Path(folder) / "ix", create=True) as index:
            index._verify = lambda pairs, prepared, progress: []  # type: ignore[method-assign]
            for first in range(0, n, 10_000):
                start = time.perf_counter()
                index.add([Document(d.id, d.text) for d in docs[first : first + 10_000]])
                print(
                    f"  index add {first + 10_000:>7,}: {time.perf_counter() - start:.1f} s",
                    flush=True,
                )
        with Index.open(Path(folder) / "ix") as index:  # a fresh open, as a new process would
            start = time.perf_counter()
            index.query(Document("warm-up", held_out[0].text))  # loads models and the search
            first_query = time.perf_counter() - start
            times = []
            for d in held_out[1:]:
                start = time.perf_counter()
                index.query(Document(d.id, d.text))
                times.append(time.perf_counter() - start)
        # What a person typing `wiretrace index query` waits for: a new process each time.
        cli = []
        for d in held_out[1:4]:
            article = Path(folder) / f"{d.id}.txt"
            article.write_text(d.text, encoding="utf-8")
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "wiretrace", "index", "query", str(Path(folder) / "ix"),
                 str(article), "--format", "json"],
                check=True, capture_output=True,
            )  # fmt: skip
            cli.append(time.perf_counter() - start)
    print(
        f"\nindex of {n:,} articles: first query {first_query:.2f} s (loads the models and the "
        f"vector search); then median {statistics.median(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms over {len(times)} queries; "
        f"`wiretrace index query` as a new process: {', '.join(f'{t:.2f}' for t in cli)} s",
        flush=True,
    )
    return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, action="append", help="corpus sizes to scan")
    parser.add_argument(
        "--index-docs", type=int, help="also build an index this large and query it"
    )
    parser.add_argument(
        "--lexical", action="store_true", help="also time --lexical-only and datasketch"
    )
    args = parser.parse_args()
    print(
        f"# Scale, {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores\n\n"
        "| articles | words (mean) | system | seconds | peak MB | P | R | ARI |\n"
        "|---|---|---|---|---|---|---|---|",
        flush=True,
    )
    for n in args.docs or []:
        docs = build(n, scale=SCALE, fresh=True)
        words = sum(len(d.text.split()) for d in docs) / len(docs)
        systems = [("wiretrace", partial(wiretrace_families, docs, semantic=True))]
        if args.lexical:
            systems += [
                ("wiretrace --lexical-only", partial(wiretrace_families, docs, semantic=False)),
                ("datasketch MinHash LSH (0.5)", partial(datasketch_families, docs)),
            ]
        for name, run in systems:
            seconds, peak, predicted = measured(run)
            s = score(docs, predicted)
            print(
                f"| {n:,} | {words:.0f} | {name} | {seconds:.0f} | {peak:.0f} | "
                f"{s['precision']:.3f} | {s['recall']:.3f} | {s['ari']:.3f} |",
                flush=True,
            )
    if args.index_docs:
        measured(partial(_index_build_and_query, args.index_docs, 21))


if __name__ == "__main__":
    main()
