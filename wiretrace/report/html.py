"""HTML reports: one self-contained file each (inline CSS and JavaScript, no network).

Article text is data: every piece of it goes through escaping (jinja2 autoescape, or
``markupsafe.escape`` where this module builds markup itself), so a ``<script>`` inside an article
shows as text and never runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from wiretrace import __version__
from wiretrace.alignment.model import Segment, Span
from wiretrace.comparer import Comparison

if TYPE_CHECKING:
    from wiretrace.collate import Collation
    from wiretrace.scan.stages import ScanResult


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("wiretrace", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def asset(name: str) -> Markup:
    # Trusted files of this package, inlined as they are.
    return Markup(
        resources.files("wiretrace").joinpath("templates", name).read_text(encoding="utf-8")
    )


def render_template(template: str, **context: Any) -> str:
    """A page from its template, with the shared stylesheet and version filled in."""
    page = (
        _environment()
        .get_template(template)
        .render(css=asset("base.css"), version=__version__, **context)
    )
    return str(page)


def _side_spans(segments: Sequence[Segment], side: str) -> list[tuple[Span, int, Segment]]:
    spans = []
    for index, segment in enumerate(segments):
        span = segment.a if side == "a" else segment.b
        if span is not None:
            spans.append((span, index, segment))
    return sorted(spans, key=lambda item: item[0].start)


def anchor(side: str, index: int) -> str:
    return f"{side}-s{index}"


def _segment_at(segments: Sequence[Segment], side: str, position: int) -> int | None:
    for span, index, _ in _side_spans(segments, side):
        if span.start <= position < span.end:
            return index
    return None


_LABEL = {
    "verbatim": "verbatim",
    "edited": "edited",
    "paraphrase": "paraphrase",
    "translation": "translation",
    "a_only": "only in A",
    "b_only": "only in B",
}


def _marked_passage(text: str, span: Span, segment: Segment, side: str) -> Markup:
    if segment.kind != "edited":
        # A paraphrase's word diff marks nearly every word: noise to a reader. The passage is
        # tied to its counterpart instead, and the findings list what matters.
        return escape(text[span.start : span.end])
    changes = sorted(
        (e.a if side == "a" else e.b for e in segment.edits if (e.a if side == "a" else e.b)),
        key=lambda s: s.start,  # type: ignore[union-attr]
    )
    out = []
    cursor = span.start
    for change in changes:
        assert change is not None
        out.append(escape(text[cursor : change.start]))
        out.append(
            Markup('<span class="chg-{}">{}</span>').format(side, text[change.start : change.end])
        )
        cursor = change.end
    out.append(escape(text[cursor : span.end]))
    return Markup("").join(out)


def marked_text(text: str, segments: Sequence[Segment], side: str) -> Markup:
    """The whole text, each passage wrapped in a focusable span tied to its counterpart."""
    out = []
    cursor = 0
    for span, index, segment in _side_spans(segments, side):
        out.append(escape(text[cursor : span.start]))
        label = _LABEL[segment.kind] + (", moved" if segment.moved else "")
        if segment.aligned:
            label += f", similarity {segment.similarity:.2f}"
        if segment.boilerplate:
            label = "web boilerplate (never evidence): " + label
        classes = (
            f"seg k-{segment.kind}"
            + (" moved" if segment.moved else "")
            + (" boilerplate" if segment.boilerplate else "")
        )
        out.append(
            Markup(
                '<span class="{}" id="{}" data-seg="{}" data-side="{}" tabindex="0" '
                'title="{}" aria-label="{}">{}</span>'
            ).format(
                classes,
                anchor(side, index),
                index,
                side,
                label,
                label,
                _marked_passage(text, span, segment, side),
            )
        )
        cursor = span.end
    out.append(escape(text[cursor:]))
    return Markup("").join(out)


def coverage_strip(text: str, segments: Sequence[Segment], side: str) -> Markup:
    """A bar along the text: one block per passage, its width its share of the text."""
    total = max(len(text), 1)
    out = []
    cursor = 0
    for span, index, segment in _side_spans(segments, side):
        if span.start > cursor:
            out.append(
                Markup('<span class="gap" style="width:{:.3f}%"></span>').format(
                    100 * (span.start - cursor) / total
                )
            )
        out.append(
            Markup('<a class="k-{}" href="#{}" style="width:{:.3f}%" title="{}"></a>').format(
                segment.kind,
                anchor(side, index),
                100 * (span.end - span.start) / total,
                _LABEL[segment.kind],
            )
        )
        cursor = span.end
    return Markup("").join(out)


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_compare_html(comparison: Comparison) -> str:
    from wiretrace.report.summary import (
        describe,
        findings_headline,
        one_off_replacements,
        relation_label,
        substitution_phrase,
        substitutions_heading,
    )

    segments = comparison.segments
    text_a, text_b = comparison.a.text, comparison.b.text

    def where(side: str, span: Span | None) -> str | None:
        if span is None:
            return None
        index = _segment_at(segments, side, span.start)
        return anchor(side, index) if index is not None else None

    systematic = []
    for sub in comparison.substitutions:
        if not sub.systematic:
            continue
        links = [
            {"anchor": where("a", occ.a) or "texts", "label": _short(occ.a.text, 30)}
            for occ in sub.occurrences
        ]
        systematic.append(
            {
                "a": sub.a,
                "b": sub.b,
                "count": sub.count,
                "kept": sub.kept,
                "links": links,
                "reads": substitution_phrase(comparison, sub),
            }
        )
    quotes = [
        {
            "status": q.status,
            "a": _short(q.a.span.text) if q.a else "",
            "b": _short(q.b.span.text) if q.b else "",
            "a_anchor": where("a", q.a.span) if q.a else None,
            "b_anchor": where("b", q.b.span) if q.b else None,
            "speaker": (q.a.speaker if q.a and q.a.speaker else (q.b.speaker if q.b else None))
            or "",
        }
        for q in comparison.quotes
        if q.status != "intact"
    ]
    facts = [
        {
            "type": f.type,
            "a": f.a.text,
            "b": f.b.text,
            "a_anchor": where("a", f.a),
            "b_anchor": where("b", f.b),
        }
        for f in comparison.facts
    ]
    omissions = []
    for o in comparison.omissions:
        side, span = ("a", o.a) if o.a is not None else ("b", o.b)
        assert span is not None
        omissions.append(
            {
                "text": span.text,
                "type": o.type,
                "where": "dropped by B" if side == "a" else "added by B",
                "anchor": where(side, span),
            }
        )
    reuse = [
        {
            "kind": block.kind,
            "passages": len(block.segments),
            "a": _short(block.a.text, 90),
            "b": _short(block.b.text, 90),
            "a_anchor": anchor("a", block.segments[0]),
            "b_anchor": anchor("b", block.segments[0]),
        }
        for block in comparison.reuse
    ]
    return render_template(
        "compare.html.j2",
        script=asset("script.js"),
        reuse=reuse if comparison.verdict.derived else [],
        a_id=comparison.a.id,
        b_id=comparison.b.id,
        a_chars=len(text_a),
        b_chars=len(text_b),
        a_language=comparison.language_a.name if comparison.language_a.known else "",
        b_language=comparison.language_b.name if comparison.language_b.known else "",
        translated=any(s.kind == "translation" for s in segments),
        verdict=comparison.verdict,
        relation=relation_label(comparison.verdict.relation, comparison.verdict.shared_a),
        summary=describe(comparison),
        headline=findings_headline(comparison),
        systematic=systematic,
        systematic_heading=substitutions_heading(comparison),
        others=one_off_replacements(comparison),
        quotes=quotes,
        facts=facts,
        omissions=omissions,
        text_a=marked_text(text_a, segments, "a"),
        text_b=marked_text(text_b, segments, "b"),
        strip_a=coverage_strip(text_a, segments, "a"),
        strip_b=coverage_strip(text_b, segments, "b"),
    )


def _collation_context(collation: Collation) -> dict[str, Any]:
    ids = sorted(r.id for r in collation.reports)
    consensus_units = set(collation.consensus_units)
    versions = []
    for report in sorted(collation.reports, key=lambda r: r.id):
        found = report.comparison.substitutions if report.comparison else ()
        versions.append(
            {
                "id": report.id,
                "label": report.label,
                "shared": report.shared,
                "agree": report.consensus_agreement,
                "variants": report.variants,
                "additions": report.additions,
                "omissions": report.omissions,
                "subs": "; ".join(f"{s.a} → {s.b} ({s.count})" for s in found if s.systematic)
                or "-",
            }
        )
    units = []
    for index, unit in enumerate(collation.units):
        cells = []
        for version in ids:
            reading = unit.readings[version]
            if reading is None:
                mark, css, label = "·", "cell-abs", f"{version}: absent"
            elif index not in consensus_units:
                mark, css, label = "+", "cell-add", f"{version}: not in the consensus"
            elif unit.agrees(version):
                mark, css, label = "=", "cell-eq", f"{version}: as the consensus"
            else:
                mark, css, label = "~", "cell-var", f"{version}: reworded"
            title = f"{version}: {_short(reading.span.text, 300)}" if reading else label
            cells.append({"mark": mark, "css": css, "label": label, "title": title})
        units.append(
            {
                "support": unit.support,
                "cells": cells,
                "text": _short(unit.consensus_text, 240),
            }
        )
    return {
        "versions": versions,
        "units": units,
        "origin": collation.origin,
        "derivation": [d for d in collation.derivation if d["shared_deviations"]],
    }


def render_collate_html(collation: Collation) -> str:
    context = _collation_context(collation)
    return render_template(
        "collate.html.j2",
        evidence=collation.origin_evidence,
        consensus_count=len(collation.consensus_units),
        **context,
    )


def _bar_chart(rows: list[tuple[str, float]]) -> Markup:
    """A horizontal bar chart (inline SVG): the share of each outlet's text that is reused copy."""
    if not rows:
        return Markup("")
    height = 22 * len(rows) + 10
    parts = [
        Markup(
            '<svg role="img" aria-label="share of reused text per outlet" width="560" height="{}">'
        ).format(height)
    ]
    for k, (name, share) in enumerate(rows):
        y = 5 + 22 * k
        parts.append(
            Markup(
                '<text class="bar-label" x="0" y="{}">{}</text><rect class="bar" x="170" y="{}" '
                'width="{:.1f}" height="16"><title>{}: {:.0f}%</title></rect>'
                '<text class="bar-label" x="{:.1f}" y="{}">{:.0f}%</text>'
            ).format(
                y + 13,
                _short(name, 24),
                y,
                330 * share,
                name,
                100 * share,
                175 + 330 * share,
                y + 13,
                100 * share,
            )
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def render_scan_html(
    result: ScanResult,
    documents: dict[str, tuple[str | None, str | None]],
    collations: dict[str, Collation] | None = None,
) -> str:
    from wiretrace.report.families import relation_to_origin

    collations = collations or {}
    families = []
    for family in result.families:
        members = [
            {
                "id": m,
                "outlet": documents.get(m, (None, None))[0] or "",
                "date": documents.get(m, (None, None))[1] or "",
                "relation": relation_to_origin(family, m)
                + (" (also in another family)" if m in family.merges else ""),
            }
            for m in sorted(family.members, key=lambda m: (m != family.origin, m))
        ]
        collation = collations.get(family.id)
        families.append(
            {
                "id": family.id,
                "origin": family.origin,
                "evidence": family.origin_evidence,
                "members": members,
                "collation": _collation_context(collation) if collation else None,
            }
        )
    outlets = []
    for profile in result.outlets or []:
        outlets.append(
            {
                **profile.to_dict(),
                "sources_text": profile.sources_text() or "-",
                "subs_text": "; ".join(
                    f"replaces “{s['a']}” with “{s['b']}” in {s['copies']} of {s['of']} copies"
                    for s in profile.substitutions
                )
                or "-",
            }
        )
    chart = _bar_chart([(o.outlet, o.reused_share) for o in result.outlets or [] if o.copies])
    in_families = {m for f in result.families for m in f.members}
    return render_template(
        "scan.html.j2",
        documents=result.documents,
        families=families,
        in_families=len(in_families),
        merges=len({m for f in result.families for m in f.merges}),
        stages=result.stages,
        outlets=outlets,
        chart=chart,
    )
