"""Outlet profiles: what each outlet's copies add up to over a scan's families.

Per outlet: how many of its documents copy a family's origin, whose origins they copy, how much of
their text is reused, and which systematic substitutions they make (every copy compared in full
with its family's origin). Tallies of several families (or Spark partitions) merge by addition, so
engines count where the families are.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from wiretrace.comparer import Comparer, Reference
from wiretrace.scan.families import Family
from wiretrace.text.documents import Document


@dataclass(frozen=True)
class OutletProfile:
    outlet: str
    documents: int
    copies: int  # documents in a family that are not its origin
    origins: int
    sources: dict[str, int]  # outlets of the origins it copies, with counts
    reused_share: float  # share of its characters in passages shared with the family origin
    substitutions: list[dict[str, Any]]  # systematic, with "copies" and "of" counts
    #: Of ``sources``, the copies that translate the origin (another language), per source.
    translated: dict[str, int] = field(default_factory=dict)

    def sources_text(self) -> str:
        """ "AFP (3, 1 translated), Reuters (1)": whom the outlet copies, and translates."""
        return ", ".join(
            f"{k} ({v}"
            + (f", {self.translated[k]} translated" if self.translated.get(k) else "")
            + ")"
            for k, v in self.sources.items()
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "outlet": self.outlet,
            "documents": self.documents,
            "copies": self.copies,
            "origins": self.origins,
            "sources": self.sources,
            "translated": self.translated,
            "reused_share": round(self.reused_share, 4),
            "substitutions": self.substitutions,
        }


@dataclass
class OutletTally:
    """What one outlet's copies add up to, over some families; tallies of several families (or
    Spark partitions) merge by addition, so engines can count where the families are."""

    copies: int = 0
    origins: int = 0
    sources: Counter[str] = field(default_factory=Counter)
    shared: float = 0.0  # sum over copies of the share of the copy found in its origin
    substitutions: Counter[tuple[str, str]] = field(default_factory=Counter)
    translated: Counter[str] = field(default_factory=Counter)  # per source, translated copies

    def merge(self, other: OutletTally) -> OutletTally:
        return OutletTally(
            self.copies + other.copies,
            self.origins + other.origins,
            self.sources + other.sources,
            self.shared + other.shared,
            self.substitutions + other.substitutions,
            self.translated + other.translated,
        )


def family_tallies(
    family: Family, documents: Mapping[str, Document], comparer: Comparer
) -> dict[str, OutletTally]:
    """One family's contribution to each outlet: every copy compared in full with the origin."""
    tallies: dict[str, OutletTally] = defaultdict(OutletTally)
    if family.origin is None:
        return tallies
    origin = documents[family.origin]
    if origin.outlet:
        tallies[origin.outlet].origins += 1
    for member in family.members:
        doc = documents[member]
        if member == family.origin or not doc.outlet:
            continue
        tally = tallies[doc.outlet]
        tally.copies += 1
        tally.sources[origin.outlet or origin.id] += 1
        result = comparer.compare(
            origin, doc, reference=Reference("a", f"{origin.id} is the family's origin")
        )
        tally.shared += result.verdict.shared_b
        if result.verdict.relation == "translated_copy":
            tally.translated[origin.outlet or origin.id] += 1
        for sub in result.substitutions:
            if sub.systematic:
                tally.substitutions[(sub.a.split(" / ")[0], sub.b.split(" / ")[0])] += 1
    return tallies


def profiles_from_tallies(
    tallies: Mapping[str, OutletTally], documents_per_outlet: Mapping[str, int]
) -> list[OutletProfile]:
    """The outlet profiles, one per outlet with documents, in outlet order."""
    profiles = []
    for outlet, count in sorted(documents_per_outlet.items()):
        t = tallies.get(outlet, OutletTally())
        profiles.append(
            OutletProfile(
                outlet,
                count,
                t.copies,
                t.origins,
                dict(sorted(t.sources.items())),
                t.shared / t.copies if t.copies else 0.0,
                [
                    {"a": a, "b": b, "copies": n, "of": t.copies}
                    for (a, b), n in sorted(t.substitutions.items(), key=lambda kv: (-kv[1], kv[0]))
                ],
                dict(sorted(t.translated.items())),
            )
        )
    return profiles


def outlet_profiles(
    families: list[Family], documents: dict[str, Document], comparer: Comparer
) -> list[OutletProfile]:
    """Per outlet: how much of its text is reused copy, from whom, and its systematic substitutions
    (each copy compared in full with its family's origin)."""
    totals: dict[str, OutletTally] = {}
    for family in families:
        for outlet, tally in family_tallies(family, documents, comparer).items():
            totals[outlet] = totals[outlet].merge(tally) if outlet in totals else tally
    return profiles_from_tallies(totals, Counter(d.outlet for d in documents.values() if d.outlet))
