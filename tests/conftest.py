"""Shared fixtures: the seed articles, articles written for the tests, one loaded Comparer."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiretrace import Comparer, Document, read_document
from wiretrace.results import Comparison

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "examples" / "seeds"
DATA = SHARED / "data"
ARTICLES = Path(__file__).resolve().parent / "articles"
SEED_A = SEEDS / "000_a59e668317105786.txt"
SEED_B = SEEDS / "001_53f5005e8be909a9.txt"


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
