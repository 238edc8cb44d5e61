"""Words: how two passages compare word by word.

* **Word sequences** (no model): each distinct word is coded as one character (:class:`WordCodes`)
  so that rapidfuzz's string metrics and opcodes run over words; :func:`word_similarity` scores
  passages by their word sequences, :func:`word_edits` lists the replaced, inserted and deleted
  words of an aligned pair.
* **Word links** (which word of A became which word of B): contextual vectors of MiniLM's word
  pieces (the same int8 model, no extra download), averaged per word, scored by cosine with a
  bonus for identical words and a small penalty for distance from the diagonal; links are mutual
  best matches, found again among the words still unlinked (the "itermax" idea of SimAlign,
  Jalili Sabet et al. 2020). Measured on MultiMWA in bench/wordalign.py.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wiretrace.alignment.model import Edit, Span
from wiretrace.models.embed import Encoder
from wiretrace.text.debris import clean_word
from wiretrace.text.documents import normalise
from wiretrace.text.tokens import Token, word_strings

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float64]


class WordCodes:
    """Maps each distinct word to one character, so that rapidfuzz's fast string metrics and
    opcodes run over words instead of letters. Codes only need to agree within one comparison;
    a long-lived instance (one per Comparer) also caches the coded form of each sentence."""

    LIMIT = 1_000_000  # distinct words before the table starts afresh (code points run out)

    def __init__(self) -> None:
        self._codes: dict[str, str] = {}
        self._keys: dict[str, str] = {}

    def fresh_if_full(self) -> None:
        """Call between comparisons: start a new table when this one nears the code space."""
        if len(self._codes) > self.LIMIT:
            self._codes.clear()
            self._keys.clear()

    def encode(self, words: Iterable[str]) -> str:
        out = []
        for word in words:
            code = self._codes.get(word)
            if code is None:
                n = 0x100 + len(self._codes)
                code = chr(n if n < 0xD800 else n + 0x800)  # surrogates are not characters
                self._codes[word] = code
            out.append(code)
        return "".join(out)

    def encode_key(self, key: str) -> str:
        """The coded comparison words of a normalised text (cached)."""
        coded = self._keys.get(key)
        if coded is None:
            coded = self._keys[key] = self.encode(comparison_words(key))
        return coded


def word_similarity(codes_a: Sequence[str], codes_b: Sequence[str]) -> Matrix:
    """Normalised Indel similarity over word sequences, for every pair (0 = nothing shared)."""
    import numpy as np
    from rapidfuzz.distance import Indel
    from rapidfuzz.process import cdist

    if not codes_a or not codes_b:
        return np.zeros((len(codes_a), len(codes_b)))
    return np.asarray(cdist(codes_a, codes_b, scorer=Indel.normalized_similarity), dtype=np.float64)


@functools.lru_cache(maxsize=100_000)
def comparison_words(key: str) -> tuple[str, ...]:
    """The comparison words of a normalised text: word tokens, case-folded, punctuation left out.

    Cached: a corpus scan compares the same sentence with many others.
    """
    return tuple(w.casefold() for w in word_strings(key))


def word_edits(
    text_a: str, tokens_a: list[Token], text_b: str, tokens_b: list[Token], codes: WordCodes
) -> tuple[Edit, ...]:
    """Word-level replacements, insertions and deletions between two token runs."""

    edits: list[Edit] = []
    for op in diff_operations([t.norm for t in tokens_a], [t.norm for t in tokens_b], codes):
        tag, a1, a2, b1, b2 = op
        span_a = Span.of(text_a, tokens_a[a1].start, tokens_a[a2 - 1].end) if a2 > a1 else None
        span_b = Span.of(text_b, tokens_b[b1].start, tokens_b[b2 - 1].end) if b2 > b1 else None
        edits.append(Edit(tag, span_a, span_b))  # type: ignore[arg-type]
    return tuple(edits)


def diff_operations(
    words_a: Sequence[str], words_b: Sequence[str], codes: WordCodes | None = None
) -> list[tuple[str, int, int, int, int]]:
    """The word diff of two word sequences: (``replace``/``insert``/``delete``, a1, a2, b1, b2)
    for each change, in order (equal runs left out)."""
    from rapidfuzz.distance import Indel

    codes = codes or WordCodes()
    seq_a, seq_b = codes.encode(words_a), codes.encode(words_b)
    # Indel has no substitution, so a replacement shows as a delete next to an insert: fuse them.
    return _fuse([op for op in Indel.opcodes(seq_a, seq_b) if op.tag != "equal"])


def _fuse(ops: Sequence[object]) -> list[tuple[str, int, int, int, int]]:
    fused: list[tuple[str, int, int, int, int]] = []
    for op in ops:
        tag = "delete" if op.tag == "delete" else "insert"  # type: ignore[attr-defined]
        a1, a2, b1, b2 = op.src_start, op.src_end, op.dest_start, op.dest_end  # type: ignore[attr-defined]
        if fused and fused[-1][2] == a1 and fused[-1][4] == b1:
            _, pa1, _, pb1, _ = fused[-1]
            fused[-1] = ("replace", pa1, a2, pb1, b2)
        else:
            fused.append((tag, a1, a2, b1, b2))
    return fused


# Words only (punctuation is not aligned); hyphenated compounds split ("Jewish-Palestinian").
_WORD = re.compile(r"\d+(?:[.,]\d+)*%?|\w+(?:['\u2019]\w+)*", re.UNICODE)
# Measured on MultiMWA train+dev by bench/thresholds.py (2026-12-01; AER on MTRef, the harder
# subset; Wiki's stays at 0.028-0.030 for every value):
#: A bonus for identical words. Barely matters (AER 0.242-0.245 for 0 to 1.0): identical words in
#: order are linked before scoring.
IDENTICAL_BONUS = 0.5
#: The penalty for distance from the diagonal: AER 0.245 against the best, 0.244 at 0.1.
DISTORTION = 0.3
#: Links weaker than this are not made: AER 0.245; 0.0-0.15 reach 0.238 with more, less precise
#: links (P 0.855 against 0.870). Kept for the precision the findings read off the links, until
#: the substitution benchmark of issue 17 can weigh the two.
MIN_LINK = 0.35
#: Rounds of mutual best matching: 1 is best on both subsets (AER 0.242 / 0.028 against 0.245 /
#: 0.029); kept at 2 for the same reason as MIN_LINK.
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
        Word(m.start(), m.end(), m.group(), clean_word(normalise(m.group())).casefold())
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
