"""The human-readable report: verdict and summary first, then the two texts passage by passage."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from wiretrace.report.summary import describe
from wiretrace.results import Comparison, Edit, Segment, Span

_MARK = {
    "verbatim": ("=", "verbatim", "green"),
    "edited": ("~", "edited", "yellow"),
    "paraphrase": ("≈", "paraphrase", "cyan"),
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
    if segment.moved:
        label += ", moved"
    marker = Text(f"{mark} {label}", style=colour if styled else "")
    if segment.aligned and segment.kind != "verbatim":
        marker.append(f"\n  {segment.similarity:.2f}", style="dim" if styled else "")
    a = _marked(segment.a, segment.edits, "a", styled) if segment.a else Text("")
    if segment.kind == "verbatim":
        b = Text("(same)", style="dim" if styled else "")
    else:
        b = _marked(segment.b, segment.edits, "b", styled) if segment.b else Text("")
    return marker, a, b


def render_comparison(comparison: Comparison, console: Console) -> None:
    """Print the report for a person, using the console's width and colour settings."""
    styled = console.is_terminal and not console.no_color
    verdict = comparison.verdict
    title = "DERIVED" if verdict.derived else "NOT DERIVED"
    relation = verdict.relation.replace("_", " ")
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

    table = Table(
        show_header=True, header_style="bold" if styled else "", expand=True, show_lines=True
    )
    table.add_column("", no_wrap=True, width=14)
    table.add_column(f"A: {comparison.a.id}", ratio=1, overflow="fold")
    table.add_column(f"B: {comparison.b.id}", ratio=1, overflow="fold")
    for segment in comparison.segments:
        table.add_row(*_row(segment, styled))
    blocks.append(table)
    if not styled:
        blocks.append(
            Text("Marks: [-word-] changed or removed in A, {+word+} changed or added in B.")
        )
    console.print(Group(*blocks))
