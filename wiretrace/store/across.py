"""Candidate pairs across languages in the index: the scan's rule
(:mod:`wiretrace.scan.languages`: two documents in different languages, one not in the main
language, sharing rare names and figures), looked up in the index's ``anchors`` table from the
side of the documents being added or queried, so that an add costs what its own documents hold,
not what the index holds.

Rarity and the main language are those of the index as it stands after the add (the batch
counted in). A pair is judged once, when the later of its two documents arrives; a pair of
documents added earlier is not judged again when later adds change which anchors are rare or
which language is the main one. Adding in batches therefore gives one scan's pairs as long as the
batches do not change those two things for them (tests/test_index.py checks a corpus in three
languages added in three batches).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence

from wiretrace.scan.candidates import Pair, pair
from wiretrace.scan.languages import (
    Tongue,
    best_partners,
    enough,
    rare_limit,
    shared_weights,
    tongue_of,
)
from wiretrace.scan.stages import Prepared
from wiretrace.store.sqlite import rows_in
from wiretrace.text.language import main_of_counts

#: The meta key saying that every stored document's anchors are in the ``anchors`` table (an
#: index written before they were kept gets them at its next add).
ANCHORS_KEPT = "anchors_kept"


def covered_languages() -> frozenset[str]:
    from wiretrace.models.multilingual import COVERED_LANGUAGES

    return COVERED_LANGUAGES


def store_anchors(db: sqlite3.Connection, rowid: int, tongue: Tongue) -> None:
    """Keep a document's anchors (only in a language the multilingual encoder covers: the others
    are never candidates across languages, and are not counted when rarity is judged)."""
    if tongue.language in covered_languages():
        db.executemany(
            "INSERT INTO anchors (anchor, doc) VALUES (?, ?)",
            [(a, rowid) for a in sorted(tongue.anchors)],
        )


def backfill_anchors(db: sqlite3.Connection) -> None:
    """Give the documents of an index written before anchors were kept their languages and
    anchors, from the stored texts (once: the meta key records it). Inside the add's
    transaction."""
    if db.execute("SELECT 1 FROM meta WHERE key = ?", (ANCHORS_KEPT,)).fetchone():
        return
    known = {r[0] for r in db.execute("SELECT doc FROM languages")}
    db.execute("DELETE FROM anchors")
    for rowid, text in db.execute("SELECT rowid, text FROM documents").fetchall():
        tongue = tongue_of(text)
        if rowid not in known:
            db.execute("INSERT INTO languages (doc, code) VALUES (?, ?)", (rowid, tongue.language))
        store_anchors(db, rowid, tongue)
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, '1')", (ANCHORS_KEPT,))


class _Lookup:
    """Anchor counts and holders read from the index (plus documents not stored: a query),
    each anchor read once. Holders in ``skip`` are not read: a document in the main language
    looks only for partners in the others, which in a large index are a few among many."""

    def __init__(
        self, db: sqlite3.Connection, limit: int, extra: Sequence[Prepared], skip: str = ""
    ) -> None:
        self.db = db
        self.limit = limit
        self.skip = skip
        self.extra = [p for p in extra if p.tongue.language in covered_languages()]
        self._read_already: set[str] = set()
        self._holders: dict[str, list[tuple[str, str]]] = {}  # of the rare anchors only

    def _read(self, wanted: Sequence[str]) -> None:
        missing = sorted(a for a in wanted if a not in self._read_already)
        if not missing:
            return
        counts = Counter[str]()
        for anchor, n in rows_in(
            self.db,
            "SELECT anchor, COUNT(*) FROM anchors WHERE anchor IN ({marks}) GROUP BY anchor",
            missing,
        ):
            counts[anchor] = int(n)
        for p in self.extra:
            counts.update(p.tongue.anchors & set(missing))
        rare = [a for a in missing if counts[a] <= self.limit]
        holders: dict[str, list[tuple[str, str]]] = {a: [] for a in rare}
        sql = (
            "SELECT a.anchor, d.id, l.code FROM anchors a JOIN documents d ON d.rowid = a.doc "
            "JOIN languages l ON l.doc = a.doc WHERE a.anchor IN ({marks}) AND l.code != ?"
        )
        for anchor, doc_id, code in rows_in(self.db, sql, rare, [self.skip]):
            holders[anchor].append((doc_id, code))
        for p in self.extra:
            for anchor in p.tongue.anchors & holders.keys():
                if p.tongue.language != self.skip:
                    holders[anchor].append((p.doc.id, p.tongue.language))
        self._read_already.update(missing)
        self._holders.update(holders)

    def shared(self, tongue: Tongue) -> Counter[str]:
        """What the rare anchors each document in another language shares with this one weigh."""
        self._read(sorted(tongue.anchors))
        return shared_weights(tongue, lambda anchor: self._holders.get(anchor, ()))

    def stored_tongue(self, doc_id: str) -> Tongue:
        sql = (
            "SELECT l.code, a.anchor FROM documents d JOIN languages l ON l.doc = d.rowid "
            "JOIN anchors a ON a.doc = d.rowid WHERE d.id = ?"
        )
        rows = self.db.execute(sql, (doc_id,)).fetchall()
        return (
            Tongue(rows[0][0], frozenset(r[1] for r in rows))
            if rows
            else Tongue("und", frozenset())
        )


def language_counts(db: sqlite3.Connection) -> Counter[str]:
    """How many stored documents are in each language."""
    return Counter[str](dict(db.execute("SELECT code, COUNT(*) FROM languages GROUP BY code")))


def cross_language_candidates(
    db: sqlite3.Connection,
    probes: Sequence[Prepared],
    *,
    stored: bool,
    stored_counts: Counter[str] | None = None,
) -> set[Pair]:
    """Pairs (probe, document in the index or among the probes) in two languages, by the scan's
    rule. ``stored``: the probes are already in the index (an add, inside its transaction);
    otherwise (a query) they are counted in as if they were, and each is looked up from its own
    side only. ``stored_counts``: :func:`language_counts`, when the caller keeps them."""
    covered = covered_languages()
    counts = Counter(stored_counts) if stored_counts is not None else language_counts(db)
    if not stored:
        counts.update(p.tongue.language for p in probes)
    main = main_of_counts(counts)
    usable = {code for code, n in counts.items() if code in covered and n > 0}
    if main is None or len(usable) < 2:
        return set()
    limit = rare_limit(sum(counts[c] for c in usable))
    lookup = _Lookup(db, limit, [] if stored else probes)
    from_main = _Lookup(db, limit, [], skip=main)
    pairs: set[Pair] = set()
    partners_of: dict[str, list[str]] = {}  # a stored document's own best partners, once
    for probe in probes:
        tongue = probe.tongue
        if tongue.language not in covered:
            continue
        if tongue.language != main or not stored:
            shared = lookup.shared(tongue)
            pairs.update(pair(probe.doc.id, other) for other in best_partners(shared))
            continue
        shared = from_main.shared(tongue)
        # A document in the main language is a candidate of each document in another language
        # that keeps it among its own best partners (the scan looks from that side only).
        for other in sorted(o for o, n in shared.items() if enough(n)):
            if other not in partners_of:
                partners_of[other] = best_partners(lookup.shared(lookup.stored_tongue(other)))
            if probe.doc.id in partners_of[other]:
                pairs.add(pair(probe.doc.id, other))
    return pairs
