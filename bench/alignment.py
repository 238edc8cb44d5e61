"""Version-alignment quality on real revision pairs: IteraTeR-HUMAN (Wikinews, Wikipedia, arXiv).

Gold, derived from IteraTeR's labelled edits (type, before/after, character offsets in text_a):
each sentence of A that no edit touches must come out `verbatim`, paired with the identical
sentence of B; each sentence an edit touches must be paired with its revised form (A's sentence
with the edits applied), labelled `edited` or `paraphrase`, or be `a_only` when the edits delete
it whole. Sentences crossed by an edit that spans a sentence boundary are left out (no single
gold counterpart).

Reported per domain: sentences scored; pair accuracy (right counterpart) for unchanged and for
changed sentences; label accuracy (verbatim vs changed); and how many changed sentences were
labelled `edited` (small word edits) rather than `paraphrase`.
Run: python bench/alignment.py [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from rapidfuzz.distance import Indel

from wiretrace import Comparer, Document
from wiretrace.text.documents import normalise
from wiretrace.text.segment import segment

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def gold_revision(text: str, start: int, end: int, edits: list[dict]) -> str | None:
    """The sentence text[start:end] with the edits inside it applied; None if an edit crosses it."""
    inside = []
    for edit in edits:
        s, e = edit["start_char_pos"], edit["end_char_pos"]
        if e <= start or s >= end:  # outside (an insertion at a boundary belongs to neither)
            continue
        if s < start or e > end:
            return None
        inside.append(edit)
    out = text[start:end]
    for edit in sorted(inside, key=lambda e: e["start_char_pos"], reverse=True):
        s, e = edit["start_char_pos"] - start, edit["end_char_pos"] - start
        out = out[:s] + (edit.get("after") or "") + out[e:]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    comparer = Comparer()
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    started = time.perf_counter()
    with (args.data / "iterater-human-train-dev.jsonl").open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    for row in rows:
        domain = row["meta"].get("domain") or "unknown"
        text_a, text_b = row["text_a"], row["text_b"]
        result = comparer.compare(Document("a", text_a), Document("b", text_b))
        by_unit = {i: s for s in result.segments for i in s.units_a}
        for unit in segment(text_a):
            gold = gold_revision(text_a, unit.start, unit.end, row["label"])
            if gold is None:
                continue
            predicted = by_unit[unit.index]
            c = counts[domain]
            changed = normalise(gold) != normalise(unit.text)
            deleted = not gold.strip()
            c["changed" if changed else "unchanged"] += 1
            if deleted:
                c["deleted"] += 1
                c["deleted_ok"] += predicted.kind == "a_only"
                continue
            b_text = normalise(predicted.b.text) if predicted.b else ""
            gold_key = normalise(gold)
            right = bool(b_text) and (
                gold_key in b_text or Indel.normalized_similarity(gold_key, b_text) >= 0.8
            )
            if changed:
                c["changed_pair_ok"] += right
                c["changed_label_ok"] += predicted.kind in ("edited", "paraphrase")
                c["changed_edited"] += predicted.kind == "edited"
            else:
                c["unchanged_pair_ok"] += right
                c["unchanged_label_ok"] += predicted.kind == "verbatim"
    elapsed = time.perf_counter() - started

    print(
        f"# Version alignment on IteraTeR-HUMAN, {time.strftime('%Y-%m-%d')} ({len(rows)} revision pairs, {elapsed:.0f} s)\n"
    )
    print(
        "| domain | unchanged sentences | pair right | labelled verbatim | changed sentences | pair right | labelled changed | of which edited | deleted whole | a_only |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    total: dict[str, int] = defaultdict(int)
    for domain in sorted(counts):
        for key, value in counts[domain].items():
            total[key] += value
    for domain, c in [*sorted(counts.items()), ("all", total)]:
        unchanged, changed = c["unchanged"], c["changed"] - c["deleted"]

        def pct(k: str, n: int, c: dict[str, int] = c) -> str:
            return f"{c[k] / n:.3f}" if n else "-"

        print(
            f"| {domain} | {unchanged} | {pct('unchanged_pair_ok', unchanged)} | {pct('unchanged_label_ok', unchanged)} "
            f"| {changed} | {pct('changed_pair_ok', changed)} | {pct('changed_label_ok', changed)} "
            f"| {pct('changed_edited', changed)} | {c['deleted']} | {pct('deleted_ok', c['deleted'])} |"
        )


if __name__ == "__main__":
    main()
