"""Fit the verdict model on labelled real news, report it cross-validated, and write its weights.

Data: every pair of articles of ../shared/data/reprints-dev (146 real pages, 23 wire stories) and
bench/data/reprints-more (121 real pages, 19 stories): gold derived = both pages are `copy` in one
family. Pairs involving a translated copy, or two texts in different languages, are left out of
the fit (issue 14's: the evidence here is about shared wording) but kept among the negatives when
gold says not derived.

Features: :class:`wiretrace.alignment.evidence.Evidence` measured on the alignment wiretrace makes
of each pair (the passage bar unchanged). Model: logistic regression (scikit-learn).

Reported (printed as markdown):
* cross-validated by story: 8 folds grouped by event (stories on one event, or within a day of each
  other, share a fold, so no fold is tested on a story it was trained on): precision, recall, F1
  of derived at the 0.5 probability, recall per copy kind, expected calibration error (10 bins)
  and a reliability table;
* trained on one set, tested on the other (reprints-dev → reprints-more and back);
* the fitted coefficients.

Writes wiretrace/alignment/verdict_model.json (the coefficients, what they were fitted on, when,
and the cross-validated figures). Run: python bench/fit_verdict.py [--dry-run]
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import subprocess
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from wiretrace import Comparer
from wiretrace.alignment.evidence import Evidence, measure
from wiretrace.text.segment import Unit, segment

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "data" / "reprints-dev" / "families.jsonl"
MORE = REPO / "bench" / "data" / "reprints-more" / "families.jsonl"
KINDS = REPO / "bench" / "reprints_kinds.json"
OUTPUT = REPO / "wiretrace" / "alignment" / "verdict_model.json"
FOLDS = 8


@dataclass(frozen=True)
class Article:
    id: str
    corpus: str  # reprints-dev | reprints-more
    family: str
    role: str  # copy | same_event_independent
    kind: str  # the copy's kind, "independent" for the others
    language: str
    date_key: str  # the story's date, from the family name

    @property
    def translated(self) -> bool:
        return self.kind == "translated"


def load_articles() -> tuple[list[Article], dict[str, str]]:
    """Both sets' articles, and each article's text by id."""
    kinds = json.loads(KINDS.read_text(encoding="utf-8"))
    articles: list[Article] = []
    texts: dict[str, str] = {}
    for corpus, path in (("reprints-dev", DEV), ("reprints-more", MORE)):
        for k, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            row = json.loads(line)
            copy = row["role"] == "copy"
            if corpus == "reprints-dev":
                kind = kinds["kinds"][row["url"]]["kind"] if copy else "independent"
                language = kinds["languages"].get(row["url"], "en")
            else:
                kind = row["kind"] if copy else "independent"
                language = row.get("language", "en")
            article_id = f"{corpus[9:]}{k:03d}"
            date = "-".join(row["family"].split("-")[1:4])
            articles.append(
                Article(article_id, corpus, row["family"], row["role"], kind, language, date)
            )
            texts[article_id] = row["text"]
    return articles, texts


def gold(a: Article, b: Article) -> bool:
    return a.family == b.family and a.role == "copy" and b.role == "copy"


def cross_language(a: Article, b: Article) -> bool:
    return a.translated or b.translated or a.language != b.language


def event_groups(articles: Sequence[Article]) -> dict[str, int]:
    """Each story date's fold group: dates a day apart are one event (follow-ups, time zones)."""
    dates = sorted({a.date_key for a in articles})
    groups: dict[str, int] = {}
    group, previous = 0, None
    for date in dates:
        day = datetime.date.fromisoformat(date)
        if previous is None or (day - previous).days > 1:
            group += 1
        groups[date], previous = group, day
    return groups


@dataclass
class Row:
    a: Article
    b: Article
    evidence: Evidence
    y: bool

    @property
    def kind(self) -> str:
        """The pair's copy kind: its less faithful member's."""
        order = ["source", "verbatim", "trimmed", "edited", "substituted", "merged", "spun"]
        return max((self.a.kind, self.b.kind), key=lambda k: order.index(k) if k in order else -1)


def measure_pairs(articles: Sequence[Article], texts: dict[str, str]) -> list[Row]:
    """The evidence of every pair, from wiretrace's alignment (no verdict involved)."""
    aligner = Comparer().aligner()
    units: dict[str, list[Unit]] = {a.id: segment(texts[a.id]) for a in articles}
    rows = []
    for a, b in combinations(articles, 2):
        ta, tb = texts[a.id], texts[b.id]
        segments = aligner.align(ta, units[a.id], tb, units[b.id])
        evidence = measure(ta, units[a.id], tb, units[b.id], segments, aligner.codes)
        rows.append(Row(a, b, evidence, gold(a, b)))
    return rows


def design(rows: Sequence[Row]) -> tuple[Any, Any]:
    x = np.array([r.evidence.features() for r in rows], dtype=np.float64)
    y = np.array([r.y for r in rows], dtype=bool)
    return x, y


def fit(rows: Sequence[Row]) -> Any:
    from sklearn.linear_model import LogisticRegression

    x, y = design(rows)
    return LogisticRegression(C=1.0, max_iter=5000).fit(x, y)


def trainable(rows: Sequence[Row]) -> list[Row]:
    """What the model learns from: every pair but the cross-language copies (issue 14's)."""
    return [r for r in rows if not (r.y and cross_language(r.a, r.b))]


def cross_validated(rows: Sequence[Row], groups: dict[str, int]) -> list[float]:
    """Each row's probability from a model that never saw its story (grouped K-fold)."""
    from sklearn.model_selection import GroupKFold

    train = trainable(rows)
    x, y = design(train)
    fold_of = np.array([groups[r.a.date_key] for r in train])
    probability = {id(r): 0.0 for r in rows}
    folds = GroupKFold(n_splits=FOLDS)
    for fit_on, test_on in folds.split(x, y, fold_of):
        model = fit([train[k] for k in fit_on])
        held_out = {fold_of[k] for k in test_on}
        tested = [r for r in rows if groups[r.a.date_key] in held_out]
        p = model.predict_proba(design(tested)[0])[:, 1]
        for row, value in zip(tested, p, strict=True):
            probability[id(row)] = float(value)
    return [probability[id(r)] for r in rows]


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int


def score(rows: Sequence[Row], probability: Sequence[float], threshold: float = 0.5) -> Scores:
    """Pairwise scores of derived; cross-language gold pairs are left out of recall, but a
    cross-language pair called derived against gold is a false positive."""
    tp = fp = fn = 0
    for row, p in zip(rows, probability, strict=True):
        called = p >= threshold
        if row.y and cross_language(row.a, row.b):
            continue
        tp += called and row.y
        fp += called and not row.y
        fn += (not called) and row.y
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, tp, fp, fn)


def calibration(rows: Sequence[Row], probability: Sequence[float]) -> tuple[float, list[str]]:
    """Expected calibration error over 10 bins of P(derived), and the reliability rows."""
    bins: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    for row, p in zip(rows, probability, strict=True):
        if row.y and cross_language(row.a, row.b):
            continue
        bins[min(9, int(p * 10))].append((p, row.y))
    total = sum(len(b) for b in bins.values())
    ece = 0.0
    table = []
    for k in range(10):
        members = bins.get(k, [])
        if not members:
            continue
        mean = sum(p for p, _ in members) / len(members)
        seen = sum(y for _, y in members) / len(members)
        ece += abs(mean - seen) * len(members) / total
        table.append(
            f"| {k / 10:.1f}–{(k + 1) / 10:.1f} | {len(members)} | {mean:.3f} | {seen:.3f} |"
        )
    return ece, table


def per_kind(rows: Sequence[Row], probability: Sequence[float]) -> list[str]:
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for row, p in zip(rows, probability, strict=True):
        if row.y and not cross_language(row.a, row.b):
            total[row.kind] += 1
            found[row.kind] += p >= 0.5
    return [f"| {k} | {total[k]} | {found[k] / total[k]:.2f} |" for k in sorted(total)]


def git_commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO
    )
    return done.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="report, do not write the model")
    parser.add_argument(
        "--only",
        choices=["reprints-dev", "reprints-more"],
        help="fit on this set alone (for held-out tests of the other)",
    )
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where to write the model")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    articles, texts = load_articles()
    rows = measure_pairs(articles, texts)
    measured = time.perf_counter() - start
    groups = event_groups(articles)
    print(
        f"{len(articles)} articles, {len(rows):,} pairs ({sum(r.y for r in rows)} derived), "
        f"{len(set(groups.values()))} event groups; measured in {measured:.0f} s\n"
    )

    probability = cross_validated(rows, groups)
    cv = score(rows, probability)
    ece, reliability = calibration(rows, probability)
    print("## Cross-validated by story (8 folds grouped by event), derived at P >= 0.5\n")
    print("| set | precision | recall | F1 | TP / FP / FN |\n|---|---|---|---|---|")
    by_set: dict[str, Scores] = {}
    for name, keep in (
        ("both", lambda r: True),
        ("reprints-dev", lambda r: r.a.corpus == r.b.corpus == "reprints-dev"),
        ("reprints-more", lambda r: r.a.corpus == r.b.corpus == "reprints-more"),
    ):
        chosen = [(r, p) for r, p in zip(rows, probability, strict=True) if keep(r)]
        s = score([r for r, _ in chosen], [p for _, p in chosen])
        by_set[name] = s
        print(
            f"| {name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.tp} / {s.fp} / {s.fn} |"
        )
    aligned = [
        (r, p) for r, p in zip(rows, probability, strict=True) if r.evidence.ordered_coverage
    ]
    ece_aligned, reliability = calibration([r for r, _ in aligned], [p for _, p in aligned])
    print(f"\nExpected calibration error, 10 bins: {ece:.4f} over all pairs (most are plainly")
    print(
        f"unrelated), {ece_aligned:.4f} over the {len(aligned):,} pairs with any passage aligned:\n"
    )
    print("| P(derived) | pairs | mean P | derived |\n|---|---|---|---|")
    print("\n".join(reliability))
    print("\n| copy kind | gold pairs | recall |\n|---|---|---|")
    print("\n".join(per_kind(rows, probability)))

    print("\n## Trained on one set, tested on the other\n")
    print("| trained on | tested on | precision | recall | F1 |\n|---|---|---|---|---|")
    for train_set, test_set in (
        ("reprints-dev", "reprints-more"),
        ("reprints-more", "reprints-dev"),
    ):
        train = trainable([r for r in rows if r.a.corpus == r.b.corpus == train_set])
        test = [r for r in rows if r.a.corpus == r.b.corpus == test_set]
        p = fit(train).predict_proba(design(test)[0])[:, 1]
        s = score(test, p)
        print(f"| {train_set} | {test_set} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |")

    fitted_rows = [
        r for r in rows if args.only in (None, r.a.corpus) and args.only in (None, r.b.corpus)
    ]
    model = fit(trainable(fitted_rows))
    coefficients = [float(c) for c in model.coef_[0]]
    print("\n## Coefficients (fitted on both sets)\n")
    for name, c in zip(Evidence.FEATURES, coefficients, strict=True):
        print(f"- {name}: {c:+.3f}")
    print(f"- intercept: {float(model.intercept_[0]):+.3f}")
    if args.dry_run:
        return 0
    payload = {
        "model": "logistic regression (scikit-learn, C=1)",
        "features": list(Evidence.FEATURES),
        "coefficients": [round(c, 6) for c in coefficients],
        "intercept": round(float(model.intercept_[0]), 6),
        "fitted_on": {
            "script": "bench/fit_verdict.py",
            "commit": git_commit(),
            "date": datetime.date.today().isoformat(),
            "data": [
                path
                for name, path in (
                    ("reprints-dev", "../shared/data/reprints-dev"),
                    ("reprints-more", "bench/data/reprints-more"),
                )
                if args.only in (None, name)
            ],
            "pairs": len(trainable(fitted_rows)),
            "derived_pairs": sum(r.y for r in trainable(fitted_rows)),
        },
        "cross_validated": {
            "folds": f"{FOLDS}, grouped by event",
            "precision": round(cv.precision, 4),
            "recall": round(cv.recall, 4),
            "f1": round(cv.f1, 4),
            "expected_calibration_error": round(ece, 4),
            "expected_calibration_error_aligned_pairs": round(ece_aligned, 4),
            "by_set": {k: {"precision": round(v.precision, 4), "recall": round(v.recall, 4)}
                       for k, v in by_set.items()},
        },
    }  # fmt: skip
    args.output.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.output}")
    return 0 if math.isfinite(payload["intercept"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
