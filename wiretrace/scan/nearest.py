"""Near-neighbour sentence search that finds the same neighbours on every engine.

Two engines (and the index) searching "approximately" in their own ways find slightly different
neighbours, and so different families. Everything here is therefore defined exactly:

* **Integer vectors.** Unit sentence vectors are scaled by :data:`SCALE` and rounded. The dot
  product of two such vectors, and every partial sum on the way, is an integer below 2**24, which
  float32 holds exactly: numpy or faiss, BLAS blocking, thread count, driver or executor, every
  route gives the same score. The threshold is a half-integer, so no score ever sits on it.
* **Cells, chosen by content.** Up to :data:`EXACT_UP_TO` sentences the search is exhaustive.
  Above, sentences are grouped by a spherical k-means whose training sample is picked by a hash
  of (document id, sentence position) and whose rounds are plain integer arithmetic; each sentence
  is stored in its nearest cell and probes its :data:`NPROBE` nearest cells (ties: lower cell).
* **Capped by a total order.** Each probe keeps its ``most`` best neighbours by (score, then the
  stored sentence's order), so which neighbours survive a crowd does not depend on who asks first.

The local engine and the index keep the vectors in a faiss IVF index (faiss also picks the probed
cells) and compute each cell's scores as one matrix product, or, for a few queries (an index
query), let faiss scan the probed cells; Spark runs :func:`cell_hits` per cell. All are exact
within the probed cells, so they agree.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: Unit vectors are scaled by this before rounding. (SCALE + 8)**2 < 2**24: the largest possible
#: sum of |products| of two rounded 256-d vectors stays exactly representable in float32.
SCALE = 2048.0
#: Sentences up to this many are searched exhaustively; above, by cells.
EXACT_UP_TO = 50_000
#: Cells each sentence probes.
NPROBE = 16
#: Vectors the cells are trained on, at most (and at most 40 per cell): enough for stable
#: centroids, small enough to ship to a Spark driver.
MAX_TRAINING = 40_000
TRAINING_ROUNDS = 10
#: Neighbours each sentence keeps at most (see :meth:`SentenceSearch.search`).
NEIGHBOURS = 20
_QUERY_BLOCK = 2048  # queries searched at a time: bounds the uncapped hits held at once
_CELL_QUERY_BLOCK = 32_768  # with cells: enough queries per cell for an efficient product
_ADD_BLOCK = 65_536  # vectors converted to float32 and stored at a time


def quantise(vectors: Any) -> np.ndarray:
    """Unit-normalised vectors scaled by :data:`SCALE` and rounded: integer-valued float32."""
    v = np.asarray(vectors, dtype=np.float32)
    if v.ndim != 2:
        raise ValueError("quantise expects a 2-d array of vectors")
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(np.rint(v / norms * SCALE), dtype=np.float32)


def score_floor(threshold: float) -> float:
    """The integer-score bar for a cosine threshold: a half-integer, so no score equals it."""
    return math.floor(threshold * SCALE * SCALE) + 0.5


def cell_count(total: int) -> int:
    """How many cells for ``total`` sentences (one: an exhaustive search)."""
    return 1 if total <= EXACT_UP_TO else int(4 * math.sqrt(total))


def training_size(total: int, cells: int) -> int:
    return min(40 * cells, MAX_TRAINING, total)


def sample_rank(doc: str, position: int) -> int:
    """A pseudo-random rank from content alone: the training sample is the lowest ranks."""
    digest = hashlib.blake2b(f"{doc}\x00{position}".encode(), digest_size=7).digest()
    return int.from_bytes(digest, "big")


def _ordered_best(scores: np.ndarray, k: int) -> np.ndarray:
    """Per row, the column indices of the ``k`` highest scores, best first, ties to the lower
    column. Scores are exact integers, so packing (score, column) into one int64 is exact."""
    if k == 1:  # argmax takes the first of equal maxima: the lower column
        best: np.ndarray = np.argmax(scores, axis=1)[:, None]
        return best
    columns = scores.shape[1]
    width = 1 << max(1, (columns - 1).bit_length())
    packed = scores.astype(np.int64) * width + (width - 1 - np.arange(columns, dtype=np.int64))
    k = min(k, columns)
    top = (
        np.argpartition(-packed, k - 1, axis=1)[:, :k]
        if k < columns
        else np.tile(np.arange(columns), (len(scores), 1))
    )
    order = np.argsort(-np.take_along_axis(packed, top, axis=1), axis=1)
    return np.take_along_axis(top, order, axis=1)


def nearest_cells(
    vectors: np.ndarray, centroids: np.ndarray, k: int, quantizer: Any = None
) -> np.ndarray:
    """For each vector, its ``k`` nearest cells (by exact integer score, ties to the lower
    cell), nearest first. ``quantizer``: a faiss inner-product index holding ``centroids``.

    faiss picks the best ``k + 1`` (scores are exact, so the set is right; only the order of
    equal scores is faiss's own); a row whose k-th and (k+1)-th scores are equal may hide
    another cell of that score, and is done again exhaustively. Same answer as
    :func:`_ordered_best` over all scores, without sorting every cell's score."""
    import faiss

    k = min(k, len(centroids))
    out = np.empty((len(vectors), k), dtype=np.int64)
    if not len(vectors) or not k:
        return out
    if quantizer is None:
        quantizer = faiss.IndexFlatIP(centroids.shape[1])
        quantizer.add(np.ascontiguousarray(centroids, dtype=np.float32))
    wanted = min(k + 1, len(centroids))
    width = 1 << max(1, (len(centroids) - 1).bit_length())
    for first in range(0, len(vectors), 4096):
        block = np.ascontiguousarray(vectors[first : first + 4096], dtype=np.float32)
        scores, cells = quantizer.search(block, wanted)
        packed = scores.astype(np.int64) * width + (width - 1 - cells)
        order = np.argsort(-packed, axis=1)
        scores = np.take_along_axis(scores, order, axis=1)
        best = np.take_along_axis(cells, order, axis=1)[:, :k]
        if wanted > k:
            tied = np.nonzero(scores[:, k - 1] == scores[:, k])[0]
            if len(tied):
                best[tied] = _ordered_best(block[tied] @ centroids.T, k)
        out[first : first + len(block)] = best
    return out


def train_cells(sample: np.ndarray, cells: int) -> np.ndarray:
    """Spherical k-means on quantised vectors, deterministic: the first ``cells`` sample rows
    seed it (the sample is in rank order, so that is a random choice), sums are exact."""
    cells = min(cells, len(sample))
    centroids = sample[:cells].copy()
    wide = sample.astype(np.float64)  # integer sums stay exact in float64, in any order
    for _ in range(TRAINING_ROUNDS):
        assigned = nearest_cells(sample, centroids, 1)[:, 0]
        order = np.argsort(assigned, kind="stable")
        filled, starts = np.unique(assigned[order], return_index=True)
        # An empty cell keeps its centroid; the others move to their members' mean direction.
        centroids[filled] = quantise(np.add.reduceat(wide[order], starts, axis=0))
    return centroids


def choose_training(ranks: Sequence[tuple[int, str, int]], cells: int) -> list[int]:
    """Rows (indices into ``ranks``) of the training sample, in the order training reads them.

    ``ranks`` holds (sample rank, document, position) for every sentence."""
    wanted = training_size(len(ranks), cells)
    return sorted(range(len(ranks)), key=ranks.__getitem__)[:wanted]


def keep_nearest(found: list[tuple[float, Any, Any]], most: int) -> list[tuple[float, Any, Any]]:
    """The ``most`` best of (score, order key, payload): highest score, then lowest order key."""
    return sorted(found, key=lambda f: (-f[0], f[1]))[:most]


def keep_nearest_fast(
    rows: np.ndarray, ids: np.ndarray, scores: np.ndarray, keep: np.ndarray, most: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Of the hits kept, each row's ``most`` best: highest score, then lowest id (the order of
    :func:`keep_nearest`), vectorised for the hundreds of thousands of rows of a scan."""
    rows, ids, scores = rows[keep], ids[keep], scores[keep]
    order = np.lexsort((ids, -scores, rows))
    rows, ids, scores = rows[order], ids[order], scores[order]
    starts = np.searchsorted(rows, rows)  # first position of each hit's row
    rank = np.arange(len(rows)) - starts
    best = rank < most
    return rows[best], ids[best], scores[best]


def cell_hits(
    probes: np.ndarray,
    probe_keys: Sequence[int],
    stored: np.ndarray,
    stored_keys: Sequence[int],
    threshold: float,
) -> Iterator[tuple[int, int, float]]:
    """(probe row, stored row, score) above the threshold, identical sentences left out: the
    exhaustive search inside one cell, as Spark runs it."""
    floor = score_floor(threshold)
    for first in range(0, len(probes), 512):  # bounded memory: 512 probes at a time
        scores = probes[first : first + 512] @ stored.T
        rows, cols = np.nonzero(scores > floor)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            if probe_keys[first + r] != stored_keys[c]:
                yield first + r, c, float(scores[r, c])


@dataclass
class SentenceSearch:
    """Stored sentence vectors searchable by radius, with faiss: exhaustive, or over cells when
    ``centroids`` is set. Each stored id carries its sentence hash (identical sentences are the
    exact stage's evidence, so they are never neighbours here)."""

    centroids: np.ndarray | None = None
    dim: int = 256
    #: Stored ids in ascending order and the sentence hash of each: arrays rather than a dict,
    #: because an index of 100,000 articles holds millions and a query loads them all.
    key_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    key_values: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    index: Any = None
    #: Loaded from its file by memory mapping: the file is never changed. Vectors added since
    #: go to ``extra`` (an in-memory search over the same cells) and removed ids to ``hidden``;
    #: a search sees the three as one (tests/test_nearest.py holds it equal to one search).
    mapped: bool = False
    extra: SentenceSearch | None = None
    hidden: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    #: Cells store half-precision floats (a scan's search, never saved): exact, as quantised
    #: components are whole numbers within 2,048, and half the memory (3.3 million sentences
    #: of 100,000 articles: 1.7 GB rather than 3.4).
    compact: bool = False

    def __post_init__(self) -> None:
        import faiss

        if self.index is not None:
            return
        if self.centroids is None:
            self.index = faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))
        else:
            quantizer = faiss.IndexFlatIP(self.dim)
            quantizer.add(self.centroids)
            cells, inner = len(self.centroids), faiss.METRIC_INNER_PRODUCT
            ivf = (
                # by_residual=False: the vectors themselves are stored, not their offsets
                faiss.IndexIVFScalarQuantizer(
                    quantizer, self.dim, cells, faiss.ScalarQuantizer.QT_fp16, inner, False
                )
                if self.compact
                else faiss.IndexIVFFlat(quantizer, self.dim, cells, inner)
            )
            ivf.nprobe = min(NPROBE, len(self.centroids))
            ivf.is_trained = True
            self.index = ivf

    @classmethod
    def build(
        cls,
        vectors: np.ndarray,
        ids: Sequence[int],
        keys: Sequence[int],
        ranks: Sequence[tuple[int, str, int]],
        compact: bool = False,
    ) -> SentenceSearch:
        """The search over these quantised vectors: cells trained on them when they are many."""
        cells = cell_count(len(vectors))
        centroids = None
        if cells > 1:
            centroids = train_cells(vectors[choose_training(ranks, cells)], cells)
        search = cls(centroids, vectors.shape[1] if len(vectors) else 256, compact=compact)
        search.add(vectors, ids, keys)
        return search

    def stored_vectors(self) -> StoredVectors:
        """The stored vectors, read back by id: for a caller whose queries are the stored
        vectors themselves (a scan), so that it need not keep a copy of its own. Ids must be
        0, 1, 2, ... as a scan's rows are."""
        if self.centroids is not None:
            self.index.make_direct_map()
        return StoredVectors(self)

    @property
    def size(self) -> int:
        extra = self.extra.size if self.extra is not None else 0
        return int(self.index.ntotal) - len(self.hidden) + extra

    def add(
        self,
        vectors: np.ndarray,
        ids: Sequence[int],
        keys: Sequence[int],
        cells: np.ndarray | None = None,
    ) -> np.ndarray | None:
        """Store vectors; the cell each went to (``None`` without cells). ``cells``: the cells
        an earlier add of the same vectors chose (a saved delta), so they are not looked up
        again (at 100,000 articles that is thousands of centroids per vector)."""
        if not len(vectors):
            return None
        if self.mapped:
            if self.extra is None:
                self.extra = SentenceSearch(self.centroids, self.dim)
            return self.extra.add(vectors, ids, keys, cells)
        row_ids = np.asarray(ids, dtype=np.int64)
        if self.centroids is not None and cells is None:
            cells = nearest_cells(vectors, self.centroids, 1, self.index.quantizer)[:, 0]
        from faiss.contrib.ivf_tools import add_preassigned

        # faiss stores float32; vectors may come as int16 (exact, half the memory), so they are
        # converted a block at a time rather than all at once beside the stored copy.
        for first in range(0, len(vectors), _ADD_BLOCK):
            last = first + _ADD_BLOCK
            block = np.ascontiguousarray(vectors[first:last], dtype=np.float32)
            if self.centroids is None or cells is None:  # no cells: an exhaustive search
                self.index.add_with_ids(block, row_ids[first:last])
            else:
                add_preassigned(self.index, block, cells[first:last], row_ids[first:last])  # type: ignore[no-untyped-call]
        all_ids = np.concatenate([self.key_ids, row_ids])
        all_keys = np.concatenate([self.key_values, np.asarray(keys, dtype=np.int64)])
        order = np.argsort(all_ids, kind="stable")
        self.key_ids, self.key_values = all_ids[order], all_keys[order]
        return cells

    def remove(self, ids: Sequence[int]) -> None:
        if not len(ids):
            return
        gone = np.asarray(ids, dtype=np.int64)
        if self.mapped:  # the file is not changed: its removed ids are hidden from searches
            if self.extra is not None:
                self.extra.remove(ids)
            self.hidden = np.union1d(self.hidden, gone[np.isin(gone, self.key_ids)])
            return
        self.index.remove_ids(gone)
        keep = ~np.isin(self.key_ids, gone)
        self.key_ids, self.key_values = self.key_ids[keep], self.key_values[keep]

    def search(
        self,
        queries: np.ndarray | StoredVectors,
        query_keys: Sequence[int],
        threshold: float,
        most: int = NEIGHBOURS,
    ) -> np.ndarray:
        """(query row, stored id) for neighbours above the threshold, the ``most`` best per query
        (ties to the lower id), identical sentences left out: an int64 array of two columns, in
        query order (as Python tuples, 66 million hits at 100,000 articles would take 7 GB).

        A radius search rather than a top-k one: below ``most`` neighbours the relation is
        symmetric, so a corpus scanned at once and the same corpus added to an index in batches
        find the same pairs. The cap keeps crowded sentences (stock phrases, a story's hundred
        near-copies) from flooding memory: 10,000 articles gave 11.7 million hits without it.
        """
        blocks = [hits for _, hits in self.search_blocks(queries, query_keys, threshold, most)]
        return np.concatenate(blocks) if blocks else np.zeros((0, 2), dtype=np.int64)

    def search_blocks(
        self,
        queries: np.ndarray | StoredVectors,
        query_keys: Sequence[int],
        threshold: float,
        most: int = NEIGHBOURS,
    ) -> Iterator[tuple[int, np.ndarray]]:
        """:meth:`search`'s hits a block of queries at a time, for a caller that reduces them
        as they come rather than holding them all: (queries searched so far, the block's hits)."""
        if self.size == 0 or len(queries) == 0:
            return
        floor = score_floor(threshold)
        step = _QUERY_BLOCK if self.centroids is None else _CELL_QUERY_BLOCK
        for first in range(0, len(queries), step):
            block = np.ascontiguousarray(queries[first : first + step], dtype=np.float32)
            block_keys = np.asarray(query_keys[first : first + len(block)], dtype=np.int64)
            if self.centroids is None:
                lims, scores, ids = self.index.range_search(block, floor)
                counts = np.diff(lims.astype(np.int64))
                rows = np.repeat(np.arange(len(block), dtype=np.int64), counts)
                keep = block_keys[rows] != self._stored_keys(ids)
            else:
                rows, ids, scores = self._search_cells(block, block_keys, floor, most)
                if self.extra is not None:
                    more = self.extra._search_cells(block, block_keys, floor, most)
                    rows, ids, scores = (
                        np.concatenate([mine, theirs])
                        for mine, theirs in zip((rows, ids, scores), more, strict=True)
                    )
                keep = np.ones(len(rows), dtype=bool)
            rows, ids, scores = keep_nearest_fast(rows, ids, scores, keep, most)
            yield first + len(block), np.stack([rows + first, ids.astype(np.int64)], axis=1)

    def _search_cells(
        self, block: np.ndarray, block_keys: np.ndarray, floor: float, most: int
    ) -> tuple[np.ndarray, ...]:
        """(query row, stored id, score) above ``floor`` in each query's probed cells, identical
        sentences left out: faiss's range search over preassigned lists, computed cell by cell
        as one matrix product of the queries probing the cell and its members (faiss scans
        vector by vector: 1.9 times slower on the 300,000 sentences of 10,000 articles).

        Where a cell is crowded, each query keeps only its ``most`` best there already: the best
        ``most`` overall are among those, and at 100,000 articles a block could otherwise hold
        tens of millions of hits."""
        import faiss

        assert self.centroids is not None
        lists = nearest_cells(block, self.centroids, self.index.nprobe, self.index.quantizer)
        if len(lists) * lists.shape[1] < len(self.centroids):
            return self._search_few(block, block_keys, floor, lists)
        cells = lists.ravel()
        order = np.argsort(cells, kind="stable")
        cells, askers_of = cells[order], (order // lists.shape[1]).astype(np.int64)
        edges = np.flatnonzero(np.diff(cells)) + 1
        invlists = self.index.invlists
        stored_type = np.float16 if self.index.code_size == 2 * self.dim else np.float32
        rows, ids, scores = [], [], []
        for start, end in zip(np.r_[0, edges], np.r_[edges, len(cells)], strict=True):
            cell = int(cells[start])
            size = invlists.list_size(cell)
            if not size:
                continue
            codes = faiss.rev_swig_ptr(invlists.get_codes(cell), size * self.index.code_size)
            # Copied unless float32 and aligned already: a memory-mapped file's cells are not
            # aligned, and numpy multiplies unaligned arrays without BLAS.
            members = np.require(
                codes.view(stored_type).reshape(size, self.dim), np.float32, ["A", "C"]
            )
            member_ids = faiss.rev_swig_ptr(invlists.get_ids(cell), size)
            askers = askers_of[start:end]
            for first in range(0, len(askers), 4096):  # bounded: 4,096 x a cell's members
                part = askers[first : first + 4096]
                found = block[part] @ members.T
                r, c = np.nonzero(found > floor)
                hit_rows, hit_ids, hit_scores = part[r], member_ids[c].astype(np.int64), found[r, c]
                keep = self._kept(block_keys[hit_rows], hit_ids)  # before any cap
                if len(r) > most * len(part):  # crowded: cap each query here already
                    hit_rows, hit_ids, hit_scores = keep_nearest_fast(
                        hit_rows, hit_ids, hit_scores, keep, most
                    )
                else:
                    hit_rows, hit_ids, hit_scores = hit_rows[keep], hit_ids[keep], hit_scores[keep]
                rows.append(hit_rows)
                ids.append(hit_ids)
                scores.append(hit_scores)
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
        return np.concatenate(rows), np.concatenate(ids), np.concatenate(scores)

    def _search_few(
        self, block: np.ndarray, block_keys: np.ndarray, floor: float, lists: np.ndarray
    ) -> tuple[np.ndarray, ...]:
        """:meth:`_search_cells` for a few queries (an index query's sentences): under one query
        to a probed cell on average, a product per cell is a vector's product with each member,
        which faiss computes in place over the cells it is given (the same exact scores; a cell
        of a memory-mapped file is neither copied nor, unaligned as it is there, multiplied by
        numpy without BLAS). No cap here: :meth:`search_blocks` keeps each query's best."""
        from faiss.contrib.ivf_tools import range_search_preassigned

        block = np.ascontiguousarray(block, dtype=np.float32)
        lims, scores, ids = range_search_preassigned(self.index, block, floor, lists)  # type: ignore[no-untyped-call]
        rows = np.repeat(np.arange(len(block), dtype=np.int64), np.diff(lims.astype(np.int64)))
        ids = ids.astype(np.int64)
        keep = self._kept(block_keys[rows], ids)
        return rows[keep], ids[keep], scores[keep]

    def _kept(self, query_keys: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Which hits count: not the query's own sentence stored elsewhere (identical sentences
        are the exact stage's evidence), nor an id removed since the file was written."""
        keep: np.ndarray = query_keys != self._stored_keys(ids)
        if len(self.hidden):
            keep &= ~np.isin(ids, self.hidden)
        return keep

    def _stored_keys(self, ids: np.ndarray) -> np.ndarray:
        """The sentence hashes of stored ids."""
        return stored_keys(self.key_ids, self.key_values, ids)

    # -- persistence: a faiss file and the keys beside it ---------------------------------------

    def save(self, index_file: str, keys_file: str) -> None:
        import faiss

        faiss.write_index(self.index, index_file)
        centroids = self.centroids if self.centroids is not None else np.zeros((0, self.dim))
        with open(keys_file, "wb") as handle:
            np.savez(handle, ids=self.key_ids, keys=self.key_values, centroids=centroids)

    @classmethod
    def load(cls, index_file: str, keys_file: str, mapped: bool = False) -> SentenceSearch:
        """The saved search; ``mapped`` maps the cells' vectors from the file instead of reading
        them (a query touches 16 cells: at 100,000 articles the file holds gigabytes)."""
        import faiss

        with np.load(keys_file) as saved:
            centroids = saved["centroids"].astype(np.float32)
            ids, keys = saved["ids"].astype(np.int64), saved["keys"].astype(np.int64)
        mapped = mapped and len(centroids) > 0  # the exhaustive search is small: read it
        flags = faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY if mapped else 0
        index: Any = faiss.read_index(index_file, flags)
        if len(centroids):
            index.nprobe = min(NPROBE, len(centroids))
        return cls(centroids if len(centroids) else None, index.d, ids, keys, index, mapped)


def stored_keys_by_search(
    key_ids: np.ndarray, key_values: np.ndarray, ids: np.ndarray
) -> np.ndarray:
    """The values of stored ``ids`` (``key_ids`` sorted and distinct): the definition."""
    found: np.ndarray = key_values[np.searchsorted(key_ids, ids)]
    return found


def stored_keys(key_ids: np.ndarray, key_values: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """:func:`stored_keys_by_search`, fast when the stored ids have no gap (nothing removed):
    an id is then its own position. An index query's thousands of hits, each searched for among
    the 3 million ids of 100,000 articles, took 15 ms of its 110."""
    if not len(key_ids):
        return np.zeros(len(ids), np.int64)
    first = int(key_ids[0])
    if int(key_ids[-1]) - first + 1 == len(key_ids):
        found: np.ndarray = key_values[ids - first]
        return found
    return stored_keys_by_search(key_ids, key_values, ids)


@dataclass(frozen=True)
class StoredVectors:
    """A search's stored vectors by id, sliced as an array is (``vectors[first:last]``, as
    float32): see :meth:`SentenceSearch.stored_vectors`."""

    search: SentenceSearch

    def __len__(self) -> int:
        return int(self.search.index.ntotal)

    def __getitem__(self, rows: slice) -> np.ndarray:
        ids = np.arange(*rows.indices(len(self)), dtype=np.int64)
        found: np.ndarray = self.search.index.reconstruct_batch(ids)
        return found
