"""Word links inside every aligned segment, computed once and shared by all findings."""

from __future__ import annotations

from dataclasses import dataclass

from wiretrace.alignment.model import Segment
from wiretrace.alignment.words import (
    Word,
    anchors,
    diff_operations,
    mutual_best,
    similarity,
    word_vectors,
    words_of,
)
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


#: The strength given to a link between different words that the word diff pairs by position: a
#: replacement a reader sees word for word, as strong as a confident model link.
REPLACED = 0.75
#: Two words of a replaced run are one word changed when this alike in spelling (word-sequence
#: similarity of their letters): "voted"/"vote" 0.89, "Algiers"/"Algeria" 0.71, "said"/"not" 0.
SPELLED_ALIKE = 0.5


def diff_links(
    words_a: list[Word], words_b: list[Word]
) -> tuple[list[tuple[int, int]], dict[tuple[int, int], float]]:
    """Word links read off the word diff: equal words in order; inside each replaced run, the
    words most alike in spelling ("voted" → "did not vote", "Algiers" → "Algeria"), and, in runs
    of equal length, the rest by position ("spokeswoman" → "spokesman")."""
    from rapidfuzz.distance import Indel

    links: list[tuple[int, int]] = list(anchors(words_a, words_b))
    strength = dict.fromkeys(links, 1.0)
    norms_a, norms_b = [w.norm for w in words_a], [w.norm for w in words_b]
    for tag, a1, a2, b1, b2 in diff_operations(norms_a, norms_b):
        if tag != "replace":
            continue
        alike = sorted(
            (
                (Indel.normalized_similarity(norms_a[i], norms_b[j]), i, j)
                for i in range(a1, a2)
                for j in range(b1, b2)
            ),
            key=lambda t: (-t[0], t[1], t[2]),
        )
        chosen: list[tuple[int, int]] = []
        taken_a: set[int] = set()
        taken_b: set[int] = set()
        for score, i, j in alike:
            if score >= SPELLED_ALIKE and i not in taken_a and j not in taken_b:
                chosen.append((i, j))
                taken_a.add(i)
                taken_b.add(j)
        if a2 - a1 == b2 - b1:
            chosen += [
                (a1 + k, b1 + k)
                for k in range(a2 - a1)
                if a1 + k not in taken_a and b1 + k not in taken_b
            ]
        for pair in chosen:
            links.append(pair)
            strength[pair] = REPLACED
    return sorted(links), strength


def link_segments(
    text_a: str, text_b: str, segments: tuple[Segment, ...] | list[Segment], encoder: Encoder
) -> list[SegmentWords]:
    """Word links for every aligned segment; verbatim ones link word for word without a model.

    The contextual word vectors of all the other segments come from one batched model call per text.
    """
    aligned = [s for s in segments if s.a is not None and s.b is not None]
    runs_a = [words_of(text_a, s.a.start, s.a.end) for s in aligned]  # type: ignore[union-attr]
    runs_b = [words_of(text_b, s.b.start, s.b.end) for s in aligned]  # type: ignore[union-attr]
    # Only reworded passages need the model: in a verbatim or edited one the word diff says which
    # word became which (so a comparison of copies never loads the model).
    modelled = [k for k, s in enumerate(aligned) if s.kind == "paraphrase"]
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
            links, strength = diff_links(words_a, words_b)
        else:
            scores = similarity(
                encoder, text_a, words_a, text_b, words_b, (vectors_a[k], vectors_b[k])
            )
            links = mutual_best(scores, anchors(words_a, words_b))
            strength = {(i, j): float(scores[i, j]) for i, j in links}
        out.append(SegmentWords(segment, words_a, words_b, links, strength))
    return out
