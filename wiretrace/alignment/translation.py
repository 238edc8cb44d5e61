"""Aligning a text with a text in another language, and deciding whether one translates the other.

Words cannot be compared across languages, so passages are matched by meaning alone, with the
multilingual encoder (:mod:`wiretrace.models.multilingual`): a passage of A and a passage of B
are a **translation link** when their similarity clears ``LINK_FLOOR`` *and* stands out from each
passage's nearest neighbours in the other text by ``MARGIN`` (the margin criterion of parallel
sentence mining, Artetxe & Schwenk 2019: a translation is much closer to its original than to the
original's neighbours, while two reports of one event are about as close to many sentences of the
other). Links are kept in order (the same monotone chain as the same-language aligner), which is
what a translation keeps and a retelling does not.

Whether the linked passages make a translated copy is a logistic model over
:class:`TranslationEvidence`, fitted on labelled translated and independent news by
``bench/fit_translation.py`` (coefficients, data and cross-validated figures in
``translation_model.json`` beside this module; loaded by :mod:`wiretrace.alignment.verdict`). Passages mostly inside quotation marks are shown
but are not evidence: independent reports translate the same newsmaker's words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wiretrace.alignment.model import Segment
from wiretrace.alignment.passages import monotone_chain, reading_order
from wiretrace.text.quotations import quoted_mask
from wiretrace.text.segment import Unit
from wiretrace.text.span import Span

if TYPE_CHECKING:
    import numpy as np

#: Similarity (multilingual-e5-small's compressed scale) below which two passages are not a
#: translation of each other. bench/translation_eval.py, on bench/data/translations and the
#: cross-language pairs of reprints-dev and reprints-more: translated sentences score 0.87-0.95,
#: sentences of same-event reports on the same fact 0.80-0.89; 0.85 with the margin below gave
#: the best separation of translated copies from independent reports (AUC 0.995 on the real
#: pairs, 1.000 on the translated set, against 0.985/1.000 at 0.04 and 0.938/1.000 at 0.87).
LINK_FLOOR = 0.85
#: How far a link must stand above the mean similarity of each passage's nearest neighbours in the
#: other text (``NEIGHBOURS`` of them), on the same data as ``LINK_FLOOR``.
MARGIN = 0.06
NEIGHBOURS = 3
#: Links at most this many passages apart on both sides continue a run (a translator who drops a
#: sentence still keeps the run).
RUN_GAP = 2
#: A passage at least this much inside quotation marks is a quotation, not the writer's text.
QUOTED = 0.5


@dataclass(frozen=True)
class TranslationEvidence:
    """What the translation links show.

    * ``linked``: passages of the writer's own text (not quotations) linked in order;
    * ``linked_share``: ``linked`` over the shorter text's count of such passages;
    * ``longest_run``: the longest stretch of links following each other in both texts;
    * ``best_similarity``: the mean similarity of the two closest links (0 with none).
    """

    linked: int
    linked_share: float
    longest_run: int
    best_similarity: float

    FEATURES = ("linked_share", "log_linked", "log_longest_run", "best_similarity")

    def features(self) -> list[float]:
        """The model's inputs, in :attr:`FEATURES` order."""
        return [
            self.linked_share,
            math.log1p(self.linked),
            math.log1p(self.longest_run),
            self.best_similarity,
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "linked": self.linked,
            "linked_share": round(self.linked_share, 4),
            "longest_run": self.longest_run,
            "best_similarity": round(self.best_similarity, 4),
        }


@dataclass(frozen=True)
class TranslationAlignment:
    segments: list[Segment]
    evidence: TranslationEvidence


def margin_scores(similarity: np.ndarray) -> np.ndarray:
    """How far each pair's similarity stands above both passages' nearest neighbours
    (cross-domain similarity local scaling: ``2·s − r_a − r_b``)."""
    import numpy as np

    k_a = min(NEIGHBOURS, similarity.shape[1])
    k_b = min(NEIGHBOURS, similarity.shape[0])
    r_a = np.sort(similarity, axis=1)[:, -k_a:].mean(axis=1)
    r_b = np.sort(similarity, axis=0)[-k_b:, :].mean(axis=0)
    margins: np.ndarray = 2 * similarity - r_a[:, None] - r_b[None, :]
    return margins


def translation_links(similarity: np.ndarray) -> list[tuple[int, int]]:
    """The in-order translation links between the rows (A's passages) and columns (B's)."""
    import numpy as np

    if similarity.size == 0:
        return []
    eligible = (similarity >= LINK_FLOOR) & (margin_scores(similarity) >= MARGIN)
    return monotone_chain(np.where(eligible, similarity, 0.0))


def _quoted(text: str, units: Sequence[Unit]) -> set[int]:
    mask = quoted_mask(text)
    return {
        k
        for k, u in enumerate(units)
        if u.end > u.start and sum(mask[u.start : u.end]) >= QUOTED * (u.end - u.start)
    }


def _longest_run(links: Sequence[tuple[int, int]]) -> int:
    best = run = 0
    previous: tuple[int, int] | None = None
    for i, j in links:
        close = previous is not None and i - previous[0] <= RUN_GAP and j - previous[1] <= RUN_GAP
        run = run + 1 if close else 1
        best, previous = max(best, run), (i, j)
    return best


def measure(
    links: Sequence[tuple[int, int]],
    similarity: np.ndarray,
    own_a: Sequence[bool],
    own_b: Sequence[bool],
) -> TranslationEvidence:
    """The evidence of the links between passages; ``own_*`` says which passages are the
    writer's own text (body, not quotation), the only ones counted."""
    counted = [(i, j) for i, j in links if own_a[i] and own_b[j]]
    shorter = min(sum(own_a), sum(own_b))
    best = sorted((float(similarity[i, j]) for i, j in counted), reverse=True)[:2]
    return TranslationEvidence(
        linked=len(counted),
        linked_share=len(counted) / shorter if shorter else 0.0,
        longest_run=_longest_run(counted),
        best_similarity=sum(best) / len(best) if best else 0.0,
    )


def _alone(text: str, unit: Unit, side: str) -> Segment:
    span = Span.of(text, unit.start, unit.end)
    boilerplate = unit.role == "boilerplate"
    if side == "a":
        return Segment("a_only", span, None, 0.0, units_a=(unit.index,), boilerplate=boilerplate)
    return Segment("b_only", None, span, 0.0, units_b=(unit.index,), boilerplate=boilerplate)


def align(
    text_a: str,
    units_a: list[Unit],
    vectors_a: np.ndarray,
    text_b: str,
    units_b: list[Unit],
    vectors_b: np.ndarray,
) -> TranslationAlignment:
    """Segments (``translation`` for linked passages, ``a_only``/``b_only`` for the rest, in
    reading order) and the evidence of translation. ``vectors_*`` hold one multilingual vector
    per unit."""
    import numpy as np

    similarity = vectors_a @ vectors_b.T if len(units_a) and len(units_b) else np.zeros((0, 0))
    links = translation_links(similarity)
    quoted_a, quoted_b = _quoted(text_a, units_a), _quoted(text_b, units_b)
    own_a = [u.is_body and k not in quoted_a for k, u in enumerate(units_a)]
    own_b = [u.is_body and k not in quoted_b for k, u in enumerate(units_b)]
    linked_a = {i for i, _ in links}
    linked_b = {j for _, j in links}
    segments = [
        Segment(
            "translation",
            Span.of(text_a, units_a[i].start, units_a[i].end),
            Span.of(text_b, units_b[j].start, units_b[j].end),
            float(similarity[i, j]),
            units_a=(i,),
            units_b=(j,),
            boilerplate=units_a[i].role == "boilerplate",
        )
        for i, j in links
    ]
    segments += [_alone(text_a, u, "a") for k, u in enumerate(units_a) if k not in linked_a]
    segments += [_alone(text_b, u, "b") for k, u in enumerate(units_b) if k not in linked_b]
    return TranslationAlignment(reading_order(segments), measure(links, similarity, own_a, own_b))
