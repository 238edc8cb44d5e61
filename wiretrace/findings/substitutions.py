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

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from wiretrace.alignment.model import Span
from wiretrace.alignment.words import Word
from wiretrace.findings.links import SegmentWords
from wiretrace.lexicon import INFLECTIONS, REPORTING_VERBS, STOPWORDS

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


def _content(words: list[Word]) -> list[Word]:
    return [w for w in words if w.norm not in STOPWORDS]


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


def _phrases(sw: SegmentWords) -> list[tuple[list[int], list[int]]]:
    """Replaced phrases in one segment: (A word indices, B word indices)."""
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
    while start < end and words[indices[start]].norm in STOPWORDS:
        start += 1
    while end > start and words[indices[end - 1]].norm in STOPWORDS:
        end -= 1
    return indices[start:end]


def _head(words: list[Word]) -> str:
    content = _content(words) or words
    return fold(content[0].norm)


def _label(forms: dict[str, int]) -> str:
    return " / ".join(form for form, _ in sorted(forms.items(), key=lambda f: (-f[1], f[0])))


def find_substitutions(text_a: str, text_b: str, linked: list[SegmentWords]) -> list[Substitution]:
    groups: dict[tuple[str, str], list[Occurrence]] = defaultdict(list)
    forms: dict[tuple[str, str], tuple[dict[str, int], dict[str, int]]] = {}
    for sw in linked:
        for a_idx, b_idx in _phrases(sw):
            words_a = [sw.words_a[i] for i in a_idx]
            words_b = [sw.words_b[j] for j in b_idx]
            if not words_a or not words_b or all(w.norm[:1].isdigit() for w in words_a + words_b):
                continue  # numbers are facts (see facts.py), not wording
            key = (_head(words_a), _head(words_b))
            span_a = Span.of(text_a, words_a[0].start, words_a[-1].end)
            span_b = Span.of(text_b, words_b[0].start, words_b[-1].end)
            groups[key].append(Occurrence(span_a, span_b))
            fa, fb = forms.setdefault(key, ({}, {}))
            fa[span_a.text] = fa.get(span_a.text, 0) + 1
            fb[span_b.text] = fb.get(span_b.text, 0) + 1

    # How often each A head word stayed itself in the shared passages.
    kept: dict[str, int] = defaultdict(int)
    for sw in linked:
        for i, j in sw.links:
            if fold(sw.words_a[i].norm) == fold(sw.words_b[j].norm):
                kept[fold(sw.words_a[i].norm)] += 1

    found = []
    for key, occurrences in groups.items():
        count = len(occurrences)
        kept_count = kept.get(key[0], 0)
        reporting = key[0] in REPORTING and key[1] in REPORTING
        systematic = count >= 2 and count > kept_count and not reporting
        fa, fb = forms[key]
        found.append(
            Substitution(
                _label(fa),
                _label(fb),
                count,
                systematic,
                kept_count,
                tuple(sorted(occurrences, key=lambda o: o.a.start)),
            )
        )
    return sorted(found, key=_rank)


def _is_proper(text: str) -> bool:
    return any(part[:1].isupper() for part in text.split())


def _rank(s: Substitution) -> tuple[Any, ...]:
    proper = _is_proper(s.a) or _is_proper(s.b)
    return (not s.systematic, not proper, -s.count, -s.consistency, s.a.casefold(), s.b.casefold())
