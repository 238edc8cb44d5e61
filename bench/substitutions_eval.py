"""Benchmark of loaded substitutions: does wiretrace find a term replaced on purpose, and does it
invent systematic substitutions where a spinner merely reworded?

Measured, through the public API only (one ``Comparer``, reused for every pair; the findings read
are ``Comparison.substitutions``):

1. **Recall of loaded substitutions.** Real news texts: the English pages of at least 600
   characters of reprints-dev (../shared/data/reprints-dev/families.jsonl, languages from
   bench/reprints_kinds.json) and reprints-more (bench/data/reprints-more/families.jsonl), exact
   duplicates dropped, plus the two seed articles (../shared/examples/seeds). In each text one
   term is chosen deterministically (`pick_term`): the most frequent capitalised word or two-word
   name that occurs at least twice as a word (case-sensitive) and at least once away from a
   sentence start, months, weekdays, titles and function words aside; ties go to the first
   occurrence. Title-case headline lines are not searched; a term inside a longer name is passed
   over ("Saudi" of "Saudi Arabia", "Turner" of "Tina Turner" and "Ike Turner"), but a one-word
   name that one first name precedes, always the same, is replaced with it ("Lionel Messi"). Every occurrence is replaced (`substitute`: "Trump's" becomes "<replacement>'s",
   sentence-initial replacements are capitalised, "the" is not doubled) by one of the loaded
   replacements in `REPLACEMENTS`, assigned round-robin in text order. B = the substituted text.
   A pair is a *hit* when some systematic substitution has the term among its A forms
   (case-insensitive, possessive aside; a widened form such as "Morocco's Foreign" counts), all
   the replacement's content words among its B forms ("so-called" read as "called"), and a count
   of at least occurrences - 1 (*full*: at least occurrences). Reported: recall, recall with the
   full count, recall when the counts of all matching systematic groups are added (a name split
   over "Sam Bankman-Fried" and "Bankman-Fried" groups), recall per replacement and per number of
   occurrences (2, 3, 4+), and every miss with the top 3 substitutions reported and why it missed.
2. **Invented substitutions on faithful spun copies.** Pairs (faithful page, spun page) of one
   family, where nothing was replaced on purpose: in reprints-dev and reprints-more, a page of kind
   source, verbatim, trimmed or edited with an English page of kind spun; in the synthetic
   families corpus (bench/families_corpus.py, ``build(1000, seed=5)``), each family's source with
   each of its spun copies, families in order until there are at least 50 such pairs. Reported:
   systematic substitutions per pair (mean, share of pairs with any) per set, and the full list
   (pair, A term, B term, count, kept, first occurrence in context) so that a reader can judge
   each: a spinner that swaps "said" for "stated" everywhere did make a systematic change (for the
   synthetic corpus, the column "table" says whether the swap is in the spinner's own synonym
   table, `families_corpus.SYNONYMS`), a pair of unrelated words is an invention.
3. **Seed check.** The systematic substitutions of the seed pair (A = 000_..., B = 001_...); at the
   time of writing the first two are "Zionist entity / Zionist's / Zionist" <-> "Israel /
   Israel’s" (5) and "Jewish" <-> "Israeli" (4).

Output: markdown tables on stdout (long lists cut to --show rows), and in --out (default
/tmp/wiretrace-substitutions-eval): report.md (the tables, lists in full), results.json (every
pair, for a before/after comparison). ``--baseline OLD/results.json`` adds a section with what
changed since that run (recall, pairs that flipped, systematic substitutions on spun pairs that
appeared or disappeared). About 25 s on 2 cores (312 comparisons).

Run, from the repository root:
    nice -n 10 .venv/bin/python bench/substitutions_eval.py [--out DIR] [--baseline FILE] [--show N]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from families_corpus import SYNONYMS, build

from wiretrace import Comparer, Document

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REPRINTS_DEV = SHARED / "data" / "reprints-dev" / "families.jsonl"
KINDS = REPO / "bench" / "reprints_kinds.json"
REPRINTS_MORE = REPO / "bench" / "data" / "reprints-more" / "families.jsonl"
SEEDS = SHARED / "examples" / "seeds"
SEED_A = SEEDS / "000_a59e668317105786.txt"
SEED_B = SEEDS / "001_53f5005e8be909a9.txt"
DEFAULT_OUT = Path("/tmp/wiretrace-substitutions-eval")

MIN_CHARS = 600
SYNTHETIC_DOCS = 1000
SYNTHETIC_SEED = 5
MIN_SYNTHETIC_PAIRS = 50
FAITHFUL_KINDS = ("source", "verbatim", "trimmed", "edited")

#: Loaded replacements, in the fixed order of the round-robin: one-word and multi-word ones, most
#: of them nothing like the term they replace.
REPLACEMENTS = (
    "the Zionist entity",
    "the regime",
    "Drumpf",
    "the occupation state",
    "terrorists",
    "the tyrant",
    "the puppet government",
    "the billionaire",
    "the aggressor",
    "the so-called authorities",
    "the enemy",
    "the Kyiv regime",
)

MONTHS = (
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
)
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
TITLES = (
    "Mr Mrs Ms Dr Sir Dame Lord Lady President Prime Minister Secretary General Chief Senator "
    "Governor Judge Justice Mayor Chancellor Premier King Queen Prince Princess Pope Sheikh Emir "
    "Sultan Member Vice Deputy Foreign Defence Defense State Interior Home Finance Health Minister's"
)
FUNCTION_WORDS = (
    "The A An And But Or Nor So Yet For In On At To Of From By With Without As If When While "
    "Where Who Whom Whose What Which Why How That This These Those There Here Then Than It Its "
    "It's He She We They I I'm You His Her Our Their My Your Us Them Him Me Is Are Was Were Be "
    "Been Has Have Had Do Does Did Not No Yes All Some Any Many Most More One Two Three After "
    "Before During Since Until Also However Meanwhile According Read More Photo Image Video "
    "Getty Images Advertisement Share Click Subscribe Copyright Updated Published Follow News"
)
NOT_NAMES = frozenset(f"{MONTHS} {WEEKDAYS} {TITLES} {FUNCTION_WORDS}".split())

CAPITALISED = re.compile(r"(?<![\w'’-])[A-Z][^\W\d_]*(?:['’-][^\W\d_]+)*")
POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
PRECEDING = re.compile(r"(?<![\w'’-])([A-Z][^\W\d_]*(?:-[^\W\d_]+)*) $")
TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


# --------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class Page:
    id: str
    corpus: str  # reprints-dev | reprints-more | seeds | synthetic
    family: str
    kind: str | None  # copy kind (source, verbatim, ..., spun), None for independents
    language: str
    text: str


def load_reprints() -> list[Page]:
    """Both reprint sets, file order; ids are ``dev042:site`` / ``more007:site``."""
    notes = json.loads(KINDS.read_text(encoding="utf-8"))
    pages: list[Page] = []
    for corpus, path, prefix in (
        ("reprints-dev", REPRINTS_DEV, "dev"),
        ("reprints-more", REPRINTS_MORE, "more"),
    ):
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(line for line in lines if line.strip()):
            row = json.loads(line)
            url = row["url"]
            kind = row.get("kind") or notes["kinds"].get(url, {}).get("kind")
            language = row.get("language") or notes["languages"].get(url, "?")
            pages.append(
                Page(
                    f"{prefix}{i:03d}:{row['site']}",
                    corpus,
                    row["family"],
                    kind if row["role"] == "copy" else None,
                    language,
                    row["text"],
                )
            )
    return pages


def load_seeds() -> list[Page]:
    return [
        Page(p.stem, "seeds", "seed", None, "en", p.read_text(encoding="utf-8"))
        for p in (SEED_A, SEED_B)
    ]


# --------------------------------------------------------------------------------------------
# Part 1: planting a loaded substitution


def at_sentence_start(text: str, pos: int) -> bool:
    """True when ``pos`` opens a sentence, a line or the text (opening quotes skipped)."""
    k = pos
    while k > 0 and text[k - 1] in " \t\"“‘'([":
        k -= 1
    if k == 0 or text[k - 1] in "\n\r":
        return True
    if text[k - 1] in ".!?:":
        return True
    return text[k - 1] in '"”’)' and k >= 2 and text[k - 2] in ".!?"


def _is_name_word(word: str) -> bool:
    bare = POSSESSIVE.sub("", word)
    if len(bare) < 2 or bare in NOT_NAMES or word in NOT_NAMES:
        return False
    return not (bare.isupper() and len(bare) > 5)  # datelines ("WASHINGTON"), not acronyms


def _term_pattern(term: str) -> re.Pattern[str]:
    # A possessive may follow ("Trump's"), another word part may not ("Trump-era", "O'Brien").
    return re.compile(rf"(?<![\w-])(?<!\w['’]){re.escape(term)}(?![\w-]|['’][a-rt-z])")


def _name_before(text: str, start: int) -> int | None:
    """Start of the name word right before ``start`` (one space between), if there is one."""
    m = PRECEDING.search(text, 0, start)
    return m.start(1) if m and _is_name_word(m.group(1)) else None


def _name_after(text: str, end: int) -> bool:
    after = CAPITALISED.match(text, end + 1)
    return text[end : end + 1] == " " and after is not None and _is_name_word(after.group())


def occurrences(text: str, term: str) -> list[tuple[int, int]] | None:
    """Where ``term`` occurs as a word (case-sensitive), or None when it is part of a longer name
    rather than a name: followed by a name word ("Saudi" of "Saudi Arabia"), or preceded by one
    ("Valley Bank" of "Silicon Valley Bank"; "Turner" of "Tina Turner" and "Ike Turner"). The one
    exception: a one-word term that one first name precedes, always the same ("Lionel Messi"),
    is taken with it: "Lionel Messi" is an occurrence of "Messi", replaced whole."""
    spans = [(m.start(), m.end()) for m in _term_pattern(term).finditer(text)]
    if any(_name_after(text, end) for _, end in spans):
        return None
    before = {start: _name_before(text, start) for start, _ in spans}
    firsts = {text[b:start] for start, b in before.items() if b is not None}
    if not firsts:
        return spans
    if " " in term or len(firsts) > 1:
        return None
    if any(_name_before(text, b) is not None for b in before.values() if b is not None):
        return None  # "Tedros Adhanom Ghebreyesus": more than a first name
    return [(before[start] or start, end) for start, end in spans]


def _headline_spans(text: str) -> list[tuple[int, int]]:
    """Lines in title case ("Tsunami-Hit Tonga Becomes Member…"): no term is picked from them."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        long = [w for w in m.group().split() if len(w) > 3]
        if len(long) >= 3 and sum(w[:1].isupper() for w in long) >= 0.6 * len(long):
            spans.append((m.start(), m.end()))
    return spans


def pick_term(text: str) -> tuple[str, int] | None:
    """The term to replace, and how often it occurs; None when no name occurs twice."""
    headlines = _headline_spans(text)
    words = [
        (m.start(), POSSESSIVE.sub("", m.group()))
        for m in CAPITALISED.finditer(text)
        if not any(a <= m.start() < b for a, b in headlines)
    ]
    candidates: dict[str, int] = {}  # term -> first offset away from a sentence start
    for n, (start, word) in enumerate(words):
        if not _is_name_word(word) or at_sentence_start(text, start):
            continue
        candidates.setdefault(word, start)
        if n + 1 < len(words):
            nxt_start, nxt = words[n + 1]
            between = text[start + len(word) : nxt_start]
            if between == " " and _is_name_word(nxt):
                candidates.setdefault(f"{word} {nxt}", start)
    best: tuple[int, int, str] | None = None
    for term, first in candidates.items():
        spans = occurrences(text, term)
        if spans is None:
            continue
        count = len(spans)
        if count >= 2 and (best is None or (-count, first) < (best[0], best[1])):
            best = (-count, first, term)
    return None if best is None else (best[2], -best[0])


def substitute(text: str, term: str, replacement: str) -> tuple[str, list[str]]:
    """``text`` with every occurrence of ``term`` replaced by ``replacement``, and the distinct
    forms replaced ("Messi", "Lionel Messi")."""
    out: list[str] = []
    forms: list[str] = []
    last = 0
    for start, end in occurrences(text, term) or []:
        if text[start:end] not in forms:
            forms.append(text[start:end])
        rep = replacement
        before = text[max(0, start - 4) : start]
        if rep.startswith("the ") and before.casefold() == "the ":
            rep = rep[4:]  # "the Kremlin" -> "the regime", not "the the regime"
        elif at_sentence_start(text, start):
            rep = rep[:1].upper() + rep[1:]
        after = text[end : end + 2]
        if rep.endswith("s") and after in ("'s", "’s"):
            rep += text[end]  # "terrorists'", not "terrorists's"
            end += 2
        out.append(text[last:start])
        out.append(rep)
        last = end
    out.append(text[last:])
    return "".join(out), forms


def tokens(text: str) -> list[str]:
    return [POSSESSIVE.sub("", t) for t in TOKEN.findall(text.casefold().replace("’", "'"))]


def parts(text: str) -> set[str]:
    """Word parts, hyphens and apostrophes split: wiretrace reads "so-called" as "so" "called"."""
    return {p for p in re.findall(r"[^\W_]+", text.casefold()) if len(p) > 1}


def content_words(replacement: str) -> set[str]:
    """What B must show of a replacement: "the so-called authorities" -> {called, authorities}."""
    return parts(replacement) - {"the", "an", "so"}


def _contains(form: list[str], term: list[str]) -> bool:
    return any(form[i : i + len(term)] == term for i in range(len(form) - len(term) + 1))


@dataclass
class Planted:
    id: str
    corpus: str
    term: str
    replacement: str
    occurrences: int
    forms: list[str] = field(default_factory=list)  # the distinct strings replaced
    hit: bool = False
    full: bool = False
    merged: bool = False  # a hit once the counts of all matching systematic groups are added
    why: str = ""  # for a miss: what the best candidate group lacked (category: detail)
    reported: list[dict[str, Any]] = field(default_factory=list)  # top 3 substitutions


def _summary(s: Any) -> dict[str, Any]:
    return {
        "a": s.a,
        "b": s.b,
        "count": s.count,
        "systematic": s.systematic,
        "kept": getattr(s, "kept", None),
    }


def score_planted(case: Planted, substitutions: Sequence[Any]) -> None:
    term = tokens(case.term)
    wanted = content_words(case.replacement)
    candidates = []
    for s in substitutions:
        a_match = any(_contains(tokens(form), term) for form in s.a.split(" / "))
        b_match = wanted <= parts(s.b)
        if a_match:
            candidates.append((b_match, s))
    good = [s for b_match, s in candidates if b_match and s.systematic]
    case.hit = any(s.count >= case.occurrences - 1 for s in good)
    case.full = any(s.count >= case.occurrences for s in good)
    case.merged = sum(s.count for s in good) >= case.occurrences - 1
    case.reported = [_summary(s) for s in substitutions[:3]]
    if case.hit:
        return
    if not candidates:
        case.why = "term not in any A form"
        return
    partial = [s for b_match, s in candidates if s.systematic and not b_match]
    loose = [s for b_match, s in candidates if b_match and not s.systematic]
    if good:
        best = max(good, key=lambda s: s.count)
        total = sum(s.count for s in good)
        if case.merged:
            case.why = f"split over groups: best ×{best.count}, all {total}"
        else:
            case.why = f"count short: ×{best.count} of {case.occurrences}"
    elif partial:
        best = max(partial, key=lambda s: s.count)
        case.why = f"B form partial: {best.a} ↔ {best.b} ×{best.count}"
    else:
        best = max(loose or [s for _, s in candidates], key=lambda s: s.count)
        case.why = (
            f"not systematic: {best.a} ↔ {best.b} ×{best.count}, kept {getattr(best, 'kept', '?')}"
        )


def plant_all(pages: Iterable[Page]) -> tuple[list[tuple[Planted, str, str]], int]:
    """(case, A text, B text) for every usable page, replacements round-robin; and how many
    usable pages had no term to replace."""
    cases: list[tuple[Planted, str, str]] = []
    seen: set[str] = set()
    no_term = 0
    for page in pages:
        if page.language != "en" or len(page.text) < MIN_CHARS or page.text in seen:
            continue
        seen.add(page.text)
        picked = pick_term(page.text)
        if picked is None:
            no_term += 1
            continue
        term, count = picked
        replacement = REPLACEMENTS[len(cases) % len(REPLACEMENTS)]
        text_b, forms = substitute(page.text, term, replacement)
        cases.append(
            (Planted(page.id, page.corpus, term, replacement, count, forms), page.text, text_b)
        )
    return cases, no_term


# --------------------------------------------------------------------------------------------
# Part 2: spun pairs


@dataclass
class SpunPair:
    a: str
    b: str
    corpus: str
    family: str
    found: list[dict[str, Any]] = field(default_factory=list)  # systematic substitutions


def reprint_spun_pairs(pages: Sequence[Page]) -> list[tuple[SpunPair, str, str]]:
    pairs = []
    for b in pages:
        if b.kind != "spun" or b.language != "en":
            continue
        for a in pages:
            if a.family == b.family and a.kind in FAITHFUL_KINDS and a.language == "en":
                pairs.append((SpunPair(a.id, b.id, a.corpus, a.family), a.text, b.text))
    return pairs


def synthetic_spun_pairs() -> list[tuple[SpunPair, str, str]]:
    docs = build(SYNTHETIC_DOCS, seed=SYNTHETIC_SEED)
    sources = {d.family: d for d in docs if d.operation == "source" and d.family}
    by_family: dict[str, list[Any]] = defaultdict(list)
    for d in docs:
        if d.operation == "spun" and d.family and d.family in sources:
            by_family[d.family].append(d)
    pairs: list[tuple[SpunPair, str, str]] = []
    for family, spun in by_family.items():  # families in corpus order
        if len(pairs) >= MIN_SYNTHETIC_PAIRS:
            break
        a = sources[family]
        for b in spun:
            pairs.append((SpunPair(a.id, b.id, "synthetic", family), a.text, b.text))
    return pairs


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"…{left}**{text[start:end]}**{right}…"


def in_synonym_table(a: str, b: str) -> bool:
    pairs = {(k, v) for k, v in SYNONYMS.items()}
    return any(
        (fa.casefold(), fb.casefold()) in pairs for fa in a.split(" / ") for fb in b.split(" / ")
    )


# --------------------------------------------------------------------------------------------
# Markdown


def table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    def cell(value: Any) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def pct(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.0f}%)" if d else "0/0"


def _reported(items: list[dict[str, Any]]) -> str:
    if not items:
        return "(none)"
    return "; ".join(
        f"{r['a']} ↔ {r['b']} ×{r['count']}{' S' if r['systematic'] else ''}" for r in items
    )


def report_part1(cases: list[Planted], no_term: int, show: int | None) -> list[str]:
    n = len(cases)
    hits = sum(c.hit for c in cases)
    full = sum(c.full for c in cases)
    merged = sum(c.merged for c in cases)
    by_corpus = Counter(c.corpus for c in cases)
    out = [
        "## 1. Recall of loaded substitutions",
        "",
        f"{n} pairs: "
        + ", ".join(f"{k} {v}" for k, v in by_corpus.items())
        + f" (English, ≥{MIN_CHARS} chars, exact duplicates dropped; {no_term} more had no name"
        " occurring twice). One term replaced in every occurrence; replacements round-robin.",
        "",
        table(
            ["measure", "value"],
            [
                ["recall (count ≥ occurrences − 1)", pct(hits, n)],
                ["recall, full count", pct(full, n)],
                ["recall, counts of all matching groups added", pct(merged, n)],
            ],
        ),
        "",
        table(
            ["replacement", "pairs", "hits", "full"],
            [
                [
                    r,
                    sum(c.replacement == r for c in cases),
                    sum(c.hit for c in cases if c.replacement == r),
                    sum(c.full for c in cases if c.replacement == r),
                ]
                for r in REPLACEMENTS
            ],
        ),
        "",
    ]
    buckets: tuple[tuple[str, Callable[[int], bool]], ...] = (
        ("2", lambda k: k == 2),
        ("3", lambda k: k == 3),
        ("4+", lambda k: k >= 4),
    )
    out += [
        table(
            ["occurrences", "pairs", "hits", "full"],
            [
                [
                    label,
                    sum(test(c.occurrences) for c in cases),
                    sum(c.hit for c in cases if test(c.occurrences)),
                    sum(c.full for c in cases if test(c.occurrences)),
                ]
                for label, test in buckets
            ],
        ),
        "",
    ]
    misses = [c for c in cases if not c.hit]
    why = Counter(c.why.split(":")[0] for c in misses)
    out += [
        table(["why missed (best candidate group)", "pairs"], why.most_common()),
        "",
        f"Misses ({len(misses)}):",
        "",
    ]
    rows = [
        [c.id, _term(c), c.replacement, c.occurrences, c.why, _reported(c.reported)] for c in misses
    ]
    out += _cut(
        table(
            ["text", "term", "replacement", "occ", "why", "top 3 reported (S = systematic)"], rows
        ),
        show,
    )
    return out


def _term(case: Planted) -> str:
    others = [f for f in case.forms if f != case.term]
    return case.term + (f" (+{', '.join(others)})" if others else "")


def report_part2(pairs: list[SpunPair], show: int | None) -> list[str]:
    out = [
        "## 2. Systematic substitutions on faithful spun copies (none planted)",
        "",
    ]
    rows = []
    for corpus in ("reprints-dev", "reprints-more", "synthetic", "all"):
        chosen = [p for p in pairs if corpus in ("all", p.corpus)]
        if not chosen:
            continue
        total = sum(len(p.found) for p in chosen)
        rows.append(
            [
                corpus,
                len(chosen),
                total,
                f"{total / len(chosen):.2f}",
                pct(sum(bool(p.found) for p in chosen), len(chosen)),
            ]
        )
    out += [
        table(["set", "pairs", "systematic", "per pair", "pairs with any"], rows),
        "",
        "Every systematic substitution reported (table = the swap is in the synthetic spinner's "
        "synonym table, i.e. a real systematic change):",
        "",
    ]
    listed = [
        [
            f"{p.a} → {p.b}",
            f["a"],
            f["b"],
            f["count"],
            f["kept"],
            ("yes" if f["in_table"] else "no") if p.corpus == "synthetic" else "",
            f["context_a"],
            f["context_b"],
        ]
        for p in pairs
        for f in p.found
    ]
    out += _cut(
        table(
            ["pair", "A term", "B term", "count", "kept", "table", "A (first)", "B (first)"], listed
        ),
        show,
    )
    return out


def _cut(markdown: str, show: int | None) -> list[str]:
    lines = markdown.split("\n")
    if show is None or len(lines) <= show + 2:
        return [markdown, ""]
    return [*lines[: show + 2], f"… {len(lines) - show - 2} more rows in report.md", ""]


def report_seeds(found: list[dict[str, Any]]) -> list[str]:
    expected = ("zionist", "jewish")
    ok = [tokens(f["a"])[:1] for f in found[:2]] == [[e] for e in expected]
    return [
        "## 3. Seed pair (000_… → 001_…): systematic substitutions",
        "",
        table(
            ["A", "B", "count", "kept"], [[f["a"], f["b"], f["count"], f["kept"]] for f in found]
        ),
        "",
        "First two as at the time of writing (Zionist… ↔ Israel…, Jewish ↔ Israeli): "
        + ("yes" if ok else "**no**"),
        "",
    ]


def report_baseline(path: Path, now: dict[str, Any]) -> list[str]:
    old = json.loads(path.read_text(encoding="utf-8"))
    out = [f"## Changes since {path}", ""]
    old_cases = {c["id"]: c for c in old["planted"]}
    rows = []
    for c in now["planted"]:
        before = old_cases.get(c["id"])
        if before and (before["hit"], before["term"]) != (c["hit"], c["term"]):
            rows.append([c["id"], c["term"], c["replacement"], before["hit"], c["hit"]])
    n_old, n_now = len(old["planted"]), len(now["planted"])
    sp_old = sum(len(p["found"]) for p in old["spun"])
    sp_now = sum(len(p["found"]) for p in now["spun"])
    out += [
        table(
            ["measure", "before", "now"],
            [
                [
                    "recall",
                    pct(sum(c["hit"] for c in old["planted"]), n_old),
                    pct(sum(c["hit"] for c in now["planted"]), n_now),
                ],
                [
                    "recall, full count",
                    pct(sum(c["full"] for c in old["planted"]), n_old),
                    pct(sum(c["full"] for c in now["planted"]), n_now),
                ],
                [
                    "systematic on spun pairs",
                    f"{sp_old} in {len(old['spun'])} pairs",
                    f"{sp_now} in {len(now['spun'])} pairs",
                ],
            ],
        ),
        "",
        f"Planted pairs that flipped ({len(rows)}):",
        "",
        table(["text", "term", "replacement", "hit before", "hit now"], rows),
        "",
    ]

    def keyed(data: dict[str, Any]) -> set[tuple[str, str, str, str]]:
        return {(p["a"], p["b"], f["a"], f["b"]) for p in data["spun"] for f in p["found"]}

    gone, new = keyed(old) - keyed(now), keyed(now) - keyed(old)
    out += [
        "Systematic substitutions on spun pairs, gone (−) and new (+):",
        "",
        table(
            ["", "pair", "A term", "B term"],
            [["−", f"{a} → {b}", x, y] for a, b, x, y in sorted(gone)]
            + [["+", f"{a} → {b}", x, y] for a, b, x, y in sorted(new)],
        ),
        "",
    ]
    return out


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the outputs")
    parser.add_argument("--baseline", type=Path, help="results.json of an earlier run to diff")
    parser.add_argument("--show", type=int, default=30, help="rows of each long list on stdout")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    comparer = Comparer()

    reprints = load_reprints()
    seeds = load_seeds()
    planted, no_term = plant_all([*reprints, *seeds])
    for case, text_a, text_b in planted:
        result = comparer.compare(Document(case.id, text_a), Document(case.id + "+sub", text_b))
        score_planted(case, result.substitutions)
    t_part1 = time.perf_counter() - started

    spun = reprint_spun_pairs(reprints) + synthetic_spun_pairs()
    for pair, text_a, text_b in spun:
        result = comparer.compare(Document(pair.a, text_a), Document(pair.b, text_b))
        for s in result.substitutions:
            if not s.systematic:
                continue
            first = s.occurrences[0]
            pair.found.append(
                _summary(s)
                | {
                    "in_table": in_synonym_table(s.a, s.b),
                    "context_a": _context(text_a, first.a.start, first.a.end),
                    "context_b": _context(text_b, first.b.start, first.b.end),
                }
            )
    t_part2 = time.perf_counter() - started - t_part1

    seed = comparer.compare(
        Document(SEED_A.stem, seeds[0].text), Document(SEED_B.stem, seeds[1].text)
    )
    seed_found = [_summary(s) for s in seed.substitutions if s.systematic]
    elapsed = time.perf_counter() - started

    cases = [c for c, _, _ in planted]
    pairs = [p for p, _, _ in spun]
    results = {
        "planted": [asdict(c) for c in cases],
        "spun": [asdict(p) for p in pairs],
        "seed": seed_found,
        "seconds": round(elapsed, 1),
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    header = [
        "# Loaded substitutions benchmark",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M')}; {elapsed:.0f} s in all ({t_part1:.0f} s for "
        f"{len(cases)} planted pairs, {t_part2:.0f} s for {len(pairs)} spun pairs).",
        "",
    ]
    extra = report_baseline(args.baseline, results) if args.baseline else []
    args.out.mkdir(parents=True, exist_ok=True)
    full = [*header, *report_part1(cases, no_term, None), *report_part2(pairs, None)]
    full += [*report_seeds(seed_found), *extra]
    (args.out / "report.md").write_text("\n".join(full), encoding="utf-8")
    (args.out / "results.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    shown = [*header, *report_part1(cases, no_term, args.show), *report_part2(pairs, args.show)]
    shown += [*report_seeds(seed_found), *extra]
    print("\n".join(shown))
    print(f"Full lists: {args.out / 'report.md'}; per pair: {args.out / 'results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
