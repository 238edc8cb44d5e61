"""Calibrate and report the sentence-matching decision on public labelled data.

Data (../shared/data): MRPC train (4,076 news sentence pairs; 1 = same meaning, 0 = same story,
different content) and SemEval STS headlines 2013-2014 (1,500 pairs, 0-5; >= 3 counts as a match).
Score = max(MiniLM cosine, word-sequence similarity), as the aligner uses it.

Prints: the threshold with the best F1 on MRPC (the `match_threshold` default), the precision and
recall at the thresholds the aligner uses, the same on STS, and the word-similarity distribution of
real human edits (IteraTeR) against real paraphrases (MRPC positives) behind `edited_threshold`.
Run: python bench/calibrate.py [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from wiretrace.alignment.passages import sentence_scores
from wiretrace.config import CompareConfig
from wiretrace.models.embed import default_encoder

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def pr(scores: np.ndarray, gold: np.ndarray, threshold: float) -> tuple[float, float, float]:
    predicted = scores >= threshold
    tp = float((predicted & gold).sum())
    precision = tp / max(predicted.sum(), 1)
    recall = tp / max(gold.sum(), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return precision, recall, f1


def best_f1(scores: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    grid = np.round(np.arange(0.30, 0.99, 0.01), 2)
    f1s = [pr(scores, gold, t)[2] for t in grid]
    k = int(np.argmax(f1s))
    return float(grid[k]), float(f1s[k])


def sentence_pairs_of_edits(rows: list[dict]) -> list[tuple[str, str]]:
    """IteraTeR: (before, after) sentences whose revision touched them, from the sentence offsets."""
    pairs = []
    for row in rows:
        text_a, text_b = row["text_a"], row["text_b"]
        from wiretrace.text.segment import segment

        units_a, units_b = segment(text_a), segment(text_b)
        keys_b = {u.key for u in units_b}
        # Changed sentences of A and B, in order; pair them when both sides changed equally often.
        changed_a = [u.text for u in units_a if u.key not in {v.key for v in units_b}]
        changed_b = [u.text for u in units_b if u.key not in {v.key for v in units_a}]
        del keys_b
        if changed_a and len(changed_a) == len(changed_b):
            pairs.extend(zip(changed_a, changed_b, strict=True))
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    config = CompareConfig()
    encoder = default_encoder()

    print(f"# Sentence matching, {time.strftime('%Y-%m-%d')}, encoder: {encoder.name}\n")
    print(
        "| data | pairs | positives | best-F1 threshold | best F1 | threshold | precision | recall | F1 |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    results = {}
    for name, positive in (
        ("mrpc-train.jsonl", lambda label: label == 1),
        ("sts-headlines-2013-2014.jsonl", lambda label: label >= 3.0),
    ):
        rows = load(args.data / name)
        lexical, cosine = sentence_scores(
            encoder, [r["text_a"] for r in rows], [r["text_b"] for r in rows]
        )
        scores = np.maximum(lexical, cosine)
        gold = np.array([positive(r["label"]) for r in rows])
        threshold, f1 = best_f1(scores, gold)
        results[name] = (scores, gold, lexical)
        for label, t in (
            ("match", config.match_threshold),
            ("gap", config.gap_threshold),
            ("moved", config.moved_threshold),
        ):
            p, r, f = pr(scores, gold, t)
            print(
                f"| {name} | {len(rows)} | {int(gold.sum())} | {threshold:.2f} | {f1:.3f} "
                f"| {label} {t:.2f} | {p:.3f} | {r:.3f} | {f:.3f} |"
            )

    # Edited vs paraphrase: word similarity of real small edits vs real paraphrases.
    edits = sentence_pairs_of_edits(load(args.data / "iterater-human-train-dev.jsonl"))
    edit_lexical, _ = sentence_scores(encoder, [a for a, _ in edits], [b for _, b in edits])
    _, mrpc_gold, mrpc_lexical = results["mrpc-train.jsonl"]
    para = mrpc_lexical[mrpc_gold]
    t = config.edited_threshold
    grid = np.round(np.arange(0.40, 0.96, 0.01), 2)
    balanced = [((edit_lexical >= g).mean() + (para < g).mean()) / 2 for g in grid]
    best = int(np.argmax(balanced))
    print(
        f"\nbest balanced accuracy edited-vs-paraphrase: {balanced[best]:.3f} at {grid[best]:.2f}"
    )
    print(f"\n# Edited vs paraphrase (word-sequence similarity), edited_threshold = {t:.2f}\n")
    print("| pairs | n | p10 | median | p90 | share labelled edited |")
    print("|---|---|---|---|---|---|")
    for name, values in (("IteraTeR revised sentences", edit_lexical), ("MRPC paraphrases", para)):
        q10, q50, q90 = np.percentile(values, [10, 50, 90])
        print(
            f"| {name} | {len(values)} | {q10:.2f} | {q50:.2f} | {q90:.2f} | {(values >= t).mean():.3f} |"
        )


if __name__ == "__main__":
    main()
