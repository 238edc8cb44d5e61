"""The semantic candidate stage's share rule: what each share of the shorter document keeps.

The stage proposes a pair of documents when enough of their sentences are near neighbours by
static vectors (``CandidateConfig.semantic_threshold``, ``semantic_min_sentences``). Two similar
sentences anywhere are what unrelated articles on one subject share; copying leaves near
neighbours across a document. ``CandidateConfig.semantic_min_share`` asks, on each side, for a
share of the shorter document's searched sentences too. For each share this script prints, per
corpus, the pairs the stage proposes, how many of them are gold pairs, and how many of the gold
pairs *only this stage* proposes (no shared sentence, no MinHash band: the copies it exists
for) are kept, with the lowest share among those.

Corpora (gold: pairs of one family; reprints: pairs of copies of one story):
reprints-dev and bench/data/reprints-more (real news pages), the versions corpus of
bench/versions_scan.py (real revision histories, long documents included), and the fresh-text
families corpus of bench/families_corpus.py (``--docs``, 10,000 by default: synthetic, its reused
real paraphrase pairs make unrelated articles share two similar sentences far more often than a
crawl would; a regression and scale corpus).

Run: python bench/semantic_share.py [--docs 10000] [--skip-families]
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from wiretrace.models.static import default_static_encoder
from wiretrace.scan.candidates import (
    exact_pairs,
    minhash_pairs,
    sentence_hash,
    sentence_vectors,
)
from wiretrace.scan.nearest import SentenceSearch, sample_rank
from wiretrace.scan.stages import ScanConfig, prepare
from wiretrace.text.documents import Document, normalise

SHARES = (0.0, 0.05, 0.1, 0.125, 0.15, 0.2, 0.25)
REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Proposal:
    """A pair the stage proposes with no share rule, and what the rule looks at."""

    distinct: int  # near-neighbour sentences on the side with fewer
    shorter: int  # sentences the shorter document put into the search
    gold: bool
    only_here: bool  # no other candidate stage proposes it

    def kept(self, share: float) -> bool:
        return self.distinct >= math.ceil(share * self.shorter - 1e-9)


def proposals(docs: Sequence[tuple[str, str, str | None]]) -> list[Proposal]:
    """(id, text, gold family or None) -> the stage's pairs with two sentences and no share."""
    config = ScanConfig()
    cfg = config.candidates
    family = {doc_id: fam for doc_id, _, fam in docs}
    prepared = prepare([Document(doc_id, text) for doc_id, text, _ in docs], config)
    lexical = exact_pairs({p.doc.id: p.hashes for p in prepared}, cfg) | minhash_pairs(
        {p.doc.id: p.bands for p in prepared}, cfg
    )
    owners: list[str] = []
    positions: list[int] = []
    texts: list[str] = []
    ranks: list[tuple[int, str, int]] = []
    for p in sorted(prepared, key=lambda p: p.doc.id):
        for position, text in enumerate(p.sentences):
            owners.append(p.doc.id)
            positions.append(position)
            texts.append(text)
            ranks.append((sample_rank(p.doc.id, position), p.doc.id, position))
    vectors = sentence_vectors(default_static_encoder(), texts)
    keys = [sentence_hash(normalise(t)) for t in texts]
    search = SentenceSearch.build(vectors, range(len(texts)), keys, ranks)
    sides: dict[tuple[str, str], tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    for q, i in search.search(vectors, keys, cfg.semantic_threshold).tolist():
        a, b = owners[q], owners[i]
        if a == b:
            continue
        (low, pos_low), (high, pos_high) = sorted(((a, positions[q]), (b, positions[i])))
        sides[(low, high)][0].add(pos_low)
        sides[(low, high)][1].add(pos_high)
    counts = {p.doc.id: len(p.sentences) for p in prepared}
    out = []
    for (a, b), (on_a, on_b) in sides.items():
        shorter = min(counts[a], counts[b])
        distinct = min(len(on_a), len(on_b))
        if distinct < max(1, min(cfg.semantic_min_sentences, shorter)):
            continue
        gold = family[a] is not None and family[a] == family[b]
        out.append(Proposal(distinct, shorter, gold, (a, b) not in lexical))
    return out


def reprints(name: str) -> list[tuple[str, str, str | None]]:
    import reprints_eval

    data = reprints_eval.DATA
    if name == "reprints-more":
        data = REPO / "bench" / "data" / "reprints-more" / "families.jsonl"
    return [
        (a.id, a.text, a.family if a.is_copy else None) for a in reprints_eval.load_articles(data)
    ]


def versions() -> list[tuple[str, str, str | None]]:
    import versions_scan

    return [(v.id, v.text, v.family) for v in versions_scan.build_corpus(None, 11)]


def families(n: int) -> list[tuple[str, str, str | None]]:
    from families_corpus import build

    return [(d.id, d.text, d.family) for d in build(n, scale=1.6, fresh=True)]


def report(name: str, found: list[Proposal]) -> None:
    only = [p for p in found if p.gold and p.only_here]
    lowest = min((p.distinct / p.shorter for p in only), default=float("nan"))
    print(f"\n## {name}: lowest share among the gold pairs only this stage proposes {lowest:.3f}\n")
    print("| share | pairs | gold pairs | gold pairs only this stage proposes, kept |")
    print("|---|---|---|---|")
    today = ScanConfig().candidates.semantic_min_share
    for share in SHARES:
        kept = [p for p in found if p.kept(share)]
        mark = " (default)" if share == today else ""
        print(
            f"| {share}{mark} | {len(kept):,} | {sum(p.gold for p in kept):,} | "
            f"{sum(p.kept(share) for p in only):,} of {len(only):,} |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000, help="families corpus size")
    parser.add_argument("--skip-families", action="store_true")
    args = parser.parse_args()
    print(
        f"# semantic share rule, {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
        f"{os.cpu_count()} cores"
    )
    corpora = [
        ("reprints-dev", lambda: reprints("reprints-dev")),
        ("reprints-more (held out)", lambda: reprints("reprints-more")),
        ("versions corpus", versions),
    ]
    if not args.skip_families:
        corpora.append((f"families corpus, {args.docs:,} fresh", lambda: families(args.docs)))
    for name, load in corpora:
        report(name, proposals(load()))


if __name__ == "__main__":
    main()
