"""HTML reports: one self-contained file each (inline CSS and JavaScript, no network).

Article text is data: every piece of it goes through escaping (jinja2 autoescape, or
``markupsafe.escape`` where this module builds markup itself), so a ``<script>`` inside an article
shows as text and never runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from markupsafe import Markup, escape

from wiretrace import __version__
from wiretrace.results import Comparison, Segment, Span


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("wiretrace", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _asset(name: str) -> Markup:
    # Trusted files of this package, inlined as they are.
    return Markup(
        resources.files("wiretrace").joinpath("templates", name).read_text(encoding="utf-8")
    )


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
        classes = f"seg k-{segment.kind}" + (" moved" if segment.moved else "")
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
    from wiretrace.report.summary import describe, findings_headline

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
            {"a": sub.a, "b": sub.b, "count": sub.count, "kept": sub.kept, "links": links}
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
    return str(
        _environment()
        .get_template("compare.html.j2")
        .render(
            css=_asset("base.css"),
            script=_asset("script.js"),
            version=__version__,
            a_id=comparison.a.id,
            b_id=comparison.b.id,
            a_chars=len(text_a),
            b_chars=len(text_b),
            verdict=comparison.verdict,
            summary=describe(comparison),
            headline=findings_headline(comparison),
            systematic=systematic,
            others=[s for s in comparison.substitutions if not s.systematic],
            quotes=quotes,
            facts=facts,
            omissions=omissions,
            text_a=marked_text(text_a, segments, "a"),
            text_b=marked_text(text_b, segments, "b"),
            strip_a=coverage_strip(text_a, segments, "a"),
            strip_b=coverage_strip(text_b, segments, "b"),
        )
    )
