"""The index's vector cache: a mapped base and one delta file per add, folded into a new base
when the deltas grow past a quarter of it; what it loads always answers as one search over the
vectors that remain."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from wiretrace.scan.nearest import SentenceSearch, train_cells
from wiretrace.store.vector_cache import Delta, VectorCache

from .test_nearest import _pairs, clustered


def test_adds_write_deltas_then_fold_them_into_the_base(tmp_path: Path) -> None:
    vectors = clustered(5, 700)
    keys = list(range(700))
    centroids = train_cells(vectors[:300], 20)
    first = SentenceSearch(centroids)
    first.add(vectors[:400], range(400), keys[:400])
    cache = VectorCache(tmp_path, 2)
    cache.save(first, "t0")  # a new base
    alive = set(range(400))
    previous = "t0"
    for step, start in enumerate(range(400, 700, 40), start=1):
        search = cache.load(previous)
        assert search is not None and search.mapped
        new = list(range(start, min(start + 40, 700)))
        removed = [start - 400]  # one stored vector replaced per add
        search.remove(removed)
        cells = search.add(vectors[new], new, [keys[i] for i in new])
        assert cells is not None  # saved with the delta: a reader does not look them up again
        delta = Delta(vectors[new], new, [keys[i] for i in new], removed, cells)
        token = f"t{step}"
        cache.save(search, token, delta, previous)
        alive = (alive | set(new)) - set(removed)
        previous = token
        loaded = cache.load(token)
        assert loaded is not None
        whole = SentenceSearch(centroids)
        ids = sorted(alive)
        whole.add(vectors[ids], ids, [keys[i] for i in ids])
        assert _pairs(loaded.search(vectors, keys, 0.6, 3)) == _pairs(
            whole.search(vectors, keys, 0.6, 3)
        )
        stamp = cache._read_stamp()
        assert stamp["delta_vectors"] <= 0.25 * len(alive) + 40
        assert len(list(tmp_path.glob("vectors-*.npz"))) == len(stamp["deltas"])
    # 300 vectors were added to a base of 400: at least one fold happened on the way.
    with np.load(tmp_path / "vectors.npz") as saved:
        assert len(saved["ids"]) > 400


def test_a_stale_or_missing_stamp_is_never_trusted(tmp_path: Path) -> None:
    vectors = clustered(6, 300)
    cache = VectorCache(tmp_path, 2)
    search = SentenceSearch(train_cells(vectors, 10))
    search.add(vectors, range(300), list(range(300)))
    cache.save(search, "t0")
    assert cache.load("t1") is None  # the database moved on: rebuild
    mapped = cache.load("t0")
    assert mapped is not None
    delta = Delta(np.zeros((0, 256), np.float32), [], [], [3])
    delta.apply(mapped)
    cache.save(mapped, "t2", delta, previous="t1")  # built on a cache that is not the stamped one
    assert cache.load("t2") is None and cache.load("t0") is None


def test_an_unreadable_delta_means_a_rebuild_not_an_error(tmp_path: Path) -> None:
    # A delta cut short (a full disk, a copy interrupted) or that is not an archive at all (20
    # vectors beside 200: too few to be folded into the base).
    vectors = clustered(8, 300)
    cache = VectorCache(tmp_path, 2)
    search = SentenceSearch(train_cells(vectors, 10))
    search.add(vectors[:200], range(200), list(range(200)))
    cache.save(search, "t0")
    mapped = cache.load("t0")
    assert mapped is not None
    cells = mapped.add(vectors[200:220], list(range(200, 220)), list(range(200, 220)))
    cache.save(
        mapped,
        "t1",
        Delta(vectors[200:220], list(range(200, 220)), list(range(200, 220)), [], cells),
        "t0",
    )
    (delta,) = tmp_path.glob("vectors-*.npz")
    whole = delta.read_bytes()
    for broken in (whole[: len(whole) // 2], b"PK\x03\x04 not an archive", b""):
        delta.write_bytes(broken)
        assert cache.load("t1") is None
