"""Reprint families: clusters of the "derived" graph that do not chain stories together.

A plain connected-components pass would let one long article that merges two wire stories (or a
wire story and local paragraphs from another) join both stories' families into one, and a few such
articles would chain a whole corpus together. So each document first sorts its neighbours by
*which part of it* they share: neighbours whose aligned passages overlap in this document carry
the same source; neighbours sharing disjoint parts carry different sources. A document whose
neighbours fall into two or more such groups is a **merge**: it joins the family of every source
it carries (overlapping membership), its ``primary`` family being the one it shares most with, and
it never links those families to each other.

A **partial copy** (a reused block under half of both texts: a follow-up story carrying its earlier
story's background paragraphs) joins a document to a family, but never two families: families are
built from the closer copies first; a document with no closer copy then joins the family of each
document it shares a block with (in several, as a merge, linking none); documents that only share
blocks with each other make families of their own; between two documents that each have a closer
copy, a partial copy links nothing. Measured 2026-12-01 (scans as bench/reprints_eval.py scores
them): reprints-dev F1 0.836 -> 0.853 (P 0.824 -> 0.857, R unchanged), reprints-more unchanged
(0.961); on 3,000 documents of bench/families_corpus.py, whose unrelated articles share re-drawn
sentences, the word-only scan's precision went from 0.317 to 0.930 (0.981 to 0.997 on its fresh
text).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Edge:
    """A verified derived pair, with which units of each document the alignment covers."""

    a: str
    b: str
    relation: str
    shared_a: float
    shared_b: float
    units_a: frozenset[int] = frozenset()
    units_b: frozenset[int] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "relation": self.relation,
            "shared_a": round(self.shared_a, 4),
            "shared_b": round(self.shared_b, 4),
        }

    def side(self, doc: str) -> tuple[str, frozenset[int], float]:
        """(the other document, this document's covered units, this document's shared share)."""
        return (
            (self.b, self.units_a, self.shared_a)
            if doc == self.a
            else (self.a, self.units_b, self.shared_b)
        )


@dataclass
class Family:
    id: str
    members: list[str]
    edges: list[Edge]
    merges: list[str] = field(default_factory=list)  # members that also belong to other families
    origin: str | None = None
    origin_evidence: str = ""
    #: Each member's language (ISO 639-1, ``und`` when unknown): families may span languages.
    languages: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "members": self.members,
            "languages": {m: self.languages.get(m, "und") for m in self.members},
            "origin": self.origin,
            "edges": [e.to_dict() for e in self.edges],
            "merges": self.merges,
            "origin_evidence": self.origin_evidence,
        }


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller id wins: the result never depends on the order of the unions.
            self.parent[max(ra, rb)] = min(ra, rb)


def _overlap(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 1.0  # no coverage known: no evidence of two different sources
    return len(a & b) / min(len(a), len(b))


#: Two edges of a document carry the same source when the units they cover overlap this much. On
#: reprints-dev (bench/thresholds.py) 0.3-0.5 tie for the best families (ARI 0.788 against 0.768
#: at 0.2 or less and 0.775 at 0.7); the difference rests on two merged articles.
MIN_SOURCE_OVERLAP = 0.3


def source_groups(
    doc: str, edges: Sequence[Edge], min_overlap: float = MIN_SOURCE_OVERLAP
) -> list[list[Edge]]:
    """This document's edges grouped by the part of it they share (overlapping parts = one group)."""
    groups = _UnionFind()
    sides = [(e, e.side(doc)[1]) for e in edges]
    for i, (_, ui) in enumerate(sides):
        groups.find(str(i))
        for j in range(i):
            if _overlap(ui, sides[j][1]) >= min_overlap:
                groups.union(str(i), str(j))
    by_root: dict[str, list[Edge]] = defaultdict(list)
    for i, (edge, _) in enumerate(sides):
        by_root[groups.find(str(i))].append(edge)
    return sorted(by_root.values(), key=lambda g: sorted(e.side(doc)[0] for e in g))


def family_id(members: Iterable[str]) -> str:
    """A stable id: the same members always give the same id, whatever the run."""
    digest = hashlib.sha256("\n".join(sorted(members)).encode()).hexdigest()
    return f"f-{digest[:12]}"


def _closer_families(edges: Sequence[Edge]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Families of the edges closer than a partial copy: (members by root, merges by root)."""
    by_doc: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges:
        by_doc[edge.a].append(edge)
        by_doc[edge.b].append(edge)
    merges = {doc: groups for doc in by_doc if len(groups := source_groups(doc, by_doc[doc])) > 1}

    links = _UnionFind()
    for edge in edges:
        if edge.a not in merges and edge.b not in merges:
            links.union(edge.a, edge.b)
    # A merge's neighbours that share the same part of it carry one source: link them together.
    for doc, groups in merges.items():
        for group in groups:
            others = [e.side(doc)[0] for e in group if e.side(doc)[0] not in merges]
            for other in others[1:]:
                links.union(others[0], other)
    members: dict[str, set[str]] = defaultdict(set)
    for doc in by_doc:
        if doc not in merges:
            members[links.find(doc)].add(doc)
    # Merges join each family they carry; two merges of the same sources form their own family.
    merge_of: dict[str, set[str]] = defaultdict(set)
    for doc, groups in merges.items():
        for group in groups:
            roots = {links.find(e.side(doc)[0]) for e in group if e.side(doc)[0] not in merges}
            if not roots:
                roots = {links.find(doc)}
                members[links.find(doc)].add(doc)
            for root in roots:
                members[root].add(doc)
                merge_of[root].add(doc)
    return members, merge_of


def _roots_of(members: dict[str, set[str]]) -> dict[str, set[str]]:
    """For each document, the families (by root) it is a member of."""
    roots_of: dict[str, set[str]] = defaultdict(set)
    for root, docs in members.items():
        for doc in docs:
            roots_of[doc].add(root)
    return roots_of


def _attach_partial_copies(
    partial: Sequence[Edge],
    closer: Sequence[Edge],
    members: dict[str, set[str]],
    merge_of: dict[str, set[str]],
) -> None:
    """A partial copy joins a document to a family, never two families. A document with no
    closer copy joins the family of each document it shares a block with (of several, it is in
    each, as a merge is, linking none); documents that only share blocks with each other form
    families of their own; between two documents that each have a closer copy, a partial copy
    links nothing."""
    cored = {d for e in closer for d in (e.a, e.b)}
    roots_of = _roots_of(members)
    joins: dict[str, set[str]] = defaultdict(set)
    for edge in partial:
        if (edge.a in cored) != (edge.b in cored):
            doc, partner = (edge.b, edge.a) if edge.a in cored else (edge.a, edge.b)
            joins[doc] |= roots_of[partner]
    for doc, roots in joins.items():
        for root in roots:
            members[root].add(doc)
            if len(roots) > 1:
                merge_of[root].add(doc)
    placed = cored | joins.keys()
    loose = _UnionFind()
    for edge in partial:
        if edge.a not in placed and edge.b not in placed:
            loose.union(edge.a, edge.b)
    for doc in list(loose.parent):
        members[loose.find(doc)].add(doc)


def build_families(edges: Sequence[Edge]) -> list[Family]:
    closer = [e for e in edges if e.relation != "partial_copy"]
    partial = [e for e in edges if e.relation == "partial_copy"]
    members, merge_of = _closer_families(closer)
    _attach_partial_copies(partial, closer, members, merge_of)
    # Each edge goes to the families holding both its ends (one pass over the edges: looking
    # for them family by family was quadratic, 20,000 families x 100,000 edges at 100,000 articles).
    roots_of = _roots_of(members)
    inside_of: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges:
        for root in roots_of[edge.a] & roots_of[edge.b]:
            inside_of[root].append(edge)
    families = []
    for root, docs in members.items():
        if len(docs) < 2:
            continue
        inside = inside_of[root]
        ordered = sorted(docs)
        families.append(
            Family(
                family_id(ordered),
                ordered,
                sorted(inside, key=lambda e: (e.a, e.b)),
                sorted(merge_of[root]),
            )
        )
    return sorted(families, key=lambda f: (-len(f.members), f.members))
