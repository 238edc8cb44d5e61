"""One paragraph in words that says what the comparison found: the first thing a reader sees."""

from __future__ import annotations

from wiretrace.alignment.verdict import copy_label
from wiretrace.comparer import Comparison
from wiretrace.findings.substitutions import Substitution
from wiretrace.lexicon import REPORTING_VERBS

_RELATION_PHRASE = {
    "identical": "B is identical to A",
    "verbatim_copy": "B is a verbatim copy of A",
    "edited_copy": "B is an edited copy of A",
    "paraphrased_copy": "B is a paraphrased (spun) copy of A",
    "partial_copy": "B and A share a copied passage",
    "translated_copy": "B is a translated copy of A",
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def describe(comparison: Comparison) -> str:
    """E.g. "B is a paraphrased (spun) copy of A: 26 of 28 passages of B correspond to A …";
    with the verdict's note after it (the languages of a pair in two)."""
    verdict = comparison.verdict
    summary = _describe(comparison)
    if verdict.note and verdict.relation != "unrelated":  # "unrelated" says its note itself
        summary += f" {verdict.note[0].upper()}{verdict.note[1:]}."
    return summary


def _describe(comparison: Comparison) -> str:
    verdict = comparison.verdict
    segments = comparison.segments
    aligned = [s for s in segments if s.aligned]
    kinds = {
        k: sum(len(s.units_b) for s in aligned if s.kind == k)
        for k in ("verbatim", "edited", "paraphrase", "translation")
    }
    b_matched = sum(len(s.units_b) for s in aligned)
    a_dropped = sum(len(s.units_a) for s in segments if s.kind == "a_only")
    b_added = sum(len(s.units_b) for s in segments if s.kind == "b_only")
    moved = sum(1 for s in aligned if s.moved)
    merged = sum(1 for s in aligned if len(s.units_a) > 1 or len(s.units_b) > 1)

    detail = ", ".join(
        f"{n} {'translated' if k == 'translation' else k}" for k, n in kinds.items() if n
    )
    extras = []
    if moved:
        extras.append(f"{moved} moved")
    if merged:
        extras.append(f"{merged} merged or split")
    shared = f"shared text: {verdict.shared_a:.0%} of A, {verdict.shared_b:.0%} of B"

    if verdict.relation == "unrelated":
        why = f" {verdict.note[0].upper()}{verdict.note[1:]}." if verdict.note else ""
        return (
            "A and B are unrelated: no passage of one corresponds to a passage of the other "
            f"({shared}).{why}"
        )
    if not verdict.derived:
        return (
            f"A and B share some content but neither derives from the other: "
            f"{b_matched} of {comparison.units_b} passages of B resemble passages of A, not enough of "
            f"the text and not in the story's order for a copy; most likely two reports of the same "
            f"event ({shared})."
        )
    head = _RELATION_PHRASE[verdict.relation]
    if verdict.relation == "identical":
        return f"{head}: all {_plural(comparison.units_a, 'passage')} match."
    if verdict.relation == "partial_copy":
        blocks = comparison.reuse
        largest = max(blocks, key=lambda b: len(b.segments), default=None)
        size = (
            f"; the largest runs over {_plural(len(largest.segments), 'passage')}"
            if largest
            else ""
        )
        return (
            f"{head}: {_plural(len(blocks), 'copied passage')} ({b_matched} of "
            f"{comparison.units_b} passages of B){size}; the rest of each text is its own "
            f"({shared})."
        )
    parts = [
        f"{b_matched} of {comparison.units_b} passages of B correspond to A ({detail}"
        + (f"; {', '.join(extras)}" if extras else "")
        + ")"
    ]
    parts.append(f"{_plural(b_added, 'passage')} added in B" if b_added else "nothing added in B")
    parts.append(
        f"{a_dropped} of A's {comparison.units_a} passages not in B"
        if a_dropped
        else "nothing of A dropped"
    )
    return f"{head} (or both derive from one source): " + "; ".join(parts) + f"; {shared}."


def relation_label(relation: str, source_share: float | None = None) -> str:
    """The words for a relation, as every report says it (see :func:`copy_label`)."""
    return copy_label(relation, source_share)


def one_off_replacements(comparison: Comparison) -> list[Substitution]:
    """The one-off replacements worth a reader's glance: not the swaps of attribution words that
    every rewording makes ("said" → "According")."""
    plain = REPORTING_VERBS | {"according", "to"}
    return [
        s
        for s in comparison.substitutions
        if not s.systematic
        and not any(w.casefold() in plain for w in f"{s.a} {s.b}".replace("/", " ").split())
    ]


def substitutions_heading(comparison: Comparison) -> str:
    """Who changed the wording, as far as the comparison can tell."""
    reference = comparison.reference
    if reference is None:
        return (
            "Systematic substitutions (A ↔ B; nothing says which text changed the wording: "
            "give both dates, or collate several versions)"
        )
    other = "B" if reference.side == "a" else "A"
    return f"Systematic substitutions ({other} departs from {reference.side.upper()}: {reference.reason})"


def substitution_phrase(comparison: Comparison, sub: Substitution) -> str:
    """One systematic substitution in words, with its direction when there is a reference:
    "B replaces “Israel” with “Zionist entity”: 5 of 5 times"."""
    times = f"{sub.count} of {sub.count + sub.kept} times"
    reference = comparison.reference
    if reference is None:
        return f"“{sub.a}” (A) ↔ “{sub.b}” (B): {times}"
    if reference.side == "a":
        return f"B replaces “{sub.a}” with “{sub.b}”: {times}"
    return f"A replaces “{sub.b}” with “{sub.a}”: {times}"


def findings_headline(comparison: Comparison) -> str:
    """E.g. "2 systematic substitutions, 10 altered quotations, 3 facts changed, 2 names dropped"."""
    systematic = sum(1 for s in comparison.substitutions if s.systematic)
    other = len(comparison.substitutions) - systematic
    altered = sum(1 for q in comparison.quotes if q.status == "altered")
    dropped_quotes = sum(1 for q in comparison.quotes if q.status == "a_only")
    dropped = sum(1 for o in comparison.omissions if o.a is not None)
    added = sum(1 for o in comparison.omissions if o.b is not None)
    parts = [
        _plural(systematic, "systematic substitution"),
        _plural(altered, "altered quotation"),
        f"{len(comparison.facts)} {'fact' if len(comparison.facts) == 1 else 'facts'} changed",
    ]
    if dropped_quotes:
        parts.append(f"{dropped_quotes} of A's quotations not in B")
    if dropped or added:
        parts.append(f"names: {dropped} dropped, {added} added")
    if other:
        parts.append(f"{other} other word replacements")
    return ", ".join(parts)
