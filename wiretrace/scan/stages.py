"""The scan's stages: reprint families in a corpus, paraphrased copies included, engine-free.

Each stage is a pure function of the previous one's output, so that every engine runs them alike
(the local driver is :mod:`wiretrace.engines.local`, Spark's :mod:`wiretrace.engines.spark`):

1. :func:`prepare`: segment every document; sentence hashes, MinHash band keys and the distinctive
   sentences for the vector search.
2. :func:`candidate_pairs`: exact sentences, MinHash LSH, then the semantic stage (static vectors),
   as :mod:`wiretrace.scan.candidates` defines them, and pairs across languages (shared rare
   names and figures, :mod:`wiretrace.scan.languages`).
3. :func:`verify`: the compare alignment on candidate pairs only; an edge is kept when compare's
   verdict says derived.
4. :func:`~wiretrace.scan.families.build_families`, then each family's origin
   (:func:`assign_origins`: by collating it, by dates, or from the derived graph).
5. Optional outlet profiles (:mod:`wiretrace.scan.outlets`).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar

from wiretrace.comparer import Comparer
from wiretrace.config import CompareConfig
from wiretrace.errors import InputError
from wiretrace.models.embed import Encoder
from wiretrace.progress import Progress, quiet
from wiretrace.scan.candidates import (
    CandidateConfig,
    Pair,
    band_keys,
    crowded_holders,
    distinctive_sentences,
    exact_pairs,
    minhash_pairs,
    recurring_lines,
    semantic_pairs,
    sentence_hash,
    sentence_hashes,
    signatures,
)
from wiretrace.scan.families import Edge, Family
from wiretrace.scan.languages import Tongue, anchors, cross_language_pairs, tongue_of
from wiretrace.scan.outlets import OutletProfile
from wiretrace.text.documents import Document
from wiretrace.text.language import codes_differ
from wiretrace.text.segment import Unit, segment

if TYPE_CHECKING:
    from wiretrace.collate import Collator

#: The most processes ``ScanConfig(workers=None)`` starts on its own.
AUTO_WORKERS = 4


@dataclass(frozen=True)
class ScanConfig:
    compare: CompareConfig = field(default_factory=CompareConfig)
    candidates: CandidateConfig = field(default_factory=CandidateConfig)
    #: Families up to this size get their origin from a full collation; larger ones from the
    #: derived graph (the most central member, then the earliest date).
    max_collate: int = 200
    #: Processes that prepare documents, verify candidate pairs and collate families. ``None``:
    #: one per core (up to ``AUTO_WORKERS``) with ``lexical``, which loads no model, and one
    #: otherwise, because the encoder already runs on every core (measured on 2 cores: 12.9 s
    #: for 1,000 articles with one process, 14.0 with two). More help on machines with many cores.
    workers: int | None = None
    #: Words only (``--lexical-only``): no semantic candidate stage, and candidate pairs verified
    #: by aligning words without the model. Verbatim, trimmed and edited copies are found several
    #: times faster; spun copies mostly are not.
    lexical: bool = False

    def __post_init__(self) -> None:
        if self.workers is not None and self.workers < 1:
            raise ValueError("ScanConfig.workers must be 1 or more processes (or None: automatic)")

    @property
    def processes(self) -> int:
        """How many processes the scan runs in (``workers``, or the automatic choice)."""
        if self.workers is not None:
            return self.workers
        return min(os.cpu_count() or 1, AUTO_WORKERS) if self.lexical else 1

    @property
    def semantic(self) -> bool:
        """Whether the semantic candidate stage runs."""
        return self.candidates.semantic and not self.lexical

    def comparer(self, encoder: Encoder | None = None) -> Comparer:
        """The comparer that verifies candidate pairs under this configuration."""
        return Comparer(self.compare, encoder, lexical=self.lexical)


@dataclass
class Prepared:
    """One document made ready for candidate search; small, so engines can ship it around."""

    doc: Document
    units: list[Unit]
    hashes: set[int]
    bands: list[int]
    sentences: list[str]
    #: Its language and its names and figures, for pairs across languages.
    tongue: Tongue = field(default_factory=lambda: Tongue("und", frozenset()))


def prepare(
    documents: Sequence[Document], config: ScanConfig, with_anchors: bool = False
) -> list[Prepared]:
    """Each document segmented, hashed and its language read. ``with_anchors``: also its
    names and figures (unless the scan is words only), for an engine that keeps them (the index
    stores them, Spark joins on them); a local scan reads them in :func:`candidate_pairs` only
    when the corpus has two languages (at 100,000 articles in one language they held 1.3 GB)."""
    units = [segment(d.text) for d in documents]
    sigs = signatures([d.text for d in documents], config.candidates)
    return [
        Prepared(
            d,
            u,
            sentence_hashes(u, config.candidates),
            band_keys(sig, config.candidates),
            distinctive_sentences(u, config.candidates),
            tongue_of(d.text, with_anchors=with_anchors and config.semantic),
        )
        for d, u, sig in zip(documents, units, sigs, strict=True)
    ]


def tongues_with_anchors(
    prepared: Sequence[Prepared], covered: AbstractSet[str]
) -> dict[str, Tongue]:
    """Each document's language, and its anchors when the cross-language stage will read
    them: when two or more of the corpus's languages are ``covered``."""
    tongues = {p.doc.id: p.tongue for p in prepared}
    if len({t.language for t in tongues.values()} & covered) < 2:
        return tongues
    return {
        p.doc.id: Tongue(p.tongue.language, anchors(p.doc.text, p.tongue.language))
        for p in prepared
    }


@dataclass(frozen=True)
class StageCounts:
    exact: int
    minhash: int
    semantic: int
    candidates: int
    edges: int = 0
    languages: int = 0  # pairs across languages

    def to_dict(self) -> dict[str, int]:
        return {
            "exact": self.exact,
            "minhash": self.minhash,
            "semantic": self.semantic,
            "languages": self.languages,
            "candidates": self.candidates,
            "edges": self.edges,
        }


def corpus_boilerplate(prepared: Sequence[Prepared], config: ScanConfig) -> set[int]:
    """The corpus's recurring lines (:func:`~wiretrace.scan.candidates.recurring_lines`)."""
    cfg = config.candidates
    holders = crowded_holders({p.doc.id: p.hashes for p in prepared}, cfg.recurring_docs)
    involved = {doc for docs in holders.values() for doc in docs}
    bands = {p.doc.id: p.bands for p in prepared if p.doc.id in involved}
    return recurring_lines(holders, bands, cfg)


def candidate_pairs(
    prepared: Sequence[Prepared], config: ScanConfig, progress: Progress = quiet
) -> tuple[list[Pair], StageCounts]:
    cfg = config.candidates
    exact = exact_pairs({p.doc.id: p.hashes for p in prepared}, cfg)
    lsh = minhash_pairs({p.doc.id: p.bands for p in prepared}, cfg)
    semantic: set[Pair] = set()
    if config.semantic:
        from wiretrace.models.static import default_static_encoder

        semantic = semantic_pairs(
            {p.doc.id: p.sentences for p in prepared}, default_static_encoder(), cfg, progress
        )
    across: set[Pair] = set()
    if config.semantic:
        from wiretrace.models.multilingual import COVERED_LANGUAGES

        across = cross_language_pairs(
            tongues_with_anchors(prepared, COVERED_LANGUAGES), COVERED_LANGUAGES
        )
    pairs = sorted(exact | lsh | semantic | across)
    return pairs, StageCounts(
        len(exact), len(lsh), len(semantic), len(pairs), languages=len(across)
    )


def without_recurring(units: list[Unit], recurring: AbstractSet[int]) -> list[Unit]:
    """The units, with those whose sentence recurs across unrelated documents of the corpus
    (:func:`~wiretrace.scan.candidates.recurring_lines`) marked boilerplate."""
    if not recurring:
        return units
    return [
        replace(u, role="boilerplate") if u.is_body and sentence_hash(u.key) in recurring else u
        for u in units
    ]


def verify_pair(
    comparer: Comparer, a: Prepared, b: Prepared, recurring: AbstractSet[int] = frozenset()
) -> Edge | None:
    """The compare verdict on one candidate pair; an edge when derived. Sentences in
    ``recurring`` are the corpus's boilerplate: never evidence."""
    units_a, units_b = without_recurring(a.units, recurring), without_recurring(b.units, recurring)
    result = comparer.compare_units(a.doc, units_a, b.doc, units_b, findings=False, edits=False)
    if not result.verdict.derived:
        return None
    evidence = [s for s in result.segments if s.aligned and not s.boilerplate]
    covered_a = frozenset(i for s in evidence for i in s.units_a)
    covered_b = frozenset(j for s in evidence for j in s.units_b)
    v = result.verdict
    return Edge(a.doc.id, b.doc.id, v.relation, v.shared_a, v.shared_b, covered_a, covered_b)


#: Pairs whose passages are embedded together before they are verified one by one: one pair
#: alone often leaves a core idle (a single reworded sentence), many keep both busy.
PREFETCH_PAIRS = 64


def _prefetch_across(pairs: Sequence[tuple[Prepared, Prepared]]) -> None:
    """Encode at once, with the multilingual encoder, the passages of the pairs in two languages
    (in one batch the encoder runs about 15% faster than pair by pair; results are unchanged:
    each passage is encoded alone whatever its company)."""
    across = [
        p for a, b in pairs if codes_differ(a.tongue.language, b.tongue.language) for p in (a, b)
    ]
    if not across:
        return
    from wiretrace.models.multilingual import covers, shared_encoder

    texts = [u.text for p in across if covers(p.tongue.language) for u in p.units]
    if texts:
        shared_encoder().encode(list(dict.fromkeys(texts)))


def verify(
    pairs: Sequence[Pair],
    prepared: Mapping[str, Prepared],
    comparer: Comparer,
    progress: Progress = quiet,
    recurring: AbstractSet[int] = frozenset(),
) -> list[Edge]:
    """Verify candidate pairs in this process; edges in pair order."""
    edges = []
    for first in range(0, len(pairs), PREFETCH_PAIRS):
        chunk = pairs[first : first + PREFETCH_PAIRS]
        comparer.prefetch((prepared[a].units, prepared[b].units) for a, b in chunk)
        _prefetch_across([(prepared[a], prepared[b]) for a, b in chunk])
        for done, (a, b) in enumerate(chunk, start=first + 1):
            edge = verify_pair(comparer, prepared[a], prepared[b], recurring)
            if edge is not None:
                edges.append(edge)
            if done % 25 == 0 or done == len(pairs):
                progress("verifying candidate pairs", done, len(pairs))
    return edges


def _graph_origin(family: Family, documents: Mapping[str, Document]) -> tuple[str | None, str]:
    """For families too large to collate: the member others derive most of their text from."""
    weight: dict[str, float] = defaultdict(float)
    for edge in family.edges:
        weight[edge.a] += edge.shared_b  # how much of b the a side explains
        weight[edge.b] += edge.shared_a
    dated = [m for m in family.members if documents[m].date]
    best = min(family.members, key=lambda m: (-round(weight[m], 6), documents[m].date or "9999", m))
    note = (
        f"{best} explains the most text of the other members ({weight[best]:.1f} documents' worth)"
    )
    if dated:
        note += f"; dates known for {len(dated)} members"
    return best, note + "."


def needs_collation(family: Family, config: ScanConfig) -> bool:
    """Whether the family's origin comes from collating its members (3 to ``max_collate``)."""
    return 2 < len(family.members) <= config.max_collate


def family_origin(
    family: Family,
    documents: Mapping[str, Document],
    config: ScanConfig,
    collator: Collator,
    units: Mapping[str, list[Unit]] | None = None,
) -> tuple[str | None, str]:
    """A family's origin and the evidence: dates for two members, a collation up to
    ``max_collate`` members, the derived graph beyond. ``units``: documents already segmented."""
    if needs_collation(family, config):
        collation = collator.collate([documents[m] for m in family.members], segmented=units)
        return collation.origin, collation.origin_evidence
    if len(family.members) > 2:
        return _graph_origin(family, documents)
    a, b = (documents[m] for m in family.members)
    if a.date and b.date and a.date != b.date:
        first = a if a.date < b.date else b
        return first.id, f"{first.id} is dated earlier ({first.date})."
    return None, "Two members: without dates neither can be named the origin."


def assign_origins(
    families: list[Family],
    documents: Mapping[str, Document],
    comparer: Comparer,
    config: ScanConfig,
    units: Mapping[str, list[Unit]] | None = None,
) -> None:
    """Set each family's origin and evidence (:func:`family_origin`), in this process."""
    from wiretrace.collate import Collator

    collator = Collator(comparer, detail=False)
    for family in families:
        family.origin, family.origin_evidence = family_origin(
            family, documents, config, collator, units
        )


def collate_families(
    families: Sequence[Family], documents: dict[str, Document], limit: int = 50
) -> dict[str, Any]:
    """Collations of the first ``limit`` families (3 to 30 members), for reports to open."""
    from wiretrace.collate import Collator

    collator = Collator(detail=False)
    return {
        f.id: collator.collate([documents[m] for m in f.members])
        for f in families[:limit]
        if 2 < len(f.members) <= 30
    }


@dataclass
class ScanResult:
    documents: int
    families: list[Family]
    stages: StageCounts | None  # None for an index's families: no candidate search was run
    seconds: dict[str, float]
    outlets: list[OutletProfile] | None = None

    SCHEMA: ClassVar[str] = "wiretrace.families/1"

    def to_dict(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "schema": self.SCHEMA,
            "documents": self.documents,
            "families": [f.to_dict() for f in self.families],
        }
        if self.stages is not None:
            payload["stages"] = self.stages.to_dict()
        if self.outlets is not None:
            payload["outlets"] = [o.to_dict() for o in self.outlets]
        return payload


def check_unique(documents: Sequence[Document]) -> None:
    seen: set[str] = set()
    for doc in documents:
        if doc.id in seen:
            raise InputError(f"duplicate id {doc.id!r}; ids must be unique within one input")
        seen.add(doc.id)
