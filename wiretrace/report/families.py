"""The human-readable scan report: families with their origin, then outlet profiles."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from wiretrace.report.summary import relation_label
from wiretrace.scan.families import Family
from wiretrace.scan.stages import ScanResult


def relation_to_origin(family: Family, member: str) -> str:
    """How a member relates to its family's origin, in the words every report uses."""
    if member == family.origin:
        return "origin"
    if family.origin is None and len(family.members) == 2:
        edge = family.edges[0]
        return (
            f"{relation_label(edge.relation)} of each other "
            f"({edge.shared_a:.0%} / {edge.shared_b:.0%} shared)"
        )
    for edge in family.edges:
        if {edge.a, edge.b} == {member, family.origin}:
            share = edge.shared_b if edge.b == member else edge.shared_a
            origin_share = edge.shared_a if edge.b == member else edge.shared_b
            return f"{relation_label(edge.relation, origin_share)} ({share:.0%} shared)"
    linked = sum(1 for e in family.edges if member in (e.a, e.b))
    return f"linked to {linked} member{'s' if linked != 1 else ''}"


def render_families(
    result: ScanResult, console: Console, documents: dict[str, tuple[str | None, str | None]]
) -> None:
    """``documents`` maps id → (outlet, date) for the members shown."""
    styled = console.is_terminal and not console.no_color
    bold = "bold" if styled else ""
    in_families = {m for f in result.families for m in f.members}
    merges = {m for f in result.families for m in f.merges}
    blocks: list[RenderableType] = [
        Text(
            f"Scanned {result.documents} documents: {len(result.families)} reprint "
            f"famil{'y' if len(result.families) == 1 else 'ies'}, {len(in_families)} documents in a family"
            + (f" ({len(merges)} in more than one: articles that merge sources)" if merges else "")
            + f", {result.documents - len(in_families)} alone.",
            style=bold,
        ),
    ]
    if result.stages is not None:
        stages = result.stages
        blocks.append(
            Text(
                f"Candidates: {stages.exact} pairs share a sentence, {stages.minhash} by MinHash, "
                f"{stages.semantic} by sentence vectors; {stages.candidates} pairs verified, "
                f"{stages.edges} derived.\n"
            )
        )
    else:
        blocks.append(Text(""))
    for family in result.families:
        table = Table(
            title=f"Family {family.id}: {len(family.members)} members, origin {family.origin or 'not named'}",
            title_justify="left",
            title_style=bold,
            expand=False,
        )
        table.add_column("member")
        table.add_column("outlet")
        table.add_column("date")
        table.add_column("relation to the origin")
        order = sorted(family.members, key=lambda m: (m != family.origin, m))
        for member in order:
            outlet, date = documents.get(member, (None, None))
            note = " (also in another family)" if member in family.merges else ""
            table.add_row(
                member, outlet or "", date or "", relation_to_origin(family, member) + note
            )
        blocks.append(table)
        if family.origin_evidence:
            blocks.append(Text(f"  {family.origin_evidence}\n", style="dim" if styled else ""))
    if result.outlets:
        table = Table(title="Outlets", title_justify="left", title_style=bold)
        for column in (
            "outlet",
            "documents",
            "copies",
            "origins",
            "reused",
            "copies from",
            "systematic substitutions",
        ):
            table.add_column(column)
        for profile in result.outlets:
            subs = "; ".join(
                f"replaces “{s['a']}” with “{s['b']}” in {s['copies']} of {s['of']} copies"
                for s in profile.substitutions
            )
            sources = profile.sources_text()
            table.add_row(
                profile.outlet,
                str(profile.documents),
                str(profile.copies),
                str(profile.origins),
                f"{profile.reused_share:.0%}" if profile.copies else "-",
                sources or "-",
                subs or "-",
            )
        blocks.append(table)
    console.print(Group(*blocks))
