"""The results wiretrace reports: plain dataclasses that serialise to the JSON contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from wiretrace.documents import Document

if TYPE_CHECKING:
    from wiretrace.findings.facts import FactChange, Omission
    from wiretrace.findings.quotes import QuoteFinding
    from wiretrace.findings.substitutions import Substitution

SegmentKind = Literal["verbatim", "edited", "paraphrase", "a_only", "b_only"]
EditOp = Literal["replace", "insert", "delete"]


@dataclass(frozen=True)
class Span:
    """``text`` equals ``document.text[start:end]`` in the document it belongs to."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, document_text: str, start: int, end: int) -> Span:
        return cls(start, end, document_text[start:end])

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


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
            "edits": [edit.to_dict() for edit in self.edits],
        }


Relation = Literal[
    "identical", "verbatim_copy", "edited_copy", "paraphrased_copy", "same_event", "unrelated"
]


@dataclass(frozen=True)
class Verdict:
    derived: bool
    relation: Relation
    shared_a: float
    shared_b: float
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "derived": self.derived,
            "relation": self.relation,
            "shared_a": round(self.shared_a, 4),
            "shared_b": round(self.shared_b, 4),
            "confidence": round(self.confidence, 4),
        }


@dataclass(frozen=True)
class DocumentSummary:
    id: str
    chars: int
    sentences: int

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "chars": self.chars, "sentences": self.sentences}


@dataclass(frozen=True)
class Comparison:
    """Everything ``wiretrace compare`` says about two texts. ``to_dict()`` is the JSON output."""

    a: Document
    b: Document
    verdict: Verdict
    segments: tuple[Segment, ...]
    units_a: int
    units_b: int
    substitutions: tuple[Substitution, ...] = field(default=())
    quotes: tuple[QuoteFinding, ...] = field(default=())
    facts: tuple[FactChange, ...] = field(default=())
    omissions: tuple[Omission, ...] = field(default=())

    SCHEMA: ClassVar[str] = "wiretrace.compare/1"

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": self.SCHEMA,
            "a": DocumentSummary(self.a.id, len(self.a.text), self.units_a).to_dict(),
            "b": DocumentSummary(self.b.id, len(self.b.text), self.units_b).to_dict(),
            "verdict": self.verdict.to_dict(),
            "segments": [segment.to_dict() for segment in self.segments],
            "substitutions": [item.to_dict() for item in self.substitutions],
            "quotes": [item.to_dict() for item in self.quotes],
            "facts": [item.to_dict() for item in self.facts],
            "omissions": [item.to_dict() for item in self.omissions],
        }
