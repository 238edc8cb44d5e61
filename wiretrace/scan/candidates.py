"""Candidate pairs for a corpus scan, cheapest stage first; each stage is measured on its own.

1. **Exact sentences**: documents sharing a long sentence word for word (after normalising).
2. **MinHash LSH** on word 3-gram shingles (rensa signatures, banded here so that the local engine,
   the index and Spark band alike): verbatim and lightly edited copies.
3. **Semantic**: static sentence vectors (see :mod:`wiretrace.models.static`) searched as
   :mod:`wiretrace.scan.nearest` defines it (faiss, identical on every engine); two
   documents are candidates when several of their sentences are near neighbours. This finds spun
   copies that share almost no word 5-grams with their source.

Every function here is pure (documents in, pairs out) so that engines can run them alike.
"""

from __future__ import annotations

import hashlib
import math
import re
import struct
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wiretrace.progress import Progress, quiet
from wiretrace.text.documents import normalise
from wiretrace.text.segment import Unit

if TYPE_CHECKING:
    from wiretrace.models.static import StaticEncoder

Pair = tuple[str, str]  # (smaller id, larger id)


@dataclass(frozen=True)
class CandidateConfig:
    #: Sentences shorter than this (in words) are too common to be evidence of copying.
    min_sentence_words: int = 6
    #: A sentence or band shared by more documents than this is boilerplate ("Follow us on…") or a
    #: story reprinted everywhere: its documents are paired only with the bucket's first
    #: ``hub_docs`` documents (by id), so that a family of 10,000 copies stays connected at linear
    #: cost and stock phrases cost little.
    boilerplate_docs: int = 1000
    hub_docs: int = 3
    #: Documents must share at least this many long sentences to be candidates (one shared
    #: sentence is a quotation or a stock phrase as often as a copy).
    min_shared_sentences: int = 2
    #: Each document keeps at most this many candidates per lexical stage, those sharing the most:
    #: a wire story reprinted 500 times needs a connected family, not 125,000 verified pairs.
    max_candidates: int = 25
    shingle_words: int = 3
    num_perm: int = 128
    #: 32 bands of 4 rows: pairs above a Jaccard of about 0.4 collide with high probability.
    bands: int = 32
    semantic: bool = True
    #: Static-vector cosine from which two sentences count as near neighbours, and how many such
    #: sentences a pair needs (capped by the shorter document's length). Static vectors barely
    #: tell a paraphrase from another sentence of the same story (MRPC: 90% of paraphrases and 64%
    #: of same-story pairs score 0.75 or more), so this is a recall knob, set on reprints-dev
    #: (bench/thresholds.py): 0.75 with 2 sentences keeps scan F1 at its best (0.844, as 0.55-0.65
    #: with 3) with fewer candidates (405 non-derived against 646 at 0.65); 0.70 with 3, the old
    #: setting, lost 12 of 99 derived pairs.
    semantic_threshold: float = 0.75
    semantic_min_sentences: int = 2
    #: ... and at least this share of the shorter document's searched sentences, on each side:
    #: copying leaves near neighbours across a document, two similar sentences in 60 are what
    #: unrelated articles on one subject share. Chosen 2026-12-02 (bench/semantic_share.py):
    #: the derived pairs only this stage proposes have shares of 0.154 and more on reprints-dev,
    #: 0.25 and more on the versions corpus, and 0.133 and more on reprints-more (held out);
    #: 0.1 keeps every one of them, and cuts the stage's pairs on 10,000 articles of the fresh
    #: families corpus from 113,714 to 14,484, none of the lost ones a family pair only it found.
    semantic_min_share: float = 0.1
    #: A long sentence held by at least this many documents, most of which share nothing else
    #: (no MinHash band with another holder), is page furniture of a site ("The Daily Chronicle
    #: is an independent newspaper founded in…"): boilerplate when pairs are verified. A choice;
    #: a wire sentence reprinted five times sits in documents that are copies of each other.
    recurring_docs: int = 5
    #: At most this many sentences per document go into the vector search (the longest ones).
    semantic_sentences_per_doc: int = 60

    def __post_init__(self) -> None:
        if self.num_perm % self.bands:
            raise ValueError(
                f"CandidateConfig: num_perm ({self.num_perm}) must be a multiple of bands ({self.bands})"
            )
        if not 0 < self.semantic_threshold < 1:
            raise ValueError("CandidateConfig.semantic_threshold must be between 0 and 1")
        if not 0 <= self.semantic_min_share <= 1:
            raise ValueError("CandidateConfig.semantic_min_share must be between 0 and 1")

    def semantic_need(self, sentences_a: int, sentences_b: int) -> int:
        """Distinct near-neighbour sentences a pair needs on each side, for documents that put
        this many sentences into the search: :attr:`semantic_min_sentences` (capped by the
        shorter document) and :attr:`semantic_min_share` of the shorter one."""
        shorter = min(sentences_a, sentences_b)
        # Less a hair: a share that is a whole number of sentences (0.1 x 30) must not round up.
        by_share = math.ceil(self.semantic_min_share * shorter - 1e-9)
        return max(1, min(self.semantic_min_sentences, shorter), by_share)


def pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


_HAS_ALNUM = re.compile(r"[^\W_]")  # \w is str.isalnum() plus "_"


def _words(text: str) -> list[str]:
    """The text's casefolded words, bare punctuation left out."""
    return [w for w in text.casefold().split() if _HAS_ALNUM.search(w)]


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


def strongest_partners(
    doc_id: str,
    holders: Iterable[Sequence[str]],
    distinct: int,
    min_count: int,
    config: CandidateConfig,
) -> list[str]:
    """The co-occurrence rule, from one document's side: its partners, strongest first.

    ``holders`` gives, for each of the document's ``distinct`` keys (sentence hashes or band
    keys), the ids of every document holding that key, this one included, in id order. A partner
    must share at least ``min_count`` keys (all of the document's, when it has fewer). In a key
    held by more than ``boilerplate_docs`` documents, only the first ``hub_docs`` of them count
    as partners: a stock phrase costs little, and a family of 10,000 copies stays connected at
    linear cost. The document keeps its ``max_candidates`` strongest partners (most keys shared,
    then id).

    The one definition of the rule: the scan (:func:`co_occurring`) and the index call it; Spark
    writes it as DataFrame joins, held equal to it by a test on a crowded key.
    """
    shared: Counter[str] = Counter()
    for docs in holders:
        partners = docs if len(docs) <= config.boilerplate_docs else docs[: config.hub_docs]
        shared.update(d for d in partners if d != doc_id)
    need = min(min_count, max(1, distinct))
    strong = sorted((-n, other) for other, n in shared.items() if n >= need)
    return [other for _, other in strong[: config.max_candidates]]


def co_occurring(
    keys: Mapping[str, Iterable[int]], config: CandidateConfig, min_count: int
) -> set[Pair]:
    """Pairs of documents sharing at least ``min_count`` keys (sentence hashes or band keys), by
    :func:`strongest_partners`; a pair is kept when either side keeps it."""
    holders: dict[int, list[str]] = defaultdict(list)
    for doc_id, values in keys.items():
        for value in set(values):
            holders[value].append(doc_id)
    for docs in holders.values():
        docs.sort()
    pairs: set[Pair] = set()
    for doc_id, values in keys.items():
        distinct = set(values)
        partners = strongest_partners(
            doc_id, (holders[v] for v in distinct), len(distinct), min_count, config
        )
        pairs.update(pair(doc_id, other) for other in partners)
    return pairs


def recurring_lines(
    holders: Mapping[int, Sequence[str]],
    bands: Mapping[str, Iterable[int]],
    config: CandidateConfig,
) -> set[int]:
    """Sentence hashes that recur across unrelated documents: held by at least
    ``recurring_docs`` documents of which fewer than half share a MinHash band (a Jaccard
    similarity of about 0.4 or more) with another holder. A line held by more than
    ``boilerplate_docs`` documents (:func:`judged_holders`) is judged on its first holders only,
    so that a line on every page of a large site costs the same however many pages hold it.

    ``holders`` maps a sentence hash to the documents holding it, in id order (only crowded
    hashes are needed, and of a line held by many only its judged holders), ``bands`` each of
    those documents to its band keys. The scan, the index and Spark all decide with this
    function."""
    recurring = set()
    for key, docs in holders.items():
        if len(docs) < config.recurring_docs:
            continue
        judged = docs[: judged_holders(config)]
        owners: dict[int, set[str]] = defaultdict(set)
        for doc in judged:
            for band in bands.get(doc, ()):
                owners[band].add(doc)
        related = {doc for group in owners.values() if len(group) > 1 for doc in group}
        if 2 * len(related) < len(judged):
            recurring.add(key)
    return recurring


def judged_holders(config: CandidateConfig) -> int:
    """How many of a line's holders (the first, by id) :func:`recurring_lines` judges it on:
    ``boilerplate_docs``, as the co-occurrence rule reads a crowded key's first holders, and
    never fewer than ``recurring_docs``, so that a line held by enough documents is judged."""
    return max(config.boilerplate_docs, config.recurring_docs)


def crowded_holders(keys: Mapping[str, Iterable[int]], min_docs: int) -> dict[int, list[str]]:
    """For each key held by at least ``min_docs`` documents, its holders in id order."""
    holders: dict[int, list[str]] = defaultdict(list)
    for doc_id, values in keys.items():
        for value in set(values):
            holders[value].append(doc_id)
    return {k: sorted(v) for k, v in holders.items() if len(v) >= min_docs}


def exact_pairs(hashes: dict[str, set[int]], config: CandidateConfig) -> set[Pair]:
    """Documents sharing long sentences word for word (at least ``min_shared_sentences``, or all
    of a document's when it has fewer)."""
    return co_occurring(hashes, config, config.min_shared_sentences)


def shingles(text: str, size: int) -> list[str]:
    words = _words(text)
    if len(words) < size:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]


#: Texts whose shingles are hashed at a time: the shingles of 100,000 articles at once, as
#: Python strings, held 3 GB (each text's signature is its own, so blocks change nothing).
SIGNATURE_BLOCK = 1000


def signatures(texts: Sequence[str], config: CandidateConfig) -> list[list[int]]:
    import rensa

    out: list[list[int]] = []
    for first in range(0, len(texts), SIGNATURE_BLOCK):
        tokens = [
            shingles(t, config.shingle_words) or ["\u0000empty"]
            for t in texts[first : first + SIGNATURE_BLOCK]
        ]
        digests = rensa.RMinHash.digests_from_token_sets(tokens, config.num_perm, 42)
        out.extend(list(d) for d in digests)
    return out


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
    """Documents whose MinHash signatures agree on at least one band (the usual LSH rule)."""
    return co_occurring(bands, config, 1)


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


#: Sentences encoded at a time by :func:`sentence_vectors`: at 100,000 articles (3.3 million
#: sentences) the encoder's output and quantising's temporaries were four 3.4 GB arrays at once.
ENCODE_BLOCK = 65_536


def sentence_vectors(encoder: StaticEncoder, texts: Sequence[str]) -> Any:
    """Static vectors of the texts, quantised (see :mod:`wiretrace.scan.nearest`), as int16: a
    quantised component is a whole number within +-SCALE (2,048), so int16 holds it exactly in
    half the memory of float32. Encoded a block at a time; each text's vector is its own
    (a static model averages the text's token vectors), so blocks change nothing."""
    import numpy as np

    from wiretrace.scan.nearest import quantise

    out: Any = None
    # At least one block: with no texts the encoder still gives the empty array its width.
    for first in range(0, max(len(texts), 1), ENCODE_BLOCK):
        block = quantise(encoder.encode(list(texts[first : first + ENCODE_BLOCK])))
        if out is None:
            out = np.empty((len(texts), block.shape[1]), dtype=np.int16)
        out[first : first + len(block)] = block
    return out


def semantic_decision(
    matches: Iterable[tuple[str, int, str, int]], counts: dict[str, int], config: CandidateConfig
) -> set[Pair]:
    """Pairs with enough near-neighbour sentences on *both* sides.

    ``matches`` are (document, sentence id, other document, other sentence id); ``counts`` is how
    many sentences each document put into the search.
    """
    rows: dict[Pair, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for doc, sid, other, oid in matches:
        if doc == other:
            continue
        key = pair(doc, other)
        rows[key][doc].add(sid)
        rows[key][other].add(oid)
    out: set[Pair] = set()
    for (a, b), sides in rows.items():
        need = config.semantic_need(counts[a], counts[b])
        if len(sides[a]) >= need and len(sides[b]) >= need:
            out.add((a, b))
    return out


def semantic_pairs(
    sentences: dict[str, list[str]],
    encoder: StaticEncoder,
    config: CandidateConfig,
    progress: Progress = quiet,
) -> set[Pair]:
    """Pairs of documents with several near-neighbour sentences (static vectors, faiss).
    ``progress(stage, done, total)`` hears how many sentences have been searched: at 100,000
    articles the search takes most of an hour."""
    import numpy as np

    from wiretrace.scan.nearest import SentenceSearch, sample_rank

    owners: list[str] = []
    texts: list[str] = []
    ranks: list[tuple[int, str, int]] = []
    for doc_id in sorted(sentences):
        for position, text in enumerate(sentences[doc_id]):
            owners.append(doc_id)
            texts.append(text)
            ranks.append((sample_rank(doc_id, position), doc_id, position))
    if len(set(owners)) < 2:
        return set()
    vectors = sentence_vectors(encoder, texts)
    # Identical sentences are the exact stage's evidence; here they would only flood the
    # counts (a verbatim family of 500 copies), so only reworded neighbours count.
    keys = [sentence_hash(normalise(t)) for t in texts]
    rows = len(texts)
    del texts  # millions of strings at 100,000 articles; the vectors stand for them now
    # Rows are in (document, position) order, so ties fall to the same sentence on every engine.
    search = SentenceSearch.build(vectors, range(rows), keys, ranks, compact=True)
    del ranks
    # The queries are the stored sentences: read back from the search, not kept twice.
    queries = vectors if search.centroids is None else search.stored_vectors()
    del vectors
    doc_ids = sorted(set(owners))
    number = {d: k for k, d in enumerate(doc_ids)}
    owner_of = np.asarray([number[o] for o in owners], dtype=np.int64)
    del owners
    hits = search.search_blocks(queries, keys, config.semantic_threshold)
    found = semantic_decision_fast(
        _reporting(hits, rows, progress), owner_of, np.bincount(owner_of), config
    )
    return {(doc_ids[a], doc_ids[b]) for a, b in found}


def _reporting(blocks: Iterator[tuple[int, Any]], total: int, progress: Progress) -> Iterator[Any]:
    """The search's blocks of hits, passed on, with progress in sentences searched."""
    stage = "searching sentence vectors"
    progress(stage, 0, total)
    for searched, hits in blocks:
        yield hits
        progress(stage, searched, total)


#: Hits turned into keys at a time by :func:`semantic_decision_fast` (bounds its working arrays).
_DECIDE_BLOCK = 1 << 22
#: Groups of documents whose keys :func:`semantic_decision_fast` decides one group at a time.
DECIDE_GROUPS = 64
#: A group's blocks of keys are merged into one, repeats dropped, once it has more than this
#: many (on 10,000 fresh articles, 3 keys in 10 repeat one from an earlier block).
MERGE_AFTER = 8


def _sorted_runs(values: Any) -> tuple[Any, Any]:
    """``np.unique(values, return_counts=True)`` for int64 ``values``, sorting them in place
    (no copy)."""
    import numpy as np

    values.sort()
    if not len(values):
        return values, np.zeros(0, np.int64)
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    return values[starts], np.diff(np.r_[starts, len(values)])


def _semantic_need(a: Any, b: Any, per_doc: Any, config: CandidateConfig) -> Any:
    """:meth:`CandidateConfig.semantic_need` in arrays (documents ``a`` and ``b``): the same
    float arithmetic, so the same integers."""
    import numpy as np

    shorter = np.minimum(per_doc[a], per_doc[b])
    by_share = np.ceil(config.semantic_min_share * shorter - 1e-9).astype(np.int64)
    return np.maximum(np.maximum(1, np.minimum(shorter, config.semantic_min_sentences)), by_share)


def semantic_decision_fast(
    hits: Any,
    owner_of: Any,
    per_doc: Any,
    config: CandidateConfig,
    groups: int = DECIDE_GROUPS,
    merge_after: int = MERGE_AFTER,
) -> list[tuple[int, int]]:
    """:func:`semantic_decision` in arrays, for a whole corpus's hits (tens of millions at
    100,000 articles): ``hits`` are (sentence row, sentence row), one array or an iterable of
    blocks (a search's, as it goes); ``owner_of`` each row's document number (documents numbered
    in id order); ``per_doc`` how many sentences each document put into the search. Pairs
    (smaller number, larger), in order.

    Memory, not speed, shapes this: a pair of documents needs enough *distinct* sentences on
    each side, so each hit becomes two int64 keys, (sentence on one side, document on the other),
    deduplicated block by block. About 16 bytes a hit at most, where stacking and deduplicating
    (pair, sentence) rows took 230 and ran a 100,000-article scan out of memory. Each key is
    filed under its sentence's document's group (``groups`` runs of documents of about equal
    sentences), so that all the keys of one side of a pair meet in one group: the last step
    sorts and counts one group at a time, and only pairs with enough sentences on that side
    leave it. Deciding all keys at once took a 100,000-article scan from 8.7 to 10.4 GB."""
    import numpy as np

    documents = len(per_doc)
    per_doc = np.asarray(per_doc, dtype=np.int64)
    before = np.cumsum(per_doc) - per_doc  # sentences of the documents numbered lower
    group_of_doc = np.minimum(before * groups // max(int(per_doc.sum()), 1), groups - 1)
    group_of_row = group_of_doc.astype(np.int16)[owner_of]
    edges = np.arange(groups + 1)
    # Per group: keys of a sentence of the lower document x the higher, and the other way.
    low_keys: list[list[Any]] = [[] for _ in range(groups)]
    high_keys: list[list[Any]] = [[] for _ in range(groups)]

    def file(keys: Any, into: list[list[Any]]) -> None:
        """Sorted unique keys into their groups (copies: a group's keys are freed with it)."""
        group = group_of_row[keys // documents]
        order = np.argsort(group, kind="stable")
        bounds = np.searchsorted(group[order], edges)
        keys = keys[order]
        for g in np.flatnonzero(np.diff(bounds)).tolist():
            pieces = into[g]
            pieces.append(keys[bounds[g] : bounds[g + 1]].copy())
            if len(pieces) > merge_after:  # the same keys recur from block to block
                pieces[:] = [_sorted_runs(np.concatenate(pieces))[0]]

    blocks = [hits] if isinstance(hits, np.ndarray) else hits
    for block in blocks:
        for first in range(0, len(block), _DECIDE_BLOCK):
            part = block[first : first + _DECIDE_BLOCK]
            q_row, i_row = part[:, 0], part[:, 1]
            q_doc, i_doc = owner_of[q_row], owner_of[i_row]
            other = q_doc != i_doc
            q_row, i_row, q_doc, i_doc = q_row[other], i_row[other], q_doc[other], i_doc[other]
            q_low = q_doc < i_doc
            low = np.where(q_low, q_row, i_row) * documents + np.where(q_low, i_doc, q_doc)
            file(np.unique(low), low_keys)
            del low
            high = np.where(q_low, i_row, q_row) * documents + np.where(q_low, q_doc, i_doc)
            file(np.unique(high), high_keys)

    def enough(pieces: list[Any], row_is_low: bool) -> Any:
        """Pair keys (low * documents + high) of one group with enough distinct sentences on
        this side."""
        if not pieces:
            return np.zeros(0, np.int64)
        joined = np.concatenate(pieces)
        pieces.clear()
        distinct, _ = _sorted_runs(joined)
        row, partner = np.divmod(distinct, documents)
        own = owner_of[row]
        pair_keys = own * documents + partner if row_is_low else partner * documents + own
        keys, counts = _sorted_runs(pair_keys)
        a, b = np.divmod(keys, documents)
        return keys[counts >= _semantic_need(a, b, per_doc, config)]

    # A pair's keys on one side all lie in its document's group, so each group's pairs are
    # decided whole, and differ from every other group's.
    low_pairs = np.concatenate([enough(low_keys[g], row_is_low=True) for g in range(groups)])
    high_pairs = np.concatenate([enough(high_keys[g], row_is_low=False) for g in range(groups)])
    both = np.intersect1d(low_pairs, high_pairs, assume_unique=True)
    a, b = np.divmod(both, documents)
    return list(zip(a.tolist(), b.tolist(), strict=True))


def union(*stages: Iterable[Pair]) -> list[Pair]:
    return sorted(set().union(*stages))
