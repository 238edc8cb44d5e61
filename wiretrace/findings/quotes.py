"""Quotations: extracted from both texts with their speaker, then matched across the alignment.

A republication may rework its own sentences, but words inside quotation marks belong to the person
quoted: changing them (or paraphrasing them, as spinners do) is a serious finding. Status:

* ``intact``: the same words inside the marks (case, quote style and punctuation aside);
* ``altered``: the quotation is there on both sides but its words differ (the word diff is given);
* ``a_only`` / ``b_only``: the quotation is on one side only (dropped, or turned into reported
  speech, which is a rewording outside quote marks and therefore not an alteration).

Quotations are found by :mod:`wiretrace.text.quotations` (which marks it knows, and how it finds
the speaker).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wiretrace.alignment.model import Edit, Segment, Span
from wiretrace.alignment.words import WordCodes, word_edits
from wiretrace.text.quotations import Quotation, extract_quotations
from wiretrace.text.tokens import tokenize

QuoteStatus = str


@dataclass(frozen=True)
class QuoteFinding:
    status: QuoteStatus  # intact | altered | a_only | b_only
    a: Quotation | None
    b: Quotation | None
    similarity: float
    edits: tuple[Edit, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "a": self.a.span.to_dict() if self.a else None,
            "b": self.b.span.to_dict() if self.b else None,
            "similarity": round(self.similarity, 4),
            "speaker_a": self.a.speaker if self.a else None,
            "speaker_b": self.b.speaker if self.b else None,
            "edits": [e.to_dict() for e in self.edits],
        }


def _overlaps(span: Span, start: int, end: int) -> bool:
    return span.start < end and start < span.end


def _word_similarity(a: list[str], b: list[str]) -> float:
    from rapidfuzz.distance import Indel

    codes = WordCodes()
    return float(Indel.normalized_similarity(codes.encode(a), codes.encode(b)))


def match_quotations(
    text_a: str, text_b: str, segments: tuple[Segment, ...] | list[Segment]
) -> list[QuoteFinding]:
    """Pair each quotation of A with one in B's counterpart passages; say what happened to it."""
    quotes_a, quotes_b = extract_quotations(text_a), extract_quotations(text_b)
    used_b: set[int] = set()
    findings: list[QuoteFinding] = []
    for qa in quotes_a:
        counterpart = [
            s.b
            for s in segments
            if s.a is not None and s.b is not None and _overlaps(s.a, qa.span.start, qa.span.end)
        ]
        candidates = [
            (k, _word_similarity(qa.words, qb.words))
            for k, qb in enumerate(quotes_b)
            if k not in used_b
            and any(_overlaps(span, qb.span.start, qb.span.end) for span in counterpart if span)
        ]
        if not candidates:
            findings.append(QuoteFinding("a_only", qa, None, 0.0))
            continue
        k, score = max(candidates, key=lambda c: (c[1], -c[0]))
        used_b.add(k)
        qb = quotes_b[k]
        if qa.words == qb.words:
            findings.append(QuoteFinding("intact", qa, qb, 1.0))
        else:
            codes = WordCodes()
            edits = word_edits(
                text_a,
                [t for t in tokenize(text_a, qa.span.start, qa.span.end) if t.is_word],
                text_b,
                [t for t in tokenize(text_b, qb.span.start, qb.span.end) if t.is_word],
                codes,
            )
            findings.append(QuoteFinding("altered", qa, qb, score, edits))
    findings.extend(
        QuoteFinding("b_only", None, qb, 0.0) for k, qb in enumerate(quotes_b) if k not in used_b
    )
    order = {"altered": 0, "a_only": 1, "b_only": 2, "intact": 3}
    return sorted(
        findings,
        key=lambda f: (
            order[f.status],
            f.a.span.start if f.a else 1 << 40,
            f.b.span.start if f.b else 0,
        ),
    )
