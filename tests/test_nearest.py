"""The near-neighbour search is defined exactly, so that every engine finds the same neighbours:
faiss (local engine, index) and the per-cell numpy search (Spark) must agree hit for hit."""

from __future__ import annotations

import functools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.scan.candidates import CandidateConfig, semantic_decision, semantic_decision_fast
from wiretrace.scan.nearest import (
    SCALE,
    SentenceSearch,
    cell_hits,
    keep_nearest,
    nearest_cells,
    quantise,
    score_floor,
    stored_keys,
    stored_keys_by_search,
    train_cells,
)


def clustered(seed: int, n: int, dim: int = 256) -> np.ndarray:
    """Vectors in tight groups, as sentences and their paraphrases are."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(max(2, n // 8), dim))
    return quantise(centres[rng.integers(0, len(centres), n)] + 0.4 * rng.normal(size=(n, dim)))


def spark_way(
    vectors: np.ndarray, keys: list[int], centroids: np.ndarray, threshold: float, most: int
) -> set[tuple[int, int]]:
    """The definition as Spark runs it: store each vector in its nearest cell, probe the
    nearest 16, search each cell exactly, keep each probe's best ``most``."""
    stored_in = nearest_cells(vectors, centroids, 1)[:, 0]
    probes = nearest_cells(vectors, centroids, 16)
    found: dict[int, list[tuple[float, int, None]]] = {}
    for cell in range(len(centroids)):
        members = np.nonzero(stored_in == cell)[0]
        askers = np.nonzero((probes == cell).any(axis=1))[0]
        if not len(members) or not len(askers):
            continue
        for p, s, score in cell_hits(
            vectors[askers], [keys[i] for i in askers], vectors[members],
            [keys[i] for i in members], threshold,
        ):  # fmt: skip
            found.setdefault(int(askers[p]), []).append((score, int(members[s]), None))
    return {(q, i) for q, hits in found.items() for _, i, _ in keep_nearest(hits, most)}


def _pairs(hits: np.ndarray) -> set[tuple[int, int]]:
    return {(int(q), int(i)) for q, i in hits.tolist()}


def test_integer_vectors_give_exact_scores_in_any_order() -> None:
    vectors = clustered(1, 400)
    assert np.abs(vectors).max() <= SCALE
    one_way = vectors @ vectors.T
    reversed_dims = vectors[:, ::-1].copy() @ vectors[:, ::-1].copy().T  # another summation order
    assert np.array_equal(one_way, reversed_dims)
    assert np.array_equal(one_way, np.rint(one_way))
    assert score_floor(0.7) % 1 == 0.5  # no integer score can sit on the bar


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    most=st.integers(1, 25),
    threshold=st.sampled_from([0.5, 0.7]),
    compact=st.booleans(),
)
def test_faiss_search_equals_the_per_cell_definition(
    seed: int, most: int, threshold: float, compact: bool
) -> None:
    """Also with the scan's compact search (half-precision cells, given int16 vectors) queried
    with its own stored vectors read back."""
    vectors = clustered(seed, 600)
    keys = [int(k) for k in np.random.default_rng(seed).integers(0, 500, len(vectors))]
    centroids = train_cells(vectors[np.random.default_rng(seed).permutation(600)[:200]], 24)
    search = SentenceSearch(centroids, compact=compact)
    search.add(vectors.astype(np.int16) if compact else vectors, range(len(vectors)), keys)
    queries = search.stored_vectors() if compact else vectors
    assert np.array_equal(queries[5:60], vectors[5:60])
    expected = spark_way(vectors, keys, centroids, threshold, most)
    assert _pairs(search.search(queries, keys, threshold, most)) == expected
    # One query at a time (an index query's few sentences): faiss scans the given cells itself.
    one_by_one = {
        (q, i)
        for q in range(0, len(vectors), 7)
        for _, i in _pairs(search.search(queries[q : q + 1], keys[q : q + 1], threshold, most))
    }
    assert one_by_one == {(q, i) for q, i in expected if q % 7 == 0}


@settings(max_examples=60, deadline=None)
@given(
    first=st.integers(0, 1_000),
    count=st.integers(1, 60),
    removed=st.sets(st.integers(0, 59), max_size=20),
    seed=st.integers(0, 2**16),
)
def test_stored_keys_fast_equals_the_search(
    first: int, count: int, removed: set[int], seed: int
) -> None:
    """With no id removed (ids without a gap, as an index fills) and with ids removed."""
    ids = np.array([first + k for k in range(count) if k not in removed], dtype=np.int64)
    if not len(ids):
        return
    rng = np.random.default_rng(seed)
    values = rng.integers(-(2**62), 2**62, len(ids))
    asked = rng.choice(ids, size=50)
    assert np.array_equal(
        stored_keys(ids, values, asked), stored_keys_by_search(ids, values, asked)
    )


def test_exhaustive_search_is_symmetric_and_skips_identical_sentences() -> None:
    vectors = clustered(7, 300)
    keys = list(range(300))
    keys[5] = keys[6]  # the same sentence twice: never each other's neighbour
    search = SentenceSearch()
    search.add(vectors, range(300), keys)
    hits = _pairs(search.search(vectors, keys, 0.7, most=1000))
    assert hits and all((i, q) in hits for q, i in hits)
    assert (5, 6) not in hits and all(q != i for q, i in hits)


def test_results_do_not_depend_on_the_order_vectors_were_added() -> None:
    vectors = clustered(3, 500)
    keys = list(range(500))
    centroids = train_cells(vectors[:200], 20)
    forward, backward = SentenceSearch(centroids), SentenceSearch(centroids)
    forward.add(vectors, range(500), keys)
    order = np.arange(500)[::-1]
    backward.add(vectors[order], order.tolist(), [keys[i] for i in order])
    assert _pairs(forward.search(vectors, keys, 0.6, 5)) == _pairs(
        backward.search(vectors, keys, 0.6, 5)
    )


def test_training_is_deterministic_and_saved_searches_answer_alike(tmp_path: object) -> None:
    from pathlib import Path

    vectors = clustered(11, 800)
    first, second = train_cells(vectors, 30), train_cells(vectors.copy(), 30)
    assert np.array_equal(first, second)
    search = SentenceSearch(first)
    search.add(vectors, range(800), list(range(800)))
    folder = Path(str(tmp_path))
    search.save(str(folder / "v.faiss"), str(folder / "v.npz"))
    loaded = SentenceSearch.load(str(folder / "v.faiss"), str(folder / "v.npz"))
    keys = list(range(800))
    assert np.array_equal(loaded.search(vectors, keys, 0.6), search.search(vectors, keys, 0.6))


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    most=st.integers(1, 8),
    steps=st.lists(st.tuples(st.booleans(), st.integers(1, 60)), min_size=1, max_size=6),
)
def test_a_mapped_search_with_changes_beside_it_answers_as_one_search(
    tmp_path_factory: object, seed: int, most: int, steps: list[tuple[bool, int]]
) -> None:
    """An index maps its saved search from the file and keeps later adds and removals beside
    it (``extra``, ``hidden``): every search must equal one search over the vectors that remain,
    crowded cells (a small ``most``) and removed vectors among the best included."""
    import itertools

    folder = tmp_path_factory.mktemp("mapped")  # type: ignore[attr-defined]
    rng = np.random.default_rng(seed)
    vectors = clustered(seed, 900)
    keys = [int(k) for k in rng.integers(0, 700, len(vectors))]
    centroids = train_cells(vectors[rng.permutation(900)[:300]], 24)
    base = SentenceSearch(centroids)
    base.add(vectors[:400], range(400), keys[:400])
    base.save(str(folder / "v.faiss"), str(folder / "v.npz"))
    mapped = SentenceSearch.load(str(folder / "v.faiss"), str(folder / "v.npz"), mapped=True)
    assert mapped.mapped
    alive, fresh = set(range(400)), itertools.count(400)
    for removing, count in steps:
        if removing:
            gone = sorted(rng.choice(sorted(alive), min(count, len(alive) - 1), replace=False))
            mapped.remove([int(i) for i in gone])
            alive -= {int(i) for i in gone}
        else:
            new = [i for _, i in zip(range(count), fresh, strict=False) if i < 900]
            mapped.add(vectors[new], new, [keys[i] for i in new])
            alive |= set(new)
    whole = SentenceSearch(centroids)
    ids = sorted(alive)
    whole.add(vectors[ids], ids, [keys[i] for i in ids])
    assert mapped.size == whole.size == len(alive)
    assert _pairs(mapped.search(vectors, keys, 0.6, most)) == _pairs(
        whole.search(vectors, keys, 0.6, most)
    )
    for q in range(0, len(vectors), 11):  # one query at a time: the few-queries path
        one = (vectors[q : q + 1], keys[q : q + 1], 0.6, most)
        assert _pairs(mapped.search(*one)) == _pairs(whole.search(*one))


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    cells=st.integers(1, 60),
    k=st.integers(1, 20),
    copies=st.integers(0, 5),
)
def test_nearest_cells_are_the_exact_best_with_ties_to_the_lower_cell(
    seed: int, cells: int, k: int, copies: int
) -> None:
    """faiss picks the candidates; the answer must still be the exhaustive definition, also
    when cells tie exactly (repeated centroids give equal integer scores)."""
    from wiretrace.scan.nearest import _ordered_best

    rng = np.random.default_rng(seed)
    centroids = clustered(seed, cells)
    if copies:  # exact ties: some centroids twice, at other positions
        repeated = centroids[rng.integers(0, cells, copies)]
        centroids = np.ascontiguousarray(
            np.vstack([centroids, repeated])[rng.permutation(cells + copies)]
        )
    vectors = np.vstack([clustered(seed + 1, 300), centroids[:5]])  # some sit on a centroid
    expected = _ordered_best(vectors @ centroids.T, k)
    assert np.array_equal(nearest_cells(vectors, centroids, k), expected)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(1, 14), min_size=2, max_size=7),
    st.data(),
)
def test_array_decision_equals_the_per_pair_definition(
    sentences_per_doc: list[int], data: st.DataObject
) -> None:
    """semantic_decision_fast (the local engine and the index, in arrays, block by block) decides the same
    pairs as semantic_decision (Spark, pair by pair), however the hits are split into blocks and
    the documents into groups (their keys merged block by block), with rows in document order (a scan) or not (an index)."""
    in_order = [doc for doc, n in enumerate(sentences_per_doc) for _ in range(n)]
    owners = data.draw(st.sampled_from([in_order, data.draw(st.permutations(in_order))]))
    groups = data.draw(st.integers(1, 5))
    merge_after = data.draw(st.integers(1, 4))
    row = st.integers(0, len(owners) - 1)
    hits = data.draw(st.lists(st.tuples(row, row), max_size=80))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(hits)), max_size=8)))
    min_sentences = data.draw(st.integers(1, 4))
    share = data.draw(st.sampled_from([0.0, 0.1, 0.25, 1 / 3, 0.5, 1.0]))
    config = CandidateConfig(semantic_min_sentences=min_sentences, semantic_min_share=share)
    array = np.asarray(hits, dtype=np.int64).reshape(-1, 2)
    blocks = [array[a:b] for a, b in zip([0, *cuts], [*cuts, len(hits)], strict=True)]
    owner_of = np.asarray(owners, dtype=np.int64)
    per_doc = np.bincount(owner_of)
    position = [owners[:r].count(owners[r]) for r in range(len(owners))]
    name = [f"d{doc}" for doc in range(len(sentences_per_doc))]
    matches = [(name[owners[q]], position[q], name[owners[i]], position[i]) for q, i in hits]
    counts = {name[doc]: n for doc, n in enumerate(sentences_per_doc)}
    expected = {(int(a[1:]), int(b[1:])) for a, b in semantic_decision(matches, counts, config)}
    decide = functools.partial(
        semantic_decision_fast, groups=groups, merge_after=merge_after, config=config
    )
    assert set(decide(iter(blocks), owner_of, per_doc)) == expected
    assert set(decide(array, owner_of, per_doc)) == expected


def test_a_pair_needs_a_share_of_the_shorter_document() -> None:
    """Two near-neighbour sentences, and one in ten of the shorter document's: a whole number of
    sentences is not rounded up by the float product (0.1 x 30 is 3.0000000000000004)."""
    config = CandidateConfig()
    assert config.semantic_need(30, 45) == 3
    assert config.semantic_need(31, 60) == 4
    assert config.semantic_need(12, 60) == 2
    assert config.semantic_need(1, 60) == 1
    assert CandidateConfig(semantic_min_share=0.0).semantic_need(60, 60) == 2


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 30), st.integers(0, 4), st.booleans()),
        max_size=80,
    ),
    st.integers(1, 4),
)
def test_fast_neighbour_cap_equals_the_readable_definition(
    hits: list[tuple[int, int, int, bool]], most: int
) -> None:
    """keep_nearest_fast (arrays, the local engine and the index) keeps, per query row, what
    keep_nearest (the definition Spark runs) keeps: the ``most`` best by score, then lowest id."""
    import numpy as np

    from wiretrace.scan.nearest import keep_nearest_fast

    unique = list(
        {(row, stored): (row, stored, score, keep) for row, stored, score, keep in hits}.values()
    )
    rows = np.array([h[0] for h in unique], dtype=np.int64)
    ids = np.array([h[1] for h in unique], dtype=np.int64)
    scores = np.array([float(h[2]) for h in unique], dtype=np.float32)
    keep = np.array([h[3] for h in unique], dtype=bool)
    fast_rows, fast_ids, _ = keep_nearest_fast(rows, ids, scores, keep, most)
    expected = set()
    for row in set(rows[keep].tolist()):
        found = [
            (float(s), int(i), int(i))
            for r, i, s, k in zip(rows, ids, scores, keep, strict=True)
            if k and r == row
        ]
        expected |= {(row, i) for _, _, i in keep_nearest(found, most)}
    assert set(zip(fast_rows.tolist(), fast_ids.tolist(), strict=True)) == expected


@given(st.lists(st.integers(-(2**40), 2**40), max_size=200))
def test_sorted_runs_equal_numpy_unique_with_counts(values: list[int]) -> None:
    from wiretrace.scan.candidates import _sorted_runs

    expected = np.unique(np.asarray(values, dtype=np.int64), return_counts=True)
    found = _sorted_runs(np.asarray(values, dtype=np.int64))
    assert np.array_equal(found[0], expected[0]) and np.array_equal(found[1], expected[1])
