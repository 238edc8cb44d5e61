"""Quotations in a text: the words inside quotation marks, with their speaker when the text names one.

Words inside quotation marks belong to the person quoted: every outlet prints a newsmaker's words
the same way, so matching quoted words is weak evidence that one text copies another, and changing
them is a serious finding (:mod:`wiretrace.findings.quotes`).

Recognised marks: "…", “…”, „…“, «…», ‹…›, ‘…’ and '…' (single quotes only outside double ones, and
only where they cannot be apostrophes), including quotations that run over several sentences
within a paragraph, and the news convention for a quotation over several paragraphs (each opens
with a mark, only the last closes). Nested quotes stay inside the outer quotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wiretrace.lexicon import SPEAKER_ROLES, SPEECH_VERBS
from wiretrace.text.documents import normalise
from wiretrace.text.span import Span

_DOUBLE = re.compile(
    r'“([^”“\n]{2,}?)”|"([^"\n]{2,}?)"|„([^“”\n]{2,}?)[“”]|«\s?([^»\n]{2,}?)\s?»|‹([^›\n]{2,}?)›'
)
_SINGLE = re.compile(
    r"(?:(?<=^)|(?<=[\s(\[—–-]))[‘']([^‘'’\n]*?\w[^‘'’\n]*?)[’'](?=$|[\s,.;:!?)\]—–-])"
)
#: An opening double mark left open in its paragraph (nothing above matched it), followed by a
#: word: the start of a quotation that continues in the next paragraph.
_OPENER = re.compile(r'(?:^|(?<=[\s(\[—–-]))[“„«"](?=\s?\w)(?![^\n]*[”»"])')
_VERBS = "(?:" + "|".join(SPEECH_VERBS) + ")"
_ROLE = "(?:" + "|".join(SPEAKER_ROLES) + ")"
_AFTER = re.compile(
    r"^\s*[,.]?\s*(?:"
    + _VERBS
    + r"\s+(?P<s1>(?:the |a |an )?[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,3}(?:\s+"
    + _ROLE
    + r")?|the [a-z][\w\- ]{1,30}?)(?=[\s,.]|$)"
    r"|(?P<s2>he|she|they|[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,3}|(?:the|a|an|his|her) [\w\- ]{1,40}?)\s+"
    + _VERBS
    + r")"
)
_BEFORE = re.compile(
    r"(?P<s>[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,3}|he|she|they)\s+(?:"
    + _VERBS
    + r"|told \w+)\s*[,:]?\s*(?:that\s+)?$"
)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Quotation:
    span: Span  # the words inside the marks
    speaker: str | None

    @property
    def words(self) -> list[str]:
        return [w.casefold() for w in _WORD.findall(normalise(self.span.text))]


def extract_quotations(text: str) -> list[Quotation]:
    found: list[Quotation] = []
    taken: list[tuple[int, int]] = []
    for match in _DOUBLE.finditer(text):
        group = next(g for g in range(1, 6) if match.group(g) is not None)
        found.append(
            _quotation(text, match.start(group), match.end(group), match.start(), match.end())
        )
        taken.append((match.start(), match.end()))
    for match in _SINGLE.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue  # nested inside a double quotation
        if len(match.group(1).split()) < 2:
            continue  # a lone quoted word in single marks is more often a term than a quotation
        found.append(_quotation(text, match.start(1), match.end(1), match.start(), match.end()))
        taken.append((match.start(), match.end()))
    for opener in _OPENER.finditer(text):
        if any(s <= opener.start() < e for s, e in taken):
            continue
        end = text.find("\n", opener.end())
        end = len(text) if end < 0 else end
        if end - opener.end() >= 2:
            # News style: a quotation that goes on into the next paragraph has no closing mark
            # in this one; it runs to the paragraph's end.
            found.append(_quotation(text, opener.end(), end, opener.start(), end))
            taken.append((opener.start(), end))
    return sorted(found, key=lambda q: q.span.start)


def _quotation(text: str, start: int, end: int, outer_start: int, outer_end: int) -> Quotation:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    after = _AFTER.match(text[outer_end : outer_end + 80])
    before = _BEFORE.search(text[max(0, outer_start - 80) : outer_start])
    speaker = None
    if after:
        speaker = after.group("s1") or after.group("s2")
    elif before:
        speaker = before.group("s")
    return Quotation(Span.of(text, start, end), speaker.strip() if speaker else None)


def quoted_mask(text: str) -> bytearray:
    """One byte per character of ``text``: 1 inside a quotation's marks, 0 outside."""
    mask = bytearray(len(text))
    for quotation in extract_quotations(text):
        span = quotation.span
        mask[span.start : span.end] = b"\x01" * (span.end - span.start)
    return mask
