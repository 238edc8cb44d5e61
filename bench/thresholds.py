"""Sweeps of the thresholds that had no measured source, on public labelled data.

Each constant is varied around its value (one at a time, the others at their defaults) through the
parameters the code takes or by setting a module attribute for the sweep and restoring it after:

1. ``words``: ``IDENTICAL_BONUS``, ``DISTORTION``, ``MIN_LINK``, ``ROUNDS`` of
   ``wiretrace/alignment/words.py`` on MultiMWA train+dev (all 6,245 pairs), scored as
   bench/wordalign.py scores them (precision against sure + possible links, recall against sure,
   F1, AER) per subset (MTRef, Wiki), plus a small joint grid. MiniLM runs once per sentence: the
   contextual word cosines are cached and only the cheap score-and-link step is repeated.
2. ``strength``: ``MIN_LINK_STRENGTH`` of ``wiretrace/findings/substitutions.py``: on MultiMWA,
   the precision of the links between different words (what that gate admits) above each value.
3. ``merge``: ``CompareConfig.merge_gain`` / ``merge_floor``. Gold joins: SWiPE val's annotated
   ``syntactic_sentence_splitting`` groups (one Wikipedia sentence split in Simple Wikipedia) and
   ``syntactic_sentence_fusion`` groups (two merged), and joins derived from the character-level
   diff on SWiPE and IteraTeR-HUMAN (two adjacent sentences of one side, each mostly copied from
   the same sentence of the other side). A predicted join (one segment covering two adjacent
   units) is false when both units are mostly copied from *different* sentences of the other side,
   or one of them was added or deleted whole. SWiPE is compared both ways (A->B: splits on B's
   side; B->A: the same splits as merges). Also bench/alignment.py's pair accuracy on
   IteraTeR-HUMAN (508 revision pairs), and the whole scan of reprints-dev at a few settings.
4. ``semantic``: ``CandidateConfig.semantic_threshold``: static-vector cosines of MRPC train
   positives/negatives and STS headlines pairs by score band; and on reprints-dev (146 real news
   articles), the semantic candidate stage itself (``semantic_pairs``) at each threshold with 2
   and 3 near-neighbour sentences: gold derived pairs found (translated pairs apart) against
   non-derived pairs sent to verification; then the whole scan at several thresholds, its
   families scored against gold (pairwise P/R/F1, ARI).
5. ``families``: ``min_overlap`` of ``wiretrace/scan/families.py`` ``source_groups``: one full
   ``scan`` of reprints-dev (local engine), whose verified edges are then grouped into families
   again at each value; pairwise P/R/F1 and ARI against gold (bench/reprints_eval.py's scoring).

Noise: where a sweep has a best value, a paired bootstrap over items (sentence pairs or
documents; 1,000 resamples, seed 0) gives the 95% interval of (today's value - best) and how
often each value comes out best.
The reprints-dev figures go through the verdict, so they move when it changes.
Prints markdown tables (about 3.5 minutes on 2 cores, under 1 GB).
Run: python bench/thresholds.py [--only words,strength,merge,semantic,families] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from alignment import gold_revision
from rapidfuzz.distance import Indel
from reprints_eval import Gold, cluster_ari, load_articles, score_pairs
from wordalign import whitespace_words

import wiretrace.alignment.words as words_module
import wiretrace.engines.local as local_engine
import wiretrace.scan.families as families_module
from wiretrace import Comparer, Document
from wiretrace.alignment.words import Word, anchors, mutual_best, word_vectors
from wiretrace.config import CompareConfig
from wiretrace.findings.substitutions import MIN_LINK_STRENGTH, fold
from wiretrace.models.embed import CachedEncoder, default_encoder
from wiretrace.scan.candidates import (
    CandidateConfig,
    distinctive_sentences,
    exact_pairs,
    minhash_pairs,
    semantic_pairs,
)
from wiretrace.scan.families import Edge
from wiretrace.scan.stages import ScanConfig, prepare
from wiretrace.text.documents import normalise
from wiretrace.text.segment import Unit, segment

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
NEW = -1  # a unit with no counterpart (added or deleted whole)
SECTIONS = ("words", "strength", "merge", "semantic", "families")
BOOTSTRAP = 1000
Floats = npt.NDArray[np.float64]
Link = tuple[int, int]


# --------------------------------------------------------------------------------------------
# Shared: tables, bootstrap


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def bootstrap(
    counts: Floats, metric: Callable[[Floats], Floats], best: int, seed: int = 0
) -> tuple[Floats, Floats, Floats]:
    """Paired bootstrap over items. ``counts`` is (values, items, k) per-item counts, ``metric``
    maps summed counts (..., k) to a score (higher is better). Returns, for each value, the 95%
    interval (low, high) of metric[value] - metric[best], and how often it comes out best."""
    rng = np.random.default_rng(seed)
    n = counts.shape[1]
    weights = np.stack([np.bincount(rng.integers(0, n, n), minlength=n) for _ in range(BOOTSTRAP)])
    sums = np.einsum("bn,vnk->vbk", weights.astype(np.float64), counts)
    scores = metric(sums)  # (values, resamples)
    diff = scores - scores[best]
    wins = np.bincount(scores.argmax(axis=0), minlength=counts.shape[0]) / BOOTSTRAP
    low, high = np.percentile(diff, [2.5, 97.5], axis=1)
    return low, high, wins.astype(np.float64)


def within_noise(values: Sequence[object], high: Floats) -> str:
    """The values whose difference from the best is not clearly below zero."""
    return ", ".join(str(v) for v, h in zip(values, high, strict=True) if h >= 0)


def fmt(x: float, digits: int = 3) -> str:
    return f"{x:.{digits}f}"


@contextmanager
def attribute(module: Any, name: str, value: Any) -> Iterator[None]:
    """Set ``module.name`` for the block, then restore it."""
    saved = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, saved)


# --------------------------------------------------------------------------------------------
# 1-2. Word links on MultiMWA


@dataclass
class WordPair:
    subset: str
    words_a: list[Word]
    words_b: list[Word]
    cosine: Floats  # contextual word cosines, computed once
    anchors: list[Link]
    sure: set[Link]
    possible: set[Link]  # sure | possible


def load_word_pairs(data: Path, encoder: CachedEncoder, limit: int = 0) -> list[WordPair]:
    pairs: list[WordPair] = []
    seen: dict[str, int] = {}
    with (data / "multimwa-train-dev.jsonl").open(encoding="utf-8") as f:
        for row in map(json.loads, f):
            subset = row["meta"]["subset"]
            if limit and seen.get(subset, 0) >= limit:
                continue
            seen[subset] = seen.get(subset, 0) + 1
            words_a, words_b = whitespace_words(row["text_a"]), whitespace_words(row["text_b"])
            if not words_a or not words_b:
                continue
            vec_a = word_vectors(encoder, row["text_a"], [words_a])[0]
            vec_b = word_vectors(encoder, row["text_b"], [words_b])[0]
            sure = {(int(i), int(j)) for i, j in row["label"]["sure"]}
            possible = sure | {(int(i), int(j)) for i, j in row["label"]["possible"]}
            pairs.append(
                WordPair(
                    subset,
                    words_a,
                    words_b,
                    vec_a @ vec_b.T,
                    anchors(words_a, words_b),
                    sure,
                    possible,
                )
            )
    return pairs


def pair_scores(p: WordPair) -> Floats:
    """words.similarity with the cached cosines: vectors (cosines, identity) multiply back to the
    cosines, so the module's own formula (bonus, distortion as currently set) is what runs."""
    eye = np.eye(p.cosine.shape[1])
    return words_module.similarity(None, "", p.words_a, "", p.words_b, (p.cosine, eye))  # type: ignore[arg-type]


@dataclass(frozen=True)
class LinkParams:
    bonus: float = words_module.IDENTICAL_BONUS
    distortion: float = words_module.DISTORTION
    min_link: float = words_module.MIN_LINK
    rounds: int = words_module.ROUNDS


def link_counts(pairs: Sequence[WordPair], params: LinkParams) -> Floats:
    """Per pair: (links in sure+possible, links, links in sure, sure links)."""
    out = np.zeros((len(pairs), 4))
    with (
        attribute(words_module, "IDENTICAL_BONUS", params.bonus),
        attribute(words_module, "DISTORTION", params.distortion),
    ):
        for k, p in enumerate(pairs):
            links = set(mutual_best(pair_scores(p), p.anchors, params.min_link, params.rounds))
            out[k] = (len(links & p.possible), len(links), len(links & p.sure), len(p.sure))
    return out


def aer_score(sums: Floats) -> Floats:
    """1 - AER (higher is better), from summed counts (..., 4)."""
    hit_p, links, hit_s, sure = (sums[..., k] for k in range(4))
    return np.asarray((hit_s + hit_p) / np.maximum(links + sure, 1), dtype=np.float64)


def prf(sums: Floats) -> tuple[float, float, float, float]:
    hit_p, links, hit_s, sure = (float(x) for x in sums)
    precision = hit_p / max(links, 1)
    recall = hit_s / max(sure, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    aer = 1 - (hit_s + hit_p) / max(links + sure, 1)
    return precision, recall, f1, aer


def f1_score(sums: Floats) -> Floats:
    hit_p, links, hit_s, sure = (sums[..., k] for k in range(4))
    precision = hit_p / np.maximum(links, 1)
    recall = hit_s / np.maximum(sure, 1)
    return np.asarray(2 * precision * recall / np.maximum(precision + recall, 1e-9))


def words_section(pairs: list[WordPair]) -> None:
    subsets = sorted({p.subset for p in pairs})
    by_subset = {s: [k for k, p in enumerate(pairs) if p.subset == s] for s in subsets}
    default = LinkParams()
    sweeps: list[tuple[str, str, list[Any]]] = [
        ("IDENTICAL_BONUS", "bonus", [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0]),
        ("DISTORTION", "distortion", [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0]),
        (
            "MIN_LINK",
            "min_link",
            [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7],
        ),
        ("ROUNDS", "rounds", [1, 2, 3, 4, 6]),
    ]
    print(f"\n## 1. Word links on MultiMWA ({len(pairs)} pairs: ", end="")
    print(", ".join(f"{s} {len(v)}" for s, v in by_subset.items()) + ")\n")
    print(
        "Precision vs sure+possible, recall vs sure. Noise: paired bootstrap over sentence pairs "
        "(1,000 resamples); 'best in' = share of resamples where the value has the best AER "
        "(per subset); 'within noise' = values whose AER difference from the best has a 95% "
        "interval reaching 0.\n"
    )
    for name, attr, values in sweeps:
        current = values.index(getattr(default, attr))
        counts = np.stack([link_counts(pairs, replace(default, **{attr: v})) for v in values])
        header = ["value"]
        for s in subsets:
            header += [f"{s} P", f"{s} R", f"{s} F1", f"{s} AER", f"{s} best in"]
        rows: list[list[object]] = [[fmt(v, 2) if isinstance(v, float) else v] for v in values]
        notes = []
        for s in subsets:
            sub = counts[:, by_subset[s], :]
            totals = sub.sum(axis=1)
            score = aer_score(totals)
            best = int(score.argmax())
            low, high, wins = bootstrap(sub, aer_score, best)
            for v in range(len(values)):
                p, r, f, a = prf(totals[v])
                mark = "**" if v == best else ""
                rows[v] += [fmt(p), fmt(r), fmt(f), f"{mark}{fmt(a)}{mark}", fmt(wins[v], 2)]
            notes.append(
                f"{s}: best AER {fmt(1 - score[best])} at {values[best]}, today's "
                f"{values[current]} {fmt(1 - score[current])} (AER difference 95% "
                f"[{-high[current]:+.4f}, {-low[current]:+.4f}]); within noise of the best: "
                f"{within_noise(values, high)}; within 0.005 AER: "
                + ", ".join(
                    str(values[v]) for v in range(len(values)) if score[best] - score[v] <= 0.005
                )
            )
        print(f"### {name} (today {values[current]})\n")
        print(table(header, rows))
        print("\n" + "\n".join(f"* {n}" for n in notes) + "\n")

    # A small joint grid: rounds x distortion x min_link (the bonus barely moves anything).
    grid = [
        LinkParams(default.bonus, d, m, r)
        for r in (1, 2)
        for d in (0.1, 0.2, 0.3)
        for m in (0.05, 0.1, 0.15, 0.2, 0.25, 0.35)
    ]
    results = []
    for params in grid:
        c = link_counts(pairs, params)
        per = {s: prf(c[by_subset[s]].sum(axis=0)) for s in subsets}
        results.append((params, per))
    print(f"### Joint grid (IDENTICAL_BONUS {default.bonus}): best 8 by mean AER, and today's\n")
    ranked = sorted(results, key=lambda r: float(np.mean([r[1][s][3] for s in subsets])))
    shown = ranked[:8] + [r for r in ranked[8:] if r[0] == default]
    rows = []
    for params, per in shown:
        row: list[object] = [params.rounds, params.distortion, params.min_link]
        for s in subsets:
            row += [fmt(per[s][2]), fmt(per[s][3])]
        row.append(fmt(float(np.mean([per[s][3] for s in subsets]))))
        rows.append(row)
    header = ["rounds", "distortion", "min_link"]
    for s in subsets:
        header += [f"{s} F1", f"{s} AER"]
    print(table([*header, "mean AER"], rows) + "\n")


def strength_section(pairs: list[WordPair]) -> None:
    """Links between different words (as substitutions.py folds them), by strength."""
    rows_out = []
    thresholds = [round(0.3 + 0.05 * k, 2) for k in range(9)]
    for subset in sorted({p.subset for p in pairs}):
        strengths: list[float] = []
        correct: list[bool] = []
        sandwich: list[bool] = []
        for p in pairs:
            if p.subset != subset:
                continue
            scores = pair_scores(p)
            links = mutual_best(scores, p.anchors)
            b_of = dict(links)
            for i, j in links:
                if fold(p.words_a[i].norm) == fold(p.words_b[j].norm):
                    continue
                strengths.append(float(scores[i, j]))
                correct.append((i, j) in p.possible)
                sandwich.append(b_of.get(i - 1) == j - 1 and b_of.get(i + 1) == j + 1)
        s, ok, sw = np.array(strengths), np.array(correct), np.array(sandwich)
        for t in thresholds:
            keep = s >= t
            rule = keep | sw
            kept_p = ok[keep].mean() if keep.any() else float("nan")
            drop_p = ok[~keep].mean() if (~keep).any() else float("nan")
            recall = ok[keep].sum() / max(ok.sum(), 1)
            f05 = 1.25 * kept_p * recall / max(0.25 * kept_p + recall, 1e-9)
            mark = "**" if t == MIN_LINK_STRENGTH else ""
            rows_out.append(
                [
                    subset,
                    f"{mark}{t:.2f}{mark}",
                    f"{int(keep.sum())} / {len(s)}",
                    fmt(kept_p),
                    fmt(recall),
                    fmt(f05),
                    fmt(drop_p),
                    fmt(ok[rule].mean() if rule.any() else float("nan")),
                ]
            )
    print("\n## 2. MIN_LINK_STRENGTH: links between different words on MultiMWA\n")
    print(
        "Non-identical links (fold(a) != fold(b)) from today's aligner; 'correct' = in sure+possible. "
        "Recall = correct links kept / all correct non-identical links. The full gate also admits "
        "links sandwiched between two linked neighbours.\n"
    )
    print(
        table(
            [
                "subset",
                "strength ≥",
                "kept",
                "precision kept",
                "recall",
                "F0.5",
                "precision dropped",
                "precision (≥ or sandwiched)",
            ],
            rows_out,
        )
    )


# --------------------------------------------------------------------------------------------
# 3. Merges and splits


_FOLD = str.maketrans(
    {"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"'}
    | {"\u201d": '"'}
)
_STOP = re.compile(r"[.!?]")


def _locate(text: str, cursor: int, piece: str) -> list[int] | None:
    """Positions in ``text`` (already folded) of ``piece``'s non-space characters, in order from
    ``cursor``, whitespace skipped on both sides; None when they do not follow there."""
    out = []
    i = cursor
    for c in piece.translate(_FOLD):
        if c.isspace():
            continue
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text) or text[i] != c:
            return None
        out.append(i)
        i += 1
    return out


@dataclass
class MergeCase:
    """One document pair with its gold: copied characters (A position, B position), and gold
    joins as (side, first unit) for adjacent units (first, first + 1) of that side."""

    source: str
    text_a: str
    text_b: str
    copied: list[Link]
    labelled: set[tuple[str, int]] = field(default_factory=set)
    units_a: list[Unit] = field(default_factory=list)
    units_b: list[Unit] = field(default_factory=list)
    joined: set[tuple[str, int]] = field(default_factory=set)  # gold: one sentence each side
    apart: set[tuple[str, int]] = field(default_factory=set)  # gold: different sentences
    new: set[tuple[str, int]] = field(default_factory=set)  # gold: one of them added/deleted
    edits: list[dict[str, Any]] | None = None  # IteraTeR's labelled edits (pair accuracy)

    def reversed(self) -> MergeCase:
        flip = {"a": "b", "b": "a"}
        return MergeCase(
            self.source + " B→A",
            self.text_b,
            self.text_a,
            [(j, i) for i, j in self.copied],
            {(flip[s], u) for s, u in self.labelled},
        )


def swipe_cases(data: Path, limit: int = 0) -> tuple[list[MergeCase], int]:
    cases, failed = [], 0
    with (data / "swipe-val.jsonl").open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    rows = rows[:limit] if limit else rows
    for row in rows:
        a, b = row["text_a"].translate(_FOLD), row["text_b"].translate(_FOLD)
        cursor_a = cursor_b = 0
        copied: list[Link] = []
        positions: dict[int, tuple[list[int], list[int]]] = {}
        ok = True
        for op in row["meta"]["edits"]:
            kind = op["type"]
            in_a: list[int] = []
            in_b: list[int] = []
            if kind in ("equal", "delete"):
                found = _locate(a, cursor_a, op["text"] if kind == "equal" else op["delete"])
                if found is None:
                    ok = False
                    break
                in_a, cursor_a = found, (found[-1] + 1 if found else cursor_a)
            if kind in ("equal", "insert"):
                found = _locate(b, cursor_b, op["text"] if kind == "equal" else op["insert"])
                if found is None:
                    ok = False
                    break
                in_b, cursor_b = found, (found[-1] + 1 if found else cursor_b)
            if kind == "equal":
                copied.extend(zip(in_a, in_b, strict=True))
            positions[op["idx"]] = (in_a, in_b)
        if not ok:
            failed += 1
            continue
        case = MergeCase("SWiPE", row["text_a"], row["text_b"], copied)
        # Annotated splits: sentence ends inserted in B; fusions: sentence ends deleted from A.
        units_a, units_b = segment(row["text_a"]), segment(row["text_b"])
        for group in row["label"]:
            if group["category"] == "syntactic_sentence_splitting":
                side, text, units = "b", b, units_b
            elif group["category"] == "syntactic_sentence_fusion":
                side, text, units = "a", a, units_a
            else:
                continue
            for idx in group["opis"]:
                spots = positions.get(idx, ([], []))[1 if side == "b" else 0]
                for pos in spots:
                    if not _STOP.match(text[pos]):
                        continue
                    for u in units[:-1]:
                        if u.start <= pos < u.end and u.end - pos <= 3:
                            case.labelled.add((side, u.index))
        cases.append(case)
    return cases, failed


def iterater_cases(data: Path, limit: int = 0) -> tuple[list[MergeCase], int]:
    cases, failed = [], 0
    with (data / "iterater-human-train-dev.jsonl").open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    rows = rows[:limit] if limit else rows
    for row in rows:
        a, b = row["text_a"], row["text_b"]
        chars: list[tuple[str, int | None]] = []
        cursor, ok = 0, True
        for e in sorted(row["label"], key=lambda e: (e["start_char_pos"], e["end_char_pos"])):
            s, t = e["start_char_pos"], e["end_char_pos"]
            if s < cursor:
                ok = False
                break
            chars += [(a[k], k) for k in range(cursor, s)]
            chars += [(c, None) for c in e.get("after") or ""]
            cursor = t
        chars += [(a[k], k) for k in range(cursor, len(a))]
        rebuilt = [(c, k) for c, k in chars if not c.isspace()]
        spots_b = [k for k, c in enumerate(b) if not c.isspace()]
        if not ok or "".join(c for c, _ in rebuilt) != "".join(b[k] for k in spots_b):
            failed += 1
            continue
        copied = [(k, j) for (_, k), j in zip(rebuilt, spots_b, strict=True) if k is not None]
        cases.append(MergeCase("IteraTeR", a, b, copied, edits=row["label"]))
    return cases, failed


def derive_gold(case: MergeCase) -> None:
    """Units, and gold joins / kept-apart pairs from the copied characters. A unit 'comes from'
    the unit of the other side holding most of its copied characters when those are at least
    half of its own non-space characters; it is new (added, or deleted whole) when under a tenth
    of its characters are copied at all; otherwise (reworded) it is left out."""
    case.units_a, case.units_b = segment(case.text_a), segment(case.text_b)

    def owner(units: list[Unit], length: int) -> Any:
        at = np.full(length, -1, dtype=np.int64)
        for u in units:
            at[u.start : u.end] = u.index
        return at

    at_a, at_b = owner(case.units_a, len(case.text_a)), owner(case.units_b, len(case.text_b))
    shared = np.zeros((len(case.units_a), len(case.units_b)))
    for i, j in case.copied:
        if at_a[i] >= 0 and at_b[j] >= 0:
            shared[at_a[i], at_b[j]] += 1

    def sources(units: list[Unit], matrix: Floats) -> list[int | None]:
        out: list[int | None] = []
        for u in units:
            size = max(sum(not c.isspace() for c in u.text), 1)
            row = matrix[u.index]
            best = int(row.argmax()) if row.size else -1
            if best >= 0 and row[best] >= 0.5 * size:
                out.append(best)
            elif row.sum() < 0.1 * size:
                out.append(NEW)
            else:
                out.append(None)
        return out

    from_a = sources(case.units_b, shared.T)  # for each B unit, its A unit
    from_b = sources(case.units_a, shared)
    for side, origin in (("b", from_a), ("a", from_b)):
        for u in range(len(origin) - 1):
            x, y = origin[u], origin[u + 1]
            if x is None or y is None:
                continue
            if x == NEW or y == NEW:
                case.new.add((side, u))
            else:
                (case.joined if x == y else case.apart).add((side, u))
    case.apart -= case.labelled
    case.new -= case.labelled


def predicted_joins(segments: Sequence[Any]) -> set[tuple[str, int]]:
    out: set[tuple[str, int]] = set()
    for s in segments:
        for side, units in (("a", s.units_a), ("b", s.units_b)):
            ordered = sorted(units)
            out.update((side, u) for u, v in pairwise(ordered) if v == u + 1)
    return out


def pair_accuracy(case: MergeCase, segments: Sequence[Any]) -> tuple[int, int, int, int]:
    """bench/alignment.py's check: (unchanged right, unchanged, changed right, changed)."""
    assert case.edits is not None
    by_unit = {i: s for s in segments for i in s.units_a}
    out = [0, 0, 0, 0]
    for unit in case.units_a:
        gold = gold_revision(case.text_a, unit.start, unit.end, case.edits)
        if gold is None or not gold.strip():
            continue
        predicted = by_unit[unit.index]
        changed = normalise(gold) != normalise(unit.text)
        b_text = normalise(predicted.b.text) if predicted.b else ""
        key = normalise(gold)
        right = bool(b_text) and (key in b_text or Indel.normalized_similarity(key, b_text) >= 0.8)
        out[2 if changed else 0] += right
        out[3 if changed else 1] += 1
    return out[0], out[1], out[2], out[3]


# Per-case counts: labelled gold, labelled found, derived gold, derived found, predicted joins,
# known true, false (different sentences), false (a new sentence), pair accuracy (4).
MERGE_K = 12


def merge_counts(comparer: Comparer, case: MergeCase) -> Floats:
    result = comparer.compare_units(
        Document("a", case.text_a), case.units_a, Document("b", case.text_b), case.units_b,
        findings=False,
    )  # fmt: skip
    joins = predicted_joins(result.segments)
    gold = case.labelled | case.joined
    out = np.zeros(MERGE_K)
    out[0] = len(case.labelled)
    out[1] = len(case.labelled & joins)
    out[2] = len(case.joined)
    out[3] = len(case.joined & joins)
    out[4] = len(joins)
    out[5] = len(joins & gold)
    out[6] = len(joins & case.apart)
    out[7] = len(joins & case.new)
    if case.edits is not None:
        out[8:12] = pair_accuracy(case, result.segments)
    return out


def join_f1(sums: Floats) -> Floats:
    gold = sums[..., 0] + sums[..., 2]
    found = sums[..., 1] + sums[..., 3]
    recall = found / np.maximum(gold, 1)
    false = sums[..., 6] + sums[..., 7]
    precision = sums[..., 5] / np.maximum(sums[..., 5] + false, 1)
    return np.asarray(2 * precision * recall / np.maximum(precision + recall, 1e-9))


def merge_section(data: Path, encoder: CachedEncoder, limit: int = 0) -> None:
    swipe, swipe_failed = swipe_cases(data, limit)
    iterater, iterater_failed = iterater_cases(data, limit)
    cases = swipe + [c.reversed() for c in swipe] + iterater
    for case in cases:
        derive_gold(case)
    groups = {
        name: [k for k, c in enumerate(cases) if c.source == name]
        for name in ("SWiPE", "SWiPE B→A", "IteraTeR")
    }
    default = CompareConfig()
    gains = [0.0, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12, 0.2]
    floors = [0.0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6]
    configs = [replace(default, merge_gain=g) for g in gains]
    configs += [replace(default, merge_floor=f) for f in floors if f != default.merge_floor]
    configs += [
        replace(default, merge_gain=g, merge_floor=f)
        for g in (0.0, 0.01, 0.02)
        for f in (0.2, 0.25, 0.3, 0.4, 0.5)
    ]
    counts = np.zeros((len(configs), len(cases), MERGE_K))
    for v, config in enumerate(configs):
        comparer = Comparer(config, encoder)
        for k, case in enumerate(cases):
            counts[v, k] = merge_counts(comparer, case)
    labelled = int(counts[0, groups["SWiPE"], 0].sum())
    print("\n## 3. merge_gain / merge_floor: merges and splits\n")
    print(
        f"SWiPE val: {len(swipe)} page pairs ({swipe_failed} skipped: diff not locatable), "
        f"{labelled} annotated splits/fusions falling on a sentence boundary of the segmenter, "
        "compared A→B (splits are B-side joins) and B→A (the same as A-side joins). "
        f"IteraTeR-HUMAN: {len(iterater)} revision pairs ({iterater_failed} skipped). "
        "'annotated' = annotated splits/fusions covered by one segment; 'derived' = gold joins "
        "from the character diff (two adjacent sentences both mostly copied from one sentence) "
        "covered by one segment; 'false' = predicted joins of two sentences mostly copied from "
        "*different* sentences / of a sentence added or deleted whole (under 10% copied); "
        "'joins' = all predicted joins (those involving reworded sentences are not scored); "
        "join P = true / (true + false), R = found / gold (annotated + derived), all three sets; "
        "pair acc = bench/alignment.py's right counterpart on IteraTeR, changed sentences "
        "(all sentences); 'best in' = share of bootstrap resamples (over document pairs) where "
        "the row has the best join F1.\n"
    )
    header = [
        "merge_gain",
        "merge_floor",
        "annotated A→B / B→A",
        "derived SWiPE (both ways) / IteraTeR",
        "false: different / added",
        "joins",
        "IteraTeR pair acc",
        "join P",
        "join R",
        "join F1",
        "best in",
    ]
    totals = counts.sum(axis=1)
    scores = join_f1(totals)
    best = int(scores.argmax())
    current = next(k for k, c in enumerate(configs) if c == default)
    low, high, wins = bootstrap(counts, join_f1, best)
    swipe_idx = groups["SWiPE"] + groups["SWiPE B→A"]
    rows = []
    for v, config in enumerate(configs):
        fwd, back = counts[v, groups["SWiPE"]].sum(axis=0), counts[v, groups["SWiPE B→A"]].sum(0)
        sw, it, t = (
            counts[v, swipe_idx].sum(axis=0),
            counts[v, groups["IteraTeR"]].sum(0),
            totals[v],
        )
        precision = t[5] / max(t[5] + t[6] + t[7], 1)
        recall = (t[1] + t[3]) / max(t[0] + t[2], 1)
        mark = "**" if v == best else ""
        rows.append(
            [
                fmt(config.merge_gain, 2),
                fmt(config.merge_floor, 2),
                f"{int(fwd[1])} / {int(back[1])} of {int(fwd[0])}",
                f"{int(sw[3])}/{int(sw[2])} / {int(it[3])}/{int(it[2])}",
                f"{int(t[6])} / {int(t[7])}",
                int(t[4]),
                f"{fmt(it[10] / max(it[11], 1))} ({fmt((it[8] + it[10]) / max(it[9] + it[11], 1))})",
                fmt(precision),
                fmt(recall),
                f"{mark}{fmt(scores[v])}{mark}",
                fmt(wins[v], 2),
            ]
        )
    print(table(header, rows))
    noise = [
        f"{c.merge_gain}/{c.merge_floor}" for c, h in zip(configs, high, strict=True) if h >= 0
    ]
    print(
        f"\n* best join F1 {fmt(scores[best])} at gain {configs[best].merge_gain}, floor "
        f"{configs[best].merge_floor}; today's {fmt(scores[current])} (difference 95% "
        f"[{low[current]:+.4f}, {high[current]:+.4f}]); within noise of the best (gain/floor): "
        f"{', '.join(noise)}\n"
    )

    # Real news: the whole scan of reprints-dev under a few settings (joins widen the aligned
    # share that the verdict reads, so they can turn pairs derived).
    articles = load_articles()
    gold = Gold.build(articles)
    docs = [a.document() for a in articles]
    settings = sorted({(default.merge_gain, default.merge_floor), (0.0, 0.25), (0.0, 0.35)}
                      | {(0.01, 0.35), (0.01, 0.25), (configs[best].merge_gain,
                                                     configs[best].merge_floor)})  # fmt: skip
    rows = []
    for gain, floor in settings:
        compare = replace(default, merge_gain=gain, merge_floor=floor)
        result = local_engine.scan(docs, ScanConfig(compare=compare))
        s = family_scores(gold, result.families)
        assert result.stages is not None
        mark = "**" if compare == default else ""
        rows.append(
            [
                f"{mark}{gain}{mark}",
                f"{mark}{floor}{mark}",
                result.stages.edges,
                fmt(s.precision),
                fmt(s.recall),
                fmt(s.f1),
                fmt(s.ari or 0.0),
            ]
        )
    print("`scan` of reprints-dev (146 real news articles) under some of these settings:\n")
    print(table(["merge_gain", "merge_floor", "derived edges", "P", "R", "F1", "ARI"], rows))


# --------------------------------------------------------------------------------------------
# 4. Semantic candidate threshold


def family_scores(gold: Gold, families: Sequence[families_module.Family]) -> Any:
    """bench/reprints_eval.py's pairwise scores and ARI of a scan's families."""
    index = {a.id: k for k, a in enumerate(gold.articles)}
    clusters = [[index[m] for m in f.members] for f in families]
    predicted = {pair for c in clusters for pair in combinations(sorted(set(c)), 2)}
    return score_pairs("scan", gold, predicted, 0.0, cluster_ari(gold, clusters))


def semantic_section(data: Path) -> None:
    from wiretrace.models.static import default_static_encoder

    static = default_static_encoder()
    thresholds = [round(0.5 + 0.05 * k, 2) for k in range(9)]

    def cosines(rows: list[dict[str, Any]]) -> Floats:
        va = static.encode([r["text_a"] for r in rows])
        vb = static.encode([r["text_b"] for r in rows])
        return np.asarray((va * vb).sum(axis=1), dtype=np.float64)

    def load(name: str) -> list[dict[str, Any]]:
        with (data / name).open(encoding="utf-8") as f:
            return [json.loads(line) for line in f]

    mrpc = load("mrpc-train.jsonl")
    sts = load("sts-headlines-2013-2014.jsonl")
    c_mrpc, c_sts = cosines(mrpc), cosines(sts)
    label_m = np.array([r["label"] for r in mrpc])
    label_s = np.array([float(r["label"]) for r in sts])
    groups: list[tuple[str, Floats]] = [
        ("MRPC positive (paraphrase)", c_mrpc[label_m == 1]),
        ("MRPC negative (same story)", c_mrpc[label_m == 0]),
    ]
    for low, high in ((0, 1), (1, 2), (2, 3), (3, 4), (4, 5.01)):
        band = (label_s >= low) & (label_s < high)
        groups.append((f"STS headlines {low}–{min(high, 5):g}", c_sts[band]))
    print("\n## 4. semantic_threshold (static sentence vectors)\n")
    print("Share of sentence pairs whose static cosine is at or above each threshold.\n")
    rows = []
    for name, values in groups:
        q = np.percentile(values, [10, 50, 90])
        shares = [fmt(float((values >= t).mean())) for t in thresholds]
        rows.append([name, len(values), *shares, " / ".join(f"{x:.2f}" for x in q)])
    print(table(["pairs", "n", *(f"≥{t:.2f}" for t in thresholds), "p10 / p50 / p90"], rows))

    # reprints-dev: the semantic stage itself at each threshold.
    articles = load_articles()
    gold = Gold.build(articles)
    docs = [a.document() for a in articles]
    index = {a.id: k for k, a in enumerate(articles)}
    prepared = prepare(docs, ScanConfig())
    cfg = CandidateConfig()
    lexical = exact_pairs({p.doc.id: p.hashes for p in prepared}, cfg) | minhash_pairs(
        {p.doc.id: p.bands for p in prepared}, cfg
    )
    lexical_idx = {tuple(sorted((index[a], index[b]))) for a, b in lexical}
    sentences = {p.doc.id: distinctive_sentences(p.units, cfg) for p in prepared}
    main = [p for p in gold.main if gold.derived[p]]
    negatives = [p for p in gold.pairs if not gold.derived[p]]
    only = [p for p in main if p not in lexical_idx]
    print(
        f"\nreprints-dev: {len(articles)} articles, {len(main)} gold derived pairs (translated "
        f"pairs left out: {len(gold.translated)}), {len(negatives)} non-derived. The exact and "
        f"MinHash stages already find {len(main) - len(only)} of the derived pairs (and "
        f"{sum(p in lexical_idx for p in negatives)} non-derived); 'new' = derived pairs only the "
        "semantic stage finds. Candidate rule as in the scan: at least n distinct sentences on "
        "each side with a reworded neighbour at or above the threshold.\n"
    )
    rows = []
    for t in thresholds:
        row: list[object] = [f"{t:.2f}"]
        for n in (2, 3):
            found = semantic_pairs(
                sentences, static, replace(cfg, semantic_threshold=t, semantic_min_sentences=n)
            )
            found_idx = {tuple(sorted((index[a], index[b]))) for a, b in found}
            hit = sum(p in found_idx for p in main)
            new = sum(p in found_idx for p in only)
            wasted = sum(p in found_idx for p in negatives)
            wasted_new = sum(p in found_idx and p not in lexical_idx for p in negatives)
            row += [f"{hit}/{len(main)}", f"{new}/{len(only)}", f"{wasted} ({wasted_new})"]
        rows.append(row)
    header = ["threshold"]
    for n in (2, 3):
        header += [f"n={n} derived found", f"n={n} new", f"n={n} non-derived (not lexical)"]
    print(table(header, rows) + "\n")

    # End to end: the whole scan (candidates, verification, families) at each threshold.
    rows = []
    settings = [(t, 3) for t in (0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85)]
    settings += [(t, 2) for t in (0.7, 0.75, 0.8)]
    for t, n in settings:
        config = ScanConfig(candidates=replace(cfg, semantic_threshold=t, semantic_min_sentences=n))
        result = local_engine.scan(docs, config)
        s = family_scores(gold, result.families)
        stages = result.stages
        assert stages is not None
        today = t == cfg.semantic_threshold and n == cfg.semantic_min_sentences
        mark = "**" if today else ""
        rows.append(
            [
                f"{mark}{t:.2f}{mark}",
                n,
                stages.semantic,
                stages.candidates,
                stages.edges,
                fmt(s.precision),
                fmt(s.recall),
                fmt(s.f1),
                fmt(s.ari or 0.0),
            ]
        )
    print(
        "End to end: `scan` (local engine) of reprints-dev at each threshold and "
        "semantic_min_sentences n; families scored as bench/reprints_eval.py scores them.\n"
    )
    print(
        table(
            [
                "threshold",
                "n",
                "semantic pairs",
                "candidates",
                "derived edges",
                "P",
                "R",
                "F1",
                "ARI",
            ],
            rows,
        )
        + "\n"
    )


# --------------------------------------------------------------------------------------------
# 5. Families: min_overlap of source_groups


def families_section() -> None:
    articles = load_articles()
    gold = Gold.build(articles)
    captured: list[Edge] = []
    original = families_module.build_families  # what the local engine calls

    def capture(edges: Sequence[Edge]) -> list[families_module.Family]:
        captured.extend(edges)
        return original(edges)

    started = time.perf_counter()
    with attribute(local_engine, "build_families", capture):
        local_engine.scan([a.document() for a in articles])
    seconds = time.perf_counter() - started
    rows = []
    defaults = families_module.source_groups.__defaults__
    for value in (0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9):
        families_module.source_groups.__defaults__ = (value,)
        try:
            families = families_module.build_families(captured)
        finally:
            families_module.source_groups.__defaults__ = defaults
        s = family_scores(gold, families)
        merges = sum(len(f.merges) for f in families)
        mark = "**" if value == (defaults or (0.3,))[0] else ""
        rows.append(
            [
                f"{mark}{value}{mark}",
                len(families),
                merges,
                fmt(s.precision),
                fmt(s.recall),
                fmt(s.f1),
                fmt(s.ari or 0.0),
                s.fp,
            ]
        )
    print("\n## 5. min_overlap of source_groups (reprints-dev families)\n")
    print(
        f"One scan (local engine, {seconds:.0f} s, {len(captured)} derived edges); families "
        "rebuilt from its edges at each value. Pairwise scores over family co-membership "
        "(translated gold pairs apart), ARI as bench/reprints_eval.py.\n"
    )
    print(
        table(["min_overlap", "families", "merge memberships", "P", "R", "F1", "ARI", "FP"], rows)
    )


# --------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma list of sections")
    parser.add_argument(
        "--limit", type=int, default=0, help="items per data set, for a quick look (0 = all)"
    )
    args = parser.parse_args()
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {sorted(unknown)}")
    started = time.perf_counter()
    print(f"# Threshold sweeps, {time.strftime('%Y-%m-%d')}")
    encoder = default_encoder()
    timings = []
    if "words" in only or "strength" in only:
        t = time.perf_counter()
        pairs = load_word_pairs(args.data, encoder, args.limit)
        timings.append(("MultiMWA word vectors", time.perf_counter() - t))
        for name, run in (("words", words_section), ("strength", strength_section)):
            if name in only:
                t = time.perf_counter()
                run(pairs)
                timings.append((name, time.perf_counter() - t))
        del pairs
    if "merge" in only:
        t = time.perf_counter()
        merge_section(args.data, encoder, args.limit)
        timings.append(("merge", time.perf_counter() - t))
    if "semantic" in only:
        t = time.perf_counter()
        semantic_section(args.data)
        timings.append(("semantic", time.perf_counter() - t))
    if "families" in only:
        t = time.perf_counter()
        families_section()
        timings.append(("families", time.perf_counter() - t))
    total = time.perf_counter() - started
    print("\n## Run time\n")
    print(table(["step", "seconds"], [[n, f"{s:.0f}"] for n, s in [*timings, ("total", total)]]))


if __name__ == "__main__":
    main()
