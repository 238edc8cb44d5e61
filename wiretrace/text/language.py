"""Which language a text is written in, offline and in microseconds (Google's CLD2, ``pycld2``).

Chosen over py3langid (0.45 s to decompress its model in every process, which would double the
time of a one-pair ``compare``) and lingua: on the 267 real pages of reprints-dev and
reprints-more CLD2 names every page's language as the labels do (en 246, de 9, es 5, hi 3, ar 2,
fr 1, no 1; BBC Pidgin is read as English, which its words mostly are), and every text of
bench/data/translations, in 0.05 ms a page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

#: The code for "could not tell": too little text, or no script CLD2 knows.
UNKNOWN = "und"


@dataclass(frozen=True)
class Language:
    """The main language of a text (the one most of its bytes are in): ISO 639-1 code, ``und``
    when CLD2 cannot tell (too little text, or a script it does not know), and its name.

    CLD2's own "reliable" flag is not used: it is off for real pages whose names and titles are
    in another language (Bernama's English with Malay honorifics: 44-74% of the text in the main
    language), which are still in that language."""

    code: str
    name: str

    @property
    def known(self) -> bool:
        return self.code != UNKNOWN


UNDETERMINED = Language(UNKNOWN, "unknown")


@lru_cache(maxsize=1024)
def detect(text: str) -> Language:
    """The main language of ``text`` (the last texts asked about are remembered: a scan asks
    about each document once per pair it is in)."""
    import pycld2  # C extension with its tables compiled in: imports in 2 ms

    # Unpaired surrogates (from a broken decoder) cannot go to C as UTF-8: drop them first.
    clean = text.encode("utf-8", "ignore").decode("utf-8")
    try:
        _, _, details = pycld2.detect(clean)
    except pycld2.error:  # bytes CLD2 refuses (control characters it treats as invalid)
        return UNDETERMINED
    name, code, _, _ = details[0]
    # CLD2 names a few languages by longer codes ("zh-Hant", "xx-Qaai"): keep the language part.
    code = code.split("-")[0]
    if code in ("un", "xx", ""):
        return UNDETERMINED
    return Language(code, name.replace("_", " ").capitalize())


def differ(a: Language, b: Language) -> bool:
    """Whether two texts are in different languages (both known)."""
    return codes_differ(a.code, b.code)


def main_language(codes: Iterable[str]) -> str | None:
    """The language most texts are in (ties: the first code alphabetically); ``None`` when no
    text's language is known."""
    return main_of_counts(Counter(codes))


def main_of_counts(counts: Mapping[str, int]) -> str | None:
    """:func:`main_language` from how many texts are in each language."""
    known = {code: n for code, n in counts.items() if code != UNKNOWN and n > 0}
    if not known:
        return None
    return min(known, key=lambda code: (-known[code], code))


def codes_differ(a: str, b: str) -> bool:
    """:func:`differ` for language codes."""
    return UNKNOWN not in (a, b) and a != b
