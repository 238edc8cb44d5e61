"""Word links inside every aligned segment, computed once and shared by all findings."""

from __future__ import annotations

from dataclasses import dataclass

from wiretrace.embed import Encoder
from wiretrace.results import Segment
from wiretrace.wordalign import Word, anchors, mutual_best, similarity, words_of


@dataclass(frozen=True)
class SegmentWords:
    """The words of one aligned segment on each side, and which word of A became which of B."""

    segment: Segment
    words_a: list[Word]
    words_b: list[Word]
    links: list[tuple[int, int]]  # (index in words_a, index in words_b), sorted
    strength: dict[tuple[int, int], float]  # each link's score (identical words score high)

    @property
    def b_of(self) -> dict[int, int]:
        return dict(self.links)

    @property
    def a_of(self) -> dict[int, int]:
        return {j: i for i, j in self.links}


def link_segments(
    text_a: str, text_b: str, segments: tuple[Segment, ...] | list[Segment], encoder: Encoder
) -> list[SegmentWords]:
    """Word links for every aligned segment; verbatim ones link word for word without a model."""
    out = []
    for segment in segments:
        if segment.a is None or segment.b is None:
            continue
        words_a = words_of(text_a, segment.a.start, segment.a.end)
        words_b = words_of(text_b, segment.b.start, segment.b.end)
        if segment.kind == "verbatim" and len(words_a) == len(words_b):
            links = [(k, k) for k in range(len(words_a))]
            strength = dict.fromkeys(links, 1.0)
        else:
            scores = similarity(encoder, text_a, words_a, text_b, words_b)
            links = mutual_best(scores, anchors(words_a, words_b))
            strength = {(i, j): float(scores[i, j]) for i, j in links}
        out.append(SegmentWords(segment, words_a, words_b, links, strength))
    return out
