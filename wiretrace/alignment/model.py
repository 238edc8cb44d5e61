"""What an alignment is made of: spans of the original texts, word edits and aligned segments.
Plain frozen dataclasses that serialise to the JSON contract (``to_dict``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from wiretrace.text.span import Span

__all__ = ["Edit", "EditOp", "Segment", "SegmentKind", "Span"]

SegmentKind = Literal["verbatim", "edited", "paraphrase", "translation", "a_only", "b_only"]
EditOp = Literal["replace", "insert", "delete"]


def _span_dict(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else span.to_dict()


@dataclass(frozen=True)
class Edit:
    """A word-level change inside an aligned segment: replaced, inserted (B only) or deleted (A only)."""

    op: EditOp
    a: Span | None
    b: Span | None

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "a": _span_dict(self.a), "b": _span_dict(self.b)}


@dataclass(frozen=True)
class Segment:
    """A passage of A, of B, or of both, with what happened to it between the two versions.

    ``units_a``/``units_b`` are the indices of the units (sentences, datelines…) it covers: more
    than one on a side means sentences were merged or split.
    """

    kind: SegmentKind
    a: Span | None
    b: Span | None
    similarity: float
    moved: bool = False
    edits: tuple[Edit, ...] = ()
    units_a: tuple[int, ...] = ()
    units_b: tuple[int, ...] = ()
    #: Web page furniture ("Subscribe…", "Read more"): shown, never evidence of copying.
    boilerplate: bool = False

    @property
    def aligned(self) -> bool:
        return self.a is not None and self.b is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "a": _span_dict(self.a),
            "b": _span_dict(self.b),
            "similarity": round(self.similarity, 4),
            "moved": self.moved,
            "boilerplate": self.boilerplate,
            "edits": [edit.to_dict() for edit in self.edits],
        }
