"""``collate``: many versions of one story, their consensus, how each deviates, and the likely origin.

How it works (and why the result does not depend on the order of the inputs):

1. Versions are put in a canonical order that depends only on their content: most units first,
   then a hash of the text, then the id. The input order never enters.
2. The first version's units seed the collation units. Each further version is aligned with the
   current units by the compare aligner (same thresholds, moves, merges); its units join the units
   they align with, and its other units become new units, placed after the unit that precedes them
   in that version. Each version is aligned once, so the work grows linearly with the versions.
3. Each unit's consensus is built word by word (:mod:`wiretrace.alignment.consensus`): the
   versions' words are aligned and each word takes the majority of the versions that carry the
   unit, so that where spinners each reword a sentence their own way, the words they keep (the
   names) still outvote the one version that replaced them. The consensus text is made of the
   units that a majority of versions carry.
4. Each version is compared with the consensus text (the full compare: segments, substitutions,
   quotations, facts), the consensus being the reference: "B replaces “Israel” with “Zionist
   entity”" is said of the version that does it. Its deviations and its label come from that.
5. The origin is the version closest to the consensus in words (fewest words it reads
   otherwise or leaves out); ties go to the earliest date, then to the most complete version,
   then to the one adding least of its own. With two versions there is no majority to measure
   against, so no origin is named.
6. Versions in several languages: steps 1-5 run on the versions in the language most of them are
   in; each version in another language is then compared with the consensus by meaning (the
   translation alignment, :mod:`wiretrace.alignment.translation`), its translated passages are
   placed in the consensus units they translate, and it is reported as a translated copy (or
   not). Words cannot be counted across languages, so such a version is never named the origin.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from wiretrace.alignment.consensus import word_consensus
from wiretrace.alignment.model import Span
from wiretrace.alignment.passages import Aligner
from wiretrace.alignment.verdict import copy_label
from wiretrace.alignment.words import WordCodes
from wiretrace.comparer import Comparer, Comparison, Reference
from wiretrace.errors import InputError
from wiretrace.text.documents import Document, normalise
from wiretrace.text.language import UNKNOWN, detect, main_language
from wiretrace.text.segment import Role, Unit, segment
from wiretrace.text.tokens import word_strings

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Reading:
    """One version's text for one collation unit (one or more of its units)."""

    span: Span
    units: tuple[int, ...]
    key: str  # normalised text: equal keys are the same reading
    role: Role


@dataclass
class CollationUnit:
    readings: dict[str, Reading | None]
    #: The version whose reading the word-level consensus was built on (the closest to all).
    consensus: str | None = None
    #: The word-level consensus of the readings (:mod:`wiretrace.alignment.consensus`).
    consensus_text: str = ""

    @property
    def support(self) -> int:
        return sum(1 for r in self.readings.values() if r is not None)

    @property
    def consensus_reading(self) -> Reading | None:
        return self.readings[self.consensus] if self.consensus is not None else None

    def agrees(self, version: str) -> bool:
        """The version reads this unit word for word as the consensus does."""
        mine = self.readings[version]
        return (
            mine is not None
            and bool(self.consensus_text)
            and mine.key == normalise(self.consensus_text)
        )

    @property
    def kind(self) -> str:
        keys = {r.key for r in self.readings.values() if r is not None}
        if self.support == 1:
            return "unique"
        return "identical" if len(keys) == 1 else "variant"

    def to_dict(self) -> dict[str, Any]:
        return {
            "readings": {
                v: (r.span.to_dict() if r else None) for v, r in sorted(self.readings.items())
            },
            "kind": self.kind,
            "support": self.support,
            "consensus": self.consensus,
        }


@dataclass(frozen=True)
class VersionReport:
    id: str
    shared: float  # share of the consensus units this version carries
    label: str
    deviations: list[dict[str, Any]]
    comparison: Comparison | None  # consensus (a) against this version (b); None if not asked
    consensus_agreement: int  # consensus units read word for word as in the consensus
    additions: int
    omissions: int
    variants: int
    #: Words of the consensus this version does not read as the consensus does: changed inside
    #: the passages it carries, or in passages it leaves out.
    words_apart: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "shared": round(self.shared, 4),
            "label": self.label,
            "words_apart": self.words_apart,
            "deviations": self.deviations,
        }


@dataclass(frozen=True)
class Collation:
    documents: list[Document]
    units: list[CollationUnit]
    consensus: str
    consensus_units: list[int]
    reports: list[VersionReport]
    origin: str | None
    origin_evidence: str
    derivation: list[dict[str, Any]] = field(default_factory=list)

    SCHEMA: ClassVar[str] = "wiretrace.collate/1"

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": self.SCHEMA,
            "versions": [r.to_dict() for r in self.reports],
            "consensus": self.consensus,
            "origin": self.origin,
            "origin_evidence": self.origin_evidence,
            "units": [u.to_dict() for u in self.units],
            "derivation": self.derivation,
        }


def _canonical(documents: Sequence[Document], units: dict[str, list[Unit]]) -> list[Document]:
    def key(d: Document) -> tuple[int, str, str]:
        return (-len(units[d.id]), hashlib.sha256(d.text.encode()).hexdigest(), d.id)

    return sorted(documents, key=key)


def _pseudo_document(units: list[CollationUnit]) -> tuple[str, list[Unit]]:
    """The collation so far as one text: each unit's first reading, one per line."""
    parts: list[str] = []
    pseudo: list[Unit] = []
    cursor = 0
    for index, unit in enumerate(units):
        reading = next(r for r in unit.readings.values() if r is not None)
        text = reading.span.text
        pseudo.append(Unit(index, cursor, cursor + len(text), text, reading.role))
        parts.append(text)
        cursor += len(text) + 1
    return "\n".join(parts), pseudo


def _reading(doc: Document, doc_units: list[Unit], indices: Sequence[int]) -> Reading:
    first, last = doc_units[indices[0]], doc_units[indices[-1]]
    return Reading(
        Span.of(doc.text, first.start, last.end),
        tuple(indices),
        " ".join(doc_units[i].key for i in indices),
        first.role,
    )


def _align_versions(
    ordered: list[Document],
    units: dict[str, list[Unit]],
    aligner: Aligner,
    progress: Progress | None,
) -> list[CollationUnit]:
    ids = [d.id for d in ordered]

    def new_unit(version: str, reading: Reading) -> CollationUnit:
        return CollationUnit({v: None for v in ids} | {version: reading})

    base = ordered[0]
    collation = [
        new_unit(base.id, _reading(base, units[base.id], [u.index])) for u in units[base.id]
    ]
    for step, doc in enumerate(ordered[1:], start=1):
        if progress:
            progress(step, len(ordered) - 1)
        pseudo_text, pseudo_units = _pseudo_document(collation)
        doc_units = units[doc.id]
        # Which collation unit each of this version's units joined.
        placed: dict[int, int] = {}
        for seg in aligner.align(pseudo_text, pseudo_units, doc.text, doc_units):
            if seg.units_a and seg.units_b:
                for k in seg.units_a:
                    if collation[k].readings[doc.id] is None:
                        collation[k].readings[doc.id] = _reading(doc, doc_units, seg.units_b)
                for j in seg.units_b:
                    placed[j] = seg.units_a[0]
        # The rest become new units, after the unit that precedes them in this version.
        after: dict[int, list[Reading]] = {}
        for j in range(len(doc_units)):
            if j not in placed:
                before = max((placed[p] for p in placed if p < j), default=-1)
                after.setdefault(before, []).append(_reading(doc, doc_units, [j]))
        rebuilt = [new_unit(doc.id, r) for r in after.get(-1, [])]
        for k, unit in enumerate(collation):
            rebuilt.append(unit)
            rebuilt.extend(new_unit(doc.id, r) for r in after.get(k, []))
        collation = rebuilt
    return collation


def _choose_consensus(collation: list[CollationUnit], ids: list[str]) -> None:
    """Each unit's word-level consensus over the versions that carry it (in canonical order, so
    that ties fall the same way whatever the input order)."""
    for unit in collation:
        carriers = [v for v in ids if unit.readings[v] is not None]
        texts = [unit.readings[v].span.text for v in carriers]  # type: ignore[union-attr]
        consensus = word_consensus(texts)
        unit.consensus = carriers[consensus.base]
        unit.consensus_text = consensus.text


def _label(
    comparison: Comparison | None, omissions: int, additions: int, consensus_units: int
) -> str:
    if consensus_units and omissions == consensus_units:
        return "unrelated to the consensus"
    if comparison is None:
        return ""
    kinds = Counter(s.kind for s in comparison.segments if s.aligned)
    aligned = sum(kinds.values()) or 1
    parts = []
    # The label's shares are choices, not fitted: a version with more than 40% of its aligned
    # passages reworded reads as spun; one whose own text is 30% or more of it, as merged. The
    # words are the relations' (alignment/verdict.py): one vocabulary for every command.
    if kinds["paraphrase"] / aligned > 0.4:
        parts.append(copy_label("paraphrased_copy"))
    elif kinds["edited"] + kinds["paraphrase"]:
        parts.append(copy_label("edited_copy"))
    elif omissions:
        parts.append(copy_label("verbatim_copy", 0.0))
    else:
        parts.append(copy_label("verbatim_copy", 1.0))
    if parts[0] == "trimmed copy":
        omissions = 0  # said already
    parts += _extent(comparison, omissions, additions)
    if _systematic(comparison):
        parts.append("substituted")
    return ", ".join(parts)


def _extent(comparison: Comparison, omissions: int, additions: int) -> list[str]:
    """What a copy leaves out of the consensus and adds to it, in the label's words."""
    parts = ["trimmed"] if omissions else []
    if additions and 1 - comparison.verdict.shared_b >= 0.3:
        parts.append("merged with other material")
    elif additions:
        parts.append("with additions")
    return parts


def _systematic(comparison: Comparison | None) -> int:
    return 0 if comparison is None else sum(1 for s in comparison.substitutions if s.systematic)


def _deviations(comparison: Comparison) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for s in comparison.segments:
        if s.kind == "a_only" and s.a is not None:
            out.append({"type": "omission", "consensus": s.a.to_dict()})
        elif s.kind == "b_only" and s.b is not None:
            out.append({"type": "addition", "span": s.b.to_dict()})
        elif s.kind in ("edited", "paraphrase") and s.a is not None and s.b is not None:
            out.append(
                {
                    "type": "variant",
                    "kind": s.kind,
                    "moved": s.moved,
                    "consensus": s.a.to_dict(),
                    "span": s.b.to_dict(),
                    "edits": [e.to_dict() for e in s.edits],
                }
            )
    for sub in comparison.substitutions:
        out.append({"type": "substitution"} | sub.to_dict())
    for quote in comparison.quotes:
        if quote.status == "altered":
            out.append({"type": "altered_quote"} | quote.to_dict())
    for fact in comparison.facts:
        out.append(
            {
                "type": "fact",
                "fact_type": fact.type,
                "consensus": fact.a.to_dict(),
                "span": fact.b.to_dict(),
            }
        )
    return out


def _derivation(
    collation: list[CollationUnit], majority: list[int], ids: list[str], origin: str | None
) -> list[dict[str, Any]]:
    """A sketch of who copied whom: each version's parent is the version it shares most readings
    with that are *not* the consensus (two copies spun from one intermediate edition share that
    edition's rewordings); with fewer than two such readings in common, the parent is the origin."""
    in_majority = set(majority)
    shared: Counter[tuple[str, str]] = Counter()
    for index, unit in enumerate(collation):
        for v in ids:
            rv = unit.readings[v]
            if rv is None or (index in in_majority and unit.agrees(v)):
                continue
            for w in ids:
                rw = unit.readings[w]
                if w != v and rw is not None and rw.key == rv.key:
                    shared[(v, w)] += 1
    sketch = []
    for v in ids:
        if v == origin:
            continue
        candidates = sorted(
            ((shared[(v, w)], w) for w in ids if w != v and shared[(v, w)] >= 2),
            key=lambda c: (-c[0], c[1] != origin, c[1]),
        )
        if candidates:
            sketch.append(
                {"id": v, "parent": candidates[0][1], "shared_deviations": candidates[0][0]}
            )
        elif origin is not None:
            sketch.append({"id": v, "parent": origin, "shared_deviations": 0})
    return sketch


class Collator:
    """Collates versions with one Comparer (one loaded encoder, one configuration)."""

    def __init__(self, comparer: Comparer | None = None, *, detail: bool = True) -> None:
        """``detail=False`` skips comparing each version with the consensus (labels, deviations,
        substitutions): the collation and origin remain, at a fraction of the cost. Corpus scans
        use it for the origin of every family."""
        self.comparer = comparer or Comparer()
        self.detail = detail

    def collate(
        self,
        documents: Sequence[Document],
        progress: Progress | None = None,
        segmented: Mapping[str, list[Unit]] | None = None,
    ) -> Collation:
        """Collate the versions; ``segmented`` may give some already segmented (a scan has)."""
        if len(documents) < 2:
            raise InputError("collate needs at least two versions")
        ids = [d.id for d in documents]
        if len(set(ids)) != len(ids):
            duplicate = next(i for i in ids if ids.count(i) > 1)
            raise InputError(f"duplicate version id {duplicate!r}; ids must be unique")
        given = segmented or {}
        units = {d.id: given.get(d.id) or segment(d.text) for d in documents}
        main, translated = _by_language(documents)
        ordered = _canonical(main, units)
        aligner = self.comparer.aligner()
        collation = _align_versions(ordered, units, aligner, progress)
        canonical_ids = [d.id for d in ordered]
        _choose_consensus(collation, canonical_ids)

        n = len(main)
        majority = [
            k for k, u in enumerate(collation) if u.support * 2 > n or (n == 2 and u.support == 2)
        ]
        consensus_text = "\n".join(collation[k].consensus_text for k in majority)
        consensus_doc = Document("consensus", consensus_text or " ")

        reports = []
        by_id = {d.id: d for d in documents}
        reference = Reference("a", f"the word-level consensus of the {n} versions")
        consensus_words = {k: _words(collation[k].consensus_text) for k in majority}
        for doc_id in sorted(canonical_ids):
            doc = by_id[doc_id]
            comparison = (
                self.comparer.compare(consensus_doc, doc, reference=reference)
                if consensus_text and self.detail
                else None
            )
            carried = sum(1 for k in majority if collation[k].readings[doc_id] is not None)
            agree = sum(1 for k in majority if collation[k].agrees(doc_id))
            additions = sum(
                1 for u in collation if u.support == 1 and u.readings[doc_id] is not None
            )
            omissions = len(majority) - carried
            apart = 0
            for k in majority:
                reading = collation[k].readings[doc_id]
                apart += (
                    _word_distance(_words(reading.key), consensus_words[k])
                    if reading is not None
                    else len(consensus_words[k])
                )
            reports.append(
                VersionReport(
                    doc_id,
                    carried / len(majority) if majority else 0.0,
                    _label(comparison, omissions, additions, len(majority)),
                    _deviations(comparison) if comparison else [],
                    comparison,
                    agree,
                    additions,
                    omissions,
                    carried - agree,
                    apart,
                )
            )
        origin, evidence = _origin(reports, by_id, len(majority), n)
        derivation = _derivation(collation, majority, sorted(canonical_ids), origin)
        for doc in translated:
            comparison = self.comparer.compare(consensus_doc, doc, reference=reference)
            reports.append(_place_translation(collation, majority, doc, units[doc.id], comparison))
        if translated:
            reports.sort(key=lambda r: r.id)
            evidence += (
                f" Versions in another language than the {n} the consensus is built from "
                f"({', '.join(sorted(d.id for d in translated))}) are compared with it by meaning "
                "and are not candidates for the origin."
            )
        return Collation(
            documents=list(documents),
            units=collation,
            consensus=consensus_text,
            consensus_units=majority,
            reports=reports,
            origin=origin,
            origin_evidence=evidence,
            derivation=derivation,
        )


def _by_language(documents: Sequence[Document]) -> tuple[list[Document], list[Document]]:
    """The versions in the language most of them are in (ties: the first code alphabetically),
    with those whose language cannot be told, and the others."""
    languages = {d.id: detect(d.text).code for d in documents}
    main_code = main_language(languages.values())
    if main_code is None:
        return list(documents), []
    main = [d for d in documents if languages[d.id] in (main_code, UNKNOWN)]
    return main, [d for d in documents if d not in main]


def _place_translation(
    collation: list[CollationUnit],
    majority: list[int],
    doc: Document,
    doc_units: list[Unit],
    comparison: Comparison,
) -> VersionReport:
    """Put a version in another language into the collation: each consensus passage it
    translates gets its reading (the consensus text is the majority units one per line, so a
    segment's offset in it says which unit it is), and its report."""
    starts: list[tuple[int, int]] = []  # (offset in the consensus text, collation unit)
    cursor = 0
    for k in majority:
        starts.append((cursor, k))
        cursor += len(collation[k].consensus_text) + 1
    for unit in collation:
        unit.readings[doc.id] = None
    carried: set[int] = set()
    linked_units: set[int] = set()
    for segment_ in comparison.segments:
        if segment_.kind != "translation" or segment_.a is None:
            continue
        unit_index = max((k for offset, k in starts if offset <= segment_.a.start), default=None)
        if unit_index is None or collation[unit_index].readings[doc.id] is not None:
            continue
        collation[unit_index].readings[doc.id] = _reading(doc, doc_units, segment_.units_b)
        carried.add(unit_index)
        linked_units.update(segment_.units_b)
    body = [u for u in doc_units if u.is_body]
    additions = sum(1 for u in body if u.index not in linked_units)
    omissions = len(majority) - len(carried)
    if comparison.verdict.derived:
        label = ", ".join(
            [copy_label("translated_copy"), *_extent(comparison, omissions, additions)]
        )
    elif carried:
        label = "not a translated copy of the consensus"
    else:
        label = "unrelated to the consensus"
    return VersionReport(
        doc.id,
        len(carried) / len(majority) if majority else 0.0,
        f"{label} ({comparison.language_b.name})",
        _deviations(comparison),
        comparison,
        0,
        additions,
        omissions,
        len(carried),
        # Words cannot be counted across languages: every consensus word counts as apart.
        sum(len(_words(collation[k].consensus_text)) for k in majority),
    )


def _words(text: str) -> list[str]:
    return [w.casefold() for w in word_strings(normalise(text))]


def _word_distance(a: list[str], b: list[str]) -> int:
    """Words inserted or deleted to turn one word sequence into the other."""
    from rapidfuzz.distance import Indel

    codes = WordCodes()
    return int(Indel.distance(codes.encode(a), codes.encode(b)))


def _origin(
    reports: list[VersionReport], documents: dict[str, Document], consensus_units: int, n: int
) -> tuple[str | None, str]:
    """The version closest to the word-level consensus (fewest words apart); ties to the
    earliest date, then to the most complete version, then to the one adding least."""
    if n == 1:
        return None, (
            "One version only is in the language the others are compared in: with no majority "
            "to measure it against, it cannot be named the origin."
        )
    if n == 2:
        return None, (
            "Two versions only: there is no majority to measure either against, so neither can be "
            "named the origin. `wiretrace compare` shows what differs."
        )
    if consensus_units == 0:
        return None, "The versions share no passage that a majority carries: no common source text."

    def score(r: VersionReport) -> tuple[Any, ...]:
        # Ties: the earliest date, then the most complete (fewest consensus passages left
        # out), then the one with least material of its own (a copy with local paragraphs, or
        # an article that merges two stories, is not the source of either).
        date = documents[r.id].date or "9999"
        return (r.words_apart, date, r.omissions, r.additions, r.id)

    ranked = sorted(reports, key=score)
    best = ranked[0]
    evidence = (
        f"{best.id} is the version closest to the word-level consensus: it departs from it in "
        f"{best.words_apart} word{'s' if best.words_apart != 1 else ''}, reads "
        f"{best.consensus_agreement} of the {consensus_units} consensus passages word for word, "
        f"adds {best.additions} passage{'s' if best.additions != 1 else ''} of its own and leaves "
        f"out {best.omissions}."
    )
    systematic = _systematic(best.comparison)
    if systematic:
        evidence += (
            f" It makes {systematic} systematic substitution{'s' if systematic != 1 else ''}."
        )
    date = documents[best.id].date
    tied = [r for r in ranked if r.words_apart == best.words_apart]
    if date and len(tied) > 1:
        evidence += f" Its date, {date}, is the earliest of the {len(tied)} as close."
    elif date:
        evidence += f" Dated {date}."
    if len(ranked) > 1:
        runner = ranked[1]
        evidence += (
            f" Next closest: {runner.id} ({runner.words_apart} words apart; {runner.variants} "
            f"passages reworded, {runner.additions} added, {runner.omissions} left out)."
        )
    return best.id, evidence
