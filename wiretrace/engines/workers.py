"""Worker processes for a local scan: one pool, started once and shared by the stages that split
into independent pieces (preparing documents, verifying candidate pairs, collating families).

A stage gives the same result in one process or in several (tested): pieces come back in order,
and every worker builds its comparer from the same settings. Workers are spawned, not forked: a
forked child would inherit the parent's model threads mid-flight.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from wiretrace.comparer import Comparer
from wiretrace.config import CompareConfig
from wiretrace.progress import Progress
from wiretrace.scan.candidates import Pair
from wiretrace.scan.families import Edge, Family
from wiretrace.scan.stages import (
    Prepared,
    ScanConfig,
    assign_origins,
    family_origin,
    needs_collation,
    prepare,
    verify,
    verify_pair,
)
from wiretrace.text.documents import Document
from wiretrace.text.segment import Unit

#: Below this many documents, starting workers costs more than they save: each start imports
#: the pipeline (and, unless lexical, loads the model).
PARALLEL_FROM = 400
#: Pieces small enough to keep every worker busy to the end, large enough that sending them
#: costs little next to the work. Pairs come sorted by their first id, so a piece's pairs share
#: documents.
DOCUMENTS_PER_PIECE = 200
PAIRS_PER_PIECE = 40
FAMILIES_PER_PIECE = 4

T = TypeVar("T")


def _pieces(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[first : first + size] for first in range(0, len(items), size)]


@dataclass
class Workers:
    """The scan's stages, run in ``pool`` when there is one and in this process otherwise."""

    config: ScanConfig
    comparer: Comparer
    pool: Executor | None = None

    @classmethod
    @contextmanager
    def start(cls, config: ScanConfig, comparer: Comparer, documents: int) -> Iterator[Workers]:
        """``config.processes`` workers for a corpus of ``documents``; none when one would do."""
        if config.processes < 2 or documents < PARALLEL_FROM:
            yield cls(config, comparer)
            return
        with ProcessPoolExecutor(
            config.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start,
            initargs=(config, comparer.config, comparer.lexical),
        ) as pool:
            yield cls(config, comparer, pool)

    def prepare(self, documents: Sequence[Document], progress: Progress) -> list[Prepared]:
        if self.pool is None:
            return prepare(documents, self.config)
        prepared: list[Prepared] = []
        for piece in self.pool.map(_prepare, _pieces(documents, DOCUMENTS_PER_PIECE)):
            prepared.extend(piece)
            progress("preparing documents", len(prepared), len(documents))
        return prepared

    def verify(
        self,
        pairs: Sequence[Pair],
        prepared: Mapping[str, Prepared],
        progress: Progress,
        recurring: frozenset[int] = frozenset(),
    ) -> list[Edge]:
        """Edges in pair order, as :func:`wiretrace.scan.stages.verify` gives them."""
        if self.pool is None:
            return verify(pairs, prepared, self.comparer, progress, recurring)
        pieces = _pieces(pairs, PAIRS_PER_PIECE)
        work = [([(prepared[a], prepared[b]) for a, b in piece], recurring) for piece in pieces]
        edges: list[Edge] = []
        done = 0
        for piece, found in zip(pieces, self.pool.map(_verify, work), strict=True):
            edges.extend(found)
            done += len(piece)
            progress("verifying candidate pairs", done, len(pairs))
        return edges

    def assign_origins(
        self,
        families: list[Family],
        documents: Mapping[str, Document],
        units: Mapping[str, list[Unit]],
    ) -> None:
        """Origins as :func:`wiretrace.scan.stages.assign_origins` sets them; collations in workers."""
        collated = [f for f in families if needs_collation(f, self.config)]
        if self.pool is None or not collated:
            assign_origins(families, documents, self.comparer, self.config, units)
            return
        work = [
            [
                (f, {m: documents[m] for m in f.members}, {m: units[m] for m in f.members})
                for f in piece
            ]
            for piece in _pieces(collated, FAMILIES_PER_PIECE)
        ]
        found = (origin for piece in self.pool.map(_origins, work) for origin in piece)
        for family, (origin, evidence) in zip(collated, found, strict=True):
            family.origin, family.origin_evidence = origin, evidence
        rest = [f for f in families if not needs_collation(f, self.config)]
        assign_origins(rest, documents, self.comparer, self.config, units)


# What each worker process holds, set once by _start.
_CONFIG: ScanConfig | None = None
_COMPARER: Comparer | None = None


def _start(config: ScanConfig, compare: CompareConfig, lexical: bool) -> None:
    global _CONFIG, _COMPARER
    from wiretrace.models.embed import default_encoder

    _CONFIG = config
    _COMPARER = Comparer(compare, None if lexical else default_encoder(threads=1), lexical=lexical)


def _prepare(documents: Sequence[Document]) -> list[Prepared]:
    assert _CONFIG is not None
    return prepare(documents, _CONFIG)


def _verify(work: tuple[list[tuple[Prepared, Prepared]], frozenset[int]]) -> list[Edge]:
    assert _COMPARER is not None
    pairs, recurring = work
    return [edge for a, b in pairs if (edge := verify_pair(_COMPARER, a, b, recurring)) is not None]


def _origins(
    families: list[tuple[Family, dict[str, Document], dict[str, list[Unit]]]],
) -> list[tuple[str | None, str]]:
    from wiretrace.collate import Collator

    assert _CONFIG is not None and _COMPARER is not None
    collator = Collator(_COMPARER, detail=False)
    return [
        family_origin(family, documents, _CONFIG, collator, units)
        for family, documents, units in families
    ]
