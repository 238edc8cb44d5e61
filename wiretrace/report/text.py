"""The human-readable report: verdict and summary first, then the two texts passage by passage."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from wiretrace.alignment.model import Edit, Segment, Span
from wiretrace.comparer import Comparison
from wiretrace.report.summary import (
    describe,
    findings_headline,
    one_off_replacements,
    relation_label,
    substitution_phrase,
    substitutions_heading,
)

_MARK = {
    "verbatim": ("=", "verbatim", "green"),
    "edited": ("~", "edited", "yellow"),
    "paraphrase": ("≈", "paraphrase", "cyan"),
    "translation": ("⇄", "translation", "magenta"),
    "a_only": ("-", "only in A", "red"),
    "b_only": ("+", "only in B", "blue"),
}


def _marked(span: Span, edits: Sequence[Edit], side: str, styled: bool) -> Text:
    """The passage with changed words marked: colour on a terminal, [-…-] / {+…+} in plain text."""
    sides = (edit.a if side == "a" else edit.b for edit in edits)
    changed = sorted((s for s in sides if s is not None), key=lambda s: s.start)
    text = Text()
    cursor = span.start
    for change in changed:
        text.append(span.text[cursor - span.start : change.start - span.start])
        word = span.text[change.start - span.start : change.end - span.start]
        if styled:
            text.append(word, style="bold red strike" if side == "a" else "bold green")
        else:
            text.append(f"[-{word}-]" if side == "a" else f"{{+{word}+}}")
        cursor = change.end
    text.append(span.text[cursor - span.start :])
    return text


def _row(segment: Segment, styled: bool) -> tuple[Text, Text, Text]:
    mark, label, colour = _MARK[segment.kind]
    if segment.boilerplate:
        mark, colour = "·", "dim"
        label = "boilerplate" if not segment.aligned else "boilerplate, both"
    marker = Text(f"{mark} {label}", style=colour if styled else "")
    if segment.moved:
        marker.append("\n  moved", style="bold" if styled else "")
    if segment.aligned and segment.kind != "verbatim" and not segment.boilerplate:
        marker.append(f"\n  {segment.similarity:.2f}", style="dim" if styled else "")
    a = _marked(segment.a, segment.edits, "a", styled) if segment.a else Text("")
    if segment.kind == "verbatim":
        b = Text("(same)", style="dim" if styled else "")
    else:
        b = _marked(segment.b, segment.edits, "b", styled) if segment.b else Text("")
    return marker, a, b


def _quote(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def _reuse(comparison: Comparison, styled: bool) -> list[RenderableType]:
    """The copied passages, one line each: what a reader checks first in a partial copy."""
    blocks = comparison.reuse
    if not blocks or not comparison.verdict.derived:
        return []
    lines = Text()
    lines.append(
        f"Copied passages ({len(blocks)}; each is a run of aligned passages in both texts):\n",
        style="bold" if styled else "",
    )
    for number, block in enumerate(blocks, start=1):
        count = len(block.segments)
        lines.append(
            f"  {number}. {count} passage{'s' if count != 1 else ''}, {block.kind}: "
            f"A {_quote(block.a.text, 60)} ↔ B {_quote(block.b.text, 60)}\n"
        )
    return [Padding(lines, (0, 0, 1, 0))]


def _findings(comparison: Comparison, styled: bool) -> list[RenderableType]:
    """The findings that matter, before the alignment: substitutions, quotations, facts, names."""
    bold = "bold" if styled else ""
    out: list[RenderableType] = [Text(f"Findings: {findings_headline(comparison)}.", style=bold)]
    lines = Text()
    systematic = [s for s in comparison.substitutions if s.systematic]
    if systematic:
        lines.append(f"\n{substitutions_heading(comparison)}:\n", style=bold)
        for sub in systematic:
            lines.append(f"  {substitution_phrase(comparison, sub)}\n")
    others = one_off_replacements(comparison)
    if others:
        sample = ", ".join(f"{s.a} → {s.b}" for s in others[:8])
        more = f" and {len(others) - 8} more" if len(others) > 8 else ""
        lines.append(f"\nOther replacements (one-off, typical of rewording): {sample}{more}\n")
    altered = [q for q in comparison.quotes if q.status == "altered"]
    if altered:
        lines.append("\nAltered quotations:\n", style=bold)
        for q in altered:
            assert q.a is not None and q.b is not None
            who = f" ({q.a.speaker})" if q.a.speaker else ""
            lines.append(f"  A{who}: {_quote(q.a.span.text)}\n  B: {_quote(q.b.span.text)}\n")
    one_side = [q for q in comparison.quotes if q.status in ("a_only", "b_only")]
    if one_side:
        lines.append("\nQuotations on one side only:\n", style=bold)
        for q in one_side:
            quotation = q.a if q.a else q.b
            assert quotation is not None
            side = "A" if q.status == "a_only" else "B"
            lines.append(f"  only in {side}: {_quote(quotation.span.text)}\n")
    if comparison.facts:
        lines.append("\nFacts changed (A → B):\n", style=bold)
        for fact in comparison.facts:
            lines.append(f"  {fact.type}: {fact.a.text} → {fact.b.text}\n")
    if comparison.omissions:
        lines.append("\nNames one text never mentions:\n", style=bold)
        for omission in comparison.omissions:
            span = omission.a or omission.b
            assert span is not None
            where = "dropped by B" if omission.a else "added by B"
            lines.append(f"  {span.text} ({omission.type}, {where})\n")
    if lines:
        out.append(Padding(lines, (0, 0, 1, 0)))
    return out


def render_comparison(comparison: Comparison, console: Console) -> None:
    """Print the report for a person, using the console's width and colour settings."""
    styled = console.is_terminal and not console.no_color
    verdict = comparison.verdict
    title = "DERIVED" if verdict.derived else "NOT DERIVED"
    relation = relation_label(verdict.relation, verdict.shared_a)
    headline = Text()
    headline.append(
        f"{title}: {relation}",
        style=("bold green" if verdict.derived else "bold yellow") if styled else "",
    )
    headline.append(f"  (confidence {verdict.confidence:.2f})")
    ids = Text(f"A = {comparison.a.id}   B = {comparison.b.id}", style="dim" if styled else "")
    blocks: list[RenderableType] = [
        ids,
        headline,
        Padding(Text(describe(comparison)), (0, 0, 1, 0)),
    ]

    blocks.extend(_reuse(comparison, styled))
    blocks.extend(_findings(comparison, styled))

    table = Table(
        show_header=True, header_style="bold" if styled else "", expand=True, show_lines=True
    )
    table.add_column("", no_wrap=True, width=16)
    table.add_column(f"A: {comparison.a.id}", ratio=1, overflow="fold")
    table.add_column(f"B: {comparison.b.id}", ratio=1, overflow="fold")
    for segment in comparison.segments:
        table.add_row(*_row(segment, styled))
    blocks.append(table)
    if not styled:
        blocks.append(
            Text(
                "Marks: [-word-] changed or removed in A, {+word+} changed or added in B; "
                "· boilerplate is page furniture, never evidence."
            )
        )
    console.print(Group(*blocks))
