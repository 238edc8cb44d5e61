"""Substitutions: which words or phrases of A were replaced by which of B, and which of those recur.

A replacement is read off the word links of an aligned segment: a linked pair of different words
(numbers aside: they are facts), widened to the unlinked words stuck to it on either side ("Zionist entity" ← "Israel"), stopping at
words that are the same on both sides. Replacements are grouped by their head words with
possessives and plurals folded ("Zionist's", "Zionist entity" → zionist; "Israel's" → israel).

A group is *systematic* when the same term was replaced the same way at least twice and was kept
unchanged less often than it was replaced, in the passages both texts share. A spinner's one-off
synonyms ("flared" → "risen") are not. Order: systematic first; then proper names (loaded
substitutions are usually about who is named, and how); then by count and consistency.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from wiretrace.alignment.model import Span
from wiretrace.alignment.words import Word, diff_operations
from wiretrace.findings.links import SegmentWords
from wiretrace.lexicon import (
    INFLECTIONS,
    MONTHS,
    NUMBER_SCALES,
    NUMBER_WORDS,
    REPORTING_VERBS,
    STOPWORDS,
    WEEKDAYS,
)

#: A replaced pair must be linked at least this strongly (contextual cosine, see words.py), or sit
#: between the same two neighbours on both sides, to count: weaker links are the aligner's guesses
#: inside heavy rewording, not substitutions. Measured (bench/thresholds.py, MultiMWA MTRef): a weak
#: filter: links between different words above it are right 70.9% of the time against 69.7%
#: ungated, and it drops a quarter of the right ones. Issue 17 replaces this gate.
MIN_LINK_STRENGTH = 0.5
# Attribution verbs vary with every rewrite ("said" → "added", "said" → "according to"): such swaps
# are listed but never systematic. Function words never make a substitution on their own.
REPORTING = REPORTING_VERBS
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


@functools.lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Group key of a word: case-folded, possessive and inflection dropped, so that "Zionist's",
    "Jews", "denied"/"denies" and "outline"/"outlining" each fold to one key (a light stemmer:
    good enough to group, never shown to the user)."""
    key = _POSSESSIVE.sub("", word.casefold().replace("’", "'"))
    for suffix in INFLECTIONS:
        if key.endswith(suffix) and len(key) - len(suffix) >= 4 and not key.endswith("ss"):
            key = key[: -len(suffix)]
            break
    return key[:-1] if key.endswith("e") and len(key) > 4 else key


_MONTH_OR_DAY = re.compile(rf"(?:{MONTHS}|{'|'.join(WEEKDAYS)})\.?$", re.IGNORECASE)


def _is_fact_word(word: Word) -> bool:
    """A number, a number word or scale ("million"), a month or a weekday: a change of one is
    a fact changed ("$400 million" → "$0.4 billion"), not a choice of words."""
    norm = word.norm
    return (
        norm[:1].isdigit()
        or norm in NUMBER_WORDS
        or norm in NUMBER_SCALES
        or bool(_MONTH_OR_DAY.match(norm))
    )


def _function_word(word: Word) -> bool:
    """A function word ("the", "of"), but not an acronym that spells one ("WHO", "US")."""
    return word.norm in STOPWORDS and not (len(word.text) > 1 and word.text.isupper())


def _content(words: list[Word]) -> list[Word]:
    return [w for w in words if not _function_word(w)]


@dataclass(frozen=True)
class Occurrence:
    a: Span
    b: Span

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a.to_dict(), "b": self.b.to_dict()}


@dataclass(frozen=True)
class Substitution:
    """One group of replacements: term ``a`` in A stands where term ``b`` stands in B."""

    a: str
    b: str
    count: int
    systematic: bool
    kept: int  # times the A term stayed unchanged in shared passages
    occurrences: tuple[Occurrence, ...]

    @property
    def consistency(self) -> float:
        return self.count / (self.count + self.kept)

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "count": self.count,
            "systematic": self.systematic,
            "kept": self.kept,
            "occurrences": [o.to_dict() for o in self.occurrences],
        }


#: A replaced term is at most this many words on either side (after function words at its ends
#: are dropped): "the occupation state" is a term; a reworded clause is rewording, not a term.
MAX_TERM_WORDS = 4


def _replaced_terms(sw: SegmentWords) -> list[tuple[list[int], list[int]]]:
    """The short replacements of the segment's word diff: what a word-for-word reader sees
    replaced ("Israel" → "the regime"), whatever the two terms mean; (A indices, B indices)."""
    out: list[tuple[list[int], list[int]]] = []
    folded_a = [fold(w.norm) for w in sw.words_a]
    folded_b = [fold(w.norm) for w in sw.words_b]
    in_a, in_b = set(folded_a), set(folded_b)
    for tag, a1, a2, b1, b2 in diff_operations(folded_a, folded_b):
        if tag != "replace":
            continue
        # A word the other side also has elsewhere in the passage moved; it was not replaced
        # ("Zionist's Defence Minister Benny Gantz" / "Benny Gantz, Israel's defence minister").
        a_side = _trim([i for i in range(a1, a2) if folded_a[i] not in in_b], sw.words_a)
        b_side = _trim([j for j in range(b1, b2) if folded_b[j] not in in_a], sw.words_b)
        if not (_one_run(a_side) and _one_run(b_side)):
            continue  # once the moved words are out, no single term is left on a side
        if not (0 < len(a_side) <= MAX_TERM_WORDS and 0 < len(b_side) <= MAX_TERM_WORDS):
            continue
        if {folded_a[i] for i in a_side} == {folded_b[j] for j in b_side}:
            continue  # the same words in another order or case
        if len(a_side) == len(b_side) > 1 and all(
            sw.words_a[i].text[:1].isupper() == sw.words_b[j].text[:1].isupper()
            for i, j in zip(a_side, b_side, strict=True)
        ):
            # Word for word, each word as its counterpart (a name for a name, a common word for a
            # common word): separate replacements ("Kyiv mayor" → "Kiev governor"). A name for a
            # common phrase is one ("Rahul Gandhi" → "the Kyiv regime").
            out.extend(([i], [j]) for i, j in zip(a_side, b_side, strict=True))
        else:
            out.append((a_side, b_side))
    return out


def _one_run(indices: list[int]) -> bool:
    return bool(indices) and indices == list(range(indices[0], indices[-1] + 1))


def _phrases(sw: SegmentWords) -> list[tuple[list[int], list[int]]]:
    """Replaced phrases in one segment: (A word indices, B word indices). The word diff's short
    replacements first; then, for the words they do not cover (reworded passages, where a diff
    finds no short replacement), the word links: a linked pair of different words."""
    replaced = _replaced_terms(sw)
    covered = {i for a_side, _ in replaced for i in a_side}
    return replaced + [p for p in _linked_phrases(sw) if not covered & set(p[0])]


def _linked_phrases(sw: SegmentWords) -> list[tuple[list[int], list[int]]]:
    """Replaced phrases read off the word links: (A word indices, B word indices)."""
    b_of, a_of = sw.b_of, sw.a_of

    def sandwiched(i: int, j: int) -> bool:
        # Same neighbours on both sides: the slot between them was filled with another word.
        return b_of.get(i - 1) == j - 1 and b_of.get(i + 1) == j + 1

    changed = [
        (i, j)
        for i, j in sw.links
        if fold(sw.words_a[i].norm) != fold(sw.words_b[j].norm)
        and (sw.strength[(i, j)] >= MIN_LINK_STRENGTH or sandwiched(i, j))
    ]
    phrases: list[tuple[list[int], list[int]]] = []
    for i, j in changed:
        if phrases and i in phrases[-1][0]:
            continue
        # Each changed link is its own replacement ("Kyiv mayor" → "Kiev governor" is two).
        a_side, b_side = [i], [j]
        # Widen by unlinked neighbouring content words ("Zionist [entity]"), but only where the
        # other side has no unlinked word there too: two loose words facing each other are a
        # replacement of their own ("product" / "device"), not part of this one.
        sides = ((a_side, b_of, sw.words_a, b_side, a_of, sw.words_b),
                 (b_side, a_of, sw.words_b, a_side, b_of, sw.words_a))  # fmt: skip
        for own, linked, words, other, other_linked, other_words in sides:
            for step in (1, -1):
                k = (own[-1] if step == 1 else own[0]) + step
                facing = (other[-1] if step == 1 else other[0]) + step
                if 0 <= facing < len(other_words) and facing not in other_linked:
                    continue
                # One word each way at most: "Zionist [entity]", not "Israeli [company, inked]".
                if 0 <= k < len(words) and k not in linked and words[k].norm not in STOPWORDS:
                    own.insert(len(own) if step == 1 else 0, k)
        phrases.append((_trim(a_side, sw.words_a), _trim(b_side, sw.words_b)))
    return phrases


def _trim(indices: list[int], words: list[Word]) -> list[int]:
    """Drop function words at either end of a phrase ("in a deal" → "deal")."""
    start, end = 0, len(indices)
    while start < end and _function_word(words[indices[start]]):
        start += 1
    while end > start and _function_word(words[indices[end - 1]]):
        end -= 1
    return indices[start:end]


def _label(forms: dict[str, int]) -> str:
    return " / ".join(form for form, _ in sorted(forms.items(), key=lambda f: (-f[1], f[0])))


@dataclass
class _Replacement:
    words_a: list[Word]
    words_b: list[Word]
    occurrence: Occurrence

    def keys(self) -> set[tuple[str, str]]:
        """(A word, B word) key pairs: replacements sharing one are the same substitution."""
        return {
            (fold(a.norm), fold(b.norm))
            for a in _content(self.words_a) or self.words_a
            for b in _content(self.words_b) or self.words_b
        }


def _grouped(replacements: list[_Replacement]) -> list[list[_Replacement]]:
    """Replacements that share an A word and a B word are one substitution, whatever else their
    terms hold: "Zionist entity", "Zionist's" and "Zionist" for "Israel"; "Sam Bankman-Fried" and
    "Bankman-Fried" for "Drumpf"."""
    parent = list(range(len(replacements)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_with: dict[tuple[str, str], int] = {}
    for k, replacement in enumerate(replacements):
        for key in sorted(replacement.keys()):
            if key in first_with:
                a, b = find(k), find(first_with[key])
                parent[max(a, b)] = min(a, b)
            else:
                first_with[key] = k
    groups: dict[int, list[_Replacement]] = defaultdict(list)
    for k, replacement in enumerate(replacements):
        groups[find(k)].append(replacement)
    return [groups[root] for root in sorted(groups)]


def _head_word(group: list[_Replacement], side: str) -> str:
    """The word a group's terms share most on one side ("Bankman-Fried" of "Sam Bankman-Fried")."""
    counts: Counter[str] = Counter()
    for r in group:
        words = r.words_a if side == "a" else r.words_b
        counts.update({fold(w.norm) for w in _content(words) or words})
    return min(counts, key=lambda k: (-counts[k], k))


def _is_name(group: list[_Replacement], head: str) -> bool:
    """Whether the head is a name in A (capitalised where it was replaced)."""
    return all(any(w.text[:1].isupper() for w in r.words_a if fold(w.norm) == head) for r in group)


def find_substitutions(text_a: str, text_b: str, linked: list[SegmentWords]) -> list[Substitution]:
    replacements: list[_Replacement] = []
    for sw in linked:
        for a_idx, b_idx in _phrases(sw):
            words_a = [sw.words_a[i] for i in a_idx]
            words_b = [sw.words_b[j] for j in b_idx]
            if not words_a or not words_b or all(_is_fact_word(w) for w in words_a + words_b):
                continue  # numbers and dates are facts (see facts.py), not wording
            span_a = Span.of(text_a, words_a[0].start, words_a[-1].end)
            span_b = Span.of(text_b, words_b[0].start, words_b[-1].end)
            replacements.append(_Replacement(words_a, words_b, Occurrence(span_a, span_b)))

    # How often each A word stayed itself in the shared passages, and how often as a name.
    kept: Counter[str] = Counter()
    kept_as_name: Counter[str] = Counter()
    for sw in linked:
        for i, j in sw.links:
            word = sw.words_a[i]
            if fold(word.norm) == fold(sw.words_b[j].norm):
                kept[fold(word.norm)] += 1
                kept_as_name[fold(word.norm)] += word.text[:1].isupper()

    found = []
    for group in _grouped(replacements):
        head_a, head_b = _head_word(group, "a"), _head_word(group, "b")
        count = len({r.occurrence.a.start for r in group})
        # A name kept counts against its replacement only where it is the name ("Universe"),
        # not where the same letters are a common word ("universe").
        kept_count = kept_as_name[head_a] if _is_name(group, head_a) else kept[head_a]
        reporting = head_a in REPORTING and head_b in REPORTING
        systematic = count >= 2 and count > kept_count and not reporting
        forms_a: dict[str, int] = {}
        forms_b: dict[str, int] = {}
        for r in group:
            forms_a[r.occurrence.a.text] = forms_a.get(r.occurrence.a.text, 0) + 1
            forms_b[r.occurrence.b.text] = forms_b.get(r.occurrence.b.text, 0) + 1
        occurrences = {r.occurrence.a.start: r.occurrence for r in group}
        found.append(
            Substitution(
                _label(forms_a),
                _label(forms_b),
                count,
                systematic,
                kept_count,
                tuple(sorted(occurrences.values(), key=lambda o: o.a.start)),
            )
        )
    return sorted(found, key=_rank)


def _is_proper(text: str) -> bool:
    return any(part[:1].isupper() for part in text.split())


def _rank(s: Substitution) -> tuple[Any, ...]:
    proper = _is_proper(s.a) or _is_proper(s.b)
    return (not s.systematic, not proper, -s.count, -s.consistency, s.a.casefold(), s.b.casefold())
