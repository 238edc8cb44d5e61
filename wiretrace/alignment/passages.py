"""Alignment of two documents' units: which passages correspond, and what happened to each.

Stages, cheapest first:

1. verbatim units are paired by their normalised text (a hash lookup);
2. near-verbatim units by word-sequence similarity (rapidfuzz), still without any embedding;
3. only the units left over are embedded (MiniLM) and scored by cosine;
4. a monotone dynamic programme picks the best in-order chain of pairs (the story's order);
5. strong pairs left outside the chain are taken as moved passages;
6. unmatched neighbours join a pair when the joined text fits better (merges and splits);
7. each pair is labelled verbatim / edited / paraphrase and diffed word by word.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wiretrace.alignment.model import Edit, Segment, SegmentKind, Span
from wiretrace.alignment.words import WordCodes, comparison_words, word_edits, word_similarity
from wiretrace.config import CompareConfig
from wiretrace.models.embed import Encoder
from wiretrace.text.documents import normalise
from wiretrace.text.segment import Unit
from wiretrace.text.tokens import tokenize

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float64]


def _compatibility(units_a: Sequence[Unit], units_b: Sequence[Unit]) -> Any:
    """Which pairs of units may be aligned at all, as a boolean matrix: datelines pair with
    datelines, credits with credits and boilerplate with boilerplate; headings may become
    sentences."""
    import numpy as np

    roles = {role: k for k, role in enumerate(sorted({u.role for u in (*units_a, *units_b)}))}
    role_a = np.array([roles[u.role] for u in units_a], dtype=np.int64)
    role_b = np.array([roles[u.role] for u in units_b], dtype=np.int64)
    fixed = np.array([r in ("dateline", "credit", "boilerplate") for r in roles], dtype=bool)
    either_fixed = fixed[role_a][:, None] | fixed[role_b][None, :]
    return ~either_fixed | (role_a[:, None] == role_b[None, :])  # a boolean matrix


def monotone_chain(weights: Matrix) -> list[tuple[int, int]]:
    """The in-order set of pairs with the largest total weight (weighted LCS; weight 0 = no pair).

    Row by row: best[i][j] = max(best[i-1][j], best[i-1][j-1] + w[i][j], best[i][j-1]); the last
    term is a running maximum along the row, so each row is two vector operations.
    """
    import numpy as np

    n, m = weights.shape
    best = np.zeros((n + 1, m + 1))
    for i in range(1, n + 1):
        take = best[i - 1, :-1] + np.where(weights[i - 1] > 0, weights[i - 1], -np.inf)
        row = np.maximum(best[i - 1, 1:], take)
        best[i, 1:] = np.maximum.accumulate(row)
    pairs = []
    i, j = n, m
    while i > 0 and j > 0:
        if best[i, j] == best[i, j - 1]:
            j -= 1
        elif best[i, j] == best[i - 1, j]:
            i -= 1
        else:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
    pairs.reverse()
    return pairs


#: Pairs whose word scores an aligner keeps (a scan's chunk of pairs verified together).
RECENT_PAIRS = 64


@dataclass
class _Pair:
    a: list[int]
    b: list[int]
    score: float
    moved: bool = False


class Aligner:
    """Aligns the units of two documents. Holds only configuration and the encoder; without an
    encoder it aligns on words alone (verbatim and edited copies, no paraphrase)."""

    def __init__(
        self,
        encoder: Encoder | None,
        config: CompareConfig | None = None,
        codes: WordCodes | None = None,
    ) -> None:
        self.encoder = encoder
        self.config = config or CompareConfig()
        self.codes = codes or WordCodes()
        # The word scores of the last pairs asked about, keyed by the identity of their unit
        # lists (kept alive here, so an identity cannot be reused while it is a key): a scan
        # lists the passages a chunk of pairs needs embedded, then aligns each pair.
        self._recent: OrderedDict[tuple[int, int, int], tuple[Any, ...]] = OrderedDict()

    # -- scoring ---------------------------------------------------------------------------

    def _scores(
        self, units_a: list[Unit], units_b: list[Unit], codes: WordCodes
    ) -> tuple[Matrix, set[tuple[int, int]]]:
        """Score matrix (max of word and embedding similarity) and the set of exact pairs."""
        import numpy as np

        scores, exact, open_a, open_b, compatible = self.word_scores(units_a, units_b, codes)
        if open_a and open_b and self.encoder is not None:
            # The text as written, so that word alignment later reuses the same model run.
            vectors_a = self.encoder.encode([units_a[i].text for i in open_a])
            vectors_b = self.encoder.encode([units_b[j].text for j in open_b])
            cosine = np.clip(vectors_a @ vectors_b.T, 0.0, 1.0)
            block = np.ix_(open_a, open_b)
            scores[block] = np.maximum(scores[block], cosine)

        scores[~compatible] = 0.0
        return scores, exact

    def texts_to_embed(self, units_a: list[Unit], units_b: list[Unit]) -> list[str]:
        """The passages :meth:`align` will embed for this pair: those words cannot settle. A scan
        embeds them for many pairs at once, so that every core is busy."""
        if self.encoder is None:
            return []
        _, _, open_a, open_b, _ = self.word_scores(units_a, units_b, self.codes)
        if not (open_a and open_b):
            return []
        return [units_a[i].text for i in open_a] + [units_b[j].text for j in open_b]

    def word_scores(
        self, units_a: list[Unit], units_b: list[Unit], codes: WordCodes
    ) -> tuple[Matrix, set[tuple[int, int]], list[int], list[int], Any]:
        """Word similarity of every pair, the exact pairs (scored 1), the units words alone do
        not settle (left for the model), and which pairs may be aligned at all. The score matrix
        is the caller's to change."""
        key = (id(units_a), id(units_b), id(codes))
        found = self._recent.get(key)
        if found is None:
            found = (units_a, units_b, *self._word_scores(units_a, units_b, codes))
            self._recent[key] = found
            if len(self._recent) > RECENT_PAIRS:
                self._recent.popitem(last=False)
        else:
            self._recent.move_to_end(key)
        _, _, scores, exact, open_a, open_b, compatible = found
        return scores.copy(), exact, open_a, open_b, compatible

    def _word_scores(
        self, units_a: list[Unit], units_b: list[Unit], codes: WordCodes
    ) -> tuple[Matrix, set[tuple[int, int]], list[int], list[int], Any]:
        words_a = [codes.encode_key(u.key) for u in units_a]
        words_b = [codes.encode_key(u.key) for u in units_b]
        lexical = word_similarity(words_a, words_b)
        scores = lexical.copy()
        compatible = _compatibility(units_a, units_b)

        exact: set[tuple[int, int]] = set()
        by_key: dict[str, list[int]] = {}
        for j, unit in enumerate(units_b):
            by_key.setdefault(unit.key, []).append(j)
        for i, unit in enumerate(units_a):
            for j in by_key.get(unit.key, ()):
                if compatible[i, j]:
                    exact.add((i, j))
                    scores[i, j] = 1.0

        # Units settled without a model: verbatim, or mutually best and near-verbatim.
        settled_a = {i for i, _ in exact}
        settled_b = {j for _, j in exact}
        if lexical.size:
            best_b = lexical.argmax(axis=1)
            best_a = lexical.argmax(axis=0)
            for i, j in enumerate(best_b):
                if best_a[j] == i and lexical[i, j] >= self.config.near_exact:
                    settled_a.add(i)
                    settled_b.add(int(j))
        open_a = [i for i in range(len(units_a)) if i not in settled_a]
        open_b = [j for j in range(len(units_b)) if j not in settled_b]
        return scores, exact, open_a, open_b, compatible

    def _joined_score(self, a_units: list[Unit], b_units: list[Unit], codes: WordCodes) -> float:
        a_text = " ".join(u.key for u in a_units)
        b_text = " ".join(u.key for u in b_units)
        lexical = float(
            word_similarity([codes.encode_key(a_text)], [codes.encode_key(b_text)])[0, 0]
        )
        if self.encoder is None:
            return lexical
        vectors = self.encoder.encode(
            [" ".join(u.text for u in a_units), " ".join(u.text for u in b_units)]
        )
        return max(lexical, float(vectors[0] @ vectors[1]))

    # -- alignment -------------------------------------------------------------------------

    def _pairs(self, units_a: list[Unit], units_b: list[Unit], codes: WordCodes) -> list[_Pair]:
        import numpy as np

        config = self.config
        scores, _ = self._scores(units_a, units_b, codes)
        weights = np.where(scores >= config.match_threshold, scores, 0.0)
        chain = self._fill_gaps(monotone_chain(weights), scores)
        pairs = [_Pair([i], [j], float(scores[i, j])) for i, j in chain]

        # Moves: strong pairs among what the chain left out, best first.
        used_a = {i for p in pairs for i in p.a}
        used_b = {j for p in pairs for j in p.b}
        candidates = sorted(
            (
                (float(scores[i, j]), i, j)
                for i, j in zip(*np.nonzero(scores >= config.moved_threshold), strict=True)
                if i not in used_a and j not in used_b
            ),
            key=lambda c: (-c[0], c[1], c[2]),
        )
        for score, i, j in candidates:
            if i not in used_a and j not in used_b:
                pairs.append(_Pair([int(i)], [int(j)], score, moved=True))
                used_a.add(int(i))
                used_b.add(int(j))

        self._merge_neighbours(pairs, units_a, units_b, scores, used_a, used_b, codes)
        return pairs

    def _fill_gaps(self, chain: list[tuple[int, int]], scores: Matrix) -> list[tuple[int, int]]:
        """Between two consecutive chain pairs, a small gap is aligned again at the lower bar."""
        import numpy as np

        limit = self.config.gap_units
        filled: list[tuple[int, int]] = []
        for (i1, j1), (i2, j2) in itertools.pairwise(chain):
            filled.append((i1, j1))
            if 0 < i2 - i1 - 1 <= limit and 0 < j2 - j1 - 1 <= limit:
                block = scores[i1 + 1 : i2, j1 + 1 : j2]
                weights = np.where(block >= self.config.gap_threshold, block, 0.0)
                filled.extend((i1 + 1 + a, j1 + 1 + b) for a, b in monotone_chain(weights))
        return filled + chain[-1:]

    def _merge_neighbours(
        self,
        pairs: list[_Pair],
        units_a: list[Unit],
        units_b: list[Unit],
        scores: Matrix,
        used_a: set[int],
        used_b: set[int],
        codes: WordCodes,
    ) -> None:
        """Grow pairs by unmatched adjacent units when the joined text fits better (1:n, n:1)."""
        config = self.config
        for pair in pairs:
            if pair.score + config.merge_gain > 1.0:
                # No joined text can score above 1 (both similarities are at most 1): a pair
                # this close to word for word never grows, and its neighbours need no model.
                continue
            for side in ("b", "a"):
                grown = True
                while grown and len(pair.a) + len(pair.b) < 5:
                    grown = False
                    own, units, used = (
                        (pair.b, units_b, used_b) if side == "b" else (pair.a, units_a, used_a)
                    )
                    for neighbour in (own[0] - 1, own[-1] + 1):
                        if neighbour < 0 or neighbour >= len(units) or neighbour in used:
                            continue
                        if not units[neighbour].is_body:
                            continue
                        other = pair.a if side == "b" else pair.b
                        alone = max(
                            float(scores[o, neighbour] if side == "b" else scores[neighbour, o])
                            for o in other
                        )
                        if alone < config.merge_floor:
                            continue
                        trial = sorted([*own, neighbour])
                        a_idx, b_idx = (pair.a, trial) if side == "b" else (trial, pair.b)
                        joined = self._joined_score(
                            [units_a[i] for i in a_idx], [units_b[j] for j in b_idx], codes
                        )
                        if joined >= pair.score + config.merge_gain:
                            own[:] = trial
                            used.add(neighbour)
                            pair.score = joined
                            grown = True
                            break

    def align(
        self,
        text_a: str,
        units_a: list[Unit],
        text_b: str,
        units_b: list[Unit],
        *,
        edits: bool = True,
    ) -> list[Segment]:
        """The segments of two texts: aligned passages, then each side's own. ``edits=False``
        leaves out each passage's word-by-word edits (a corpus scan needs only the verdict)."""
        codes = self.codes
        codes.fresh_if_full()
        pairs = self._pairs(units_a, units_b, codes) if units_a and units_b else []
        segments = [
            self._segment(text_a, units_a, text_b, units_b, pair, codes, edits) for pair in pairs
        ]
        used_a = {i for p in pairs for i in p.a}
        used_b = {j for p in pairs for j in p.b}
        segments += [
            Segment(
                "a_only",
                Span.of(text_a, u.start, u.end),
                None,
                0.0,
                units_a=(u.index,),
                boilerplate=u.role == "boilerplate",
            )
            for u in units_a
            if u.index not in used_a
        ]
        segments += [
            Segment(
                "b_only",
                None,
                Span.of(text_b, u.start, u.end),
                0.0,
                units_b=(u.index,),
                boilerplate=u.role == "boilerplate",
            )
            for u in units_b
            if u.index not in used_b
        ]
        return reading_order(segments)

    def _segment(
        self,
        text_a: str,
        units_a: list[Unit],
        text_b: str,
        units_b: list[Unit],
        pair: _Pair,
        codes: WordCodes,
        with_edits: bool = True,
    ) -> Segment:
        first_a, last_a = units_a[pair.a[0]], units_a[pair.a[-1]]
        first_b, last_b = units_b[pair.b[0]], units_b[pair.b[-1]]
        span_a = Span.of(text_a, first_a.start, last_a.end)
        span_b = Span.of(text_b, first_b.start, last_b.end)
        key_a = " ".join(units_a[i].key for i in pair.a)
        key_b = " ".join(units_b[j].key for j in pair.b)
        kind: SegmentKind
        edits: tuple[Edit, ...]
        if key_a == key_b:
            kind, similarity, edits = "verbatim", 1.0, ()
        else:
            lexical = float(
                word_similarity([codes.encode_key(key_a)], [codes.encode_key(key_b)])[0, 0]
            )
            kind = "edited" if lexical >= self.config.edited_threshold else "paraphrase"
            similarity = max(pair.score, lexical)
            edits = ()
            if with_edits:
                tokens_a = tokenize(text_a, span_a.start, span_a.end)
                tokens_b = tokenize(text_b, span_b.start, span_b.end)
                edits = word_edits(text_a, tokens_a, text_b, tokens_b, codes)
        boilerplate = all(units_a[i].role == "boilerplate" for i in pair.a)
        return Segment(
            kind,
            span_a,
            span_b,
            similarity,
            pair.moved,
            edits,
            tuple(pair.a),
            tuple(pair.b),
            boilerplate,
        )


def sentence_scores(
    encoder: Encoder, texts_a: list[str], texts_b: list[str]
) -> tuple[Matrix, Matrix]:
    """Row-wise (word similarity, cosine) for pairs of single sentences: what calibration measures."""
    import numpy as np
    from rapidfuzz.distance import Indel

    codes = WordCodes()
    keys_a = [normalise(t) for t in texts_a]
    keys_b = [normalise(t) for t in texts_b]
    lexical = np.array(
        [
            Indel.normalized_similarity(
                codes.encode(comparison_words(a)), codes.encode(comparison_words(b))
            )
            for a, b in zip(keys_a, keys_b, strict=True)
        ]
    )
    cosine = np.clip((encoder.encode(texts_a) * encoder.encode(texts_b)).sum(axis=1), 0.0, 1.0)
    return lexical, cosine


def reading_order(segments: list[Segment]) -> list[Segment]:
    """Interleave: segments in A's order; a B-only passage follows the segment that precedes it in B."""
    anchored = sorted(
        (s for s in segments if s.a is not None), key=lambda s: (s.units_a[0], s.units_b[:1])
    )
    b_only = sorted((s for s in segments if s.a is None), key=lambda s: s.units_b[0])
    # Position of each B unit's segment in the A-ordered list, for placing B-only passages.
    where: dict[int, int] = {}
    for position, segment in enumerate(anchored):
        if not segment.moved:
            for j in segment.units_b:
                where[j] = position
    slots: dict[int, list[Segment]] = {}
    for segment in b_only:
        j = segment.units_b[0]
        preceding = max((p for b, p in where.items() if b < j), default=-1)
        slots.setdefault(preceding, []).append(segment)
    ordered = slots.get(-1, [])
    for position, segment in enumerate(anchored):
        ordered.append(segment)
        ordered.extend(slots.get(position, []))
    return ordered
