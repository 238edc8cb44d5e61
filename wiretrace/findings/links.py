"""Word links inside every aligned segment, computed once and shared by all findings."""

from __future__ import annotations

from dataclasses import dataclass

from wiretrace.alignment.model import Segment
from wiretrace.alignment.words import Word, anchors, mutual_best, similarity, word_vectors, words_of
from wiretrace.models.embed import Encoder


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
    """Word links for every aligned segment; verbatim ones link word for word without a model.

    The contextual word vectors of all the other segments come from one batched model call per text.
    """
    aligned = [s for s in segments if s.a is not None and s.b is not None]
    runs_a = [words_of(text_a, s.a.start, s.a.end) for s in aligned]  # type: ignore[union-attr]
    runs_b = [words_of(text_b, s.b.start, s.b.end) for s in aligned]  # type: ignore[union-attr]
    modelled = [
        k for k, s in enumerate(aligned) if s.kind != "verbatim" or len(runs_a[k]) != len(runs_b[k])
    ]
    # Each run is read in its segment's own span: for a one-sentence segment that is the very
    # text the aligner embedded, so the encoder's cache answers without running the model again.
    spans_a = [(aligned[k].a.start, aligned[k].a.end) for k in modelled]  # type: ignore[union-attr]
    spans_b = [(aligned[k].b.start, aligned[k].b.end) for k in modelled]  # type: ignore[union-attr]
    found_a = word_vectors(encoder, text_a, [runs_a[k] for k in modelled], spans_a)
    found_b = word_vectors(encoder, text_b, [runs_b[k] for k in modelled], spans_b)
    vectors_a = dict(zip(modelled, found_a, strict=True))
    vectors_b = dict(zip(modelled, found_b, strict=True))
    out = []
    for k, segment in enumerate(aligned):
        words_a, words_b = runs_a[k], runs_b[k]
        if k not in vectors_a:
            links = [(n, n) for n in range(len(words_a))]
            strength = dict.fromkeys(links, 1.0)
        else:
            scores = similarity(
                encoder, text_a, words_a, text_b, words_b, (vectors_a[k], vectors_b[k])
            )
            links = mutual_best(scores, anchors(words_a, words_b))
            strength = {(i, j): float(scores[i, j]) for i, j in links}
        out.append(SegmentWords(segment, words_a, words_b, links, strength))
    return out
