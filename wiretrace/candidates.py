"""Candidate pairs for a corpus scan, cheapest stage first; each stage is measured on its own.

1. **Exact sentences**: documents sharing a long sentence word for word (after normalising).
2. **MinHash LSH** on word 3-gram shingles (rensa signatures, banded here so that the local engine,
   the index and Spark band alike): verbatim and lightly edited copies.
3. **Semantic**: static sentence vectors (see :mod:`wiretrace.static`) searched with faiss; two
   documents are candidates when several of their sentences are near neighbours. This finds spun
   copies that share almost no word 5-grams with their source.

Every function here is pure (documents in, pairs out) so that engines can run them alike.
"""

from __future__ import annotations

import hashlib
import struct
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wiretrace.segment import Unit

if TYPE_CHECKING:
    from wiretrace.static import StaticEncoder

Pair = tuple[str, str]  # (smaller id, larger id)


@dataclass(frozen=True)
class CandidateConfig:
    #: Sentences shorter than this (in words) are too common to be evidence of copying.
    min_sentence_words: int = 6
    #: A sentence shared by more documents than this is boilerplate ("Follow us on…").
    boilerplate_docs: int = 50
    shingle_words: int = 3
    num_perm: int = 128
    #: 32 bands of 4 rows: pairs above a Jaccard of about 0.4 collide with high probability.
    bands: int = 32
    semantic: bool = True
    #: Static-vector cosine from which two sentences count as near neighbours (the seeds' true
    #: pairs score 0.6 and above, their added sentences 0.51 and below).
    semantic_threshold: float = 0.70
    semantic_neighbours: int = 8
    #: Near-neighbour sentences needed for a pair, capped by the shorter document's length.
    semantic_min_sentences: int = 3
    #: At most this many sentences per document go into the vector search (the longest ones).
    semantic_sentences_per_doc: int = 60

    def __post_init__(self) -> None:
        if self.num_perm % self.bands:
            raise ValueError(
                f"CandidateConfig: num_perm ({self.num_perm}) must be a multiple of bands ({self.bands})"
            )
        if not 0 < self.semantic_threshold < 1:
            raise ValueError("CandidateConfig.semantic_threshold must be between 0 and 1")


def pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def _words(text: str) -> list[str]:
    return [w.casefold() for w in text.split() if any(ch.isalnum() for ch in w)]


def sentence_hash(key: str) -> int:
    return int.from_bytes(
        hashlib.blake2b(key.casefold().encode(), digest_size=8).digest(), "little", signed=True
    )


def sentence_hashes(units: Sequence[Unit], config: CandidateConfig) -> set[int]:
    return {
        sentence_hash(u.key)
        for u in units
        if u.role in ("sentence", "heading") and len(u.key.split()) >= config.min_sentence_words
    }


def exact_pairs(hashes: dict[str, set[int]], config: CandidateConfig) -> set[Pair]:
    """Documents sharing at least one non-boilerplate sentence hash."""
    by_hash: dict[int, list[str]] = defaultdict(list)
    for doc_id, values in hashes.items():
        for value in values:
            by_hash[value].append(doc_id)
    pairs: set[Pair] = set()
    for ids in by_hash.values():
        if 1 < len(ids) <= config.boilerplate_docs:
            ordered = sorted(ids)
            pairs.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :])
    return pairs


def shingles(text: str, size: int) -> list[str]:
    words = _words(text)
    if len(words) < size:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]


def signatures(texts: Sequence[str], config: CandidateConfig) -> list[list[int]]:
    import rensa

    tokens = [shingles(t, config.shingle_words) or ["\u0000empty"] for t in texts]
    return [list(d) for d in rensa.RMinHash.digests_from_token_sets(tokens, config.num_perm, 42)]


def band_keys(signature: Sequence[int], config: CandidateConfig) -> list[int]:
    """One key per band: a hash of the band index and its rows."""
    rows = config.num_perm // config.bands
    keys = []
    for band in range(config.bands):
        chunk = struct.pack(f"<I{rows}I", band, *signature[band * rows : (band + 1) * rows])
        keys.append(
            int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little", signed=True)
        )
    return keys


def minhash_pairs(bands: dict[str, list[int]], config: CandidateConfig) -> set[Pair]:
    buckets: dict[int, list[str]] = defaultdict(list)
    for doc_id, keys in bands.items():
        for key in keys:
            buckets[key].append(doc_id)
    pairs: set[Pair] = set()
    for ids in buckets.values():
        if 1 < len(ids) <= config.boilerplate_docs:
            ordered = sorted(ids)
            pairs.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :])
    return pairs


def distinctive_sentences(units: Sequence[Unit], config: CandidateConfig) -> list[str]:
    eligible = [
        u.text
        for u in units
        if u.role in ("sentence", "heading") and len(u.key.split()) >= config.min_sentence_words
    ]
    if len(eligible) <= config.semantic_sentences_per_doc:
        return eligible
    longest = sorted(eligible, key=lambda t: (-len(t), t))[: config.semantic_sentences_per_doc]
    keep = set(longest)
    return [t for t in eligible if t in keep]


def semantic_pairs(
    sentences: dict[str, list[str]], encoder: StaticEncoder, config: CandidateConfig
) -> set[Pair]:
    """Pairs of documents with several near-neighbour sentences (static vectors, faiss)."""
    import faiss
    import numpy as np

    owners: list[str] = []
    texts: list[str] = []
    for doc_id in sorted(sentences):
        for text in sentences[doc_id]:
            owners.append(doc_id)
            texts.append(text)
    if len(set(owners)) < 2:
        return set()
    vectors = np.ascontiguousarray(encoder.encode(texts), dtype=np.float32)
    dim = vectors.shape[1]
    index: Any
    if len(texts) > 20_000:
        # Inverted lists for large corpora: exact search over every pair would be quadratic.
        nlist = int(4 * np.sqrt(len(texts)))
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
        index.train(vectors)
        index.nprobe = 8
    else:
        index = faiss.IndexFlatIP(dim)
    index.add(vectors)
    k = min(config.semantic_neighbours + 1, len(texts))
    scores, neighbours = index.search(vectors, k)
    matched: dict[Pair, set[int]] = defaultdict(set)
    for row in range(len(texts)):
        for score, col in zip(scores[row], neighbours[row], strict=True):
            if col < 0 or score < config.semantic_threshold or owners[col] == owners[row]:
                continue
            matched[pair(owners[row], owners[int(col)])].add(row)
    counts = Counter(owners)
    out: set[Pair] = set()
    for (a, b), rows in matched.items():
        need = min(config.semantic_min_sentences, counts[a], counts[b])
        # Count sentences of each side separately: both must contribute.
        side_a = sum(1 for r in rows if owners[r] == a)
        side_b = sum(1 for r in rows if owners[r] == b)
        if min(side_a, side_b) >= max(1, need):
            out.add((a, b))
    return out


def union(*stages: Iterable[Pair]) -> list[Pair]:
    return sorted(set().union(*stages))
