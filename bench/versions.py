"""Make realistic versions of a real article, the way copies of wire stories really differ.

Used by the collate benchmarks. Operations (seeded, so runs agree): verbatim copy; trimmed from
the end; a paragraph dropped; two sentences swapped; a local paragraph added (taken from another
real article); a loaded term substituted throughout; a few sentences reworded with words swapped
for synonyms from a small list. Text comes from ../shared/data (IteraTeR's Wikinews articles).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SYNONYMS = {
    "said": "stated", "large": "big", "began": "started", "also": "additionally", "many": "numerous",
    "important": "significant", "help": "assist", "show": "demonstrate", "city": "town",
    "people": "individuals", "used": "employed", "new": "fresh", "first": "initial",
}  # fmt: skip


def articles(min_words: int) -> list[str]:
    """Wikinews articles (IteraTeR's news domain), longest first."""
    with (DATA / "iterater-human-train-dev.jsonl").open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    texts = [r["text_b"] for r in rows if r["meta"].get("domain") == "news"]
    return sorted({t for t in texts if len(t.split()) >= min_words}, key=lambda t: (-len(t), t))


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s]


def as_paragraphs(parts: list[str], per: int = 3) -> str:
    return "\n\n".join(" ".join(parts[i : i + per]) for i in range(0, len(parts), per))


def fit(text: str, words: int, pool: list[str]) -> list[str]:
    """Sentences of ``text`` (extended with the next articles when short) to about ``words``."""
    out: list[str] = []
    for source in [text, *pool]:
        for sentence in sentences(source):
            out.append(sentence)
            if sum(len(s.split()) for s in out) >= words:
                return out
    return out


def make_versions(n: int, words: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    pool = articles(150)
    base = fit(pool[0], words, pool[1:])
    local = sentences(pool[-1])[:3]
    versions = [("v00", as_paragraphs(base))]
    for k in range(1, n):
        parts = list(base)
        op = k % 6
        if op == 1:
            parts = parts[: max(3, int(len(parts) * rng.uniform(0.6, 0.9)))]
        elif op == 2:
            del parts[rng.randrange(len(parts)) : rng.randrange(len(parts)) + 3]
        elif op == 3 and len(parts) > 4:
            i = rng.randrange(len(parts) - 1)
            parts[i], parts[i + 1] = parts[i + 1], parts[i]
        elif op == 4:
            parts = parts + local
        elif op == 5:
            word = max(
                (w for w in re.findall(r"\b[A-Z][a-z]{3,}\b", " ".join(parts))),
                key=lambda w: (" ".join(parts).count(w), w),
            )
            parts = [p.replace(word, "the so-called " + word) for p in parts]
        for i in rng.sample(range(len(parts)), k=min(3, len(parts))):
            parts[i] = " ".join(SYNONYMS.get(w, w) for w in parts[i].split(" "))
        versions.append((f"v{k:02d}", as_paragraphs(parts)))
    return versions
