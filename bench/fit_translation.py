"""Fit the translation model on translated and independent news, report it cross-validated, write it.

Data, every pair of texts in two different languages (as wiretrace detects them):

* bench/data/translations: 10 real English wire copies and 10 real independent reports of the
  same events (from reprints-more), each translated into Spanish, German and French for the
  project. Gold derived: two texts of one base (an English page and its translations, or two
  translations of one page); not derived: a page and the other base's texts (the independent
  report of the same event, in any language), and every pair across families.
* reprints-dev and reprints-more: every pair of pages in two languages. Gold derived: both pages
  are ``copy`` in one family (a translated copy with its family's copies, whatever they
  underwent); everything else is not derived.

Features: :class:`wiretrace.alignment.translation.TranslationEvidence`, measured by the product's
own code (the multilingual encoder, the translation links). Model: logistic regression.

Reported (markdown): cross-validated by event (8 folds; a story's translations, its independent
reports and the real pages of that event share a fold), precision and recall of derived per set
and per kind of pair; translated copies of the real sets found from at least one page of their
family; the false positives by name; what wiretrace said before translation was handled (the
words-only verdict). Writes wiretrace/alignment/translation_model.json unless ``--dry-run``.
Run: python bench/fit_translation.py [--dry-run]
"""

from __future__ import annotations

import argparse
import datetime
import json
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
from fit_verdict import FOLDS, REPO, design, event_groups, git_commit, load_articles

from wiretrace import Comparer
from wiretrace.alignment import translation
from wiretrace.alignment.translation import TranslationEvidence
from wiretrace.alignment.verdict import decide
from wiretrace.models.multilingual import shared_encoder
from wiretrace.text.language import detect
from wiretrace.text.segment import Unit, segment

TRANSLATIONS = REPO / "bench" / "data" / "translations" / "pairs.jsonl"
OUTPUT = REPO / "wiretrace" / "alignment" / "translation_model.json"


@dataclass(frozen=True)
class Text:
    id: str
    set: str  # translations | reprints-dev | reprints-more
    family: str
    base: str  # translations: the English page a text is or translates; real: the page itself
    role: str  # copy | same_event_independent (real); original | independent (translations)
    language: str
    event: str  # the story's date: what folds group by
    text: str


def load_texts() -> list[Text]:
    texts = []
    for line in TRANSLATIONS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        base = row["id"].rsplit("-", 1)[0]
        role = "original" if "-original-" in row["id"] else "independent"
        event = "-".join(row["family"].split("-")[1:4])
        texts.append(
            Text(
                row["id"],
                "translations",
                row["family"],
                base,
                role,
                detect(row["text"]).code,
                event,
                row["text"],
            )
        )
    articles, bodies = load_articles()
    for a in articles:
        texts.append(
            Text(
                a.id,
                a.corpus,
                a.family,
                a.id,
                a.role,
                detect(bodies[a.id]).code,
                a.date_key,
                bodies[a.id],
            )
        )
    return texts


def gold(a: Text, b: Text) -> bool:
    if a.set == "translations":
        return a.base == b.base
    return a.family == b.family and a.role == b.role == "copy"


def pair_kind(a: Text, b: Text) -> str:
    if a.set == "translations":
        if a.family != b.family:
            return "other story"
        if a.base == b.base:
            return "translation of the same page"
        return "a page and the independent report (any language)"
    if gold(a, b):
        return "real translated copy, family page"
    if a.event == b.event:
        return "real, same event, not a copy"
    return "real, other story"


@dataclass
class Row:
    a: Text
    b: Text
    evidence: TranslationEvidence
    y: bool


def measure_pairs(texts: Sequence[Text]) -> list[Row]:
    units: dict[str, list[Unit]] = {t.id: segment(t.text) for t in texts}
    encoder = shared_encoder()
    every = [u.text for t in texts for u in units[t.id]]
    encoder.encode(list(dict.fromkeys(every)))
    vectors = {t.id: encoder.encode([u.text for u in units[t.id]]) for t in texts}
    rows = []
    for a, b in combinations(texts, 2):
        if a.set != b.set and not {a.set, b.set} <= {"reprints-dev", "reprints-more"}:
            continue
        if a.language == b.language or "und" in (a.language, b.language):
            continue
        if not units[a.id] or not units[b.id]:
            continue
        aligned = translation.align(
            a.text, units[a.id], vectors[a.id], b.text, units[b.id], vectors[b.id]
        )
        rows.append(Row(a, b, aligned.evidence, gold(a, b)))
    return rows


def fit(rows: Sequence[Row]) -> Any:
    from sklearn.linear_model import LogisticRegression

    x, y = design(rows)
    # Balanced: the real pairs are 99% not derived; without weights the model learns "never".
    return LogisticRegression(C=1.0, max_iter=5000, class_weight="balanced").fit(x, y)


def cross_validated(rows: Sequence[Row], groups: dict[str, int]) -> list[float]:
    from sklearn.model_selection import GroupKFold

    x, y = design(rows)
    fold_of = np.array([groups[r.a.event] for r in rows])
    probability = np.zeros(len(rows))
    for fit_on, test_on in GroupKFold(n_splits=FOLDS).split(x, y, fold_of):
        model = fit([rows[k] for k in fit_on])
        probability[test_on] = model.predict_proba(x[test_on])[:, 1]
    return [float(p) for p in probability]


def precision_recall(pairs: Sequence[tuple[Row, float]]) -> tuple[str, str, int, int, int]:
    tp = sum(p >= 0.5 and r.y for r, p in pairs)
    fp = sum(p >= 0.5 and not r.y for r, p in pairs)
    fn = sum(p < 0.5 and r.y for r, p in pairs)
    precision = f"{tp / (tp + fp):.3f}" if tp + fp else "–"
    recall = f"{tp / (tp + fn):.3f}" if tp + fn else "–"
    return precision, recall, tp, fp, fn


def words_only(rows: Sequence[Row]) -> tuple[int, int]:
    """How many gold-derived pairs the words-only compare (before translation was handled) calls
    derived, of how many."""
    comparer = Comparer(lexical=True)
    found = total = 0
    for row in rows:
        if not row.y:
            continue
        aligned = comparer.aligner().align(
            row.a.text, segment(row.a.text), row.b.text, segment(row.b.text)
        )
        verdict = decide(
            row.a.text,
            segment(row.a.text),
            row.b.text,
            segment(row.b.text),
            aligned,
            comparer.config,
            comparer.codes,
        )
        total += 1
        found += verdict.derived
    return found, total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="report, do not write the model")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    texts = load_texts()
    rows = measure_pairs(texts)
    measured = time.perf_counter() - start
    dates = event_groups([_Dated(t.event) for t in texts])  # type: ignore[arg-type]
    print(
        f"{len(texts)} texts, {len(rows):,} pairs in two languages ({sum(r.y for r in rows)} "
        f"derived), {len(set(dates.values()))} event groups; measured in {measured:.0f} s\n"
    )
    probability = cross_validated(rows, dates)
    scored = list(zip(rows, probability, strict=True))

    print(f"## Cross-validated by event ({FOLDS} folds), translated copy at P >= 0.5\n")
    print("| pairs | n | precision | recall | TP / FP / FN |\n|---|---|---|---|---|")
    for name, keep in (
        ("translations set", lambda r: r.a.set == "translations"),
        ("real (reprints-dev, reprints-more)", lambda r: r.a.set != "translations"),
        ("reprints-dev", lambda r: r.a.set == r.b.set == "reprints-dev"),
        ("all", lambda r: True),
    ):
        chosen = [(r, p) for r, p in scored if keep(r)]
        precision, recall, tp, fp, fn = precision_recall(chosen)
        print(f"| {name} | {len(chosen):,} | {precision} | {recall} | {tp} / {fp} / {fn} |")
    print("\n| kind of pair | n | called translated copy |\n|---|---|---|")
    by_kind: dict[str, list[float]] = defaultdict(list)
    for r, p in scored:
        by_kind[pair_kind(r.a, r.b)].append(p)
    for kind, ps in sorted(by_kind.items()):
        print(f"| {kind} | {len(ps):,} | {sum(p >= 0.5 for p in ps) / len(ps):.3f} |")

    print("\n### Real copies in another language than their family: found from its pages\n")
    print("| page | language | family pages | called derived with |\n|---|---|---|---|")
    for t in texts:
        mine = [(r, p) for r, p in scored if t in (r.a, r.b) and r.y]
        if t.set == "translations" or t.language == "en" or not mine:
            continue
        hits = [(r.b if r.a is t else r.a).id for r, p in mine if p >= 0.5]
        print(f"| {t.id} | {t.language} | {len(mine)} | {', '.join(hits) or 'none'} |")

    print("\n### False positives (cross-validated)\n")
    for r, p in scored:
        if p >= 0.5 and not r.y:
            print(
                f"- {r.a.id} ({r.a.language}) / {r.b.id} ({r.b.language}): P {p:.2f}, {r.evidence}"
            )

    found, total = words_only(rows)
    print(f"\nBefore (words only): {found} of {total} gold translated pairs called derived.")

    model = fit(rows)
    coefficients = [float(c) for c in model.coef_[0]]
    print("\n## Coefficients (fitted on every pair)\n")
    for name, c in zip(TranslationEvidence.FEATURES, coefficients, strict=True):
        print(f"- {name}: {c:+.3f}")
    print(f"- intercept: {float(model.intercept_[0]):+.3f}")
    if args.dry_run:
        return 0
    translations = precision_recall([(r, p) for r, p in scored if r.a.set == "translations"])
    real = precision_recall([(r, p) for r, p in scored if r.a.set != "translations"])
    payload = {
        "model": "logistic regression (scikit-learn, C=1, balanced classes)",
        "features": list(TranslationEvidence.FEATURES),
        "coefficients": [round(c, 6) for c in coefficients],
        "intercept": round(float(model.intercept_[0]), 6),
        "fitted_on": {
            "script": "bench/fit_translation.py",
            "commit": git_commit(),
            "date": datetime.date.today().isoformat(),
            "data": [
                "bench/data/translations",
                "../shared/data/reprints-dev (pairs in two languages)",
                "bench/data/reprints-more (pairs in two languages)",
            ],
            "pairs": len(rows),
            "derived": int(sum(r.y for r in rows)),
        },
        "cross_validated": {
            "folds": f"{FOLDS}, grouped by event",
            "translations": {"precision": translations[0], "recall": translations[1]},
            "real": {"precision": real[0], "recall": real[1]},
        },
    }
    OUTPUT.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {OUTPUT.relative_to(REPO)}")
    return 0


@dataclass(frozen=True)
class _Dated:
    date_key: str


if __name__ == "__main__":
    raise SystemExit(main())
