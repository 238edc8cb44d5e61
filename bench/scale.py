"""How scan time and memory grow with the corpus (1k → 10k → 100k articles), and how fast the
index answers a query once it holds the largest corpus.

The corpora come from bench/families_corpus.py with ``fresh=True`` and about 600 words per article
(``scale=1.6``): the same families and operations as the accuracy benchmark, from text that is
not re-drawn (spliced from real sentences; reused real paraphrase pairs disguised), so that
unrelated articles do not share more text as the corpus grows, as in a real crawl. Pairwise
scores are printed as well. Each run is a fresh child process (wall time; peak memory of it and
its worker processes together).

Run: python bench/scale.py [--docs 1000 --docs 10000 --docs 100000] [--lexical] [--skip-full]
[--index-docs 100000 [--index-folder DIR]]
"""

from __future__ import annotations

import argparse
import contextlib
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


def _index_build_and_query(
    n: int, queries: int, adds: int = 1000, kept: Path | None = None
) -> list[set[str]]:
    """Runs in the child: fill an index with ``n`` articles, time queries, then one real add.

    To fill the index in minutes rather than hours, the fill skips finding and verifying pairs
    between the articles it stores (documents, sentence keys, bands, vectors and the search
    cache, all that a query reads, are stored as usual; only edges and families are missing).
    The queries then run the whole query path on a fresh open, verification included, and so
    does the add of ``adds`` new articles that follows (candidates against all stored ones).

    ``kept``: build the index in this folder and keep it; when it already holds the ``n``
    articles, skip the fill and query it again (its add then finds the new articles there).
    """
    with contextlib.nullcontext(str(kept)) if kept else tempfile.TemporaryDirectory() as folder:
        return _build_and_query_in(Path(folder), n, queries, adds)


def _build_and_query_in(folder: Path, n: int, queries: int, adds: int) -> list[set[str]]:
    from wiretrace.store.index import Index

    everything = build(n + queries + adds, seed=3, scale=SCALE, fresh=True)
    docs, held_out, extra = everything[:n], everything[n : n + queries], everything[n + queries :]
    filled = (folder / "ix").exists()
    if filled:
        with Index.open(folder / "ix") as index:
            filled = index.count() >= n
    if not filled:
        with Index.open(folder / "ix", create=True) as index:
            index._candidates = lambda *args, **kwargs: set()  # type: ignore[method-assign]
            start = time.perf_counter()
            for first in range(0, n, 10_000):
                index.add([Document(d.id, d.text) for d in docs[first : first + 10_000]])
            print(f"  fill, {n:,} articles: {time.perf_counter() - start:.0f} s", flush=True)
    else:
        print(f"  fill: none, {folder / 'ix'} holds the {n:,} articles already", flush=True)
    size = sum(f.stat().st_size for f in (folder / "ix").iterdir())
    with Index.open(folder / "ix") as index:  # a fresh open, as a new process would
        start = time.perf_counter()
        index.query(Document("warm-up", held_out[0].text))  # loads models and the search
        first_query = time.perf_counter() - start
        times = []
        for d in held_out[1:]:
            start = time.perf_counter()
            index.query(Document(d.id, d.text))
            times.append(time.perf_counter() - start)
        start = time.perf_counter()
        report = index.add([Document(d.id, d.text) for d in extra])
        add_seconds = time.perf_counter() - start
    # What a person typing `wiretrace index query` waits for: a new process each time.
    cli = []
    for d in held_out[1:4]:
        article = folder / f"{d.id}.txt"
        article.write_text(d.text, encoding="utf-8")
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "wiretrace", "index", "query", str(folder / "ix"),
             str(article), "--format", "json"],
            check=True, capture_output=True,
        )  # fmt: skip
        cli.append(time.perf_counter() - start)
    print(
        f"\nindex of {n:,} articles ({size / 1e9:.1f} GB on disk): first query {first_query:.2f} s "
        f"(loads the models and maps the vector search); then median "
        f"{statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms over "
        f"{len(times)} queries; `wiretrace index query` as a new process: "
        f"{', '.join(f'{t:.2f}' for t in cli)} s; adding {adds:,} more articles (candidates "
        f"among all stored, verified): {add_seconds:.0f} s, {report.edges:,} edges",
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
        "--index-folder",
        type=Path,
        help="build the index here and keep it (a temporary folder otherwise); "
        "when it holds the articles already, query it again without filling it",
    )
    parser.add_argument(
        "--lexical", action="store_true", help="also time --lexical-only and datasketch"
    )
    parser.add_argument(
        "--skip-full", action="store_true", help="leave out wiretrace with its semantic stage"
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
        systems = []
        if not args.skip_full:
            systems.append(
                ("wiretrace", partial(wiretrace_families, docs, semantic=True, show_stages=True))
            )
        if args.lexical:
            systems += [
                (
                    "wiretrace --lexical-only",
                    partial(wiretrace_families, docs, semantic=False, show_stages=True),
                ),
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
        measured(partial(_index_build_and_query, args.index_docs, 21, kept=args.index_folder))


if __name__ == "__main__":
    main()
