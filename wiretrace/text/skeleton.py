"""Consonant skeletons: a name written in Devanagari and the same name written in Latin letters
reduced to the same key ("शामखानी" and "Shamkhani" are both ``smkn``; "वांग" and "Wang" ``vng``;
"मोहम्मद" and "Mohammed" ``mhmd``).

Vowels are dropped (Devanagari marks them inconsistently and English spells them in many ways),
aspiration and the Devanagari dot (nukta) are ignored, consonants that spellings confuse are one
class (w and v; c, k, q and x; f and p; z and j; the three sibilants), and a doubled consonant is one.
The keys are coarse on purpose: a scan uses them only to propose candidate pairs across scripts,
which the multilingual encoder then verifies. Written for the Hindi pages of reprints-dev, whose
names (Shamkhani, Wang Yi, Musaad) meet their English copies' this way (bench/translation_eval.py).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: Languages written in Devanagari: their words are read as skeletons.
DEVANAGARI_LANGUAGES = frozenset({"hi", "mr", "ne"})

#: A skeleton shorter than this says too little to match on ("Iran" is ``rn``).
MIN_SKELETON = 3

# Letters with a nukta (क़, ज़, फ़, ड़) come apart under NFC into the letter and the dot, so they
# read as the letter.
_DEVANAGARI = {
    letter: sound
    for letters, sound in (
        ("कख", "k"),
        ("गघ", "g"),
        ("ङञणन", "n"),
        ("चछ", "c"),
        ("जझ", "j"),
        ("टठतथ", "t"),
        ("डढदध", "d"),
        ("पफ", "p"),
        ("बभ", "b"),
        ("म", "m"),
        ("य", "y"),
        ("र", "r"),
        ("ल", "l"),
        ("व", "v"),
        ("शषस", "s"),
        ("ह", "h"),
        ("ंँ", "n"),  # anusvara and chandrabindu: a nasal, as English spells it ("Bengaluru")
    )
    for letter in letters
}

_LATIN = str.maketrans({"w": "v", "c": "k", "q": "k", "f": "p", "z": "j", "x": "k", "C": "c"})
_VOWELS = frozenset("aeiou")


def _collapse(sounds: list[str]) -> str:
    return "".join(s for k, s in enumerate(sounds) if k == 0 or sounds[k - 1] != s)


@lru_cache(maxsize=1 << 16)
def devanagari_skeleton(word: str) -> str:
    """The consonant classes of a word in Devanagari (other characters ignored)."""
    return _collapse(
        [_DEVANAGARI[ch] for ch in unicodedata.normalize("NFC", word) if ch in _DEVANAGARI]
    )


@lru_cache(maxsize=1 << 16)  # a corpus names the same people and places again and again
def latin_skeleton(word: str) -> str:
    """The consonant classes of a word in Latin letters (accents dropped; an h after a consonant
    is its aspiration or a digraph: "sh", "kh", "th", "ph" read as s, k, t, p)."""
    letters = "".join(
        ch for ch in unicodedata.normalize("NFKD", word.casefold()) if "a" <= ch <= "z"
    )
    # "ch" is one sound (च); a c alone is a k ("Cameron", "Jackson").
    letters = letters.replace("ch", "C").translate(_LATIN)
    sounds: list[str] = []
    for k, ch in enumerate(letters):
        previous, following = letters[k - 1 : k], letters[k + 1 : k + 2]
        if ch in _VOWELS or (ch == "h" and previous and previous not in _VOWELS):
            continue
        if ch == "y" and previous and following not in _VOWELS:
            continue  # a vowel there ("Zelensky", "Lyon"), a consonant before one ("Maya")
        sounds.append(ch)
    return _collapse(sounds)
