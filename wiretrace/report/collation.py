"""The human-readable collation: origin, consensus, a variant table and each version's profile."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from wiretrace.collate import Collation

LEGEND = "= as the consensus   ~ reworded   + not in the consensus   · absent"


def _cell(collation: Collation, unit_index: int, version: str) -> tuple[str, str]:
    unit = collation.units[unit_index]
    reading = unit.readings[version]
    if reading is None:
        return "·", "dim"
    if unit_index not in collation.consensus_units:
        return "+", "blue"
    return ("=", "green") if unit.agrees(version) else ("~", "yellow")


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_collation(collation: Collation, console: Console) -> None:
    styled = console.is_terminal and not console.no_color
    bold = "bold" if styled else ""
    ids = sorted(r.id for r in collation.reports)
    n = len(ids)
    blocks: list[RenderableType] = []
    head = Text(f"Collation of {n} versions: ", style=bold)
    head.append(", ".join(ids))
    blocks.append(head)
    if collation.origin:
        origin = Text("Likely origin: ", style=bold)
        origin.append(f"{collation.origin}. {collation.origin_evidence}")
        blocks.append(origin)
    else:
        blocks.append(Text(f"Origin: not named. {collation.origin_evidence}"))
    blocks.append(
        Text(
            f"Consensus: {len(collation.consensus_units)} of {len(collation.units)} passages are "
            f"carried by a majority of the versions.\n"
        )
    )

    versions = Table(title="Versions", title_justify="left", show_lines=False, expand=False)
    versions.add_column("version", style=bold)
    versions.add_column("label")
    versions.add_column("consensus carried", justify="right")
    versions.add_column("word for word", justify="right")
    versions.add_column("reworded", justify="right")
    versions.add_column("added", justify="right")
    versions.add_column("systematic substitutions")
    for report in sorted(collation.reports, key=lambda r: r.id):
        found = report.comparison.substitutions if report.comparison else ()
        subs = [f"{s.a} → {s.b} ({s.count})" for s in found if s.systematic]
        versions.add_row(
            report.id + (" (origin)" if report.id == collation.origin else ""),
            report.label,
            f"{report.shared:.0%}",
            str(report.consensus_agreement),
            str(report.variants),
            str(report.additions),
            "; ".join(subs) or "-",
        )
    blocks.append(versions)

    table = Table(title="Variant table", title_justify="left", expand=True, show_lines=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("k/N", justify="right", no_wrap=True)
    for k in range(n):
        table.add_column(f"v{k + 1}", justify="center", no_wrap=True)
    table.add_column("consensus reading (or the passage where no majority has it)", ratio=1)
    for index, unit in enumerate(collation.units):
        cells = []
        for version in ids:
            mark, colour = _cell(collation, index, version)
            cells.append(Text(mark, style=colour if styled else ""))
        text = _short(unit.consensus_text, 200)
        table.add_row(str(index + 1), f"{unit.support}/{n}", *cells, text)
    blocks.append(table)
    key = "  ".join(f"v{k + 1} = {version}" for k, version in enumerate(ids))
    blocks.append(Text(f"{key}\n{LEGEND}"))
    if collation.derivation and any(d["shared_deviations"] for d in collation.derivation):
        lines = Text("\nDerivation sketch (versions sharing non-consensus readings):\n", style=bold)
        for item in collation.derivation:
            if item["shared_deviations"]:
                lines.append(
                    f"  {item['id']} ← {item['parent']} ({item['shared_deviations']} readings in common)\n"
                )
        blocks.append(lines)
    console.print(Group(*blocks))
