"""Texts in two languages: the cost of comparing them, and whether a scan finds translated copies.

Accuracy of the translated-copy verdict, cross-validated, is bench/fit_translation.py's report.
This script measures what the product does with it (2026 data, this machine):

1. **One cross-language compare, whole process**: ``wiretrace compare`` on about 1,200 words of
   English (five English wire copies of bench/data/translations, one after the other) against
   their Spanish translation, as a user runs it (interpreter start, imports, model load); beside
   it the same pair in one language (the English text against itself with every fifth sentence
   dropped) for the path that did not change. Median of 3 runs.
2. **The cross-language candidate stage** (:mod:`wiretrace.scan.languages`) on reprints-dev and
   reprints-more: candidate pairs, and how many of the gold pairs in two languages it proposes.
3. **A scan of reprints-dev** with the stage and without it (the multilingual encoder told that it
   covers no language, which is the scan before translation was handled), each in a fresh
   process: seconds (models loaded, documents read), candidate pairs, and whether each real
   translated copy lands in a family with a page of its story.

Baselines: passim, MinHash deduplicators and CollateX compare words or word n-grams, so a
translation shares little with its source for them; measured here, datasketch MinHash LSH (word
5-grams, 128 permutations, threshold 0.5, its default) on the same two sets, beside the
cross-language stage (the words-only compare finds 0 of 131 gold pairs in two languages:
fit_translation.py).

Run: python bench/translation_eval.py
"""

from __future__ import annotations

import itertools
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fit_verdict import REPO, gold, load_articles

from wiretrace.text.documents import Document
from wiretrace.text.language import detect

TRANSLATIONS = REPO / "bench" / "data" / "translations" / "pairs.jsonl"
WIRETRACE = Path(sys.executable).with_name("wiretrace")


def long_pair(folder: Path) -> tuple[Path, Path, Path, int]:
    rows = [json.loads(line) for line in TRANSLATIONS.read_text("utf-8").splitlines()]
    by_id = {r["id"]: r["text"] for r in rows}
    bases = [r["id"][: -len("-en")] for r in rows if r["language"] == "en"]
    english, spanish, words = [], [], 0
    for base in bases:
        if words >= 1000:
            break
        english.append(by_id[f"{base}-en"])
        spanish.append(by_id[f"{base}-es"])
        words += len(by_id[f"{base}-en"].split())
    en, es, trimmed = folder / "en.txt", folder / "es.txt", folder / "en-trimmed.txt"
    en.write_text("\n\n".join(english), "utf-8")
    es.write_text("\n\n".join(spanish), "utf-8")
    sentences = "\n\n".join(english).split(". ")
    trimmed.write_text(". ".join(s for k, s in enumerate(sentences) if k % 5 != 4), "utf-8")
    return en, es, trimmed, words


def whole_process(a: Path, b: Path) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(
            [str(WIRETRACE), "compare", str(a), str(b), "--format", "json"],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def candidate_stage() -> list[str]:
    from wiretrace.models.multilingual import COVERED_LANGUAGES
    from wiretrace.scan.languages import cross_language_pairs, tongue_of

    articles, texts = load_articles()
    lines = [
        "| set | documents | candidate pairs | gold pairs in two languages proposed "
        "| datasketch: pairs in two languages | of them gold |"
    ]
    lines.append("|---|---|---|---|---|---|")
    for corpus in ("reprints-dev", "reprints-more"):
        docs = [a for a in articles if a.corpus == corpus]
        tongues = {a.id: tongue_of(texts[a.id]) for a in docs}
        found = cross_language_pairs(tongues, COVERED_LANGUAGES)
        wanted = {
            (min(a.id, b.id), max(a.id, b.id))
            for a, b in itertools.combinations(docs, 2)
            if tongues[a.id].language != tongues[b.id].language and gold(a, b)
        }
        minhash = {
            p
            for p in minhash_pairs({a.id: texts[a.id] for a in docs})
            if tongues[p[0]].language != tongues[p[1]].language
        }
        lines.append(
            f"| {corpus} | {len(docs)} | {len(found)} | {len(wanted & found)} of {len(wanted)} "
            f"| {len(minhash)} | {len(wanted & minhash)} |"
        )
    return lines


def minhash_pairs(texts: dict[str, str]) -> set[tuple[str, str]]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    hashes = {}
    for doc_id, text in texts.items():
        words = text.casefold().split()
        m = MinHash(num_perm=128)
        for k in range(max(1, len(words) - 4)):
            m.update(" ".join(words[k : k + 5]).encode("utf-8"))
        hashes[doc_id] = m
        lsh.insert(doc_id, m)
    return {(min(a, b), max(a, b)) for a, m in hashes.items() for b in lsh.query(m) if a != b}


def scan_once(covered: bool) -> dict[str, object]:
    """One scan of reprints-dev in this process (fresh: no sentence cached by an earlier one)."""
    import wiretrace.models.multilingual as multilingual
    from wiretrace.engines.local import scan

    if not covered:
        multilingual.COVERED_LANGUAGES = frozenset()
    articles, texts = load_articles()
    dev = [a for a in articles if a.corpus == "reprints-dev"]
    start = time.perf_counter()
    result = scan([Document(a.id, texts[a.id]) for a in dev])
    seconds = time.perf_counter() - start
    assert result.stages is not None
    return {
        "seconds": seconds,
        "candidates": result.stages.candidates,
        "languages": result.stages.languages,
        "families": [f.members for f in result.families],
    }


def scan_dev() -> list[str]:
    articles, texts = load_articles()
    dev = [a for a in articles if a.corpus == "reprints-dev"]
    translated = [a for a in dev if detect(texts[a.id]).code != "en" and a.role == "copy"]
    lines = [
        "| scan of reprints-dev | seconds | candidate pairs | across languages | "
        + " | ".join(
            f"{a.id} ({detect(texts[a.id]).code}) in its story's family" for a in translated
        )
        + " |",
        "|---" * (4 + len(translated)) + "|",
    ]
    for name, flag in (("before (no language covered)", "--scan-before"), ("now", "--scan-now")):
        done = subprocess.run(
            [sys.executable, __file__, flag], check=True, capture_output=True, text=True
        )
        result = json.loads(done.stdout)
        family_of = {m: set(members) for members in result["families"] for m in members}
        cells = []
        for a in translated:
            story = {b.id for b in dev if b.family == a.family and b.id != a.id}
            cells.append("yes" if story & family_of.get(a.id, set()) else "no")
        lines.append(
            f"| {name} | {result['seconds']:.1f} | {result['candidates']} | "
            f"{result['languages']} | " + " | ".join(cells) + " |"
        )
    return lines


def main() -> int:
    if sys.argv[1:] in (["--scan-before"], ["--scan-now"]):
        print(json.dumps(scan_once(sys.argv[1] == "--scan-now")))
        return 0
    print(f"# Texts in two languages ({time.strftime('%Y-%m-%d')})\n")
    with tempfile.TemporaryDirectory() as folder:
        en, es, trimmed, words = long_pair(Path(folder))
        across = whole_process(en, es)
        same = whole_process(en, trimmed)
    print("| wiretrace compare, whole process | words of A | median seconds (3 runs) |")
    print("|---|---|---|")
    print(f"| English ↔ Spanish translation | {words:,} | {across:.2f} |")
    print(f"| English ↔ English, a fifth of the sentences dropped | {words:,} | {same:.2f} |\n")
    print("\n".join(candidate_stage()) + "\n")
    print("\n".join(scan_dev()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
