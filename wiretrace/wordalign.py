"""Word alignment inside an aligned pair of passages: which word of A became which word of B.

Contextual vectors of MiniLM's word pieces (the same int8 model, no extra download), averaged per
word, scored by cosine with a bonus for identical words and a small penalty for distance from the
diagonal; links are mutual best matches, found again among the words still unlinked (the
"itermax" idea of SimAlign, Jalili Sabet et al. 2020). Measured on MultiMWA in bench/wordalign.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wiretrace.documents import normalise
from wiretrace.embed import Encoder

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float64]

# Words only (punctuation is not aligned); hyphenated compounds split ("Jewish-Palestinian").
_WORD = re.compile(r"\d+(?:[.,]\d+)*%?|\w+(?:['\u2019]\w+)*", re.UNICODE)
IDENTICAL_BONUS = 0.5
DISTORTION = 0.3
MIN_LINK = 0.35
ROUNDS = 2


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str  # as in the document
    norm: str  # case-folded, quotes straightened


def words_of(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    stop = len(text) if end is None else end
    return [
        Word(m.start(), m.end(), m.group(), normalise(m.group()).casefold())
        for m in _WORD.finditer(text, start, stop)
    ]


def _word_vectors(
    offsets: list[tuple[int, int]], states: Any, words: list[Word], base: int
) -> Matrix:
    import numpy as np

    vectors = np.zeros((len(words), states.shape[1]))
    k = 0
    for w, word in enumerate(words):
        pieces = []
        while k < len(offsets) and offsets[k][1] + base <= word.start:
            k += 1
        j = k
        while j < len(offsets) and offsets[j][0] + base < word.end:
            pieces.append(j)
            j += 1
        if pieces:
            vectors[w] = states[pieces].mean(axis=0)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.asarray(vectors / np.maximum(norms, 1e-12), dtype=np.float64)


def word_vectors(
    encoder: Encoder,
    text: str,
    runs: list[list[Word]],
    spans: list[tuple[int, int]] | None = None,
) -> list[Matrix]:
    """Contextual vectors for each run of words of ``text`` (one model call for all runs).

    Each run is read in the context of its span (by default, first word to last word); passing
    a unit's own span lets the encoder reuse the run that embedded that unit.
    """
    import numpy as np

    if spans is None:
        spans = [(run[0].start, run[-1].end) if run else (0, 0) for run in runs]
    states = encoder.token_states([text[s:e] for s, e in spans])
    return [
        _word_vectors(offsets, vectors, run, start) if run else np.zeros((0, 1))
        for run, (start, _), (offsets, vectors) in zip(runs, spans, states, strict=True)
    ]


def similarity(
    encoder: Encoder,
    text_a: str,
    words_a: list[Word],
    text_b: str,
    words_b: list[Word],
    vectors: tuple[Matrix, Matrix] | None = None,
) -> Matrix:
    """Word-by-word score: contextual cosine + identical-word bonus - distance from the diagonal.

    ``vectors`` are the two runs' word vectors when already computed (see :func:`word_vectors`).
    """
    import numpy as np

    if not words_a or not words_b:
        return np.zeros((len(words_a), len(words_b)))
    if vectors is None:
        vec_a = word_vectors(encoder, text_a, [words_a])[0]
        vec_b = word_vectors(encoder, text_b, [words_b])[0]
    else:
        vec_a, vec_b = vectors
    scores = vec_a @ vec_b.T
    same = np.array([[a.norm == b.norm for b in words_b] for a in words_a])
    position_a = (np.arange(len(words_a)) + 0.5) / len(words_a)
    position_b = (np.arange(len(words_b)) + 0.5) / len(words_b)
    distortion = np.abs(position_a[:, None] - position_b[None, :])
    return np.asarray(scores + IDENTICAL_BONUS * same - DISTORTION * distortion, dtype=np.float64)


def anchors(words_a: list[Word], words_b: list[Word]) -> list[tuple[int, int]]:
    """Identical words in the same order (the equal blocks of a word diff): linked first."""
    from rapidfuzz.distance import Indel

    codes: dict[str, str] = {}
    seq_a = "".join(codes.setdefault(w.norm, chr(0xF0000 + len(codes))) for w in words_a)
    seq_b = "".join(codes.setdefault(w.norm, chr(0xF0000 + len(codes))) for w in words_b)
    links: list[tuple[int, int]] = []
    for block in Indel.opcodes(seq_a, seq_b).as_matching_blocks():
        links.extend((block.a + k, block.b + k) for k in range(block.size))
    return links


def mutual_best(
    scores: Matrix,
    fixed: Sequence[tuple[int, int]] = (),
    min_link: float = MIN_LINK,
    rounds: int = ROUNDS,
) -> list[tuple[int, int]]:
    """Links (i, j) where each is the other's best among the words not yet linked."""
    import numpy as np

    links: list[tuple[int, int]] = list(fixed)
    if scores.size == 0:
        return links
    live = scores.copy()
    for i, j in links:
        live[i, :] = -np.inf
        live[:, j] = -np.inf
    for _ in range(rounds):
        best_b = live.argmax(axis=1)
        best_a = live.argmax(axis=0)
        found = [
            (i, int(j))
            for i, j in enumerate(best_b)
            if best_a[j] == i and live[i, j] >= min_link and np.isfinite(live[i, j])
        ]
        if not found:
            break
        links.extend(found)
        for i, j in found:
            live[i, :] = -np.inf
            live[:, j] = -np.inf
    return sorted(links)


def align_words(
    encoder: Encoder, text_a: str, words_a: list[Word], text_b: str, words_b: list[Word]
) -> list[tuple[int, int]]:
    scores = similarity(encoder, text_a, words_a, text_b, words_b)
    return mutual_best(scores, anchors(words_a, words_b))
