"""Word alignment on MultiMWA (sure links), wiretrace's aligner beside a difflib baseline.

MultiMWA (../shared/data/multimwa-train-dev.jsonl): MTRef, two human translations of one news
sentence, and Wiki, simple vs normal Wikipedia; links between whitespace tokens, "sure" and
"possible". Scores per the usual convention: precision against sure + possible links, recall against
sure links, F1 of the two, and AER. Baseline: difflib.SequenceMatcher over the tokens (equal blocks
link one to one; replaced blocks of equal length link along the diagonal).
Run: python bench/wordalign.py [--data DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import difflib
import json
import time
from collections import defaultdict
from pathlib import Path

from wiretrace.alignment.words import Word, align_words
from wiretrace.models.embed import default_encoder

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def whitespace_words(text: str) -> list[Word]:
    words, cursor = [], 0
    for token in text.split(" "):
        if token:
            words.append(Word(cursor, cursor + len(token), token, token.casefold()))
        cursor += len(token) + 1
    return words


def difflib_links(a: list[str], b: list[str]) -> set[tuple[int, int]]:
    links = set()
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal" or (tag == "replace" and a2 - a1 == b2 - b1):
            links.update(zip(range(a1, a2), range(b1, b2), strict=True))
    return links


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=0, help="pairs per subset (0 = all)")
    args = parser.parse_args()
    encoder = default_encoder()
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    seen: dict[str, int] = defaultdict(int)
    started = time.perf_counter()
    with (args.data / "multimwa-train-dev.jsonl").open(encoding="utf-8") as f:
        for row in map(json.loads, f):
            subset = row["meta"]["subset"]
            if args.limit and seen[subset] >= args.limit:
                continue
            seen[subset] += 1
            sure = {tuple(x) for x in row["label"]["sure"]}
            possible = sure | {tuple(x) for x in row["label"]["possible"]}
            words_a, words_b = whitespace_words(row["text_a"]), whitespace_words(row["text_b"])
            ours = set(align_words(encoder, row["text_a"], words_a, row["text_b"], words_b))
            base = difflib_links([w.norm for w in words_a], [w.norm for w in words_b])
            for name, links in (("wiretrace", ours), ("difflib", base)):
                t = totals[(subset, name)]
                t[0] += len(links & possible)
                t[1] += len(links)
                t[2] += len(links & sure)
                t[3] += len(sure)
                t[4] += len(links & sure) * 0  # placeholder column kept for symmetry
    elapsed = time.perf_counter() - started
    print(
        f"# Word alignment on MultiMWA, {time.strftime('%Y-%m-%d')} ({sum(seen.values())} pairs, {elapsed:.0f} s)\n"
    )
    print("| subset | aligner | precision | recall (sure) | F1 | AER |")
    print("|---|---|---|---|---|---|")
    for (subset, name), (hit_p, n_links, hit_s, n_sure, _) in sorted(totals.items()):
        precision = hit_p / max(n_links, 1)
        recall = hit_s / max(n_sure, 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        aer = 1 - (hit_s + hit_p) / max(n_links + n_sure, 1)
        print(f"| {subset} | {name} | {precision:.3f} | {recall:.3f} | {f1:.3f} | {aer:.3f} |")


if __name__ == "__main__":
    main()
