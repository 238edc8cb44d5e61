"""Settings for a comparison, separate from the data (one typed configuration for CLI and API).

Every threshold here was chosen on public labelled data, not on the seed articles; the figures
behind each choice are in the README ("Accuracy") and are reproduced by ``bench/calibrate.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class CompareConfig:
    #: Similarity (max of MiniLM cosine and word overlap) from which two units, in story order,
    #: render the same content. Best F1 is at 0.62 on MRPC train and 0.67 on STS headlines; this
    #: sits between the two (bench/calibrate.py).
    match_threshold: float = 0.65
    #: Lower bar for pairs inside a small gap (at most ``gap_units`` units on each side) between
    #: two aligned pairs: the neighbours are evidence too. Recall 0.998 on MRPC.
    gap_threshold: float = 0.50
    gap_units: int = 3
    #: Out-of-order (moved) pairs need more evidence than pairs that keep the story's order.
    moved_threshold: float = 0.80
    #: Word-sequence similarity from which a pair is matched without embedding it at all.
    near_exact: float = 0.80
    #: Word-sequence similarity from which an aligned pair is "edited" rather than "paraphrase":
    #: best balanced accuracy between IteraTeR's revised sentences and MRPC's paraphrases.
    edited_threshold: float = 0.85
    #: A neighbouring unit joins a pair (merge/split) when the joined text scores this much higher.
    #: On SWiPE val's annotated splits and fusions and IteraTeR's revisions (bench/thresholds.py):
    #: join F1 0.777 at 0.01 against 0.710 at 0.03; 0.0 scores 0.793 at floor 0.25 but absorbs
    #: half again as many added sentences into their neighbours (157 against 102).
    merge_gain: float = 0.01
    #: ... and when it scores at least this much alone with the counterpart (0.20-0.35 are within
    #: bootstrap noise of the best on the same data).
    merge_floor: float = 0.35
    #: The derivation bar: "derived" when the verdict model's probability that the pair is a
    #: copy (or both copies of one source) reaches this. 0.5: the probability is calibrated on
    #: labelled real news (bench/fit_verdict.py), so this is the most likely answer.
    derived_probability: float = 0.5

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if field.type == "float" and not 0.0 <= value <= 1.0:
                raise ValueError(f"CompareConfig.{field.name} must be between 0 and 1, got {value}")
        if self.moved_threshold < self.match_threshold:
            raise ValueError(
                "CompareConfig.moved_threshold must be at least match_threshold "
                f"({self.moved_threshold} < {self.match_threshold}): moves need more evidence"
            )
        if self.gap_threshold > self.match_threshold:
            raise ValueError("CompareConfig.gap_threshold must not exceed match_threshold")
