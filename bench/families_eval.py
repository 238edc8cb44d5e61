"""Reprint-family accuracy and speed: wiretrace (with and without its semantic stage) beside the usual
lexical near-duplicate pipeline (datasketch MinHash + LSH), on the same labelled corpus.

The corpus is built by bench/families_corpus.py from real text (see its docstring). Reported:
pairwise precision / recall / F1 over document pairs (same family or not), adjusted Rand index,
recall per copy operation, how many hard negatives (same story, no shared text) were wrongly
joined to the family they resemble, and wall time and peak memory per system (each run in a fresh child process).
Run: python bench/families_eval.py [--docs 1000] [--docs 10000] [--skip-full]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from families_corpus import OPERATIONS, Doc, build

from wiretrace import Document


def components(pairs: set[tuple[str, str]], ids: list[str]) -> list[set[str]]:
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, set[str]] = defaultdict(set)
    for i in ids:
        groups[find(i)].add(i)
    return [g for g in groups.values() if len(g) > 1]


def datasketch_families(docs: list[Doc], threshold: float = 0.5) -> list[set[str]]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    hashes = {}
    for d in docs:
        words = [w.casefold() for w in d.text.split()]
        m = MinHash(num_perm=128, seed=1)
        m.update_batch([" ".join(words[i : i + 3]).encode() for i in range(max(1, len(words) - 2))])
        hashes[d.id] = m
        lsh.insert(d.id, m)
    pairs = {
        tuple(sorted((d.id, other)))
        for d in docs
        for other in lsh.query(hashes[d.id])
        if other != d.id
    }
    return components(pairs, [d.id for d in docs])  # type: ignore[arg-type]


def wiretrace_families(
    docs: list[Doc], semantic: bool, show_stages: bool = False
) -> list[set[str]]:
    from wiretrace.engines.local import scan
    from wiretrace.scan.stages import ScanConfig

    config = ScanConfig(lexical=not semantic)
    result = scan([Document(d.id, d.text) for d in docs], config)
    if show_stages:
        stages = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.seconds.items())
        mode = "full" if semantic else f"lexical, {config.processes} processes"
        print(f"  wiretrace ({mode}) stages: {stages}", flush=True)
    return [set(f.members) for f in result.families]


def score(docs: list[Doc], predicted: list[set[str]]) -> dict[str, float]:
    from sklearn.metrics import adjusted_rand_score

    gold_pairs = set()
    by_family: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        if d.family:
            by_family[d.family].append(d.id)
    for members in by_family.values():
        gold_pairs.update(combinations(sorted(members), 2))
    predicted_pairs = {p for group in predicted for p in combinations(sorted(group), 2)}
    tp = len(gold_pairs & predicted_pairs)
    precision = tp / max(len(predicted_pairs), 1)
    recall = tp / max(len(gold_pairs), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    primary: dict[str, str] = {}
    for k, group in enumerate(sorted(predicted, key=lambda g: (-len(g), sorted(g)))):
        for member in group:
            primary.setdefault(member, f"p{k}")
    gold_labels = [d.family or d.id for d in docs]
    predicted_labels = [primary.get(d.id, d.id) for d in docs]
    out = {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "ari": adjusted_rand_score(gold_labels, predicted_labels),
    }
    source = {d.family: d.id for d in docs if d.operation == "source"}
    for operation in OPERATIONS:
        copies = [d for d in docs if d.operation == operation and d.family in source]
        if copies:
            found = sum(
                1 for d in copies if tuple(sorted((source[d.family], d.id))) in predicted_pairs
            )  # type: ignore[index]
            out[f"recall:{operation}"] = found / len(copies)
    negatives = [d for d in docs if d.operation == "hard_negative" and d.mimics in source]
    if negatives:
        joined = sum(
            1
            for d in negatives
            if any(d.id in g and source[d.mimics] in g for g in predicted)  # type: ignore[index]
        )
        out["hard_negatives_joined"] = joined / len(negatives)
    return out


def _child(run: Callable[[], list[set[str]]], out: Any) -> None:
    sampler = _TreePeak()
    sampler.start()
    start = time.perf_counter()
    predicted = run()
    seconds = time.perf_counter() - start
    sampler.stop()
    out.send((seconds, max(_peak_mb(), sampler.peak_mb), predicted))


def _status_kb(field: str, pid: int | str = "self") -> int:
    """A memory line of /proc/<pid>/status in kB; 0 when the process has just ended."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def _peak_mb() -> float:
    """This process's own peak resident memory. Not ru_maxrss: Linux carries it across fork and
    exec, so a spawned child would report its parent's peak whenever that was higher."""
    peak = _status_kb("VmHWM")
    return peak / 1024 if peak else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _TreePeak:
    """The peak of this process's resident memory plus its child processes' (a scan's worker
    processes), sampled four times a second: what the machine must hold, not only the parent."""

    def __init__(self) -> None:
        import threading

        self.peak_mb = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._done.wait(0.25):
            pids = {os.getpid()}
            for task in Path("/proc/self/task").iterdir():  # each thread's children
                try:
                    pids.update(int(p) for p in (task / "children").read_text().split())
                except OSError:
                    continue
            self.peak_mb = max(self.peak_mb, sum(_status_kb("VmRSS", p) for p in pids) / 1024)


def measured(run: Callable[[], list[set[str]]]) -> tuple[float, float, list[set[str]]]:
    """Run one system in a fresh child process: its wall time and peak memory (with its workers)."""
    import multiprocessing

    # "spawn": the parent has run faiss (OpenMP threads), and a forked child would deadlock.
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(run, send))
    child.start()
    result = receive.recv()
    child.join()
    return result  # type: ignore[no-any-return]


def stage_recall(docs: list[Doc]) -> dict[str, float]:
    """Share of the gold (source, copy) pairs each candidate stage proposes on its own."""
    from wiretrace.models.static import default_static_encoder
    from wiretrace.scan.candidates import exact_pairs, minhash_pairs, semantic_pairs
    from wiretrace.scan.stages import ScanConfig, prepare

    config = ScanConfig()
    prepared = prepare([Document(d.id, d.text) for d in docs], config)
    stages = {
        "exact sentences": exact_pairs({p.doc.id: p.hashes for p in prepared}, config.candidates),
        "MinHash LSH": minhash_pairs({p.doc.id: p.bands for p in prepared}, config.candidates),
        "semantic (static vectors)": semantic_pairs(
            {p.doc.id: p.sentences for p in prepared}, default_static_encoder(), config.candidates
        ),
    }
    stages["all three"] = set().union(*stages.values())
    source = {d.family: d.id for d in docs if d.operation == "source"}
    gold = {
        tuple(sorted((source[d.family], d.id)))
        for d in docs
        if d.family in source and d.operation != "source"
    }
    return {name: len(gold & pairs) / max(len(gold), 1) for name, pairs in stages.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, action="append", help="corpus sizes (default 1000)")
    parser.add_argument(
        "--skip-full", action="store_true", help="skip wiretrace with the semantic stage"
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="sentences per article x (1.6: ~600 words)"
    )
    parser.add_argument(
        "--fresh", action="store_true", help="text that is not re-drawn (see families_corpus.py)"
    )
    args = parser.parse_args()
    sizes = args.docs or [1000]
    print(
        f"# Reprint families, {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores\n"
    )
    for n in sizes:
        docs = build(n, scale=args.scale, fresh=args.fresh)
        words = sum(len(d.text.split()) for d in docs) / len(docs)
        families = len({d.family for d in docs if d.family})
        corpus = "fresh text" if args.fresh else "re-drawn text"
        print(f"## {n} documents ({families} families, {words:.0f} words on average, {corpus})\n")
        print(
            "| system | seconds | peak MB | precision | recall | F1 | ARI | "
            + " | ".join(f"recall {o}" for o in OPERATIONS)
            + " | hard negatives joined |"
        )
        print("|---" * (8 + len(OPERATIONS)) + "|")
        systems = [
            ("datasketch MinHash LSH (0.5)", partial(datasketch_families, docs)),
            ("wiretrace --lexical-only", partial(wiretrace_families, docs, semantic=False)),
        ]
        if not args.skip_full:
            systems.append(("wiretrace (full)", partial(wiretrace_families, docs, semantic=True)))
        recall = stage_recall(docs)
        print(
            "candidate recall of (source, copy) pairs per stage: "
            + ", ".join(f"{k} {v:.3f}" for k, v in recall.items())
            + "\n"
        )
        for name, run in systems:
            seconds, peak, predicted = measured(run)
            s = score(docs, predicted)
            ops = " | ".join(f"{s.get('recall:' + o, float('nan')):.3f}" for o in OPERATIONS)
            print(
                f"| {name} | {seconds:.1f} | {peak:.0f} | {s['precision']:.3f} | {s['recall']:.3f} | "
                f"{s['f1']:.3f} | {s['ari']:.3f} | {ops} | {s.get('hard_negatives_joined', float('nan')):.3f} |",
                flush=True,
            )
        print()


if __name__ == "__main__":
    main()
