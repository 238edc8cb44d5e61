"""The verdict: is one text derived from the other (or both from one source), or only the same event?

Two bars, kept apart on purpose:

* the **passage bar** (``CompareConfig.match_threshold``) decides which passages of two texts say
  the same thing, inside any pair; two reports of one event clear it on the sentences they share;
* the **derivation bar** decides whether the two texts are related by copying at all: a logistic
  model over the :class:`~wiretrace.alignment.evidence.Evidence` of copying (runs of passages in
  order, the writer's own phrasing kept outside quotation marks, long sentences kept word for
  word), fitted on labelled real news by ``bench/fit_verdict.py``, which writes its coefficients,
  what they were fitted on and their cross-validated accuracy to ``verdict_model.json`` beside
  this module. Its output is a probability; ``derived`` is that probability reaching
  ``CompareConfig.derived_probability``.

``confidence`` is the probability that the verdict is right: the model's probability of derived
when it says derived, one minus it otherwise. Relations: ``identical``; ``verbatim_copy``,
``edited_copy`` or ``paraphrased_copy`` by what most of the shared text underwent;
``partial_copy`` when the shared text is under half of both texts; ``translated_copy`` when the
texts are in two languages and one translates the other (or both a common source), whole or in
part (:mod:`wiretrace.alignment.translation`); otherwise ``same_event`` when passages align at
all, else ``unrelated``.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args

from wiretrace.alignment.evidence import Evidence, body_segments, measure
from wiretrace.alignment.model import Segment
from wiretrace.alignment.translation import TranslationEvidence
from wiretrace.alignment.words import WordCodes
from wiretrace.config import CompareConfig
from wiretrace.text.segment import Unit

#: The relations, from the closest to the loosest (the order lists of matches are sorted by).
Relation = Literal[
    "identical",
    "verbatim_copy",
    "edited_copy",
    "paraphrased_copy",
    "translated_copy",
    "partial_copy",
    "same_event",
    "unrelated",
]

RELATION_ORDER: tuple[Relation, ...] = get_args(Relation)

#: The words every report uses for a relation (one vocabulary for compare, collate and scan).
RELATION_LABELS: dict[str, str] = {
    "identical": "identical",
    "verbatim_copy": "verbatim copy",
    "edited_copy": "edited copy",
    "paraphrased_copy": "paraphrased (spun) copy",
    "translated_copy": "translated copy",
    "partial_copy": "partial copy",
    "same_event": "same event, not a copy",
    "unrelated": "unrelated",
}
#: A verbatim copy carrying less than this share of its source is a trimmed copy.
WHOLE = 0.95


def copy_label(relation: str, source_share: float | None = None) -> str:
    """The words for a relation; a verbatim copy that leaves part of its source out is a
    "trimmed copy" (``source_share``: how much of the source it carries)."""
    if relation == "verbatim_copy" and source_share is not None and source_share < WHOLE:
        return "trimmed copy"
    return RELATION_LABELS.get(relation, relation.replace("_", " "))


#: A derived pair whose shared text is under this share of *both* texts is a partial copy: a
#: reused block inside texts that are otherwise each their own (the definition of the relation).
PARTIAL_SHARE = 0.5


@dataclass(frozen=True)
class Verdict:
    derived: bool
    relation: Relation
    shared_a: float
    shared_b: float
    confidence: float
    evidence: Evidence | TranslationEvidence | None = None
    #: Why the verdict is what it is, when the figures alone would puzzle (all boilerplate).
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "derived": self.derived,
            "relation": self.relation,
            "shared_a": round(self.shared_a, 4),
            "shared_b": round(self.shared_b, 4),
            "confidence": round(self.confidence, 4),
        }
        if self.evidence is not None:
            out["evidence"] = self.evidence.to_dict()
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class VerdictModel:
    """Logistic regression over an evidence's ``features()`` (:class:`Evidence`, or
    :class:`TranslationEvidence` for texts in two languages)."""

    features: tuple[str, ...]
    coefficients: tuple[float, ...]
    intercept: float

    def probability(self, evidence: Evidence | TranslationEvidence) -> float:
        z = self.intercept + sum(
            c * x for c, x in zip(self.coefficients, evidence.features(), strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def _load_model(source: Any, name: str, evidence: type[Any], script: str) -> VerdictModel:
    """A fitted model from its JSON file, refused when fitted on other features than
    ``evidence.FEATURES`` (the code measures something else now)."""
    raw = json.loads(source.read_text("utf-8"))
    if tuple(raw["features"]) != evidence.FEATURES:
        raise RuntimeError(
            f"{name} was fitted on other features than {evidence.__name__}.FEATURES: "
            f"run {script} again"
        )
    return VerdictModel(tuple(raw["features"]), tuple(raw["coefficients"]), raw["intercept"])


@lru_cache(maxsize=1)
def fitted_model() -> VerdictModel:
    """The model ``bench/fit_verdict.py`` fitted (package data ``verdict_model.json``), or the
    file ``$WIRETRACE_VERDICT_MODEL`` names: benchmarks test models fitted without the data
    they are tested on."""
    other = os.environ.get("WIRETRACE_VERDICT_MODEL")
    source = Path(other) if other else resources.files("wiretrace.alignment") / "verdict_model.json"
    return _load_model(source, "verdict_model.json", Evidence, "bench/fit_verdict.py")


@lru_cache(maxsize=1)
def fitted_translation_model() -> VerdictModel:
    """The model ``bench/fit_translation.py`` fitted (package data ``translation_model.json``)."""
    source = resources.files("wiretrace.alignment") / "translation_model.json"
    return _load_model(
        source,
        "translation_model.json",
        TranslationEvidence,
        "bench/fit_translation.py",
    )


def _body_chars(units: Sequence[Unit], indices: set[int] | None = None) -> int:
    return sum(
        u.end - u.start for u in units if u.is_body and (indices is None or u.index in indices)
    )


def coverage(segments: Sequence[Segment], units: Sequence[Unit], side: str) -> float:
    """Share of a text's body (its sentences and headings) that lies in aligned passages."""
    total = _body_chars(units)
    if total == 0:
        return 0.0
    covered: set[int] = set()
    for segment in segments:
        if segment.aligned and not segment.boilerplate:
            covered.update(segment.units_a if side == "a" else segment.units_b)
    return _body_chars(units, covered) / total


def _copy_relation(segments: Sequence[Segment], body: Sequence[int]) -> Relation:
    """What most of the shared text underwent. The shares are definitions, not fitted: verbatim
    when 80% of it (by length) is word for word, edited when 60% is word for word or lightly
    edited, paraphrased otherwise."""
    weight = {"verbatim": 0.0, "edited": 0.0, "paraphrase": 0.0}
    for k in body:
        span = segments[k].a
        assert span is not None
        weight[segments[k].kind] += span.end - span.start
    total = sum(weight.values()) or 1.0
    if weight["verbatim"] / total >= 0.8:
        return "verbatim_copy"
    if (weight["verbatim"] + weight["edited"]) / total >= 0.6:
        return "edited_copy"
    return "paraphrased_copy"


def _no_article(units_a: Sequence[Unit], units_b: Sequence[Unit]) -> str:
    """Why the verdict must be ``unrelated`` when a side has no article text, else ""."""
    if any(u.is_body for u in units_a) and any(u.is_body for u in units_b):
        return ""
    side = "A" if not any(u.is_body for u in units_a) else "B"
    return (
        f"{side} has no article text of its own: only web boilerplate, datelines or credits, "
        "which are never evidence that two texts are related"
    )


def decide(
    text_a: str,
    units_a: Sequence[Unit],
    text_b: str,
    units_b: Sequence[Unit],
    segments: Sequence[Segment],
    config: CompareConfig,
    codes: WordCodes | None = None,
) -> Verdict:
    shared_a = coverage(segments, units_a, "a")
    shared_b = coverage(segments, units_b, "b")
    body = body_segments(segments, units_a, units_b)
    empty = _no_article(units_a, units_b)
    if empty:
        return Verdict(False, "unrelated", shared_a, shared_b, 1.0, None, empty)
    evidence = measure(text_a, units_a, text_b, units_b, segments, codes)
    if all(s.kind == "verbatim" for s in segments if not s.boilerplate):
        # Every sentence of each text is a sentence of the other: no model is needed (and none
        # could weigh the wording of a script written without spaces).
        return Verdict(True, "identical", shared_a, shared_b, 1.0, evidence)
    probability = fitted_model().probability(evidence)
    derived = probability >= config.derived_probability
    relation: Relation
    if derived:
        if shared_a < PARTIAL_SHARE and shared_b < PARTIAL_SHARE:
            relation = "partial_copy"
        else:
            relation = _copy_relation(segments, body)
    else:
        relation = "same_event" if body else "unrelated"
    confidence = probability if derived else 1.0 - probability
    return Verdict(derived, relation, shared_a, shared_b, confidence, evidence)


def decide_translation(
    units_a: Sequence[Unit],
    units_b: Sequence[Unit],
    segments: Sequence[Segment],
    evidence: TranslationEvidence,
    config: CompareConfig,
    note: str,
) -> Verdict:
    """The verdict on two texts in different languages, aligned by meaning: ``translated_copy``
    when the translation model's probability reaches ``config.derived_probability``."""
    shared_a = coverage(segments, units_a, "a")
    shared_b = coverage(segments, units_b, "b")
    empty = _no_article(units_a, units_b)
    if empty:
        return Verdict(False, "unrelated", shared_a, shared_b, 1.0, None, f"{note}; {empty}")
    probability = fitted_translation_model().probability(evidence)
    derived = probability >= config.derived_probability
    relation: Relation = "translated_copy" if derived else "unrelated"
    if not derived and any(s.aligned and not s.boilerplate for s in segments):
        relation = "same_event"
    confidence = probability if derived else 1.0 - probability
    return Verdict(derived, relation, shared_a, shared_b, confidence, evidence, note)
