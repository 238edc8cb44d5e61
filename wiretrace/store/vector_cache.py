"""The index's vector search cache: a faiss file and the keys beside it (the *base*), plus one
small file per add since (the *deltas*: the add's vectors and the ids it removed), all stamped with
the database's vectors token. The database stays the single source of truth; a cache whose stamp
disagrees with it is rebuilt from the vectors table.

An add writes only its own delta, so it costs what its documents hold, not what the index holds
(at 100,000 articles the base is gigabytes: reading and rewriting it on every add was most of an
add's growth). A reader maps the base from the file and keeps the deltas in memory beside it
(:class:`~wiretrace.scan.nearest.SentenceSearch`'s ``extra`` and ``hidden``). When the deltas
hold more than a quarter of the base's vectors, or 50,000 vectors, they are folded into a new
base, so the rewrite is paid once per that much growth, and a process opening the index reads
at most that many into memory. Writes are atomic (temporary file, then rename), and the
stamp is written last: a crash in between leaves a stamp that disagrees with the database, which
means a rebuild, never a wrong answer.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import numpy as np

from wiretrace.scan.nearest import SentenceSearch

#: Deltas are folded into the base when they hold more than this share of its vectors, or
#: more than ``FOLD_MOST`` vectors: every process that opens the index reads them all into
#: memory (about 1.5 s per 100,000 vectors on this machine's 2 cores), where the base is mapped.
FOLD_SHARE = 0.25
FOLD_MOST = 50_000


@dataclass(frozen=True)
class Delta:
    """What one add changed in the search: vectors added (quantised, as the search holds them),
    their ids and sentence hashes, the cell each went to (``None`` without cells), and the ids
    of vectors removed."""

    vectors: Any
    ids: list[int]
    keys: list[int]
    removed: list[int]
    cells: Any = None

    def apply(self, search: SentenceSearch) -> None:
        search.remove(self.removed)
        search.add(self.vectors, self.ids, self.keys, self.cells)  # int16: add converts


class VectorCache:
    """The cache files of one index directory."""

    def __init__(self, folder: Path, format_version: int) -> None:
        self.folder = folder
        self.format_version = format_version
        self.base = folder / "vectors.faiss"
        self.keys = folder / "vectors.npz"
        self.stamp = folder / "vectors.json"

    def _read_stamp(self) -> dict[str, Any]:
        try:
            stamp = json.loads(self.stamp.read_text())
        except (OSError, ValueError):
            return {}
        return stamp if isinstance(stamp, dict) else {}

    def _delta(self, name: str) -> Delta:
        with np.load(self.folder / name) as saved:
            return Delta(
                saved["vectors"],
                saved["ids"].astype(np.int64).tolist(),
                saved["keys"].astype(np.int64).tolist(),
                saved["removed"].astype(np.int64).tolist(),
                saved["cells"].astype(np.int64) if len(saved["cells"]) else None,
            )

    def load(self, token: str, mapped: bool = True) -> SentenceSearch | None:
        """The cached search when its stamp matches ``token`` (the base mapped from its file when
        ``mapped`` and it has cells; the deltas applied), else ``None``."""
        stamp = self._read_stamp()
        if stamp.get("token") != token:
            return None
        # Whatever makes a cache file unreadable (truncated, not a zip, wrong arrays) means a
        # rebuild from the database, never an error.
        with contextlib.suppress(OSError, ValueError, RuntimeError, KeyError, EOFError, BadZipFile):
            search = SentenceSearch.load(str(self.base), str(self.keys), mapped=mapped)
            for name in stamp.get("deltas", []):
                self._delta(name).apply(search)
            return search
        return None

    def save(
        self, search: SentenceSearch, token: str, delta: Delta | None = None, previous: str = ""
    ) -> None:
        """Record ``search`` under ``token``: as ``delta`` beside the cache stamped ``previous``
        (what the search was before ``delta``), or, without a delta (a search built afresh), as
        a new base. Errors are swallowed: the cache is only a cache (a read-only index keeps the
        one it has, and a cache that disagrees with the database is rebuilt from it)."""
        with contextlib.suppress(OSError, RuntimeError):
            if delta is None:
                self._save_base(search, token)
            elif self._read_stamp().get("token") == previous:
                self._save_delta(delta, token)
            elif not search.mapped:  # another writer's cache: this search holds everything
                self._save_base(search, token)
            else:  # leave no stamp that could be trusted
                self.stamp.unlink(missing_ok=True)

    def _save_base(self, search: SentenceSearch, token: str) -> None:
        old = self._read_stamp().get("deltas", [])
        # The stamp goes first and comes back last: a crash in between leaves no stamp, so the
        # next open rebuilds rather than trusting half-written files.
        self.stamp.unlink(missing_ok=True)
        search.save(str(self.base) + ".tmp", str(self.keys) + ".tmp")
        os.replace(str(self.base) + ".tmp", self.base)
        os.replace(str(self.keys) + ".tmp", self.keys)
        self._write_stamp({"token": token, "deltas": [], "delta_vectors": 0})
        for name in old:
            (self.folder / name).unlink(missing_ok=True)

    def _save_delta(self, delta: Delta, token: str) -> None:
        stamp = self._read_stamp()
        deltas = list(stamp.get("deltas", []))
        if delta.ids or delta.removed:
            name = f"vectors-{token}.npz"
            with open(self.folder / (name + ".tmp"), "wb") as handle:
                np.savez(
                    handle,
                    vectors=np.asarray(delta.vectors, dtype=np.int16),
                    ids=np.asarray(delta.ids, dtype=np.int64),
                    keys=np.asarray(delta.keys, dtype=np.int64),
                    removed=np.asarray(delta.removed, dtype=np.int64),
                    # None (no cells): an empty array
                    cells=np.asarray([] if delta.cells is None else delta.cells, dtype=np.int32),
                )
            os.replace(self.folder / (name + ".tmp"), self.folder / name)
            deltas.append(name)
        held = int(stamp.get("delta_vectors", 0)) + len(delta.ids)
        self._write_stamp({"token": token, "deltas": deltas, "delta_vectors": held})
        if held > min(FOLD_MOST, FOLD_SHARE * max(1, self._base_size())):
            folded = self.load(token, mapped=False)
            if folded is not None:
                self._save_base(folded, token)

    def _base_size(self) -> int:
        with np.load(self.keys) as saved:
            return len(saved["ids"])

    def _write_stamp(self, stamp: dict[str, Any]) -> None:
        stamp["format_version"] = self.format_version
        self.stamp.with_suffix(".tmp").write_text(json.dumps(stamp))
        os.replace(self.stamp.with_suffix(".tmp"), self.stamp)
