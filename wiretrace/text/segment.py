"""Segmentation: a document becomes units (sentences, datelines, headings, credits, boilerplate)
with offsets.

News text is not only sentences. Datelines ("TEL AVIV (AFP) –"), subheads, photo captions and
credits ("- AFP") are real parts of a story that copies keep, drop or rewrite, so each is a unit of
its own instead of being glued onto the sentence next to it. Web page furniture ("Subscribe
today", "Read more", "© 2024 …": :data:`~wiretrace.lexicon.BOILERPLATE_PATTERNS`) is a unit of
role ``boilerplate``: shown, never evidence that two texts are related.

Paragraphs are lines, except in hard-wrapped text (wire feeds, e-mail, text taken from a PDF: a
line break every 60 to 100 characters), where the lines of a paragraph are joined first: see
:func:`paragraphs`. Offsets always index the text as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from wiretrace.lexicon import AGENCIES, BOILERPLATE_MAX_WORDS, BOILERPLATE_PATTERNS
from wiretrace.text.debris import repair, vocabulary
from wiretrace.text.documents import normalise

Role = Literal["sentence", "heading", "dateline", "credit", "boilerplate"]
#: Roles whose units carry the article itself (evidence of copying), as opposed to datelines,
#: credits and page furniture.
BODY_ROLES = frozenset({"sentence", "heading"})

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
_LINE = re.compile(r"[^\n]*")
#: Sentence ends of scripts nupunkt (trained on English) does not split at: the Devanagari danda
#: (Hindi pages of reprints-dev), the Arabic question mark and Urdu full stop, CJK stops.
_OTHER_TERMINALS = re.compile(r"(?<=[।॥؟۔。！？])[\"'”’»)\]]*\s*")
_BOILERPLATE = re.compile("|".join(f"(?:{p})" for p in BOILERPLATE_PATTERNS), re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Unit:
    """A passage of a document: ``text`` equals ``document_text[start:end]``. ``key`` is the
    normalised text matching compares (equal keys mean a verbatim copy): quotes, dashes and
    spaces straightened, scraping debris undone (:mod:`wiretrace.text.debris`)."""

    index: int
    start: int
    end: int
    text: str
    role: Role
    key: str = ""

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", normalise(self.text))

    @property
    def is_body(self) -> bool:
        """Whether the unit carries the article's own text (a sentence or a heading)."""
        return self.role in BODY_ROLES


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
        for piece_start, piece_end in _split_other_terminals(text, start + s, start + e):
            piece_start, piece_end = _trim(text, piece_start, piece_end)
            if piece_start < piece_end:
                spans.extend(_cap_length(text, piece_start, piece_end))
    return spans


def _split_other_terminals(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces, begin = [], start
    for match in _OTHER_TERMINALS.finditer(text, start, end):
        if begin < match.start() and match.end() < end:
            pieces.append((begin, match.end()))
            begin = match.end()
    pieces.append((begin, end))
    return pieces


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


def is_boilerplate(text: str) -> bool:
    """Whether a unit's text is web page furniture (see the module docstring)."""
    return len(text.split()) <= BOILERPLATE_MAX_WORDS and bool(_BOILERPLATE.match(text.strip()))


#: Hard wrapping is recognised when lines are at most this long (their 90th percentile) ...
WRAP_WIDTH = 120
#: ... at least this many lines run on into the next one ...
WRAP_MIN_LINES = 3
#: ... and at least this share of the lines that reach the wrap width end mid-sentence.
WRAP_OPEN_SHARE = 0.4
#: A line at least this share of the wrap width long was wrapped; a shorter one ends a paragraph.
WRAP_FULL = 0.6
#: A line longer than this many wrap widths is a paragraph of its own, never a wrapped line.
WRAP_LONGEST = 1.3


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The paragraphs of ``text`` as (start, end) offsets: its lines, or, in hard-wrapped text,
    runs of lines joined. A text is hard-wrapped when its lines are short (90% of them at most
    :data:`WRAP_WIDTH` characters) and many of the lines that fill the width end mid-sentence;
    there, a line that fills the width continues into the next non-empty line, and a short line,
    an empty line or a line ending a sentence short of the width ends the paragraph. Text with a
    paragraph per line (lines of hundreds of characters, or ending with full stops) is left as it
    is. The width and shares are choices, checked on wrapped and unwrapped real news (tests)."""
    lines = [_trim(text, m.start(), m.end()) for m in _LINE.finditer(text)]
    lines = [(s, e) for s, e in lines if s < e]
    if not lines:
        return []
    lengths = sorted(e - s for s, e in lines)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    full = [(s, e) for s, e in lines if WRAP_FULL * width <= e - s <= WRAP_LONGEST * width]
    open_ended = [(s, e) for s, e in full if not _TERMINAL.search(text[s:e])]
    wrapped = (
        width <= WRAP_WIDTH
        and len(open_ended) >= WRAP_MIN_LINES
        and len(open_ended) >= WRAP_OPEN_SHARE * len(full)
    )
    if not wrapped:
        return lines
    out: list[tuple[int, int]] = []
    start, end = lines[0]
    for s, e in lines[1:]:
        only_newline_between = text.count("\n", end, s) == 1
        if (
            only_newline_between
            and e - s <= WRAP_LONGEST * width
            and _fills(text, start, end, width)
        ):
            end = e
        else:
            out.append((start, end))
            start, end = s, e
    out.append((start, end))
    return out


def _fills(text: str, start: int, end: int, width: int) -> bool:
    """Whether the paragraph's last line reaches the wrap width (it was wrapped, not ended)."""
    last_line = max(start, text.rfind("\n", start, end) + 1)
    return WRAP_FULL * width <= end - last_line <= WRAP_LONGEST * width


def segment(text: str) -> list[Unit]:
    """Split a document into units, in reading order, with offsets into ``text``."""
    words = vocabulary(text)
    units: list[Unit] = []
    for start, end in paragraphs(text):
        for s, e, role in _block_units(text, start, end):
            piece = text[s:e]
            if role in BODY_ROLES and is_boilerplate(piece):
                role = "boilerplate"
            key = normalise(repair(normalise(piece), words))
            # Most keys equal their text: one string then serves both (a scan of 100,000
            # articles holds every unit until its families are collated).
            units.append(Unit(len(units), s, e, piece, role, piece if key == piece else key))
    return units
