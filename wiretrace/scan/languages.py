"""Candidate pairs across languages: a translated copy shares no words with its source.

What it does share is written the same in any Latin-script language: the story's **figures**
(digits, however grouped) and its **names** ("Chandrayaan-3", "Bankman-Fried", "Bengaluru").
A document not in the corpus's main language becomes a candidate with each document in another
language that shares at least ``MIN_SHARED`` of its *rare* anchors (held by at most
``RARE_SHARE`` of the corpus, so "Monday" or "2023" do not count); the verify stage then compares
the pair by meaning with the multilingual encoder. No vectors are computed for the corpus: the
cost is one pass over the anchors, and the encoder runs on the candidate pairs only.

Chosen on the cross-language gold pairs of reprints-dev and reprints-more (bench/translation_eval.py
measures the stage): rare = held by at most 10% of the documents, and 2 shared anchors, finds 10
of the 11 (3 of 4 and 7 of 7) with 37 and 42 candidates; 1 shared anchor finds no more and
doubles the candidates; 3 find 5 of 11; at most 5% finds 3. The one missed is a Hindi page:
names in Devanagari share nothing with their Latin spelling (``compare`` still finds it).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from wiretrace.findings.across import figure_keys, figures_in
from wiretrace.text.language import main_language

Pair = tuple[str, str]

# A word of four letters or more; kept when it starts with a capital (a name, in scripts with
# capitals).
_WORD = re.compile(r"(?<![\w])[^\W\d_][\w'’-]{3,}")

RARE_SHARE = 0.10
#: In a small corpus 10% is a document or two, fewer than the copies of one story that all carry
#: its names: an anchor held by up to this many documents is rare whatever the corpus's size
#: (a choice; reprints-dev's 146 documents put the 10% bar at 14, above it).
RARE_FLOOR = 5
MIN_SHARED = 2
#: Each document keeps at most this many cross-language candidates, those sharing the most.
MAX_CANDIDATES = 25


def anchors(text: str) -> frozenset[str]:
    """The document's figures (two digits or more, as :func:`figure_keys` reads them) and its
    capitalised names, casefolded."""
    found = {
        "#" + key for figure in figures_in(text) for key in figure_keys(figure) if len(key) > 1
    }
    found.update(m.group().casefold() for m in _WORD.finditer(text) if m.group()[0].isupper())
    return frozenset(found)


@dataclass(frozen=True)
class Tongue:
    """A document's language and anchors: what the cross-language stage needs of it."""

    language: str
    anchors: frozenset[str]


def rare_limit(documents: int) -> int:
    """How many documents (of ``documents`` in covered languages) may hold an anchor for it to
    count as rare."""
    return max(RARE_FLOOR, int(RARE_SHARE * documents))


def best_partners(shared: Mapping[str, int]) -> list[str]:
    """Of the documents sharing rare anchors with one document (how many each), those sharing at
    least ``MIN_SHARED``, most first (ties by id), at most ``MAX_CANDIDATES``."""
    best = sorted((o for o, n in shared.items() if n >= MIN_SHARED), key=lambda o: (-shared[o], o))
    return best[:MAX_CANDIDATES]


def cross_language_pairs(documents: Mapping[str, Tongue], covered: frozenset[str]) -> set[Pair]:
    """Pairs of documents in two different languages, one of them not in the main language,
    sharing rare anchors. ``covered``: the languages the multilingual encoder covers (a pair
    outside them could not be verified by meaning)."""
    main = main_language(t.language for t in documents.values())
    usable = {d: t for d, t in documents.items() if t.language in covered}
    if main is None or len({t.language for t in usable.values()}) < 2:
        return set()
    frequency = Counter(a for t in usable.values() for a in t.anchors)
    limit = rare_limit(len(usable))
    holders: dict[str, list[str]] = defaultdict(list)
    for doc_id, tongue in sorted(usable.items()):
        for anchor in tongue.anchors:
            if frequency[anchor] <= limit:
                holders[anchor].append(doc_id)
    pairs: set[Pair] = set()
    for doc_id, tongue in sorted(usable.items()):
        if tongue.language == main:
            continue
        shared: Counter[str] = Counter()
        for anchor in tongue.anchors:
            for other in holders.get(anchor, ()):
                if usable[other].language != tongue.language:
                    shared[other] += 1
        pairs.update((min(doc_id, o), max(doc_id, o)) for o in best_partners(shared))
    return pairs
