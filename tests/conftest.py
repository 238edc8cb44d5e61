"""Shared fixtures: the seed articles, articles written for the tests, one loaded Comparer, and
the benchmark's corpus of reprint families built from real text."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from wiretrace import Comparer, Document, read_document
from wiretrace.comparer import Comparison

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "examples" / "seeds"
DATA = SHARED / "data"
ARTICLES = Path(__file__).resolve().parent / "articles"
SEED_A = SEEDS / "000_a59e668317105786.txt"
SEED_B = SEEDS / "001_53f5005e8be909a9.txt"
BENCH = ROOT / "bench" / "families_corpus.py"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Build both models into the cache once, before any test, so that no test pays for the
    export or the distillation (about half a minute on a fresh machine) inside its own time."""
    from wiretrace.models.embed import default_encoder
    from wiretrace.models.static import default_static_encoder

    default_encoder()
    default_static_encoder()


def real_corpus(n: int) -> list[Document]:
    """``n`` articles in reprint families, from bench/families_corpus.py (real text, seeded)."""
    spec = importlib.util.spec_from_file_location("families_corpus", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["families_corpus"] = module
    spec.loader.exec_module(module)
    return [Document(d.id, d.text) for d in module.build(n, seed=5)]


@pytest.fixture(scope="session")
def comparer() -> Comparer:
    return Comparer()


@pytest.fixture(scope="session")
def seed_a() -> Document:
    return read_document(SEED_A)


@pytest.fixture(scope="session")
def seed_b() -> Document:
    return read_document(SEED_B)


@pytest.fixture(scope="session")
def seeds(comparer: Comparer, seed_a: Document, seed_b: Document) -> Comparison:
    return comparer.compare(seed_a, seed_b)


def article(name: str) -> Document:
    return read_document(ARTICLES / name)
