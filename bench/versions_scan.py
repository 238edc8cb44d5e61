"""Scanning real revision histories, long documents included: wiretrace beside datasketch.

What it measures: the speed, peak memory and accuracy of finding the families of versions of one
text in a corpus of about 1,600 real documents (24 of them 3,700-6,500 words long), for three
systems run one after the other in one invocation, each in a fresh child process (wall time of
the run in the child, its imports and model loading included, the interpreter's start not; peak
resident memory of the child and its worker processes together; bench/families_eval.py's
``measured``, as bench/scale.py uses):

* ``wiretrace`` full: ``wiretrace.engines.local.scan`` with the default ``ScanConfig``: candidates
  from shared sentences, MinHash LSH and static sentence vectors, every candidate pair verified by
  the compare alignment (MiniLM);
* ``wiretrace --lexical-only``: ``ScanConfig(lexical=True)``;
* ``datasketch`` MinHash LSH: casefolded word 5-grams, ``num_perm=128``, ``threshold=0.5``, the
  connected components of the pairs it returns as families.

Scores (gold: the family labels below): pairwise precision, recall and F1 over family
co-membership (every pair of documents in one gold family is a gold pair), the adjusted Rand index
(bench/families_eval.py's ``score``), recall per part of the corpus, and how many SWiPE rewrites
(gold: alone) each system put into a family. For wiretrace also: seconds per stage; candidate
pairs per candidate stage, how many of them are gold pairs and how many involve a long version
(each stage's output is recorded on its way into the scan); verified edges, edges within a gold
family, and candidates per true edge (candidate pairs / verified edges joining two versions of one
text); and, when pairs are verified in the scan's own process (the full scan on 2 cores), the
verify time split into batched embedding and the pairs' comparisons, by kind of pair
(``perf_counter`` around each call: it costs nothing measurable). A last table times one
verification of a long pair in one process, model loaded, sentence cache empty:
``Comparer().compare(a, b, findings=False)`` (what the verify stage runs per pair), and the
lexical comparer, on four kinds of long pairs of about 5,000 words: consecutive versions, first and
last version, candidates of the full scan with a long version that are not a family, and two
unrelated long texts.

The corpus: every document is real text from ../shared/data (README.md there); every version has
a ``date`` in version order; everything is seeded (``--seed``, default 11).

* IteraTeR-HUMAN (``iterater-human-train-dev.jsonl``: Wikinews, Wikipedia, arXiv). Records with
  one ``meta.doc_id`` are revisions 1, 2, 3 (``revision_depth``) of one document, but not always of
  one text: for Wikipedia, revision 2 is often another section of the page. Two revisions are one
  text when the shorter of their texts has at least 60% of its words in the other, in order
  (versions of one text measure 0.80-1.00, other sections 0.07-0.51); such revisions make one
  family, their distinct texts in revision order (before 1, after 1, before 2, after 2, ...; the
  text after revision 1 and the one before revision 2 differ by unannotated edits). A revision of
  another section is a family of its own (12 ``doc_id``s split so); one that overlaps another by
  20-60% is left out (6). 419 families (340 of 2 versions, 7 of 3, 70 of 4, 2 of 6), 993
  documents of 23-1,298 words (median 169).
* SWiPE (``swipe-val.jsonl``): an English Wikipedia page and its Simple Wikipedia version. A Simple
  page is usually a rewrite, so the pair is a family of 2 (English page dated first) only when the
  Simple page carries the English text: SWiPE's own word diff (``meta.edits``) keeps at least half
  of the Simple page's words unchanged, in runs of 4 or more words (246 of 482 pairs). When it
  keeps under a fifth (90 pairs), the Simple page is an independent rewrite on the same subject,
  gold alone: a hard negative, as two reports of one event are for news; 89 are used (one is
  vandalised: a sentence repeated hundreds of times). Between the two (146 pairs) the Simple page
  is left out, since either label would be wrong for some of them.
* Long families. SWiPE's English pages are lead sections, not whole pages (median 87 words, 5 of
  482 over 500 words, the longest 1,182), so no single real text here is 3,000-10,000 words long.
  A long base text is therefore a compilation of real pages, one after another in a seeded order,
  each page's lines its paragraphs (as in a digest or a newsletter), of 4,000-7,000 words, made from
  the English pages of the 235 SWiPE pairs that are not families (so each page is in no other
  document; the 89 rewrites are on the subjects of some of them, which makes those hard negatives
  for the long texts). Their 27,600 words make 5 families. Each has 3-6 versions, each made from
  the one before by one or two of: trimming the end (5-15% of the words), dropping one or two
  paragraphs, swapping two paragraphs; and always by three sentence edits taken from IteraTeR's
  real human edits (its replacements of 2-5 words with a fluency, clarity, style or coherence
  intent, e.g. "in which" -> "where", "has been" -> "is", applied where the same words occur),
  filled up with light word changes (bench/versions.py's synonyms) when fewer than three apply. No
  version is shorter than 3,000 words.

``--docs N`` keeps every long family and fills the rest with whole IteraTeR families, SWiPE pairs
and rewrites in a seeded order. The data hold 1,598 documents: a larger N gives all of them.

Run (about one minute on 2 cores for the whole corpus; ``--skip-full`` leaves the full scan out):

    nice -n 10 .venv/bin/python bench/versions_scan.py [--docs N] [--seed 11] [--long-pairs 3]
        [--skip-full] [--save-corpus corpus.jsonl]
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any, TypeVar, cast

sys.path.insert(0, str(Path(__file__).resolve().parent))
from families_corpus import DATA, Doc
from families_eval import components, measured, score
from versions import SYNONYMS

T = TypeVar("T")
Pair = tuple[str, str]

#: SWiPE: share of the Simple page's words that its diff keeps in runs of at least RUN words.
RUN = 4
DERIVED_KEPT = 0.5  # at least this: the Simple page is an edited copy (family of 2)
REWRITE_KEPT = 0.2  # under this: an independent rewrite (gold alone); between: left out
LONG_WORDS = (4000, 7000)  # a long base text's length, drawn uniformly
LONG_MIN = 3000  # no long version is shorter
LONG_VERSIONS = (3, 6)
EDITS_PER_VERSION = 3
START = datetime.date(2019, 1, 1)
#: IteraTeR: two revisions of one doc_id carry one text when the shorter has this share of its
#: words in the other, in order (versions of one text: 0.80-1.0; other parts of one Wikipedia
#: page: 0.07-0.51); from PART_OF_TEXT to SAME_TEXT the later revision is left out.
SAME_TEXT = 0.6
PART_OF_TEXT = 0.2


@dataclass(frozen=True)
class Version:
    id: str
    text: str
    family: str | None  # gold family; None: alone
    date: str
    part: str  # iterater, swipe, swipe-rewrite, long
    operation: str  # how this version came from the one before it

    @property
    def words(self) -> int:
        return len(self.text.split())


def _rows(name: str) -> list[dict[str, Any]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _day(rng: random.Random) -> datetime.date:
    return START + datetime.timedelta(days=rng.randrange(1500))


# --- IteraTeR: each doc_id's revisions, in order ---------------------------------------------


def containment(a: str, b: str) -> float:
    """Share of the shorter text's words that the other has in the same order."""
    wa, wb = a.split(), b.split()
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    return sum(m.size for m in matcher.get_matching_blocks()) / max(min(len(wa), len(wb)), 1)


def _overlap(r: dict[str, Any], s: dict[str, Any]) -> float:
    return max(
        containment(x, y) for x in (r["text_a"], r["text_b"]) for y in (s["text_a"], s["text_b"])
    )


def iterater_families(rng: random.Random) -> list[list[Version]]:
    """Revisions of one ``doc_id`` that carry one text are one family; a revision of another part
    of the page is a family of its own; one that partly overlaps another is left out."""
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows("iterater-human-train-dev.jsonl"):
        by_doc[row["meta"]["doc_id"]].append(row)
    seen: set[str] = set()
    families = []
    for doc_id in sorted(by_doc):
        revisions = sorted(by_doc[doc_id], key=lambda r: (r["meta"]["revision_depth"], r["id"]))
        groups: list[list[dict[str, Any]]] = []
        for row in revisions:
            overlaps = [max(_overlap(row, other) for other in group) for group in groups]
            if any(SAME_TEXT > o >= PART_OF_TEXT for o in overlaps):
                continue
            home = next((g for g, o in zip(groups, overlaps, strict=True) if o >= SAME_TEXT), None)
            if home is None:
                groups.append([row])
            else:
                home.append(row)
        for g, group in enumerate(groups):
            texts = []
            for row in group:
                for text in (row["text_a"], row["text_b"]):
                    if text.strip() and text not in seen:
                        seen.add(text)
                        texts.append(text)
            day = _day(rng)
            family = [
                Version(
                    f"it-{doc_id}-{g}-v{k}",
                    text,
                    f"iterater:{doc_id}:{g}",
                    (day + datetime.timedelta(days=30 * k)).isoformat(),
                    "iterater",
                    "original" if k == 0 else "revised",
                )
                for k, text in enumerate(texts)
            ]
            if len(family) > 1:
                families.append(family)
    return families


# --- SWiPE: English page and Simple page ------------------------------------------------------


def kept_share(row: dict[str, Any]) -> float:
    """Share of the Simple page's words that SWiPE's diff keeps from the English page, in runs
    of at least ``RUN`` words (shorter runs are "the", "of the": any two texts share those)."""
    runs = [len(e["text"].split()) for e in row["meta"]["edits"] if e["type"] == "equal"]
    return sum(n for n in runs if n >= RUN) / max(len(row["text_b"].split()), 1)


def _vandalised(text: str) -> bool:
    counts = Counter(s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 3)
    return bool(counts) and counts.most_common(1)[0][1] >= 5


def swipe_parts(
    rng: random.Random,
) -> tuple[list[list[Version]], list[Version], list[str]]:
    """(families of 2, rewrites alone, the English pages of pairs that are not families)."""
    families, rewrites, pool = [], [], []
    for k, row in enumerate(_rows("swipe-val.jsonl")):
        share = kept_share(row)
        english = Version(
            f"sw-{k:03d}-en", row["text_a"], f"swipe:{k}", _day(rng).isoformat(), "swipe", "page"
        )
        simple_day = datetime.date.fromisoformat(english.date) + datetime.timedelta(days=90)
        simple = Version(
            f"sw-{k:03d}-simple",
            row["text_b"],
            f"swipe:{k}",
            simple_day.isoformat(),
            "swipe",
            "simplified copy",
        )
        if _vandalised(row["text_a"]) or _vandalised(row["text_b"]):
            continue
        if share >= DERIVED_KEPT:
            families.append([english, simple])
            continue
        pool.append(row["text_a"])
        if share < REWRITE_KEPT:
            rewrites.append(
                Version(simple.id, simple.text, None, simple.date, "swipe-rewrite", "rewrite")
            )
    return families, rewrites, pool


# --- Long families: compilations of real pages, edited version after version ------------------


def real_edits() -> list[tuple[str, str]]:
    """IteraTeR's human replacements of 2-5 words (not meaning changes), as (before, after)."""
    rules = set()
    for row in _rows("iterater-human-train-dev.jsonl"):
        for edit in row["label"]:
            before = (edit.get("before") or "").strip()
            after = (edit.get("after") or "").strip()
            if (
                edit["type"] == "R"
                and edit.get("major_intent") in ("fluency", "clarity", "style", "coherence")
                and 2 <= len(before.split()) <= 5
                and 1 <= len(after.split()) <= 6
                and re.search(r"\w", after)
                and before != after
            ):
                rules.add((before, after))
    return sorted(rules)


def _words(paragraphs: Sequence[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def _edit(paragraphs: list[str], rng: random.Random, rules: list[tuple[str, str]]) -> str:
    """Three real edits where their words occur; light word changes for the ones missing."""
    text = "\n".join(paragraphs)
    usable = [
        (b, a, p)
        for b, a in rules
        if (p := re.compile(rf"(?<!\w){re.escape(b)}(?!\w)")).search(text)
    ]
    applied = 0
    for _, after, pattern in rng.sample(usable, min(EDITS_PER_VERSION, len(usable))):
        spots = [i for i, p in enumerate(paragraphs) if pattern.search(p)]
        if spots:
            i = rng.choice(spots)
            paragraphs[i] = pattern.sub(after.replace("\\", r"\\"), paragraphs[i], count=1)
            applied += 1
    light = 0
    while applied + light < EDITS_PER_VERSION:
        i = rng.randrange(len(paragraphs))
        words = paragraphs[i].split(" ")
        spots = [j for j, w in enumerate(words) if w in SYNONYMS]
        if spots:
            j = rng.choice(spots)
            words[j] = SYNONYMS[words[j]]
            paragraphs[i] = " ".join(words)
            light += 1
    return f"{applied} real edits" + (f", {light} word changes" if light else "")


def _next_version(
    paragraphs: list[str], rng: random.Random, rules: list[tuple[str, str]]
) -> tuple[list[str], str]:
    parts = list(paragraphs)
    done = []
    for op in rng.sample(["trim", "drop", "swap"], rng.randint(1, 2)):
        if op == "trim":
            goal = max(LONG_MIN, int(_words(parts) * (1 - rng.uniform(0.05, 0.15))))
            while len(parts) > 2 and _words(parts[:-1]) >= goal:
                parts.pop()
            done.append("trimmed")
        elif op == "drop":
            for _ in range(rng.randint(1, 2)):
                i = rng.randrange(1, len(parts))
                if _words(parts) - len(parts[i].split()) >= LONG_MIN:
                    del parts[i]
            done.append("paragraphs dropped")
        else:
            i, j = sorted(rng.sample(range(len(parts)), 2))
            parts[i], parts[j] = parts[j], parts[i]
            done.append("paragraphs swapped")
    done.append(_edit(parts, rng, rules))
    return parts, "; ".join(done)


def long_families(pool: list[str], rng: random.Random) -> list[list[Version]]:
    pages = list(pool)
    rng.shuffle(pages)
    rules = real_edits()
    families: list[list[Version]] = []
    while _words(pages) >= LONG_WORDS[0]:
        goal = rng.randint(*LONG_WORDS)
        base: list[str] = []
        while pages and _words(base) < goal:
            base += [line.strip() for line in pages.pop().splitlines() if line.strip()]
        k = len(families)
        day = _day(rng)
        versions = [base]
        operations = ["base"]
        for _ in range(rng.randint(*LONG_VERSIONS) - 1):
            parts, operation = _next_version(versions[-1], rng, rules)
            versions.append(parts)
            operations.append(operation)
        families.append(
            [
                Version(
                    f"long-{k}-v{j}",
                    "\n\n".join(parts),
                    f"long:{k}",
                    (day + datetime.timedelta(days=14 * j)).isoformat(),
                    "long",
                    operation,
                )
                for j, (parts, operation) in enumerate(zip(versions, operations, strict=True))
            ]
        )
    return families


def build_corpus(docs: int | None, seed: int) -> list[Version]:
    rng = random.Random(seed)
    iterater = iterater_families(rng)
    swipe, rewrites, pool = swipe_parts(rng)
    longs = long_families(pool, rng)
    units: list[list[Version]] = iterater + swipe + [[r] for r in rewrites]
    rng.shuffle(units)
    corpus = [v for family in longs for v in family]
    for unit in units:
        if docs is not None and len(corpus) >= docs:
            break
        corpus += unit
    rng.shuffle(corpus)
    return corpus


# --- The systems, each run in a child process -------------------------------------------------


def run_wiretrace(corpus: list[Version], lexical: bool) -> dict[str, Any]:
    """In the child: the scan, with each candidate stage's pairs recorded on their way in, and,
    when pairs are verified in this process (no worker pool: the full scan on 2 cores), the
    seconds of each pair's comparison and of the batched embedding before them (``prefetch``)."""
    import wiretrace.scan.stages as stages
    from wiretrace import Document
    from wiretrace.engines.local import scan
    from wiretrace.scan.stages import ScanConfig

    recorded: dict[str, set[Pair]] = {}
    for stage, name in (("exact", "exact_pairs"), ("minhash", "minhash_pairs"),
                        ("semantic", "semantic_pairs")):  # fmt: skip
        original = getattr(stages, name, None)
        if original is None:  # the package changed: record what is still there
            continue

        def recording(*args: Any, _f: Any = original, _s: str = stage, **kw: Any) -> Any:
            pairs = _f(*args, **kw)
            recorded[_s] = set(pairs)
            return pairs

        setattr(stages, name, recording)
    pair_seconds: dict[Pair, float] = {}
    prefetch_seconds = [0.0]
    verify_pair = getattr(stages, "verify_pair", None)
    if verify_pair is not None:

        def timed_pair(comparer: Any, a: Any, b: Any, *args: Any, **kw: Any) -> Any:
            start = time.perf_counter()
            edge = verify_pair(comparer, a, b, *args, **kw)
            ids = (a.doc.id, b.doc.id) if a.doc.id < b.doc.id else (b.doc.id, a.doc.id)
            pair_seconds[ids] = time.perf_counter() - start
            return edge

        setattr(stages, "verify_pair", timed_pair)  # noqa: B010
    config = ScanConfig(lexical=lexical)
    comparer = config.comparer()
    prefetch = comparer.prefetch

    def timed_prefetch(*args: Any, **kw: Any) -> None:
        start = time.perf_counter()
        prefetch(*args, **kw)
        prefetch_seconds[0] += time.perf_counter() - start

    setattr(comparer, "prefetch", timed_prefetch)  # noqa: B010
    documents = [Document(v.id, v.text, date=v.date) for v in corpus]
    result = scan(documents, config, comparer)
    return {
        "families": [set(f.members) for f in result.families],
        "edges": sorted({tuple(sorted((e.a, e.b))) for f in result.families for e in f.edges}),
        "seconds": dict(result.seconds),
        "stages": result.stages.to_dict() if result.stages else {},
        "candidates": recorded,
        "pair_seconds": pair_seconds,
        "prefetch_seconds": prefetch_seconds[0],
    }


def run_datasketch(corpus: list[Version], n: int = 5, threshold: float = 0.5) -> dict[str, Any]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    hashes = {}
    for v in corpus:
        words = [w.casefold() for w in v.text.split()]
        m = MinHash(num_perm=128, seed=1)
        m.update_batch(
            [" ".join(words[i : i + n]).encode() for i in range(max(1, len(words) - n + 1))]
        )
        hashes[v.id] = m
        lsh.insert(v.id, m)
    pairs = {
        cast(Pair, tuple(sorted((v.id, other))))
        for v in corpus
        for other in lsh.query(hashes[v.id])
        if other != v.id
    }
    return {"families": components(pairs, [v.id for v in corpus])}


def in_child(run: Callable[[], T]) -> tuple[float, float, T]:
    """bench/families_eval.py's ``measured`` (fresh spawned child, wall time, peak memory of the
    child and its workers), for a run that returns more than families."""
    seconds, peak, out = measured(cast(Callable[[], list[set[str]]], run))
    return seconds, peak, cast(T, out)


# --- Scores -----------------------------------------------------------------------------------


def gold_pairs(corpus: list[Version]) -> dict[Pair, str]:
    """Every pair of versions of one text, with the part of the corpus it is in."""
    by_family: dict[str, list[Version]] = defaultdict(list)
    for v in corpus:
        if v.family:
            by_family[v.family].append(v)
    return {
        (a.id, b.id) if a.id < b.id else (b.id, a.id): a.part
        for members in by_family.values()
        for a, b in combinations(members, 2)
    }


def co_members(families: list[set[str]]) -> set[Pair]:
    return {p for group in families for p in combinations(sorted(group), 2)}


def part_recall(gold: dict[Pair, str], found: set[Pair]) -> dict[str, float]:
    total, hit = Counter(gold.values()), Counter(part for p, part in gold.items() if p in found)
    return {part: hit[part] / total[part] for part in total}


# --- In one process: one verification of a long pair ----------------------------------------


def long_pairs(
    corpus: list[Version], non_edges: set[Pair], per_kind: int
) -> list[tuple[str, Version, Version]]:
    """Long pairs of four kinds, about 5,000 words each where there is a choice."""
    by_id = {v.id: v for v in corpus}
    by_family: dict[str, list[Version]] = defaultdict(list)
    for v in corpus:
        if v.part == "long" and v.family:
            by_family[v.family].append(v)
    families = [sorted(m, key=lambda v: v.date) for _, m in sorted(by_family.items())]

    def near_5000(pairs: list[tuple[Version, Version]]) -> list[tuple[Version, Version]]:
        return sorted(pairs, key=lambda p: (abs(p[0].words + p[1].words - 10_000), p[0].id))

    kinds = {
        "consecutive versions": near_5000([p for m in families for p in pairwise(m)]),
        "first and last version": near_5000([(m[0], m[-1]) for m in families]),
        "candidate with a long version, not a family": sorted(
            ((by_id[a], by_id[b]) for a, b in non_edges if "long" in (by_id[a].part, by_id[b].part)),
            key=lambda p: (-(p[0].words + p[1].words), p[0].id, p[1].id),
        ),
        "two unrelated long texts": near_5000(list(zip(
            [m[0] for m in families], [m[0] for m in families[1:]], strict=False
        ))),
    }  # fmt: skip
    return [(kind, a, b) for kind, pairs in kinds.items() for a, b in pairs[:per_kind]]


def long_pair_timings(
    pairs: list[tuple[str, Version, Version]],
) -> list[dict[str, Any]]:
    """Each pair compared by a new comparer with an empty sentence cache (the model is loaded
    once, before): the cost of one verification from scratch, full and lexical."""
    from wiretrace import Comparer, Document
    from wiretrace.models.embed import CachedEncoder, default_encoder

    model = default_encoder().inner
    Comparer(encoder=CachedEncoder(model)).compare("Warm up.", "Warm-up, once.", findings=False)
    rows = []
    for kind, a, b in pairs:
        da, db = Document(a.id, a.text, date=a.date), Document(b.id, b.text, date=b.date)
        start = time.perf_counter()
        result = Comparer(encoder=CachedEncoder(model)).compare(da, db, findings=False)
        seconds = time.perf_counter() - start
        start = time.perf_counter()
        lexical = Comparer(lexical=True).compare(da, db, findings=False)
        lexical_seconds = time.perf_counter() - start
        rows.append(
            {
                "kind": kind,
                "pair": f"{a.id} / {b.id}",
                "words": f"{a.words:,}/{b.words:,}",
                "passages": f"{result.units_a}/{result.units_b}",
                "seconds": seconds,
                "verdict": f"{result.verdict.relation} ({result.verdict.confidence:.2f})",
                "lexical": lexical_seconds,
                "lexical_verdict": lexical.verdict.relation,
            }
        )
    return rows


# --- Report -----------------------------------------------------------------------------------


def corpus_table(corpus: list[Version]) -> None:
    gold = gold_pairs(corpus)
    print("| part | families | documents | words (mean) | words (max) | gold pairs |")
    print("|---|---|---|---|---|---|")
    for part in ("iterater", "swipe", "swipe-rewrite", "long"):
        members = [v for v in corpus if v.part == part]
        if not members:
            continue
        families = len({v.family for v in members if v.family})
        words = [v.words for v in members]
        print(
            f"| {part} | {families:,} | {len(members):,} | {statistics.mean(words):,.0f} | "
            f"{max(words):,} | {sum(1 for p in gold.values() if p == part):,} |"
        )
    words = [v.words for v in corpus]
    print(
        f"| all | {len({v.family for v in corpus if v.family}):,} | {len(corpus):,} | "
        f"{statistics.mean(words):,.0f} | {max(words):,} | {len(gold):,} |\n",
        flush=True,
    )


def stage_report(
    name: str, seconds: float, out: dict[str, Any], gold: dict[Pair, str], long_ids: set[str]
) -> None:
    """Where a wiretrace scan's time goes, and which of its candidates were worth verifying."""
    staged = out["seconds"]
    other = seconds - sum(staged.values())
    counts = out["stages"]
    candidates = counts.get("candidates", 0)
    print(
        f"\n{name}, where the time goes: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in staged.items())
        + f"; outside the stages (imports, set-up) {other:.1f} s; verify "
        f"{1000 * staged.get('verify', 0) / max(candidates, 1):.0f} ms per candidate pair\n"
    )
    print("| stage | candidate pairs | of them gold pairs | involving a long version |")
    print("|---|---|---|---|")
    for stage in ("exact", "minhash", "semantic"):
        pairs = out["candidates"].get(stage)
        if pairs is not None:
            with_long = sum(1 for a, b in pairs if a in long_ids or b in long_ids)
            print(f"| {stage} | {len(pairs):,} | {len(pairs & gold.keys()):,} | {with_long:,} |")
    union: set[Pair] = set().union(*out["candidates"].values())
    with_long = sum(1 for a, b in union if a in long_ids or b in long_ids)
    print(f"| all (verified) | {candidates:,} | {len(union & gold.keys()):,} | {with_long:,} |")
    edges = {cast(Pair, tuple(e)) for e in out["edges"]}
    true_edges = edges & gold.keys()
    timed: dict[Pair, float] = out.get("pair_seconds", {})
    if timed:
        print(
            f"\nverify, {staged.get('verify', 0):.1f} s: embedding the candidates' passages in "
            f"batches (prefetch) {out.get('prefetch_seconds', 0):.1f} s, then the pairs:\n"
        )
        print("| verified pairs | pairs | seconds | ms per pair | became edges |")
        print("|---|---|---|---|---|")
        kinds: dict[str, list[Pair]] = defaultdict(list)
        for pair in timed:
            long = "with a long version" if set(pair) & long_ids else "short"
            kinds[f"{'gold' if pair in gold else 'not gold'}, {long}"].append(pair)
        for kind in sorted(kinds):
            pairs = kinds[kind]
            spent = sum(timed[p] for p in pairs)
            print(
                f"| {kind} | {len(pairs):,} | {spent:.1f} | {1000 * spent / len(pairs):.0f} | "
                f"{sum(1 for p in pairs if p in edges):,} |"
            )
    print(
        f"\nverified edges {len(edges):,} (stage count {counts.get('edges', 0):,}), "
        f"{len(true_edges):,} of them between versions of one text; gold pairs {len(gold):,}, "
        f"candidate recall of gold pairs {len(union & gold.keys()) / len(gold):.3f}; "
        f"candidates per true edge {candidates / max(len(true_edges), 1):.1f}; "
        f"candidates that did not become edges {candidates - len(edges):,}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--docs", type=int, help="corpus size (default: all, about 1,600)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--long-pairs", type=int, default=3, help="long pairs of each kind to time, in-process"
    )
    parser.add_argument("--skip-full", action="store_true", help="leave out the full scan")
    parser.add_argument("--save-corpus", type=Path, help="also write the corpus as JSON Lines")
    args = parser.parse_args()
    began = time.perf_counter()
    corpus = build_corpus(args.docs, args.seed)
    if args.save_corpus:
        with args.save_corpus.open("w", encoding="utf-8") as f:
            for v in corpus:
                row = {"id": v.id, "text": v.text, "date": v.date, "family": v.family}
                f.write(json.dumps(row | {"part": v.part}, ensure_ascii=False) + "\n")
    print(
        f"# Versions scan, {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}\n\n"
        f"Corpus (seed {args.seed}, --docs {args.docs or 'all'}"
        + (f"; the data hold only {len(corpus):,}" if (args.docs or 0) > len(corpus) else "")
        + "):\n",
        flush=True,
    )
    corpus_table(corpus)
    gold = gold_pairs(corpus)
    docs = [Doc(v.id, v.text, v.family, v.operation) for v in corpus]
    rewrites = {v.id for v in corpus if v.part == "swipe-rewrite"}
    systems: list[tuple[str, Callable[[], dict[str, Any]]]] = []
    if not args.skip_full:
        systems.append(("wiretrace (full)", partial(run_wiretrace, corpus, False)))
    systems += [
        ("wiretrace --lexical-only", partial(run_wiretrace, corpus, True)),
        ("datasketch MinHash LSH (5-grams, 0.5)", partial(run_datasketch, corpus)),
    ]
    results = {}
    for name, run in systems:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results[name] = in_child(run)
    sketch_seconds = results["datasketch MinHash LSH (5-grams, 0.5)"][0]

    parts = sorted(set(gold.values()))
    print(
        "| system | seconds | × datasketch | peak MB | precision | recall | F1 | ARI | "
        + " | ".join(f"recall {p}" for p in parts)
        + f" | rewrites joined (of {len(rewrites)}) |"
    )
    print("|---" * (9 + len(parts)) + "|")
    for name, (seconds, peak, out) in results.items():
        s = score(docs, out["families"])
        recall = part_recall(gold, co_members(out["families"]))
        joined = sum(1 for g in out["families"] for d in g if d in rewrites)
        print(
            f"| {name} | {seconds:.1f} | {seconds / sketch_seconds:.1f} | {peak:,.0f} | "
            f"{s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['ari']:.3f} | "
            + " | ".join(f"{recall[p]:.3f}" for p in parts)
            + f" | {joined} |",
            flush=True,
        )

    for name, (seconds, _, out) in results.items():
        if "seconds" in out:
            stage_report(name, seconds, out, gold, {v.id for v in corpus if v.part == "long"})

    full = results.get("wiretrace (full)")
    non_edges: set[Pair] = set()
    if full:
        non_edges = set().union(*full[2]["candidates"].values()) - {
            tuple(e) for e in full[2]["edges"]
        }
    timings = long_pair_timings(long_pairs(corpus, non_edges, args.long_pairs))
    if timings:
        print(
            "\nOne verification of a long pair, in one process, model loaded, sentence cache empty "
            "(`Comparer().compare(a, b, findings=False)`; lexical: `Comparer(lexical=True)`):\n"
        )
        print(
            "| kind | pair | words | passages | seconds | verdict | lexical seconds | "
            "lexical verdict |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for r in timings:
            print(
                f"| {r['kind']} | {r['pair']} | {r['words']} | {r['passages']} | "
                f"{r['seconds']:.2f} | {r['verdict']} | {r['lexical']:.2f} | "
                f"{r['lexical_verdict']} |"
            )
        for kind in dict.fromkeys(r["kind"] for r in timings):
            rows = [r for r in timings if r["kind"] == kind]
            print(
                f"| median: {kind} | | | | {statistics.median(r['seconds'] for r in rows):.2f} | | "
                f"{statistics.median(r['lexical'] for r in rows):.2f} | |"
            )
    print(f"\nwhole benchmark: {time.perf_counter() - began:.0f} s", flush=True)


if __name__ == "__main__":
    main()
