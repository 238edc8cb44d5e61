"""A labelled corpus of reprint families, built from real text with the operations wire copy undergoes.

There is no public labelled corpus of news reprint families here, so this builds one, seeded and
reproducible, from the public data in ../shared/data:

* sentence pools: *paraphrasable* sentences with a real human paraphrase (MRPC positives; MultiMWA
  MTRef pairs, two human translations of one news sentence, detokenised); *same-story* sentences
  with a real sentence from the same news cluster that says something else (MRPC negatives); and
  *filler*, real prose (IteraTeR's revised articles, SWiPE's English Wikipedia pages);
* a family is one source article and 2-5 copies. Sources are "spinnable" (paraphrasable sentences
  only; the paraphrases kept are those sharing under 25% of their word 3-grams with the source
  sentence, as real spinners reword), "wire" (same-story sentences and filler) or "mixed";
* each copy gets one operation: ``verbatim``; ``trimmed`` (the first 40-80%); ``dropped_reordered``
  (paragraphs dropped, two swapped); ``local`` (a photo caption and local paragraphs added);
  ``substituted`` (a proper name replaced by a loaded term throughout); ``spun`` (every
  paraphrasable sentence replaced by its real paraphrase, other sentences lightly reworded);
* hard negatives: for wire families, an article on the same story that shares no text and has its
  own structure: the MRPC negative partners of the source's same-story sentences, in another
  order, among new filler. Gold: alone;
* singletons: unrelated articles of filler.

Sentences are drawn without replacement until a pool runs dry, then reused (as real corpora reuse
boilerplate and quotes): verification, not the candidate stage, must keep families apart.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
OPERATIONS = ("verbatim", "trimmed", "dropped_reordered", "local", "substituted", "spun")
LOADED = ("so-called", "regime-controlled", "puppet")
SYNONYMS = {
    "said": "stated", "big": "large", "began": "started", "also": "additionally", "many": "numerous",
    "important": "significant", "help": "assist", "show": "demonstrate", "people": "individuals",
    "used": "employed", "new": "fresh", "first": "initial", "about": "around", "but": "however",
}  # fmt: skip


@dataclass
class Doc:
    id: str
    text: str
    family: str | None  # gold family id; None = alone
    operation: str  # source, one of OPERATIONS, hard_negative, singleton
    mimics: str | None = None  # for hard negatives: the family they resemble


@dataclass
class Pools:
    paraphrasable: list[tuple[str, str]] = field(default_factory=list)
    same_story: list[tuple[str, str]] = field(default_factory=list)
    filler: list[str] = field(default_factory=list)


#: Paraphrases used for spun copies share less than this fraction of word 3-grams with their
#: source sentence: real spinners reword heavily (the seed pair shares 17% of its 3-grams).
SPIN_OVERLAP = 0.25


def _overlap(a: str, b: str) -> float:
    def grams(text: str) -> set[tuple[str, ...]]:
        words = [w.casefold().strip(".,;:!?\"'") for w in text.split()]
        return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}

    ga, gb = grams(a), grams(b)
    return len(ga & gb) / max(1, len(ga | gb))


def _detokenise(text: str) -> str:
    text = re.sub(r" ([,.;:!?%)])", r"\1", text)
    text = re.sub(r"([($]) ", r"\1", text)
    text = text.replace(" 's", "'s").replace(" n't", "n't").replace("`` ", '"').replace(" ''", '"')
    return text[:1].upper() + text[1:]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if 8 <= len(s.split()) <= 60]


def load_pools() -> Pools:
    pools = Pools()
    with (DATA / "mrpc-train.jsonl").open(encoding="utf-8") as f:
        for row in map(json.loads, f):
            if row["label"] == 0:
                pools.same_story.append((row["text_a"], row["text_b"]))
            elif _overlap(row["text_a"], row["text_b"]) < SPIN_OVERLAP:
                pools.paraphrasable.append((row["text_a"], row["text_b"]))
    with (DATA / "multimwa-train-dev.jsonl").open(encoding="utf-8") as f:
        for row in map(json.loads, f):
            a, b = _detokenise(row["text_a"]), _detokenise(row["text_b"])
            if (
                row["meta"]["subset"] == "mtref"
                and len(a.split()) >= 8
                and _overlap(a, b) < SPIN_OVERLAP
            ):
                pools.paraphrasable.append((a, b))
    filler: set[str] = set()
    with (DATA / "iterater-human-train-dev.jsonl").open(encoding="utf-8") as f:
        for row in map(json.loads, f):
            filler.update(_sentences(row["text_b"]))
    with (DATA / "swipe-val.jsonl").open(encoding="utf-8") as f:
        for row in map(json.loads, f):
            filler.update(_sentences(row["text_a"]))
    pools.filler = sorted(filler)
    # Drop duplicates across pools so that "new" text is really new.
    seen: set[str] = set()
    for name in ("paraphrasable", "same_story"):
        unique = []
        for a, b in getattr(pools, name):
            if a not in seen and b not in seen:
                seen.update((a, b))
                unique.append((a, b))
        setattr(pools, name, unique)
    pools.filler = [s for s in pools.filler if s not in seen]
    return pools


class Drawer:
    """Draws items without replacement, reshuffling the pool when it runs dry."""

    def __init__(self, items: list, rng: random.Random) -> None:  # type: ignore[type-arg]
        self.items, self.rng, self.queue = items, rng, []  # type: ignore[var-annotated]

    def take(self, n: int) -> list:  # type: ignore[type-arg]
        out = []
        for _ in range(n):
            if not self.queue:
                self.queue = list(self.items)
                self.rng.shuffle(self.queue)
            out.append(self.queue.pop())
        return out


def _paragraphs(sentences: list[str], rng: random.Random) -> list[list[str]]:
    paragraphs, i = [], 0
    while i < len(sentences):
        size = rng.randint(1, 3)
        paragraphs.append(sentences[i : i + size])
        i += size
    return paragraphs


def _text(paragraphs: list[list[str]]) -> str:
    return "\n\n".join(" ".join(p) for p in paragraphs if p)


def _reword(sentence: str) -> str:
    return " ".join(SYNONYMS.get(w, w) for w in sentence.split(" "))


def _copy(
    source: list[tuple[str, str | None]], operation: str, rng: random.Random, filler: Drawer
) -> str:
    """One copy of a source given as (sentence, its paraphrase or None)."""
    sentences = [s for s, _ in source]
    if operation == "spun":
        sentences = [p if p else _reword(s) for s, p in source]
    paragraphs = _paragraphs(sentences, rng)
    if operation == "trimmed":
        keep = max(2, int(len(paragraphs) * rng.uniform(0.4, 0.8)))
        paragraphs = paragraphs[:keep]
    elif operation == "dropped_reordered" and len(paragraphs) > 4:
        for _ in range(rng.randint(1, 2)):
            del paragraphs[rng.randrange(1, len(paragraphs))]
        i = rng.randrange(len(paragraphs) - 1)
        paragraphs[i], paragraphs[i + 1] = paragraphs[i + 1], paragraphs[i]
    elif operation == "local":
        paragraphs = [["PHOTO: " + filler.take(1)[0]], *paragraphs, filler.take(2), filler.take(1)]
    elif operation == "substituted":
        text = _text(paragraphs)
        names = re.findall(r"(?<=[a-z,] )[A-Z][a-z]{3,}", text)
        if names:
            name = max(sorted(set(names)), key=names.count)
            loaded = f"{rng.choice(LOADED)} {name}"
            return re.sub(rf"\b{name}\b", loaded, text)
    return _text(paragraphs)


def build(n_docs: int, seed: int = 11, scale: float = 1.0) -> list[Doc]:
    """``n_docs`` documents; ``scale`` multiplies the number of sentences per article (1.0 gives
    about 380 words on average, 1.6 about 600)."""
    rng = random.Random(seed)

    def some(lo: int, hi: int) -> int:
        return rng.randint(round(lo * scale), round(hi * scale))

    pools = load_pools()
    para = Drawer(pools.paraphrasable, rng)
    story = Drawer(pools.same_story, rng)
    filler = Drawer(pools.filler, rng)
    docs: list[Doc] = []
    family = 0
    while len(docs) < n_docs:
        kind = rng.choice(("spinnable", "wire", "mixed", "singleton"))
        if kind == "singleton":
            docs.append(
                Doc(
                    f"d{len(docs):06d}",
                    _text(_paragraphs(filler.take(some(12, 25)), rng)),
                    None,
                    "singleton",
                )
            )
            continue
        family += 1
        fid = f"F{family:05d}"
        if kind == "spinnable":
            source: list[tuple[str, str | None]] = list(para.take(some(14, 22)))
        elif kind == "wire":
            pairs = story.take(some(8, 12))
            source = [(a, None) for a, _ in pairs] + [(s, None) for s in filler.take(some(8, 14))]
            rng.shuffle(source)
        else:
            source = list(para.take(some(8, 8))) + [(s, None) for s in filler.take(some(10, 16))]
            rng.shuffle(source)
        docs.append(Doc(f"d{len(docs):06d}", _copy(source, "verbatim", rng, filler), fid, "source"))
        for _ in range(rng.randint(2, 5)):
            operation = rng.choice(OPERATIONS if kind != "wire" else OPERATIONS[:-1])
            docs.append(
                Doc(f"d{len(docs):06d}", _copy(source, operation, rng, filler), fid, operation)
            )
        if kind == "wire":
            # Same story, own words, own structure: the partners in another order, new filler.
            negative = [b for _, b in pairs] + filler.take(some(6, 12))
            rng.shuffle(negative)
            docs.append(
                Doc(
                    f"d{len(docs):06d}",
                    _text(_paragraphs(negative, rng)),
                    None,
                    "hard_negative",
                    fid,
                )
            )
    return docs[:n_docs]


def write_jsonl(docs: list[Doc], path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"id": d.id, "text": d.text}) + "\n")


def iter_gold(docs: list[Doc]) -> Iterator[tuple[str, str | None, str]]:
    for d in docs:
        yield d.id, d.family, d.operation
