"""Word tokens with their offsets: the original form and the normalised form side by side."""

from __future__ import annotations

import re
from dataclasses import dataclass

from wiretrace.text.debris import clean_word
from wiretrace.text.documents import normalise

# A word keeps inner apostrophes and hyphens ("Maddy-Weitzman", "Zionist's", "state-of-art");
# numbers keep their separators ("2.5", "1,000"); any other non-space character is its own token.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|\w+(?:['\u2019\-]\w+)*|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str  # exactly as in the document: text[start:end]
    norm: str  # quotes and dashes straightened, case kept

    @property
    def is_word(self) -> bool:
        return self.norm[:1].isalnum()


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of ``text[start:end]`` with offsets into ``text``."""
    stop = len(text) if end is None else end
    # Most tokens are plain ASCII and need no normalising: skip the work for them.
    return [
        Token(m.start(), m.end(), g, clean_word(g if g.isascii() else normalise(g)))
        for m in _TOKEN.finditer(text, start, stop)
        for g in (m.group(),)
    ]


def word_strings(text: str) -> list[str]:
    """The word tokens of an already normalised text, as strings (punctuation left out)."""
    return [m.group() for m in _TOKEN.finditer(text) if m.group()[:1].isalnum()]
