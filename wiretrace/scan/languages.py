"""Candidate pairs across languages: a translated copy shares no words with its source.

What it does share is written the same in any Latin-script language: the story's **figures**
(digits, however grouped) and its **names** ("Chandrayaan-3", "Bankman-Fried", "Bengaluru").
A document not in the corpus's main language becomes a candidate with each document in another
language that shares at least ``MIN_SHARED`` of its *rare* anchors (held by at most
``RARE_SHARE`` of the corpus, so "Monday" or "2023" do not count; a name's skeleton, below, weighs
two thirds of a name); the verify stage then compares
the pair by meaning with the multilingual encoder. No vectors are computed for the corpus: the
cost is one pass over the anchors, and the encoder runs on the candidate pairs only.

Chosen on the cross-language gold pairs of reprints-dev and reprints-more (bench/translation_eval.py
measures the stage): rare = held by at most 10% of the documents, and 2 shared anchors, finds 10
of the 11 (3 of 4 and 7 of 7) with 37 and 42 candidates; 1 shared anchor finds no more and
doubles the candidates; 3 find 5 of 11; at most 5% finds 3. The one missed was a Hindi page:
names in Devanagari share nothing with their Latin spelling. Names are therefore also kept as
consonant skeletons (:mod:`wiretrace.text.skeleton`: every word of a text in Devanagari, the
capitalised names of the others), which count only between a text in Devanagari and one that is
not (between two Latin-script texts the names themselves count, so a skeleton would count one
name twice).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from wiretrace.findings.across import figure_keys, figures_in
from wiretrace.text.language import detect, main_language
from wiretrace.text.skeleton import (
    DEVANAGARI_LANGUAGES,
    MIN_SKELETON,
    devanagari_skeleton,
    latin_skeleton,
)

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
#: What one shared anchor weighs: a name or a figure ``NAME_WEIGHT``, a skeleton
#: ``SKELETON_WEIGHT``; a pair needs ``MIN_SHARED`` names' worth, so two skeletons alone are not
#: enough but three are. Skeletons are coarser than names: on reprints-dev's two Hindi pages the
#: gold pair shares 4 rare skeletons and 17 of the 21 others share exactly 2 (a Hindi report of
#: an Indian political row shares "Gandhi" and "Rahul" with every English report of it); with
#: equal weights those 17 went to the multilingual encoder for nothing.
NAME_WEIGHT = 3
SKELETON_WEIGHT = 2
#: Each document keeps at most this many cross-language candidates, those sharing the most.
MAX_CANDIDATES = 25


#: Marks a consonant skeleton among a document's anchors.
SKELETON = "~"

_DEVANAGARI_WORD = re.compile(r"[\u0900-\u097f]+")


def anchors(text: str, language: str = "und") -> frozenset[str]:
    """The document's figures (two digits or more, as :func:`figure_keys` reads them), its
    capitalised names, casefolded, and (marked ``~``) the consonant skeletons of its names, or of
    all its words when ``language`` is written in Devanagari, which has no capitals."""
    found = {
        "#" + key for figure in figures_in(text) for key in figure_keys(figure) if len(key) > 1
    }
    names = [m.group() for m in _WORD.finditer(text) if m.group()[0].isupper()]
    found.update(name.casefold() for name in names)
    if language in DEVANAGARI_LANGUAGES:
        sounds = {devanagari_skeleton(w) for w in _DEVANAGARI_WORD.findall(text)}
    else:
        sounds = {latin_skeleton(name) for name in names}
    found.update(SKELETON + s for s in sounds if len(s) >= MIN_SKELETON)
    return frozenset(found)


def weight(anchor: str) -> int:
    """What a shared anchor adds to a pair's score (see ``NAME_WEIGHT``)."""
    return SKELETON_WEIGHT if anchor.startswith(SKELETON) else NAME_WEIGHT


def shared_weights(
    tongue: Tongue, holders: Callable[[str], Iterable[tuple[str, str]]]
) -> Counter[str]:
    """What the rare anchors that each document in another language shares with this one weigh.
    ``holders(anchor)``: the (document, language) pairs holding ``anchor`` when it is rare,
    nothing otherwise. A skeleton counts only between a text in Devanagari and one that is not."""
    shared: Counter[str] = Counter()
    devanagari = tongue.language in DEVANAGARI_LANGUAGES
    for anchor in tongue.anchors:
        worth, skeleton = weight(anchor), anchor.startswith(SKELETON)
        for other, language in holders(anchor):
            if language != tongue.language and (
                not skeleton or (language in DEVANAGARI_LANGUAGES) != devanagari
            ):
                shared[other] += worth
    return shared


@dataclass(frozen=True)
class Tongue:
    """A document's language and anchors: what the cross-language stage needs of it."""

    language: str
    anchors: frozenset[str]


def tongue_of(text: str, with_anchors: bool = True) -> Tongue:
    """A text's language (:func:`~wiretrace.text.language.detect`) and its anchors (none when
    they will not be used: a words-only scan looks for no pair across languages)."""
    code = detect(text).code
    return Tongue(code, anchors(text, code) if with_anchors else frozenset())


def rare_limit(documents: int) -> int:
    """How many documents (of ``documents`` in covered languages) may hold an anchor for it to
    count as rare."""
    return max(RARE_FLOOR, int(RARE_SHARE * documents))


def enough(score: int) -> bool:
    """Whether the weighed rare anchors two documents share make them a candidate pair."""
    return score >= MIN_SHARED * NAME_WEIGHT


def best_partners(shared: Mapping[str, int]) -> list[str]:
    """Of the documents sharing rare anchors with one document (their weight, :func:`weight`,
    summed), those sharing :func:`enough`, most first (ties by id), at most
    ``MAX_CANDIDATES``."""
    best = sorted((o for o, n in shared.items() if enough(n)), key=lambda o: (-shared[o], o))
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
    holders: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for doc_id, tongue in sorted(usable.items()):
        for anchor in tongue.anchors:
            if frequency[anchor] <= limit:
                holders[anchor].append((doc_id, tongue.language))
    pairs: set[Pair] = set()
    for doc_id, tongue in sorted(usable.items()):
        if tongue.language == main:
            continue
        shared = shared_weights(tongue, lambda anchor: holders.get(anchor, ()))
        pairs.update((min(doc_id, o), max(doc_id, o)) for o in best_partners(shared))
    return pairs
