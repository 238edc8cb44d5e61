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
boilerplate and quotes): verification, not the candidate stage, must keep families apart. The pools
hold 6,561 filler sentences, 1,185 same-story and 3,150 paraphrasable pairs, so at 10,000 articles
every filler sentence is in about 23 unrelated articles: much denser than a real crawl, where
unrelated articles rarely share a sentence.

``fresh=True`` builds the same families with text that is not re-drawn, for the scale series
(1,000 to 100,000 articles) where that density would grow with the corpus: filler and same-story
sentences are spliced from real ones (the head of one real sentence joined at a shared word to the
tail of another, twice, so each new sentence is unique but reads like the pool), and each reuse of
a real paraphrase or same-story pair renames its people and places and changes its numbers
consistently in both sentences, so the pair's relation holds. Static vectors of such a disguised
reuse stay close to the other uses of the pair, so those still meet in the semantic stage.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    """Draws items without replacement, reshuffling the pool when it runs dry; from the second
    round on, each item goes through ``renew`` if one is given (a disguise, so a reuse is new text)."""

    def __init__(self, items: list, rng: random.Random, renew: Any = None) -> None:  # type: ignore[type-arg]
        self.items, self.rng, self.queue = items, rng, []  # type: ignore[var-annotated]
        self.renew, self.rounds = renew, 0

    def take(self, n: int) -> list:  # type: ignore[type-arg]
        out = []
        for _ in range(n):
            if not self.queue:
                self.queue = list(self.items)
                self.rng.shuffle(self.queue)
                self.rounds += 1
            item = self.queue.pop()
            out.append(self.renew(item) if self.renew and self.rounds > 1 else item)
        return out


NAME = re.compile(r"(?<=[a-z,] )[A-Z][a-z]{2,}\b|\b\d+\b")
WORD = re.compile(r"\b[a-z]{5,}\b")


class Disguise:
    """Renames the people and places of a sentence pair and changes its numbers, the same way in
    both sentences (names: capitalised words inside a sentence; new names come from the pool); a
    pair with neither gets one word both sentences share replaced by another word of the pool."""

    def __init__(self, names: list[str], words: list[str], rng: random.Random) -> None:
        self.names, self.words, self.rng = names, words, rng

    def __call__(self, item: tuple[str, str]) -> tuple[str, str]:
        mapping: dict[str, str] = {}

        def new(match: re.Match[str]) -> str:
            old = match.group(0)
            if old not in mapping:
                mapping[old] = (
                    str(self.rng.randint(2, 999)) if old.isdigit() else self.rng.choice(self.names)
                )
            return mapping[old]

        a, b = NAME.sub(new, item[0]), NAME.sub(new, item[1])
        if not mapping:  # no names or numbers: change a word both sentences use instead
            shared = sorted(set(WORD.findall(a)) & set(WORD.findall(b)))
            if shared:
                word, other = self.rng.choice(shared), self.rng.choice(self.words)
                a, b = (re.sub(rf"\b{word}\b", other, text) for text in (a, b))
        return a, b


class Splicer:
    """Unique sentences from real ones: the head of one joined to the tail of another at a word
    they share, twice. Never returns a sentence twice."""

    def __init__(self, sentences: list[str], rng: random.Random) -> None:
        self.words = [s.split() for s in sentences]
        self.rng = rng
        at: dict[str, list[tuple[int, int]]] = {}
        for i, words in enumerate(self.words):
            for p in range(2, len(words) - 2):
                if words[p].isalpha() and words[p].islower() and len(words[p]) > 3:
                    at.setdefault(words[p], []).append((i, p))
        self.at = {w: places for w, places in at.items() if len(places) > 1}
        self.seen: set[str] = set()

    def _join(self, head: list[str], after: int) -> list[str]:
        places = [p for p in range(after, len(head) - 2) if head[p] in self.at]
        if not places:
            return head
        p = self.rng.choice(places)
        j, q = self.rng.choice(self.at[head[p]])
        return head[:p] + self.words[j][q:]

    def take(self, n: int) -> list[str]:
        out: list[str] = []
        while len(out) < n:
            first = self._join(self.rng.choice(self.words), 2)
            words = self._join(first, len(first) // 2)
            text = " ".join(words)
            if 8 <= len(words) <= 60 and text not in self.seen and text[-1] in '.!?"':
                self.seen.add(text)
                out.append(text)
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
    source: list[tuple[str, str | None]],
    operation: str,
    rng: random.Random,
    filler: Drawer | Splicer,
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


def build(n_docs: int, seed: int = 11, scale: float = 1.0, fresh: bool = False) -> list[Doc]:
    """``n_docs`` documents; ``scale`` multiplies the number of sentences per article (1.0 gives
    about 380 words on average, 1.6 about 600); ``fresh`` for text that is not re-drawn (see the
    module's docstring)."""
    rng = random.Random(seed)

    def some(lo: int, hi: int) -> int:
        return rng.randint(round(lo * scale), round(hi * scale))

    pools = load_pools()
    filler: Drawer | Splicer
    if fresh:
        real = pools.filler + [s for pair in pools.paraphrasable + pools.same_story for s in pair]
        names = sorted({m for s in real for m in NAME.findall(s) if not m.isdigit()})
        words = sorted({w for s in real for w in WORD.findall(s)})
        para = Drawer(pools.paraphrasable, rng, Disguise(names, words, rng))
        story = Drawer(pools.same_story, rng, Disguise(names, words, rng))
        filler = Splicer(real, rng)
    else:
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
