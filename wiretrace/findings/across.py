"""Findings that survive translation: the figures of a translated passage.

Words change with the language, digits do not (only how they are grouped: "7.8"/"7,8",
"1,200"/"1.200"/"1 200"). A translated passage whose figures differ from its original's is a
figure changed on the way, whichever language either is in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from wiretrace.alignment.model import Segment
from wiretrace.findings.facts import FactChange
from wiretrace.text.span import Span

# A figure: digits of any script, with the separators languages group them by (a space only
# before a group of three: "1 200", not "2019 11"). Letters may follow ("73rd", "4.20pm",
# "16H20", "20-metre"); a digit may not, nor may a letter come before ("A320").
_FIGURE = re.compile(
    r"(?<![\w])\d+(?:[.,:]\d+|[hH]\d{2}(?!\d)|[\u00a0\u202f ]\d{3}(?!\d))*(?![\d])"
)
# A clock time: hours and minutes ("4.15", "16:15", French "16H15").
_CLOCK = re.compile(r"^(?P<h>\d{1,2})[.:hH](?P<m>[0-5]\d)$")
# After a figure, the afternoon: "5 pm", "4.20p.m.".
_AFTERNOON = re.compile(r"\s?[pP]\.?[mM]\b")


def _digits(figure: str) -> str:
    return "".join(
        str(unicodedata.digit(c)) for c in figure if unicodedata.digit(c, None) is not None
    )


def _key(digits: str) -> str:
    return digits.rstrip("0") or "0"


def figure_keys(figure: str, afternoon: bool = False) -> frozenset[str]:
    """What a figure may be written as in another language, as ASCII digits with separators and
    trailing zeros dropped: "1.200", "1,200", "١٢٠٠" → {"12"}. Trailing zeros go because
    languages scale differently ("209 billion" is "209.000 millones" in Spanish). A clock time,
    or an hour followed by "pm" (``afternoon``), also stands for the same time on the 24-hour
    dial ("4.15pm" is "16.15", "5 pm" is "17 Uhr"): translators convert."""
    digits = _digits(figure)
    keys = {_key(digits)}
    clock = _CLOCK.match(figure)
    if clock and int(clock["h"]) < 24:
        keys.add(_key(f"{(int(clock['h']) + 12) % 24}{clock['m']}"))
    elif afternoon and digits.isdigit() and int(digits) <= 12:
        keys.add(_key(str(int(digits) + 12)))
    return frozenset(keys)


def figures_in(text: str) -> list[str]:
    """The figures of a text, as written."""
    return [m.group() for m in _FIGURE.finditer(text)]


def _figures(text: str, span: Span) -> list[tuple[frozenset[str], Span]]:
    found = []
    for m in _FIGURE.finditer(text, span.start, span.end):
        afternoon = bool(_AFTERNOON.match(text, m.end(), span.end))
        found.append((figure_keys(m.group(), afternoon), Span.of(text, m.start(), m.end())))
    return found


def figure_changes(text_a: str, text_b: str, segments: Sequence[Segment]) -> list[FactChange]:
    """Figures of a translated passage that its counterpart gives differently: reported when
    exactly one figure of each side finds no equal on the other (one figure replaced by
    another); a figure only dropped or only added, or several at once, is not paired up."""
    changes = []
    for segment in segments:
        if segment.kind != "translation" or segment.a is None or segment.b is None:
            continue
        figures_a = _figures(text_a, segment.a)
        figures_b = _figures(text_b, segment.b)
        keys_a = frozenset().union(*(keys for keys, _ in figures_a))
        keys_b = frozenset().union(*(keys for keys, _ in figures_b))
        only_a = [(k, s) for k, s in figures_a if not k & keys_b]
        only_b = [(k, s) for k, s in figures_b if not k & keys_a]
        if len(only_a) == 1 and len(only_b) == 1:
            changes.append(FactChange("number", only_a[0][1], only_b[0][1]))
    return changes
