"""The verdict: is one text derived from the other (or both from one source), or only the same event?

Independent reports of one event share names, numbers and the newsmaker's quotes, so a few aligned
sentences prove nothing. A derived copy keeps a source's own sentences *in order* over a large part
of the shorter text. The rule, in words:

* derived when the shorter text has at least ``derived_coverage`` of its characters in aligned
  passages that keep the story's order, over at least ``derived_min_passages`` passages (fewer
  when the shorter text has fewer units, e.g. a one-paragraph brief copied verbatim);
* otherwise "same_event" when anything at all aligns, else "unrelated".
"""

from __future__ import annotations

from wiretrace.alignment.model import Relation, Segment, Verdict
from wiretrace.config import CompareConfig
from wiretrace.text.segment import Unit


def _chars(units: list[Unit], indices: set[int] | None = None) -> int:
    return sum(u.end - u.start for u in units if indices is None or u.index in indices)


def coverage(
    segments: list[Segment], units: list[Unit], side: str, *, in_order_only: bool
) -> float:
    """Share of a text's unit characters that lie in aligned segments."""
    total = _chars(units)
    if total == 0:
        return 0.0
    covered: set[int] = set()
    for segment in segments:
        if segment.aligned and not (in_order_only and segment.moved):
            covered.update(segment.units_a if side == "a" else segment.units_b)
    return _chars(units, covered) / total


def _relation(segments: list[Segment]) -> Relation:
    aligned = [s for s in segments if s.aligned]
    if all(s.kind == "verbatim" for s in segments):
        return "identical"
    weight = {"verbatim": 0.0, "edited": 0.0, "paraphrase": 0.0}
    for segment in aligned:
        assert segment.a is not None
        weight[segment.kind] += segment.a.end - segment.a.start
    total = sum(weight.values()) or 1.0
    if weight["verbatim"] / total >= 0.8:
        return "verbatim_copy"
    if (weight["verbatim"] + weight["edited"]) / total >= 0.6:
        return "edited_copy"
    return "paraphrased_copy"


def decide(
    segments: list[Segment], units_a: list[Unit], units_b: list[Unit], config: CompareConfig
) -> Verdict:
    shared_a = coverage(segments, units_a, "a", in_order_only=False)
    shared_b = coverage(segments, units_b, "b", in_order_only=False)
    ordered_a = coverage(segments, units_a, "a", in_order_only=True)
    ordered_b = coverage(segments, units_b, "b", in_order_only=True)
    shorter_is_a = _chars(units_a) <= _chars(units_b)
    ordered_short = ordered_a if shorter_is_a else ordered_b
    short_units = [u for u in (units_a if shorter_is_a else units_b) if u.role != "credit"]
    in_order = sum(1 for s in segments if s.aligned and not s.moved)
    needed = max(1, min(config.derived_min_passages, len(short_units) - 1))

    derived = ordered_short >= config.derived_coverage and in_order >= needed
    if derived:
        relation = _relation(segments)
        # Confidence grows with how far coverage and passage count clear their thresholds.
        margin = (ordered_short - config.derived_coverage) / (1 - config.derived_coverage + 1e-9)
        confidence = 0.6 + 0.4 * min(1.0, 0.5 * margin + 0.5 * min(1.0, in_order / (2 * needed)))
    else:
        relation = "same_event" if any(s.aligned for s in segments) else "unrelated"
        # Far below the line is a confident "no"; just below it is not.
        gap = 1 - ordered_short / config.derived_coverage
        confidence = 0.5 + 0.5 * max(0.0, min(1.0, gap))
    return Verdict(derived, relation, shared_a, shared_b, min(1.0, confidence))
