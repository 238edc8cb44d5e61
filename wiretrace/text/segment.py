"""Segmentation: a document becomes units (sentences, datelines, headings, credits) with offsets.

News text is not only sentences. Datelines ("TEL AVIV (AFP) –"), subheads, photo captions and
credits ("- AFP") are real parts of a story that copies keep, drop or rewrite, so each is a unit of
its own instead of being glued onto the sentence next to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from wiretrace.lexicon import AGENCIES
from wiretrace.text.documents import normalise

Role = Literal["sentence", "heading", "dateline", "credit"]

#: Units longer than this many characters (no punctuation for pages) are cut at spaces, so that one
#: runaway "sentence" cannot dominate the alignment or the encoder's 256-token window.
MAX_UNIT_CHARS = 1200

_AGENCY = r"(?:" + "|".join(AGENCIES) + r"|[A-Z]{2,6})"
# "TEL AVIV (AFP) –", "TEL AVIV:", "LONDON, Nov 23 (Reuters) -", "GENEVA —"
_DATELINE = re.compile(
    r"^(?P<dl>[A-Z][A-Z.'’\- ]{1,38}[A-Z.]"
    r"(?:\s*,\s*[A-Z][A-Za-z]{1,9}\.?(?:\s+\d{1,2})?(?:,\s*\d{4})?)?"
    r"(?:\s*\(\s*" + _AGENCY + r"\s*\))?"
    r"\s*(?::|[-–—]{1,2}))\s+(?=\S)"
)
# "... in Washington. - AFP", "... opposes. — Reuters", "(AFP)" at the very end of a paragraph.
_CREDIT = re.compile(r"(?<=\S)\s+(?P<cr>[-–—]\s*" + _AGENCY + r"|\(\s*" + _AGENCY + r"\s*\))\s*$")
_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$|[:;][\"'”’»]*$")
_BLOCK = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Unit:
    """A passage of a document: ``text`` equals ``document_text[start:end]``."""

    index: int
    start: int
    end: int
    text: str
    role: Role

    @cached_property
    def key(self) -> str:
        """Normalised text: equal keys mean a verbatim copy."""
        return normalise(self.text)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    import nupunkt  # lazy: loads its model on first use

    spans = []
    for _, (s, e) in nupunkt.sent_spans_with_text(text[start:end]):
        s, e = _trim(text, start + s, start + e)
        if s < e:
            spans.extend(_cap_length(text, s, e))
    return spans


def _cap_length(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    while end - start > MAX_UNIT_CHARS:
        cut = text.rfind(" ", start + MAX_UNIT_CHARS // 2, start + MAX_UNIT_CHARS)
        cut = cut if cut > start else start + MAX_UNIT_CHARS
        s, e = _trim(text, start, cut)
        if s < e:
            pieces.append((s, e))
        start = cut
    s, e = _trim(text, start, end)
    if s < e:
        pieces.append((s, e))
    return pieces


def _block_units(text: str, start: int, end: int) -> list[tuple[int, int, Role]]:
    units: list[tuple[int, int, Role]] = []
    block = text[start:end]
    dateline = _DATELINE.match(block)
    if dateline and len(block) - dateline.end() > 20:
        units.append((start, start + dateline.end("dl"), "dateline"))
        start += dateline.end()
    credit = _CREDIT.search(text, start, end)
    credit_unit: list[tuple[int, int, Role]] = []
    if credit:
        credit_unit.append((credit.start("cr"), credit.end("cr"), "credit"))
        end = credit.start()
    body = _sentence_spans(text, start, end)
    if len(body) == 1 and not dateline and not _TERMINAL.search(text[body[0][0] : body[0][1]]):
        s, e = body[0]
        words = len(text[s:e].split())
        units.append((s, e, "heading" if words <= 16 else "sentence"))
    else:
        units.extend((s, e, "sentence") for s, e in body)
    return units + credit_unit


def segment(text: str) -> list[Unit]:
    """Split a document into units, in reading order, with offsets into ``text``."""
    units: list[Unit] = []
    for block in _BLOCK.finditer(text):
        start, end = _trim(text, block.start(), block.end())
        if start == end:
            continue
        for s, e, role in _block_units(text, start, end):
            units.append(Unit(len(units), s, e, text[s:e], role))
    return units
