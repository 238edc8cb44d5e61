"""How the index's cross-language candidate lookup (wiretrace/store/across.py) grows with the index.

An index database is filled with N English documents and 50 Spanish ones, then a batch of 1,000
English and 10 Spanish documents is stored and its cross-language candidates are looked up (the
step ``index add`` runs inside its transaction; nothing is verified). The documents are synthetic
anchor sets, not text, and deliberately unkind: each holds 6 names of its story (N/5 stories, so
about 5 documents hold each), 20 names drawn from 301 (each held by about N/15 documents: under
the 10% rarity bar, so all of them "rare") and two that every document holds. A real crawl has
fewer mid-frequency names per article; the table bounds the cost from above.

Run: python bench/index_languages.py [N ...]   (default: 10000 100000)
"""

from __future__ import annotations

import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from wiretrace.scan.languages import Tongue
from wiretrace.scan.stages import Prepared
from wiretrace.store.across import cross_language_candidates, store_anchors
from wiretrace.store.sqlite import open_database
from wiretrace.text.documents import Document


def tongue(rng: random.Random, language: str, story: int) -> Tongue:
    names = {f"name{story}-{k}" for k in range(6)}
    names |= {f"common{rng.randint(0, 300)}" for _ in range(20)}
    return Tongue(language, frozenset(names | {"#2023", "monday"}))


def fill(
    db: sqlite3.Connection, first: int, n: int, language: str, rng: random.Random, stories: int
) -> list[Prepared]:
    stored = []
    for k in range(first, first + n):
        doc_id = f"{language}{k}"
        t = tongue(rng, language, rng.randint(0, stories))
        cursor = db.execute("INSERT INTO documents (id, sha, text) VALUES (?, '', '')", (doc_id,))
        rowid = int(cursor.lastrowid or 0)
        db.execute("INSERT INTO languages (doc, code) VALUES (?, ?)", (rowid, language))
        store_anchors(db, rowid, t)
        stored.append(Prepared(Document(doc_id, ""), [], set(), [], [], t))
    return stored


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    print(
        f"# Cross-language lookup in the index, {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores\n"
    )
    print("| stored documents | batch | candidate pairs | seconds |")
    print("|---|---|---|---|")
    for n in sizes:
        rng = random.Random(1)
        with tempfile.TemporaryDirectory() as folder:
            db = open_database(Path(folder), create=True)
            db.execute("BEGIN")
            fill(db, 0, n, "en", rng, n // 5)
            fill(db, 0, 50, "es", rng, n // 5)
            db.execute("COMMIT")
            db.execute("BEGIN")
            batch = fill(db, n, 1000, "en", rng, n // 5) + fill(db, 50, 10, "es", rng, n // 5)
            start = time.perf_counter()
            pairs = cross_language_candidates(db, batch, stored=True)
            seconds = time.perf_counter() - start
            db.execute("ROLLBACK")
            db.close()
        print(f"| {n:,} | 1,000 en + 10 es | {len(pairs):,} | {seconds:.1f} |", flush=True)


if __name__ == "__main__":
    main()
