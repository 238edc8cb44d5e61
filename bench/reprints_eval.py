"""Accuracy on real news: does wiretrace tell wire copies from same-event reports?

Data: ../shared/data/reprints-dev/families.jsonl (146 real web articles, 23 reprint families, 75
`copy` and 71 `same_event_independent` pages; see that folder's README). Copy kinds and languages,
read from the README's per-page notes and from the texts, are in bench/reprints_kinds.json. Gold: a
pair is derived iff both articles are `copy` in the same family; everything else is not derived.

Measured, over all 10,585 unordered pairs:

* `Comparer().compare(a, b).verdict.derived`: pairwise precision / recall / F1; recall per copy
  kind (a pair counts toward its less faithful member: source < verbatim < trimmed < edited <
  substituted < merged < spun < translated); recall on the gold pairs whose texts visibly share at
  least two passages (a word-3-gram check independent of wiretrace, defined in
  `shares_two_passages`); false-positive rates on hard negatives (same family, one side an
  independent report of the event), on every pair involving an independent, and on cross-family
  pairs (all, and those of families on one event). Translated gold pairs (a member of kind
  `translated`, or two members in different languages) are reported on their own and left out of
  the main figures; a translated text called derived with an unrelated one still counts as a false
  positive.
* Calibration of `verdict.confidence` read as a probability of derived (confidence if derived,
  else 1 - confidence): expected calibration error over 10 equal-width bins, reliability table.
* Relation labels against gold (confusion table), and the false positives grouped by pattern.
* `wiretrace scan` (default and `--lexical-only`): pairwise scores over family co-membership and
  the adjusted Rand index (gold clusters: each family's copies; each independent a singleton; an
  article in several predicted families counts in its first).
* Baselines: datasketch MinHash LSH (128 permutations) on word 5-grams at its default threshold
  0.5, and on word 3-grams at the threshold best on this very set (swept 0.1-0.9: tuned on the
  test data, an optimistic baseline); passim when it is installed.
* Wall-clock seconds per system.

Pairwise compare results are cached (JSON under --cache, keyed by a hash of the code version and
the two texts), so a re-run takes seconds. `evaluate_compare(predict)` scores any decider
`predict(doc_a, doc_b) -> (derived, confidence, relation)`.

Run: python bench/reprints_eval.py [--skip-scan] [--skip-baselines] [--cache DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from wiretrace import Comparer, Document

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "reprints-dev" / "families.jsonl"
KINDS = Path(__file__).resolve().parent / "reprints_kinds.json"
DEFAULT_CACHE = Path("/tmp/reprints-cache")

# Most faithful first; a gold pair counts toward the kind of its less faithful member.
KIND_ORDER = (
    "source",
    "verbatim",
    "trimmed",
    "edited",
    "substituted",
    "merged",
    "spun",
    "translated",
)
# Families on one event (by family-name prefix): their cross-family pairs are near-misses.
EVENTS = {
    "world-cup-final-2022": ("pa-2022-12-18", "afp-2022-12-18", "bbc-2022-12-18"),
    "tonga-2022": ("reuters-2022-01-15", "reuters-2022-01-16"),
    "niger-coup-2023": ("afp-2023-07-26", "ap-2023-07-26"),
    "sbf-verdict-2023": (
        "reuters-2023-11-02",
        "fortune-2023-11-02",
        "verge-2023-11-02",
        "cnbc-2023-11-02",
    ),
    "iran-saudi-2023": (
        "ap-2023-03-10",
        "ap-2023-04-06",
        "afp-2023-04-06",
        "aljazeera-2023-04-06",
    ),
    "rahul-gandhi-2023": ("pti-2023-03-23", "pti-2023-03-24"),
}
# Lines that are page furniture rather than article text (for grouping the false positives).
BOILERPLATE = re.compile(
    r"subscri|sign up|newsletter|paywall|advertisement|read more|continue reading|"
    r"click here|follow us|share this|all rights reserved|copyright|left menu|latest news|"
    r"getty images|photo:|image:|\(photo|\bphotos?\b|caption|log ?in|register|cookie|"
    r"more from this section|trending|related",
    re.IGNORECASE,
)
SHORT_CHARS = 800
BOILERPLATE_WORDS = 15  # a passage this long or longer is article text, whatever words it has

Predict = Callable[[Document, Document], tuple[bool, float, str]]
Pair = tuple[int, int]


# --------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class Article:
    id: str  # f{family_index:02d}-{site}: stable, short, unique
    family: str
    family_index: int
    role: str  # copy | same_event_independent
    url: str
    site: str
    date: str | None
    text: str
    kind: str | None  # one of KIND_ORDER for copies, None for independents
    language: str

    @property
    def is_copy(self) -> bool:
        return self.role == "copy"

    def document(self) -> Document:
        return Document(self.id, self.text)


def load_articles(data: Path = DATA, kinds_file: Path = KINDS) -> list[Article]:
    """The articles in file order, with their copy kind and language: from ``kinds_file`` for
    reprints-dev, from the records' own ``kind`` and ``language`` fields where they have them
    (bench/data/reprints-more)."""
    notes = json.loads(kinds_file.read_text(encoding="utf-8"))
    kinds: dict[str, dict[str, str]] = dict(notes["kinds"])
    languages: dict[str, str] = dict(notes["languages"])
    for line in data.read_text(encoding="utf-8").splitlines():
        record = json.loads(line) if line.strip() else {}
        if "kind" in record:
            kinds[record["url"]] = {"kind": record["kind"]}
        if "language" in record:
            languages[record["url"]] = record["language"]
    families: list[str] = []
    articles = []
    for line in data.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row["family"] not in families:
            families.append(row["family"])
        index = families.index(row["family"])
        kind = kinds[row["url"]]["kind"] if row["role"] == "copy" else None
        if kind is not None and kind not in KIND_ORDER:
            raise ValueError(f"unknown kind {kind!r} for {row['url']}")
        articles.append(
            Article(
                id=f"f{index:02d}-{row['site']}",
                family=row["family"],
                family_index=index,
                role=row["role"],
                url=row["url"],
                site=row["site"],
                date=row.get("date"),
                text=row["text"],
                kind=kind,
                language=languages[row["url"]],
            )
        )
    ids = [a.id for a in articles]
    if len(set(ids)) != len(ids):
        raise ValueError("article ids are not unique")
    missing = [a.url for a in articles if a.is_copy and a.url not in kinds]
    if missing:
        raise ValueError(f"copies without a kind: {missing}")
    return articles


def is_boilerplate(passage: str) -> bool:
    return len(passage.split()) < BOILERPLATE_WORDS and bool(BOILERPLATE.search(passage))


def event_of(family: str) -> str:
    for event, prefixes in EVENTS.items():
        if family.startswith(prefixes):
            return event
    return family


# --------------------------------------------------------------------------------------------
# A lexical check of shared passages, independent of wiretrace


def sentences(text: str) -> list[list[str]]:
    """Sentences (split at line breaks and at . ! ? before a space) as casefolded word lists."""
    out = []
    for line in text.splitlines():
        for piece in re.split(r"(?<=[.!?])[\"'”’)]*\s+", line):
            words = re.findall(r"\w+", piece.casefold())
            if len(words) >= 5:
                out.append(words)
    return out


def trigrams(words: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def shares_two_passages(text_a: str, text_b: str, threshold: float = 0.3) -> bool:
    """At least two sentences (of 5 words or more) of one text each have a word-3-gram Jaccard
    of `threshold` or more with some sentence of the other text."""
    return _shares_two(passage_grams(text_a), passage_grams(text_b), threshold)


def passage_grams(text: str) -> list[set[tuple[str, ...]]]:
    return [trigrams(s) for s in sentences(text)]


def _shares_two(
    grams_a: list[set[tuple[str, ...]]], grams_b: list[set[tuple[str, ...]]], threshold: float
) -> bool:
    def matched(xs: list[set[tuple[str, ...]]], ys: list[set[tuple[str, ...]]]) -> int:
        return sum(1 for x in xs if any(len(x & y) / len(x | y) >= threshold for y in ys if y))

    return max(matched(grams_a, grams_b), matched(grams_b, grams_a)) >= 2


# --------------------------------------------------------------------------------------------
# Gold


@dataclass
class Gold:
    articles: list[Article]
    pairs: list[Pair] = field(default_factory=list)
    derived: dict[Pair, bool] = field(default_factory=dict)
    kind: dict[Pair, str] = field(default_factory=dict)  # gold pairs only
    translated: set[Pair] = field(default_factory=set)  # gold pairs across languages
    two_passages: dict[Pair, bool] = field(default_factory=dict)
    group: dict[Pair, str] = field(default_factory=dict)

    @classmethod
    def build(cls, articles: list[Article]) -> Gold:
        gold = cls(articles)
        grams = [passage_grams(a.text) for a in articles]
        for i, j in combinations(range(len(articles)), 2):
            a, b = articles[i], articles[j]
            pair = (i, j)
            gold.pairs.append(pair)
            derived = a.is_copy and b.is_copy and a.family == b.family
            gold.derived[pair] = derived
            gold.two_passages[pair] = _shares_two(grams[i], grams[j], 0.3)
            if derived:
                assert a.kind and b.kind
                kind = max(a.kind, b.kind, key=KIND_ORDER.index)
                if a.language != b.language:
                    kind = "translated"
                gold.kind[pair] = kind
                if kind == "translated":
                    gold.translated.add(pair)
                gold.group[pair] = f"derived: {kind}"
            elif a.family == b.family:
                gold.group[pair] = "not: same family, independent"
            elif event_of(a.family) == event_of(b.family):
                gold.group[pair] = "not: other family, same event"
            else:
                gold.group[pair] = "not: other family, other event"
        return gold

    @property
    def main(self) -> list[Pair]:
        """Every pair but the translated gold pairs."""
        return [p for p in self.pairs if p not in self.translated]

    def involves_independent(self, pair: Pair) -> bool:
        return any(not self.articles[k].is_copy for k in pair)


# --------------------------------------------------------------------------------------------
# Scores shared by every system


@dataclass
class Scores:
    name: str
    seconds: float
    tp: int
    fp: int
    fn: int
    recall_by_kind: dict[str, tuple[int, int]]
    recall_two: tuple[int, int]  # gold, non-translated, sharing two passages
    recall_paraphrase_only: tuple[int, int]  # gold, non-translated, not sharing two passages
    translated: tuple[int, int]
    false_pos: dict[str, tuple[int, int]]
    ari: float | None = None
    note: str = ""

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def recall_all(self) -> float:
        """Recall over every gold pair, translated ones included."""
        hit = self.tp + self.translated[0]
        total = self.tp + self.fn + self.translated[1]
        return hit / total if total else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_pairs(
    name: str, gold: Gold, predicted: set[Pair], seconds: float, ari: float | None = None
) -> Scores:
    tp = fp = fn = 0
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    two = [0, 0]
    loose = [0, 0]
    translated = [0, 0]
    false_pos: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pair in gold.pairs:
        hit = pair in predicted
        if gold.derived[pair]:
            if pair in gold.translated:
                translated[0] += hit
                translated[1] += 1
                continue
            tp += hit
            fn += not hit
            counts = by_kind[gold.kind[pair]]
            counts[0] += hit
            counts[1] += 1
            bucket = two if gold.two_passages[pair] else loose
            bucket[0] += hit
            bucket[1] += 1
            continue
        fp += hit
        group = gold.group[pair]
        rows = [group]
        if gold.involves_independent(pair):
            rows.append("not: any pair with an independent")
        if not group.startswith("not: same family"):
            rows.append("not: other family (all)")
        for row in rows:
            false_pos[row][0] += hit
            false_pos[row][1] += 1
    return Scores(
        name=name,
        seconds=seconds,
        tp=tp,
        fp=fp,
        fn=fn,
        recall_by_kind={k: (v[0], v[1]) for k, v in by_kind.items()},
        recall_two=(two[0], two[1]),
        recall_paraphrase_only=(loose[0], loose[1]),
        translated=(translated[0], translated[1]),
        false_pos={k: (v[0], v[1]) for k, v in false_pos.items()},
        ari=ari,
    )


def adjusted_rand(gold_labels: list[str], predicted_labels: list[str]) -> float:
    try:
        from sklearn.metrics import adjusted_rand_score  # type: ignore[import-untyped]
    except ImportError:
        return _adjusted_rand(gold_labels, predicted_labels)
    return float(adjusted_rand_score(gold_labels, predicted_labels))


def _adjusted_rand(xs: list[str], ys: list[str]) -> float:
    def c2(n: int) -> float:
        return n * (n - 1) / 2

    n = len(xs)
    table = Counter(zip(xs, ys, strict=True))
    index = sum(c2(v) for v in table.values())
    rows = sum(c2(v) for v in Counter(xs).values())
    cols = sum(c2(v) for v in Counter(ys).values())
    expected = rows * cols / c2(n)
    top = (rows + cols) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)


def cluster_ari(gold: Gold, clusters: Iterable[Iterable[int]]) -> float:
    """Gold: each family's copies one cluster, each independent alone. Predicted: the first
    cluster an article is in, else alone."""
    first: dict[int, int] = {}
    for c, members in enumerate(clusters):
        for m in members:
            first.setdefault(m, c)
    gold_labels = [a.family if a.is_copy else f"alone:{a.id}" for a in gold.articles]
    predicted_labels = [
        f"c{first[k]}" if k in first else f"alone:{a.id}" for k, a in enumerate(gold.articles)
    ]
    return adjusted_rand(gold_labels, predicted_labels)


# --------------------------------------------------------------------------------------------
# compare


@dataclass
class Prediction:
    derived: bool
    confidence: float
    relation: str


@dataclass
class CompareResult:
    scores: Scores
    predictions: dict[Pair, Prediction]


def evaluate_compare(
    predict: Predict,
    articles: list[Article] | None = None,
    gold: Gold | None = None,
    name: str = "compare",
    progress: bool = True,
) -> CompareResult:
    """Runs `predict(doc_a, doc_b) -> (derived, confidence, relation)` on every pair (a before b
    in file order) and scores it against gold."""
    articles = articles if articles is not None else load_articles()
    gold = gold if gold is not None else Gold.build(articles)
    docs = [a.document() for a in articles]
    predictions: dict[Pair, Prediction] = {}
    start = time.perf_counter()
    for n, (i, j) in enumerate(gold.pairs, 1):
        derived, confidence, relation = predict(docs[i], docs[j])
        predictions[(i, j)] = Prediction(bool(derived), float(confidence), str(relation))
        if progress and (n % 500 == 0 or n == len(gold.pairs)):
            elapsed = time.perf_counter() - start
            print(f"  {name}: {n}/{len(gold.pairs)} pairs, {elapsed:.0f} s", file=sys.stderr)
    seconds = time.perf_counter() - start
    predicted = {p for p, v in predictions.items() if v.derived}
    return CompareResult(score_pairs(name, gold, predicted, seconds), predictions)


def code_version() -> str:
    """The wiretrace git commit, plus a hash of uncommitted changes under wiretrace/ if any."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False
        )
        return done.stdout if done.returncode == 0 else ""

    commit = git("rev-parse", "HEAD").strip() or "unknown"
    diff = git("diff", "HEAD", "--", "wiretrace")
    untracked = git("ls-files", "--others", "--exclude-standard", "--", "wiretrace").split()
    if not diff and not untracked:
        return commit
    digest = hashlib.sha256(diff.encode())
    for name in sorted(untracked):
        digest.update(name.encode() + b"\0" + (REPO / name).read_bytes())
    return f"{commit}+dirty.{digest.hexdigest()[:12]}"


class CachedWiretrace:
    """`Comparer().compare(a, b, findings=False)` as a predict function, with a JSON cache of
    the verdict and a summary of the segments per pair."""

    def __init__(self, cache_dir: Path, version: str) -> None:
        self.version = version
        self.path = cache_dir / "compare.json"
        cache_dir.mkdir(parents=True, exist_ok=True)
        self.cache: dict[str, dict[str, Any]] = {}
        if self.path.exists():
            try:
                self.cache = json.loads(self.path.read_text(encoding="utf-8"))
            except json.JSONDecodeError:
                print(f"  ignoring unreadable cache {self.path}", file=sys.stderr)
        self.comparer: Comparer | None = None
        self.hits = 0
        self.misses = 0
        self.records: dict[tuple[str, str], dict[str, Any]] = {}

    def key(self, a: Document, b: Document) -> str:
        text = f"{self.version}\0{a.text}\0{b.text}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def __call__(self, a: Document, b: Document) -> tuple[bool, float, str]:
        key = self.key(a, b)
        record = self.cache.get(key)
        if record is None:
            self.misses += 1
            record = self.run(a, b)
            self.cache[key] = record
            if self.misses % 250 == 0:
                self.save()
        else:
            self.hits += 1
        self.records[(a.id, b.id)] = record
        return record["derived"], record["confidence"], record["relation"]

    def run(self, a: Document, b: Document) -> dict[str, Any]:
        if self.comparer is None:
            self.comparer = Comparer()
        result = self.comparer.compare(a, b, findings=False)
        verdict = result.verdict
        kinds = Counter(s.kind for s in result.segments)
        aligned = [s for s in result.segments if s.aligned]
        record: dict[str, Any] = {
            "a": a.id,
            "b": b.id,
            "derived": bool(verdict.derived),
            "relation": str(verdict.relation),
            "confidence": float(verdict.confidence),
            "shared_a": float(verdict.shared_a),
            "shared_b": float(verdict.shared_b),
            "segments": dict(kinds),
            "aligned": len(aligned),
            "mean_similarity": (
                sum(float(s.similarity) for s in aligned) / len(aligned) if aligned else 0.0
            ),
        }
        if verdict.derived:  # the aligned passages, for reading the false positives
            record["passages"] = [
                [
                    s.kind,
                    round(float(s.similarity), 3),
                    _span_text(s.a)[:200],
                    _span_text(s.b)[:200],
                ]
                for s in aligned
            ]
        return record

    def save(self) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(self.cache, out, ensure_ascii=False)
        os.chmod(tmp, 0o644)
        os.replace(tmp, self.path)


def _span_text(span: Any) -> str:
    if span is None:
        return ""
    return str(getattr(span, "text", span))


# --------------------------------------------------------------------------------------------
# scan (command line)


def wiretrace_cli() -> list[str]:
    beside = Path(sys.executable).parent / "wiretrace"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("wiretrace")
    if not found:
        raise SystemExit("wiretrace command not found")
    return [found]


def run_scan(name: str, gold: Gold, workdir: Path, lexical: bool) -> Scores:
    corpus = workdir / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for a in gold.articles:
            record = {"id": a.id, "text": a.text, "outlet": a.site, "date": a.date}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    report = workdir / ("scan-lexical.json" if lexical else "scan.json")
    command = [*wiretrace_cli(), "scan", str(corpus), "--format", "json", "-o", str(report)]
    if lexical:
        command.append("--lexical-only")
    print(f"  {name}: {' '.join(command)}", file=sys.stderr)
    start = time.perf_counter()
    subprocess.run(command, check=True)
    seconds = time.perf_counter() - start
    families = json.loads(report.read_text(encoding="utf-8"))["families"]
    index = {a.id: k for k, a in enumerate(gold.articles)}
    clusters = [[index[m] for m in f["members"]] for f in families]
    predicted: set[Pair] = set()
    for c in clusters:
        for x, y in combinations(sorted(set(c)), 2):
            predicted.add((x, y))
    scores = score_pairs(name, gold, predicted, seconds, cluster_ari(gold, clusters))
    sizes = sorted((len(c) for c in clusters), reverse=True)
    scores.note = f"{len(clusters)} families, sizes {sizes}"
    return scores


# --------------------------------------------------------------------------------------------
# Baselines


def shingles(text: str, n: int) -> set[bytes]:
    words = re.findall(r"\w+", text.casefold())
    if len(words) < n:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + n]).encode() for i in range(len(words) - n + 1)}


def minhash_pairs(
    articles: list[Article], n: int, thresholds: Sequence[float]
) -> dict[float, tuple[set[Pair], list[list[int]], float]]:
    """Candidate pairs of datasketch's MinHashLSH (128 permutations, word n-gram shingles) at
    each threshold, their connected components, and the seconds taken (hashing included)."""
    from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]

    start = time.perf_counter()
    hashes = []
    for a in articles:
        m = MinHash(num_perm=128, seed=1)
        m.update_batch(list(shingles(a.text, n)))
        hashes.append(m)
    hashing = time.perf_counter() - start
    out = {}
    for threshold in thresholds:
        start = time.perf_counter()
        lsh = MinHashLSH(threshold=threshold, num_perm=128)
        for k, m in enumerate(hashes):
            lsh.insert(k, m)
        pairs: set[Pair] = set()
        for k, m in enumerate(hashes):
            for other in lsh.query(m):
                if other != k:
                    pairs.add((min(k, other), max(k, other)))
        out[threshold] = (
            pairs,
            components(pairs, len(articles)),
            hashing + time.perf_counter() - start,
        )
    return out


def components(pairs: set[Pair], n: int) -> list[list[int]]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = defaultdict(list)
    for k in range(n):
        groups[find(k)].append(k)
    return [g for g in groups.values() if len(g) > 1]


def passim_status() -> str:
    found = shutil.which("passim")
    if found:
        return (
            f"passim: a `passim` command is installed ({found}) but this script does not drive it "
            "yet; not run."
        )
    return (
        "passim: not run. It cannot be installed here: PyPI's `passim` (0.1.0) is an unrelated "
        "password-similarity library, and the text-reuse passim (github.com/dasmiq/passim, on "
        "Spark) installs only from GitHub, which this machine cannot reach."
    )


# --------------------------------------------------------------------------------------------
# Printing


def fmt_ratio(hit_total: tuple[int, int]) -> str:
    hit, total = hit_total
    return f"{hit / total:.2f} ({hit}/{total})" if total else "–"


def fmt_rate(hit_total: tuple[int, int]) -> str:
    hit, total = hit_total
    return f"{100 * hit / total:.2f}% ({hit}/{total})" if total else "–"


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def print_summary(systems: list[Scores]) -> None:
    print("## Pairwise scores (translated gold pairs left out; see their own column)\n")
    rows: list[list[object]] = []
    for s in systems:
        rows.append(
            [
                s.name,
                f"{s.precision:.3f}",
                f"{s.recall:.3f}",
                f"{s.f1:.3f}",
                f"{s.tp}/{s.fp}/{s.fn}",
                f"{s.recall_all:.3f}",
                fmt_ratio(s.recall_two),
                fmt_ratio(s.recall_paraphrase_only),
                fmt_ratio(s.translated),
                "–" if s.ari is None else f"{s.ari:.3f}",
                f"{s.seconds:.1f}",
            ]
        )
    print(
        table(
            [
                "system",
                "P",
                "R",
                "F1",
                "TP/FP/FN",
                "R incl. translated",
                "R, ≥2 shared passages",
                "R, fewer",
                "translated R",
                "ARI",
                "seconds",
            ],
            rows,
        )
    )
    notes = [f"* {s.name}: {s.note}" for s in systems if s.note]
    if notes:
        print("\n" + "\n".join(notes))
    print("\n## Recall per copy kind (a pair counts toward its less faithful member)\n")
    kinds = [k for k in KIND_ORDER if any(k in s.recall_by_kind for s in systems)]
    rows = []
    for kind in kinds:
        total = next(s.recall_by_kind[kind][1] for s in systems if kind in s.recall_by_kind)
        rows.append(
            [kind, total, *(fmt_ratio(s.recall_by_kind.get(kind, (0, 0))) for s in systems)]
        )
    rows.append(
        [
            "translated (not in R)",
            systems[0].translated[1],
            *(fmt_ratio(s.translated) for s in systems),
        ]
    )
    print(table(["kind", "pairs", *(s.name for s in systems)], rows))
    print("\n## False-positive rate on negatives\n")
    groups = [
        "not: same family, independent",
        "not: any pair with an independent",
        "not: other family (all)",
        "not: other family, same event",
        "not: other family, other event",
    ]
    rows = []
    for group in groups:
        total = systems[0].false_pos.get(group, (0, 0))[1]
        rows.append(
            [group[5:], total, *(fmt_rate(s.false_pos.get(group, (0, 0))) for s in systems)]
        )
    print(table(["negatives", "pairs", *(s.name for s in systems)], rows))


def print_calibration(gold: Gold, predictions: dict[Pair, Prediction]) -> None:
    bins: list[list[tuple[float, bool]]] = [[] for _ in range(10)]
    for pair in gold.main:
        v = predictions[pair]
        p = v.confidence if v.derived else 1.0 - v.confidence
        bins[min(int(p * 10), 9)].append((p, gold.derived[pair]))
    n = sum(len(b) for b in bins)
    upper = sum(len(b) for b in bins[1:])
    ece_upper = sum(
        abs(sum(p for p, _ in b) - sum(1 for _, y in b if y)) for b in bins[1:] if b
    ) / max(upper, 1)
    ece = 0.0
    brier = 0.0
    rows = []
    for k, b in enumerate(bins):
        if not b:
            rows.append([f"{k / 10:.1f}–{(k + 1) / 10:.1f}", 0, "–", "–", "–"])
            continue
        mean_p = sum(p for p, _ in b) / len(b)
        observed = sum(1 for _, y in b if y) / len(b)
        ece += len(b) / n * abs(mean_p - observed)
        brier += sum((p - y) ** 2 for p, y in b)
        rows.append(
            [
                f"{k / 10:.1f}–{(k + 1) / 10:.1f}",
                len(b),
                f"{mean_p:.3f}",
                f"{observed:.3f}",
                f"{observed - mean_p:+.3f}",
            ]
        )
    print("\n## Calibration of compare's confidence as P(derived)\n")
    print(
        "P(derived) = confidence if derived else 1 - confidence; all pairs but the translated gold "
        f"pairs. ECE (10 equal-width bins) = **{ece:.4f}**; Brier score = {brier / n:.4f}. "
        f"The lowest bin holds {len(bins[0])} of the {n} pairs; over the other {upper} pairs "
        f"alone, ECE = {ece_upper:.4f}.\n"
    )
    print(table(["P(derived) bin", "pairs", "mean P", "observed derived", "gap"], rows))


def print_confusion(gold: Gold, predictions: dict[Pair, Prediction]) -> None:
    relations = sorted({v.relation for v in predictions.values()})
    groups = [f"derived: {k}" for k in KIND_ORDER] + [
        "not: same family, independent",
        "not: other family, same event",
        "not: other family, other event",
    ]
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for pair in gold.pairs:
        counts[gold.group[pair]][predictions[pair].relation] += 1
    rows = [
        [g, sum(counts[g].values()), *(counts[g][r] or "·" for r in relations)]
        for g in groups
        if counts[g]
    ]
    print("\n## compare: relation against gold (all pairs)\n")
    print(table(["gold", "pairs", *relations], rows))


def print_false_positives(
    gold: Gold, predictions: dict[Pair, Prediction], records: dict[tuple[str, str], dict[str, Any]]
) -> None:
    arts = gold.articles
    fps = [p for p in gold.pairs if not gold.derived[p] and predictions[p].derived]
    patterns: Counter[str] = Counter()
    aligned_counts: Counter[int] = Counter()
    rows = []
    for i, j in fps:
        a, b = arts[i], arts[j]
        record = records.get((a.id, b.id), {})
        passages = record.get("passages", [])
        aligned = int(record.get("aligned", len(passages)))
        aligned_counts[aligned] += 1
        flags = []
        if aligned == 3:
            flags.append("3 aligned")
        if min(len(a.text), len(b.text)) < SHORT_CHARS:
            flags.append("short")
        if any(is_boilerplate(pa) or is_boilerplate(pb) for _, _, pa, pb in passages):
            flags.append("boilerplate")
        if a.language != "en" or b.language != "en" or "translated" in (a.kind, b.kind):
            flags.append("translated")
        if gold.group[(i, j)] == "not: same family, independent":
            flags.append("same family")
        elif gold.group[(i, j)] == "not: other family, same event":
            flags.append("same event")
        else:
            flags.append("other event")
        patterns.update(flags)
        best = max(passages, key=lambda x: x[1], default=None)
        sample = f"{best[0]} {best[1]:.2f}: “{best[2][:70]}” ~ “{best[3][:70]}”" if best else ""
        rows.append(
            [
                f"{a.id} ({a.kind or 'indep'})",
                f"{b.id} ({b.kind or 'indep'})",
                predictions[(i, j)].relation,
                f"{predictions[(i, j)].confidence:.2f}",
                aligned,
                f"{len(a.text)}/{len(b.text)}",
                ", ".join(flags),
                sample.replace("|", "/").replace("\n", " "),
            ]
        )
    print(f"\n## compare: the {len(fps)} false positives\n")
    print(
        f"Patterns: short = the shorter text has under {SHORT_CHARS} characters; boilerplate = an "
        f"aligned passage of under {BOILERPLATE_WORDS} words looks like page furniture (subscribe, "
        "photo credit, read more, related, ...); "
        "translated = a text not in English or of kind translated.\n"
    )
    print(table(["pattern", "false positives"], patterns.most_common()))
    print(
        "\nAligned passages per false positive: "
        + ", ".join(f"{k}: {v}" for k, v in sorted(aligned_counts.items()))
        + "\n"
    )
    print(
        table(
            [
                "a",
                "b",
                "relation",
                "conf",
                "aligned",
                "chars",
                "pattern",
                "closest aligned passage",
            ],
            rows,
        )
    )


def print_false_negatives(gold: Gold, predictions: dict[Pair, Prediction]) -> None:
    arts = gold.articles
    misses = [p for p in gold.pairs if gold.derived[p] and not predictions[p].derived]
    by_kind = Counter(gold.kind[p] for p in misses)
    print(
        f"\n## compare: the {len(misses)} missed gold pairs by kind\n\n"
        + ", ".join(f"{k}: {by_kind[k]}" for k in KIND_ORDER if by_kind[k])
        + "\n"
    )
    rows = [
        [
            f"{arts[i].id} ({arts[i].kind})",
            f"{arts[j].id} ({arts[j].kind})",
            predictions[(i, j)].relation,
            f"{predictions[(i, j)].confidence:.2f}",
            "yes" if gold.two_passages[(i, j)] else "no",
        ]
        for i, j in misses
    ]
    print(table(["a", "b", "relation", "conf", "≥2 shared passages"], rows))


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data", type=Path, default=DATA, help="a families.jsonl (default: reprints-dev)"
    )
    parser.add_argument("--skip-scan", action="store_true", help="do not run wiretrace scan")
    parser.add_argument("--skip-baselines", action="store_true", help="no MinHash or passim")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="compare cache folder")
    args = parser.parse_args(argv)

    articles = load_articles(args.data)
    gold = Gold.build(articles)
    version = code_version()
    n_gold = sum(gold.derived.values())
    print(f"# wiretrace on real news reprints ({args.data.parent.name})\n")
    print(
        f"{len(articles)} articles ({sum(a.is_copy for a in articles)} copies) in "
        f"{len(set(a.family for a in articles))} families; {len(gold.pairs)} pairs, {n_gold} gold "
        f"derived ({len(gold.translated)} of them translated, scored apart). "
        f"wiretrace code: {version}.\n"
    )
    two = sum(1 for p in gold.main if gold.derived[p] and gold.two_passages[p])
    print(
        "Shared-passage check (independent of wiretrace): sentences are split at line breaks and "
        "at . ! ? before a space, kept if 5 words or more; a pair shares a passage when a "
        "sentence of one text has a word-3-gram Jaccard ≥ 0.3 with some sentence of the other, "
        "and ≥2 shared passages means two or more sentences of one text do. "
        f"{two} of the {n_gold - len(gold.translated)} non-translated gold pairs pass it; "
        f"{sum(1 for p in gold.pairs if not gold.derived[p] and gold.two_passages[p])} "
        "negative pairs do too.\n"
    )

    systems: list[Scores] = []
    wiretrace = CachedWiretrace(args.cache, version)
    compared = evaluate_compare(wiretrace, articles, gold)
    wiretrace.save()
    compared.scores.note = (
        f"{wiretrace.hits} pairs from the cache (identical texts share an entry), "
        f"{wiretrace.misses} computed; seconds are this run's (from an empty cache for the "
        "honest time)"
    )
    systems.append(compared.scores)

    if not args.skip_scan:
        with tempfile.TemporaryDirectory(prefix="reprints-scan-") as tmp:
            systems.append(run_scan("scan", gold, Path(tmp), lexical=False))
            systems.append(run_scan("scan --lexical-only", gold, Path(tmp), lexical=True))

    sweep_rows: list[list[object]] = []
    if not args.skip_baselines:
        five = minhash_pairs(articles, 5, [0.5])
        pairs, clusters, seconds = five[0.5]
        minhash5 = score_pairs(
            "MinHash 5-gram @0.5", gold, pairs, seconds, cluster_ari(gold, clusters)
        )
        systems.append(minhash5)
        thresholds = [round(0.1 * k, 1) for k in range(1, 10)]
        three = minhash_pairs(articles, 3, thresholds)
        swept = {
            t: score_pairs(f"MinHash 3-gram @{t}", gold, p, s, cluster_ari(gold, c))
            for t, (p, c, s) in three.items()
        }
        best = max(thresholds, key=lambda t: (swept[t].f1, -t))
        swept[best].name = f"MinHash 3-gram @{best} (tuned)"
        swept[best].note = "threshold tuned on this set (best F1 of 0.1–0.9)"
        systems.append(swept[best])
        sweep_rows = [
            [t, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", f"{s.ari:.3f}"]
            for t, s in swept.items()
        ]
    print_summary(systems)
    if sweep_rows:
        print("\n## MinHash LSH on word 3-grams: threshold sweep (tuned on this set)\n")
        print(table(["threshold", "P", "R", "F1", "ARI"], sweep_rows))
    if not args.skip_baselines:
        print("\n" + passim_status())
    print_calibration(gold, compared.predictions)
    print_confusion(gold, compared.predictions)
    print_false_positives(gold, compared.predictions, wiretrace.records)
    print_false_negatives(gold, compared.predictions)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
