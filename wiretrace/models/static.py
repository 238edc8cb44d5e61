"""Cheap sentence vectors for finding candidates in a corpus: a static model distilled from MiniLM.

Embedding every sentence of a large corpus with MiniLM costs about 2.3 ms a sentence here. A static
model (one vector per word piece, averaged) distilled from the same MiniLM with model2vec runs tens
of thousands of sentences a second; it is good enough to *find* paraphrased copies, and MiniLM
then verifies every candidate pair. The distillation runs once, offline, from the packaged weights
(about half a minute) and is kept in the cache directory beside the ONNX encoder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wiretrace.cache import cache_dir
from wiretrace.errors import ModelError
from wiretrace.models.embed import (
    building,
    ensure_built,
    missing_build_extra,
    packaged_model_dir,
    quiet,
    remove_stale,
    weights_fingerprint,
)

if TYPE_CHECKING:
    from wiretrace.models.embed import Vectors

PCA_DIMS = 256


def static_path(model_dir: Path | None = None) -> Path:
    model_dir = model_dir or packaged_model_dir()
    return cache_dir() / f"all-minilm-l6-v2-static{PCA_DIMS}-{weights_fingerprint(model_dir)}"


def build_static(model_dir: Path, target: Path) -> None:
    try:
        from model2vec.distill import distill
    except ImportError as error:
        raise ModelError(missing_build_extra("the static sentence model", error.name)) from None
    target.parent.mkdir(parents=True, exist_ok=True)
    with building("the static sentence model", "about half a minute", target):
        with quiet():
            model = distill(model_name=str(model_dir), pca_dims=PCA_DIMS)
        with tempfile.TemporaryDirectory(dir=target.parent) as work:
            staging = Path(work) / "model"
            model.save_pretrained(str(staging))
            if target.exists():
                shutil.rmtree(target)
            os.replace(staging, target)  # atomic: never a half-written model
    remove_stale(target, f"all-minilm-l6-v2-static{PCA_DIMS}-*")


class StaticEncoder:
    """Static word-piece vectors, mean-pooled and L2-normalised."""

    name = f"all-MiniLM-L6-v2 distilled to static {PCA_DIMS}-d (model2vec)"

    def __init__(self, path: Path) -> None:
        from model2vec import StaticModel

        self._model: Any = StaticModel.from_pretrained(str(path))

    def encode(self, texts: list[str]) -> Vectors:
        import numpy as np

        if not texts:
            return np.zeros((0, PCA_DIMS), dtype=np.float32)
        vectors = np.asarray(self._model.encode(texts, show_progress_bar=False), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.asarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)


_STATIC: StaticEncoder | None = None


def default_static_encoder() -> StaticEncoder:
    global _STATIC
    if _STATIC is None:
        model_dir = packaged_model_dir()
        path = static_path(model_dir)
        ensure_built(
            "static sentence model",
            path,
            (path / "model.safetensors").exists(),
            lambda: build_static(model_dir, path),
        )
        _STATIC = StaticEncoder(path)
    return _STATIC
