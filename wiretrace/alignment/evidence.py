"""Evidence of copying: what a copy leaves behind that two independent reports of one event do not.

Two agencies' reports of the same event share names, numbers, the newsmaker's quotations and a
topic; their sentences align with each other at the passage bar (similar meaning), sometimes over
half of a short text. A copy (verbatim, trimmed, edited, spun) keeps more: its source's sentences in
order, in runs; its source's own phrasing outside the quotation marks; long sentences nearly word
for word. Each figure below measures one of these on an alignment, over the texts' body units
(sentences and headings; never datelines, credits or web boilerplate), and relative to the
*shorter* text, since a trimmed copy or a brief is as derived as a full reprint.

The verdict (:mod:`wiretrace.alignment.verdict`) weighs them with a model fitted on labelled real
news (``bench/fit_verdict.py``).
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from wiretrace.alignment.model import Segment, Span
from wiretrace.alignment.words import WordCodes, word_similarity
from wiretrace.lexicon import STOPWORDS
from wiretrace.text.quotations import quoted_mask
from wiretrace.text.segment import Unit

#: A passage counts as a long sentence kept word for word with at least this many words ...
LONG_PASSAGE_WORDS = 12
#: ... and at least this word-sequence similarity (0.6: a sentence with a few words changed; a
#: reworded same-event sentence scores 0.2-0.4 on reprints-dev) ...
KEPT_WORDING = 0.6
#: ... unless at least this share of it is inside quotation marks (everyone prints the quote).
QUOTED = 0.5
#: Aligned passages follow each other in a reuse block when at most this many units of either
#: text lie between them (a dropped or added sentence does not end a copied passage).
BLOCK_GAP = 1

_WORD = re.compile(r"\w+(?:['’]\w+)*")
#: Words that do not make a phrase the writer's own: function words and the verbs of attribution.
_PLAIN = STOPWORDS | {"said", "says"}


@dataclass(frozen=True)
class Evidence:
    """What the alignment of two texts shows, in the terms the verdict weighs."""

    #: Share of the shorter text's body in aligned passages that keep the story's order.
    ordered_coverage: float
    #: Share of the shorter text's body in its largest reuse block (passages in a row in both).
    block_coverage: float
    #: Word-sequence similarity of the aligned passages, weighted by length (1: word for word).
    wording_kept: float
    #: Long passages (12 words or more) kept nearly word for word, mostly outside quotations.
    long_passages_kept: int
    #: Share of the shorter text's own phrasing (three-word sequences with a lower-case content
    #: word, outside quotation marks) that the other text also has.
    shared_phrasing: float
    #: Share of the aligned text of the shorter side that is inside quotation marks.
    quoted_share: float
    #: The longest run of words, outside quotation marks, that both texts have.
    longest_run: int
    #: Aligned passages that keep the story's order (a spun copy keeps dozens; two reports of
    #: one event a few).
    passages_in_order: int = 0

    #: The order of :meth:`features`: what the fitted model's coefficients refer to.
    FEATURES = (
        "shared_phrasing",
        "long_passages_kept",
        "log_longest_run",
        "wording_kept",
        "ordered_coverage",
        "block_coverage",
        "quoted_share",
        "log_passages_in_order",
    )

    def features(self) -> list[float]:
        """The model's inputs, in :attr:`FEATURES` order."""
        return [
            self.shared_phrasing,
            float(self.long_passages_kept),
            math.log1p(self.longest_run),
            self.wording_kept,
            self.ordered_coverage,
            self.block_coverage,
            self.quoted_share,
            math.log1p(self.passages_in_order),
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ordered_coverage": round(self.ordered_coverage, 4),
            "block_coverage": round(self.block_coverage, 4),
            "wording_kept": round(self.wording_kept, 4),
            "long_passages_kept": self.long_passages_kept,
            "shared_phrasing": round(self.shared_phrasing, 4),
            "quoted_share": round(self.quoted_share, 4),
            "longest_run": self.longest_run,
            "passages_in_order": self.passages_in_order,
        }


@dataclass(frozen=True)
class ReuseBlock:
    """A maximal run of aligned passages that follow each other in both texts: one copied passage,
    however many sentences. ``segments`` are indices into the comparison's segments."""

    a: Span
    b: Span
    kind: str  # verbatim | edited | paraphrase | translation: the least faithful of its passages
    segments: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "kind": self.kind,
            "segments": list(self.segments),
        }


def body_segments(
    segments: Sequence[Segment], units_a: Sequence[Unit], units_b: Sequence[Unit]
) -> list[int]:
    """Indices of the aligned segments made of body units on both sides."""
    return [
        k
        for k, s in enumerate(segments)
        if s.aligned
        and all(units_a[i].is_body for i in s.units_a)
        and all(units_b[j].is_body for j in s.units_b)
    ]


def reuse_blocks(
    text_a: str,
    text_b: str,
    segments: Sequence[Segment],
    units_a: Sequence[Unit],
    units_b: Sequence[Unit],
) -> list[ReuseBlock]:
    """Maximal runs of in-order aligned body passages, consecutive in both texts up to
    :data:`BLOCK_GAP` units between them; in A's order."""
    ordered = sorted(
        (k for k in body_segments(segments, units_a, units_b) if not segments[k].moved),
        key=lambda k: segments[k].units_a[0],
    )
    runs: list[list[int]] = []
    for k in ordered:
        if runs:
            last = segments[runs[-1][-1]]
            gap_a = segments[k].units_a[0] - last.units_a[-1] - 1
            gap_b = segments[k].units_b[0] - last.units_b[-1] - 1
            if 0 <= gap_a <= BLOCK_GAP and 0 <= gap_b <= BLOCK_GAP:
                runs[-1].append(k)
                continue
        runs.append([k])
    rank = {"verbatim": 0, "edited": 1, "paraphrase": 2, "translation": 3}
    blocks = []
    for run in runs:
        spans_a = [segments[k].a for k in run]
        spans_b = [segments[k].b for k in run]
        kind = max((segments[k].kind for k in run), key=rank.__getitem__)
        blocks.append(
            ReuseBlock(
                Span.of(
                    text_a, min(s.start for s in spans_a if s), max(s.end for s in spans_a if s)
                ),
                Span.of(
                    text_b, min(s.start for s in spans_b if s), max(s.end for s in spans_b if s)
                ),
                kind,
                tuple(run),
            )
        )
    return blocks


def word_count(text: str) -> int:
    """How many words a passage has, as the evidence counts them."""
    return len(_WORD.findall(text))


def _chars(units: Sequence[Unit], indices: Sequence[int] | None = None) -> int:
    chosen = units if indices is None else [units[i] for i in indices]
    return sum(u.end - u.start for u in chosen if u.is_body)


def _body_words(text: str, units: Sequence[Unit], mask: bytes) -> list[str | None]:
    """The words of the text's body units, in order, as written; ``None`` for a word inside
    quotation marks and in place of each run of non-body units (datelines, credits,
    boilerplate), so that nothing is matched there and no run of words goes through them."""
    words: list[str | None] = []
    for unit in units:
        if not unit.is_body:
            if words and words[-1] is not None:
                words.append(None)
            continue
        words.extend(
            None if mask[m.start()] else m.group()
            for m in _WORD.finditer(text, unit.start, unit.end)
        )
    return words


def _phrases(words: Sequence[str | None]) -> set[tuple[str, str, str]]:
    """Three-word sequences that are the writer's phrasing: all words outside quotation marks,
    one a lower-case content word (not a name, a number or a function word)."""
    out = set()
    for i in range(len(words) - 2):
        a, b, c = words[i : i + 3]
        if a is None or b is None or c is None:
            continue
        gram = (a, b, c)
        if all(w.isalpha() for w in gram) and any(w.islower() and w not in _PLAIN for w in gram):
            out.add(gram)
    return out


def _phrases_fast(words: Sequence[str | None]) -> set[tuple[str, str, str]]:
    """:func:`_phrases`, each word classified once rather than once per sequence it is in."""
    plain = [w if w is not None and w.isalpha() else "" for w in words]  # "": cannot be in one
    content = [w.islower() and w not in _PLAIN for w in plain]
    out = set()
    for i in range(len(plain) - 2):
        a, b, c = plain[i], plain[i + 1], plain[i + 2]
        if a and b and c and (content[i] or content[i + 1] or content[i + 2]):
            out.add((a, b, c))
    return out


def longest_common_run(a: Sequence[str | None], b: Sequence[str | None]) -> int:
    """Length of the longest run of words both sequences have; ``None`` (a quoted word) matches
    nothing, so a run never goes through a quotation on either side. Dynamic programming over the
    positions of each word in ``b``: linear in the number of equal pairs."""
    positions: dict[str, list[int]] = {}
    for j, word in enumerate(b):
        if word is not None:
            positions.setdefault(word, []).append(j)
    best = 0
    previous: dict[int, int] = {}
    for word in a:
        current = {j: previous.get(j - 1, 0) + 1 for j in positions.get(word, ())} if word else {}
        if current:
            best = max(best, *current.values())
        previous = current
    return best


#: Odd, so that it has an inverse modulo 2**64 (any odd 64-bit constant does).
_BASE = 0x9E3779B97F4A7C15
_MASK = (1 << 64) - 1


class RunIndex:
    """A word sequence ready for :func:`longest_common_run_indexed`: every run of ``k`` words as
    one 64-bit rolling hash (numpy, wrapping arithmetic modulo 2**64), from prefix sums built once
    per text. Quoted words (``None``) break runs."""

    def __init__(self, words: Sequence[str | None]) -> None:
        import numpy as np

        self.words = tuple(words)
        n = len(words)
        # Python's string hash: the same within a process, which is all a comparison needs (a
        # hash match is checked word by word before it counts).
        values = np.array([hash(w) & _MASK if w is not None else 0 for w in words], np.uint64)
        powers = np.full(n, _BASE, dtype=np.uint64)
        inverse = np.full(n, pow(_BASE, -1, 1 << 64), dtype=np.uint64)
        if n:
            powers[0] = inverse[0] = 1
        with np.errstate(over="ignore"):
            powers = np.cumprod(powers, dtype=np.uint64)
            self.inverse = np.cumprod(inverse, dtype=np.uint64)
            self.prefix = np.concatenate(
                ([np.uint64(0)], np.cumsum(values * powers, dtype=np.uint64))
            )
        quoted = np.array([w is None for w in words], dtype=np.int64)
        self.quoted = np.concatenate(([0], np.cumsum(quoted)))

    def hashes(self, k: int) -> tuple[Any, Any]:
        """(start positions, hash) of the runs of ``k`` words with no quoted word in them."""
        import numpy as np

        starts = np.arange(len(self.words) - k + 1)
        starts = starts[self.quoted[starts + k] == self.quoted[starts]]
        with np.errstate(over="ignore"):
            values = (self.prefix[starts + k] - self.prefix[starts]) * self.inverse[starts]
        return starts, values


def longest_common_run_fast(a: Sequence[str | None], b: Sequence[str | None]) -> int:
    """:func:`longest_common_run` in time near-linear in the words, whatever their repetitions."""
    return longest_common_run_indexed(RunIndex(a), RunIndex(b))


def longest_common_run_indexed(left: RunIndex, right: RunIndex) -> int:
    """The longest shared run of two indexed sequences: a binary search on the run's length, each
    length tested by intersecting the two texts' rolling hashes of that many words; a hash match
    counts only once its words are compared and found equal (a collision never lengthens a run)."""
    import numpy as np

    a, b = left.words, right.words

    def shared(k: int) -> bool:
        starts_a, hashes_a = left.hashes(k)
        starts_b, hashes_b = right.hashes(k)
        common, at_a, at_b = np.intersect1d(hashes_a, hashes_b, return_indices=True)
        for i, j in zip(starts_a[at_a].tolist(), starts_b[at_b].tolist(), strict=True):
            if a[i : i + k] == b[j : j + k]:
                return True
        # intersect1d keeps one position per hash; look further only when that one collided.
        if len(common):
            wanted = set(common.tolist())
            by_hash: dict[int, list[int]] = {}
            for j, h in zip(starts_b.tolist(), hashes_b.tolist(), strict=True):
                if h in wanted:
                    by_hash.setdefault(h, []).append(j)
            for i, h in zip(starts_a.tolist(), hashes_a.tolist(), strict=True):
                for j in by_hash.get(h, ()):
                    if a[i : i + k] == b[j : j + k]:
                        return True
        return False

    low, high = 0, min(len(a), len(b))  # a run of `low` words is shared; none of `high + 1`
    while low < high:
        middle = (low + high + 1) // 2
        if shared(middle):
            low = middle
        else:
            high = middle - 1
    return low


@dataclass(frozen=True)
class BodyWords:
    """One text's words as the evidence reads them (its body, quotations masked), computed once
    per text however many texts it is compared with: a corpus scan compares one document with
    dozens of candidates."""

    mask: bytes
    phrases: frozenset[tuple[str, str, str]]
    #: The words casefolded, indexed for the longest shared run.
    runs: RunIndex


_BOUNDS = attrgetter("start", "end", "role")


def body_words(text: str, units: Sequence[Unit]) -> BodyWords:
    """:class:`BodyWords` of a text segmented into ``units``; the last few hundred texts read are
    kept, keyed by the text and its units' bounds and roles."""
    key = (text, tuple(map(_BOUNDS, units)))
    found = _READ.get(key)
    if found is not None:
        _READ.move_to_end(key)
        return found
    mask = bytes(quoted_mask(text))
    words = _body_words(text, units, mask)
    found = BodyWords(
        mask,
        frozenset(_phrases_fast(words)),
        RunIndex([w.casefold() if w else None for w in words]),
    )
    _READ[key] = found
    if len(_READ) > _READ_SIZE:
        _READ.popitem(last=False)
    return found


#: Texts whose reading is kept: a scan verifies pairs in document order, so a document's
#: candidates come together; a few hundred covers them.
_READ_SIZE = 512
_READ: OrderedDict[tuple[str, tuple[tuple[int, int, str], ...]], BodyWords] = OrderedDict()


def measure(
    text_a: str,
    units_a: Sequence[Unit],
    text_b: str,
    units_b: Sequence[Unit],
    segments: Sequence[Segment],
    codes: WordCodes | None = None,
) -> Evidence:
    """The evidence of copying in an alignment of A and B."""
    codes = codes or WordCodes()
    short_is_a = _chars(units_a) <= _chars(units_b)
    short_units = units_a if short_is_a else units_b
    short_total = max(1, _chars(short_units))
    read_a, read_b = body_words(text_a, units_a), body_words(text_b, units_b)
    short_mask = read_a.mask if short_is_a else read_b.mask

    aligned = [segments[k] for k in body_segments(segments, units_a, units_b)]

    def short_side(segment: Segment) -> tuple[int, ...]:
        return segment.units_a if short_is_a else segment.units_b

    def short_span(segment: Segment) -> Span:
        span = segment.a if short_is_a else segment.b
        assert span is not None
        return span

    in_order = [s for s in aligned if not s.moved]
    ordered = sum(_chars(short_units, short_side(s)) for s in in_order) / short_total
    blocks = reuse_blocks(text_a, text_b, segments, units_a, units_b)
    largest = max(
        (sum(_chars(short_units, short_side(segments[k])) for k in b.segments) for b in blocks),
        default=0,
    )

    kept_weight = kept_total = 0.0
    long_kept = 0
    quoted = quoted_total = 0
    for segment in aligned:
        key_a = " ".join(units_a[i].key for i in segment.units_a)
        key_b = " ".join(units_b[j].key for j in segment.units_b)
        lexical = float(word_similarity([codes.encode_key(key_a)], [codes.encode_key(key_b)])[0, 0])
        assert segment.a is not None
        length = segment.a.end - segment.a.start
        kept_weight += lexical * length
        kept_total += length
        span = short_span(segment)
        inside = sum(short_mask[span.start : span.end])
        quoted += inside
        quoted_total += span.end - span.start
        words = word_count(span.text)
        if (
            lexical >= KEPT_WORDING
            and words >= LONG_PASSAGE_WORDS
            and inside < QUOTED * (span.end - span.start)
        ):
            long_kept += 1

    short_phrases = read_a.phrases if short_is_a else read_b.phrases
    shared = len(read_a.phrases & read_b.phrases) / max(1, len(short_phrases))
    run = longest_common_run_indexed(read_a.runs, read_b.runs)
    return Evidence(
        ordered_coverage=min(1.0, ordered),
        block_coverage=min(1.0, largest / short_total),
        wording_kept=kept_weight / kept_total if kept_total else 0.0,
        long_passages_kept=long_kept,
        shared_phrasing=shared,
        quoted_share=quoted / quoted_total if quoted_total else 0.0,
        longest_run=run,
        passages_in_order=len(in_order),
    )
