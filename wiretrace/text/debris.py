"""Scraping debris: text a scraper glued to words, undone in the keys used for matching.

Web copies of an article come with the page's debris: link-icon text glued to the linked word
("Moroccolink", "visitlink"), words run together where a tag was dropped ("Bankman-Friedthe"),
JSON escapes left in place ("\\u2019", "<\\/p>"). Read literally, every such word is a replaced
word, and a verbatim copy looks edited or reworded. These repairs apply only to the normalised
key that matching compares (:attr:`~wiretrace.text.segment.Unit.key`); the text and its offsets
are never changed.

A repair needs evidence: the function words split off are ones no common English word ends in,
but for a listed few ("breathe"); a word used more than twice is left alone; a capitalised word
(a name: "Forsythe") is split only when its first part occurs on its own in the document.
"""

from __future__ import annotations

import re
from collections import Counter

from wiretrace.lexicon import LINK_WORDS, RUN_TOGETHER_TAILS, RUN_TOGETHER_WORDS

_WORD = re.compile(r"\w+(?:['’\-]\w+)*")
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_ESCAPED_TAG = re.compile(r"<\\?/?[a-zA-Z][a-zA-Z0-9]*\s*\\?/?>")
_LINKED = re.compile(r"\b(\w{3,}?)link\b")
_TAILS = "|".join(sorted(RUN_TOGETHER_TAILS, key=len, reverse=True))
_RUN_TOGETHER = re.compile(rf"\b([\w'’\-]*?(\w{{4,}}))({_TAILS})\b")


def clean_word(word: str) -> str:
    """One word without the debris a scraper can glue to a single word: link-icon text
    ("Moroccolink" → "Morocco"), JSON escapes ("Israel\\u2019s" → "Israel’s"). For comparing words
    (word diffs, word links); the text keeps what it says."""
    if "\\" in word:
        word = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), word)
    if word.casefold().endswith("link") and word.casefold() not in LINK_WORDS:
        stem = word[:-4]
        if len(stem) >= 3 and stem.isalpha():
            return stem
    return word


def vocabulary(text: str) -> Counter[str]:
    """How often each word occurs in the document, case-folded."""
    return Counter(w.casefold() for w in _WORD.findall(text))


def repair(key: str, words: Counter[str]) -> str:
    """``key`` (a normalised unit text) with scraping debris undone; ``words`` is the document's
    :func:`vocabulary`."""
    if "\\" in key:
        key = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), key)
        key = _ESCAPED_TAG.sub(" ", key).replace("\\n", " ")
    if "link" in key:
        key = _LINKED.sub(
            lambda m: m.group(0) if m.group(0).casefold() in LINK_WORDS else m.group(1), key
        )

    def split(m: re.Match[str]) -> str:
        whole, stem = m.group(0), m.group(2)
        if whole.casefold() in RUN_TOGETHER_WORDS or words[whole.casefold()] > 2:
            return whole
        # A lower-case word is split on its form; a name only when its first part occurs alone.
        if whole.islower() or words[stem.casefold()] > 0:
            return f"{m.group(1)} {m.group(3)}"
        return whole

    key = _RUN_TOGETHER.sub(split, key)
    return " ".join(key.split())
