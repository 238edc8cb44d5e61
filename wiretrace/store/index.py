"""The persistent index: a directory that a corpus is added to in batches and queried against.

On disk (format version 2, documented so that other tools can read it):

* ``wiretrace.sqlite``: the single source of truth. Tables ``meta`` (format version, wiretrace
  version), ``documents`` (id, sha256 of the text, text, outlet, date, title, url), ``sentences``
  (sentence hash → document), ``bands`` (MinHash band key → document), ``vectors`` (the static
  sentence vectors, quantised int16 blobs, with their sentence hash), ``edges`` (verified derived pairs with the units each side
  shares, as JSON lists), ``family_members`` (families of the current graph),
  ``family_origins`` (origins already worked out, by family id), ``languages`` (each document's
  language code) and ``anchors`` (the names and figures of documents in a language the
  multilingual encoder covers: candidates across languages, :mod:`wiretrace.store.across`).
* ``vectors.faiss`` + ``vectors.npz`` + ``vectors-<token>.npz`` + ``vectors.json``: a search
  index over ``vectors`` (faiss, with the sentence hashes and cells beside it), one small file of
  the vectors each later add stored and removed, and the stamp naming them
  (:mod:`wiretrace.store.vector_cache`); rebuilt from the table whenever the stamp disagrees
  with the database (so a crash between the two writes costs a rebuild, never a wrong answer).
* ``.lock``: held while adding; a second writer is refused with a clear message.

Every add is one SQLite transaction: a process killed in the middle leaves the index exactly as
before that add, and running the add again completes it. Adding an id already present with the
same text is a no-op; with another text it is an update.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from wiretrace.alignment.verdict import RELATION_ORDER
from wiretrace.comparer import Comparer
from wiretrace.errors import InputError
from wiretrace.progress import Progress, quiet
from wiretrace.scan.candidates import (
    DECIDE_GROUPS,
    Pair,
    judged_holders,
    pair,
    recurring_lines,
    semantic_decision_fast,
    sentence_hash,
    sentence_vectors,
    strongest_partners,
)
from wiretrace.scan.families import Edge, build_families
from wiretrace.scan.languages import tongue_of
from wiretrace.scan.nearest import SentenceSearch, cell_count, sample_rank
from wiretrace.scan.stages import (
    Prepared,
    ScanConfig,
    ScanResult,
    assign_origins,
    check_unique,
    prepare,
    verify,
)
from wiretrace.store.across import (
    backfill_anchors,
    cross_language_candidates,
    language_counts,
    store_anchors,
)
from wiretrace.store.sqlite import (
    FORMAT_VERSION,
    IndexStoreError,
    execute_in,
    open_database,
    rows_in,
    writer_lock,
)
from wiretrace.store.vector_cache import Delta, VectorCache
from wiretrace.text.documents import Document, normalise
from wiretrace.text.language import detect
from wiretrace.text.segment import segment


@dataclass(frozen=True)
class AddReport:
    added: int
    updated: int
    unchanged: int
    edges: int
    documents: int  # in the index after the add

    def to_dict(self) -> dict[str, int]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "edges": self.edges,
            "documents": self.documents,
        }


@dataclass(frozen=True)
class Match:
    id: str
    relation: str
    shared_query: float
    shared_match: float
    family: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "relation": self.relation,
            "shared_query": round(self.shared_query, 4),
            "shared_match": round(self.shared_match, 4),
            "family": self.family,
        }


@dataclass(frozen=True)
class QueryResult:
    query: str
    matches: list[Match]

    SCHEMA: ClassVar[str] = "wiretrace.query/1"

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": self.SCHEMA,
            "query": self.query,
            "matches": [m.to_dict() for m in self.matches],
        }


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sentence_keys(prepared: Sequence[Prepared]) -> list[int]:
    """The hash of each sentence that goes into the vector search, in order."""
    return [sentence_hash(normalise(t)) for p in prepared for t in p.sentences]


class Index:
    """A wiretrace index directory. Use :meth:`open` (or :meth:`create`) and close it after use."""

    def __init__(self, path: Path, connection: sqlite3.Connection, config: ScanConfig) -> None:
        self.path = path
        self.db = connection
        self.config = config
        self._comparer: Comparer | None = None
        self._search: SentenceSearch | None = None
        self._search_token = ""  # the database's vectors token the search reflects
        self._cache = VectorCache(path, FORMAT_VERSION)
        # Documents per language, and the state of the database they were counted in.
        self._counted_languages: tuple[tuple[int, int], Counter[str]] | None = None

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: str | Path, *, create: bool = False, config: ScanConfig | None = None
    ) -> Index:
        folder = Path(path)
        return cls(folder, open_database(folder, create=create), config or ScanConfig())

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def comparer(self) -> Comparer:
        if self._comparer is None:
            self._comparer = self.config.comparer()
        return self._comparer

    # -- lookups ----------------------------------------------------------------------------

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def _rowids(self, doc_ids: Sequence[str]) -> dict[str, int]:
        """The rowids of these stored documents."""
        return dict(self._rows_in("SELECT id, rowid FROM documents WHERE id IN ({marks})", doc_ids))

    def document(self, doc_id: str) -> Document:
        row = self.db.execute(
            "SELECT id, text, outlet, date, title, url FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            raise InputError(f"no document {doc_id!r} in {self.path}")
        return Document(*row)

    def _language_counts(self) -> Counter[str]:
        """:func:`~wiretrace.store.across.language_counts`, counted again only when the database
        changed: by this connection (its count of changes) or by another one (``data_version``).
        Counting reads every document's row: 25 ms of a 110 ms query at 100,000 articles."""
        state = (int(self.db.execute("PRAGMA data_version").fetchone()[0]), self.db.total_changes)
        if self._counted_languages is None or self._counted_languages[0] != state:
            self._counted_languages = (state, language_counts(self.db))
        return self._counted_languages[1]

    def _prepared(self, doc_id: str, cache: dict[str, Prepared]) -> Prepared:
        if doc_id not in cache:
            doc = self.document(doc_id)
            cache[doc_id] = Prepared(doc, segment(doc.text), set(), [], [])
        return cache[doc_id]

    # -- the vector search (a cache of the vectors table) -----------------------------------

    def _token(self) -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'vectors_token'").fetchone()
        return str(row[0]) if row else "none"

    def _vector_search(self) -> SentenceSearch:
        """The search over every stored vector: the cache (:mod:`wiretrace.store.vector_cache`)
        when its stamp matches the database's token, else rebuilt from the table (and the cache
        rewritten). Cells are trained again whenever the index has outgrown the ones it has (or
        needs them for the first time). A search kept from an earlier call is used only while the
        database's token is still the one it was made for (another process may have added)."""
        token = self._token()
        if self._search is not None and self._search_token == token:
            return self._search
        search = self._cache.load(token)
        if search is None or self._outgrown(search):
            search = self._search_from_table()
            self._cache.save(search, token)
        self._search, self._search_token = search, token
        return search

    def _search_from_table(self) -> SentenceSearch:
        """A search built afresh over the vectors table as this connection sees it (inside an
        add, the new rows included), with cells when they are many."""
        import numpy as np

        rows = self.db.execute("SELECT rowid, hash, vector FROM vectors ORDER BY rowid").fetchall()
        vectors = (
            np.vstack([np.frombuffer(r[2], dtype=np.int16) for r in rows]).astype(np.float32)
            if rows
            else np.zeros((0, 256), dtype=np.float32)
        )
        ids = [int(r[0]) for r in rows]
        ranks = [(sample_rank("", i), "", i) for i in ids]
        return SentenceSearch.build(vectors, ids, [int(r[1]) for r in rows], ranks)

    @staticmethod
    def _outgrown(search: SentenceSearch) -> bool:
        """Exhaustive past the exact limit, or four times the vectors its cells were made for."""
        made_for = 1 if search.centroids is None else len(search.centroids)
        return cell_count(search.size) > 2 * made_for

    # -- candidates -------------------------------------------------------------------------

    def _rows_in(self, sql: str, values: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        return rows_in(self.db, sql, values)

    def _holders(self, table: str, column: str, values: Sequence[int]) -> dict[int, set[str]]:
        """For each key, the stored documents holding it."""
        holders: dict[int, set[str]] = {}
        sql = (
            f"SELECT t.{column}, d.id FROM {table} t JOIN documents d ON d.rowid = t.doc "
            f"WHERE t.{column} IN ({{marks}})"
        )
        for key, doc in self._rows_in(sql, values):
            holders.setdefault(key, set()).add(doc)
        return holders

    def _partner_lists(
        self, table: str, column: str, values: Sequence[int], probe: str, stored: bool
    ) -> list[list[str]]:
        """For each key the probe holds that stored documents hold too, what
        :func:`~wiretrace.scan.candidates.strongest_partners` reads of its holders: all of them,
        the probe included, in id order; or, for a key held by more than ``boilerplate_docs``,
        only the first ``hub_docs`` (all the rule counts there), so that a line every page
        carries costs the same however large the index grows."""
        cfg = self.config.candidates
        counts = self._holder_counts(table, column, values)
        extra = 0 if stored else 1  # a query's probe is not stored
        crowded = {k for k, n in counts.items() if n + extra > cfg.boilerplate_docs}
        ordinary = sorted(k for k in counts if k not in crowded)
        lists = [sorted(docs | {probe}) for docs in self._holders(table, column, ordinary).values()]
        for key in sorted(crowded):
            first = self._first_holders(table, column, key, cfg.hub_docs)
            lists.append(sorted({probe, *first})[: cfg.hub_docs])
        return lists

    def _holder_counts(self, table: str, column: str, values: Sequence[int]) -> dict[int, int]:
        """For each key, how many stored documents hold it (keys nobody holds are left out)."""
        sql = (
            f"SELECT {column}, COUNT(*) FROM {table} WHERE {column} IN ({{marks}}) "
            f"GROUP BY {column}"
        )
        return {int(key): int(count) for key, count in self._rows_in(sql, values)}

    def _first_holders(self, table: str, column: str, key: int, limit: int) -> list[str]:
        """The first ``limit`` stored documents, by id, holding the key."""
        rows = self.db.execute(
            f"SELECT d.id FROM {table} t JOIN documents d ON d.rowid = t.doc "
            f"WHERE t.{column} = ? ORDER BY d.id LIMIT ?",
            (key, limit),
        )
        return [row[0] for row in rows]

    def _owners(self, vector_ids: Sequence[int]) -> dict[int, tuple[str, int]]:
        """For stored vectors: (their document, their sentence hash)."""
        sql = (
            "SELECT v.rowid, d.id, v.hash FROM vectors v JOIN documents d ON d.rowid = v.doc "
            "WHERE v.rowid IN ({marks})"
        )
        return {rowid: (doc, key) for rowid, doc, key in self._rows_in(sql, vector_ids)}

    def _vector_counts(self, doc_ids: Sequence[str]) -> dict[str, int]:
        sql = (
            "SELECT d.id, COUNT(*) FROM vectors v JOIN documents d ON d.rowid = v.doc "
            "WHERE d.id IN ({marks}) GROUP BY d.id"
        )
        return {doc: int(count) for doc, count in self._rows_in(sql, doc_ids)}

    def _candidates(
        self,
        probes: Sequence[Prepared],
        vectors: Any,
        sentence_ids: Sequence[int],
        keys: Sequence[int],
        search: SentenceSearch,
        *,
        stored: bool,
    ) -> set[Pair]:
        """Pairs (probe, stored document) sharing evidence, by the same stages as scan.
        ``stored``: the probes are being added (stored already, inside the add's transaction),
        not queried.

        ``vectors`` are the probes' sentence vectors, in probe order, and ``sentence_ids`` their
        ids (their rowids when the probes are being stored, so that a sentence is one sentence
        whichever side finds it), ``keys`` their sentence hashes.
        """
        cfg = self.config.candidates
        pairs: set[Pair] = set()
        for probe in probes:
            # The scan's co-occurrence rule, from this document's side.
            for table, column, values, min_count in (
                ("sentences", "hash", sorted(probe.hashes), cfg.min_shared_sentences),
                ("bands", "key", sorted(set(probe.bands)), 1),
            ):
                partners = strongest_partners(
                    probe.doc.id,
                    self._partner_lists(table, column, values, probe.doc.id, stored),
                    len(values),
                    min_count,
                    cfg,
                )
                pairs.update(pair(probe.doc.id, other) for other in partners)
        if self.config.semantic and len(vectors):
            pairs |= self._semantic_candidates(probes, vectors, sentence_ids, keys, search)
        if self.config.semantic:
            pairs |= cross_language_candidates(
                self.db, probes, stored=stored, stored_counts=self._language_counts()
            )
        return pairs

    def _semantic_candidates(
        self,
        probes: Sequence[Prepared],
        vectors: Any,
        sentence_ids: Sequence[int],
        keys: Sequence[int],
        search: SentenceSearch,
    ) -> set[Pair]:
        """Scan's semantic decision over the probes' near-neighbour hits among stored vectors.
        A sentence is its id, whichever side finds it (a batch being added is stored already)."""
        import numpy as np

        hits = search.search(vectors, keys, self.config.candidates.semantic_threshold)
        stored = self._owners(np.unique(hits[:, 1]).tolist())
        owner = {i: doc for i, (doc, _) in stored.items()}
        owner.update(
            zip(sentence_ids, (p.doc.id for p in probes for _ in p.sentences), strict=True)
        )
        counts = self._vector_counts(sorted({doc for doc, _ in stored.values()}))
        counts.update({p.doc.id: len(p.sentences) for p in probes})
        doc_ids = sorted(counts)
        number = {d: k for k, d in enumerate(doc_ids)}
        hits = hits[np.isin(hits[:, 1], np.fromiter(stored, np.int64, len(stored)))]
        ids = np.stack([np.asarray(sentence_ids, dtype=np.int64)[hits[:, 0]], hits[:, 1]], axis=1)
        universe, rows = np.unique(ids, return_inverse=True)
        owner_of = np.asarray([number[owner[int(i)]] for i in universe], dtype=np.int64)
        per_doc = np.asarray([counts[d] for d in doc_ids], dtype=np.int64)
        # A query's hits are a few thousand: deciding them in groups (which bounds a whole
        # corpus's memory) would only add work; a large batch gets a group per 4 million hits.
        groups = min(DECIDE_GROUPS, 1 + len(hits) // (1 << 22))
        found = semantic_decision_fast(
            rows.reshape(-1, 2), owner_of, per_doc, self.config.candidates, groups
        )
        return {(doc_ids[a], doc_ids[b]) for a, b in found}

    # -- adding ----------------------------------------------------------------------------

    def add(self, documents: Sequence[Document], progress: Progress = quiet) -> AddReport:
        """Add documents (one transaction); ids already present are skipped, or updated when
        their text changed."""

        check_unique(documents)
        try:
            return self._add(documents, progress)
        except sqlite3.OperationalError as error:
            raise IndexStoreError(
                f"cannot write to {self.path}: {error} (is the disk full, or the directory read-only?); "
                "the index is as it was before this add"
            ) from None

    def _add(self, documents: Sequence[Document], progress: Progress) -> AddReport:
        import uuid

        import numpy as np

        with writer_lock(self.path):
            known = dict(
                self._rows_in(
                    "SELECT id, sha FROM documents WHERE id IN ({marks})", [d.id for d in documents]
                )
            )
            fresh = [d for d in documents if d.id not in known]
            changed = [d for d in documents if d.id in known and known[d.id] != _sha(d.text)]
            unchanged = len(documents) - len(fresh) - len(changed)
            todo = fresh + changed
            if not todo:
                return AddReport(0, 0, unchanged, 0, self.count())
            progress("preparing documents", 0, len(todo))
            prepared = prepare(todo, self.config, with_anchors=True)
            texts = [t for p in prepared for t in p.sentences]
            keys = _sentence_keys(prepared)
            if self.config.semantic and texts:
                from wiretrace.models.static import default_static_encoder

                vectors = sentence_vectors(default_static_encoder(), texts)
            else:
                vectors = np.zeros((0, 256), dtype=np.float32)
            search = self._vector_search()  # the committed vectors
            previous, token = self._search_token, uuid.uuid4().hex
            self.db.execute("BEGIN IMMEDIATE")
            try:
                removed, neighbours = self._remove([d.id for d in changed])
                backfill_anchors(self.db)
                rowids, vector_ids = self._insert(prepared, vectors, keys)
                search.remove(removed)
                cells = search.add(vectors, vector_ids, keys)
                delta: Delta | None = Delta(vectors, vector_ids, list(keys), removed, cells)
                if self._outgrown(search):
                    # A big add would otherwise search exhaustively (quadratic) or in cells
                    # made for a much smaller index.
                    search = self._search = self._search_from_table()
                    delta = None  # a new base
                pairs = self._candidates(prepared, vectors, vector_ids, keys, search, stored=True)
                edges = self._verify(pairs, prepared, progress)
                self._insert_edges(
                    edges, self._rowids(sorted({d for e in edges for d in (e.a, e.b)}))
                )
                self._store_families({*rowids.values(), *neighbours})
                self.db.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('vectors_token', ?)", (token,)
                )
                self.db.execute("COMMIT")
            except BaseException:
                # SQLite has already rolled back after some errors (a full disk among them).
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                self._search = None  # it holds vectors that were never committed
                raise
            self._search_token = token
            self._cache.save(search, token, delta, previous)
            return AddReport(len(fresh), len(changed), unchanged, len(edges), self.count())

    def _remove(self, ids: Sequence[str]) -> tuple[list[int], set[int]]:
        """Delete documents and everything derived from them; (the ids of their vectors, the
        rowids of the documents they had edges with: their families must be worked out again)."""
        removed: list[int] = []
        neighbours: set[int] = set()
        for doc_id in ids:
            (rowid,) = self.db.execute(
                "SELECT rowid FROM documents WHERE id = ?", (doc_id,)
            ).fetchone()
            removed.extend(
                r[0] for r in self.db.execute("SELECT rowid FROM vectors WHERE doc = ?", (rowid,))
            )
            neighbours.update(
                r[0]
                for r in self.db.execute(
                    "SELECT b FROM edges WHERE a = ? UNION SELECT a FROM edges WHERE b = ?",
                    (rowid, rowid),
                )
            )
            for table in (
                "sentences",
                "bands",
                "vectors",
                "languages",
                "anchors",
                "family_members",
            ):
                self.db.execute(f"DELETE FROM {table} WHERE doc = ?", (rowid,))
            self.db.execute("DELETE FROM edges WHERE a = ? OR b = ?", (rowid, rowid))
            self.db.execute("DELETE FROM documents WHERE rowid = ?", (rowid,))
        return removed, neighbours

    def _insert(
        self, prepared: Sequence[Prepared], vectors: Any, keys: Sequence[int]
    ) -> tuple[dict[str, int], list[int]]:
        """Store documents, their keys and vectors; (document rowids, vector rowids in order)."""
        import numpy as np

        rowids: dict[str, int] = {}
        owners = [p.doc.id for p in prepared for _ in p.sentences]
        for p in prepared:
            d = p.doc
            cursor = self.db.execute(
                "INSERT INTO documents (id, sha, text, outlet, date, title, url) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (d.id, _sha(d.text), d.text, d.outlet, d.date, d.title, d.url),
            )
            rowid = int(cursor.lastrowid or 0)
            rowids[d.id] = rowid
            self.db.executemany(
                "INSERT INTO sentences (hash, doc) VALUES (?, ?)",
                [(h, rowid) for h in sorted(p.hashes)],
            )
            self.db.executemany(
                "INSERT INTO bands (key, doc) VALUES (?, ?)",
                [(k, rowid) for k in sorted(set(p.bands))],
            )
            self.db.execute(
                "INSERT INTO languages (doc, code) VALUES (?, ?)", (rowid, p.tongue.language)
            )
            # A words-only add prepares no anchors; they are kept all the same, for later adds.
            store_anchors(self.db, rowid, p.tongue if self.config.semantic else tongue_of(d.text))
        vector_ids: list[int] = []
        if not len(vectors):  # the semantic stage is off: no vectors to keep
            return rowids, vector_ids
        for owner, key, vector in zip(owners, keys, vectors, strict=True):
            cursor = self.db.execute(
                "INSERT INTO vectors (doc, hash, vector) VALUES (?, ?, ?)",
                (rowids[owner], key, np.asarray(vector, dtype=np.int16).tobytes()),
            )
            vector_ids.append(int(cursor.lastrowid or 0))
        return rowids, vector_ids

    def _recurring(self, probes: Sequence[Prepared]) -> frozenset[int]:
        """The probes' sentences that recur across unrelated documents of the index (the scan's
        rule, :func:`~wiretrace.scan.candidates.recurring_lines`), the probes counted in (stored
        already when they are being added, not when they are a query). Holders are read only
        for lines held often enough, and of a line on many pages only as many as the rule
        judges: the cost does not grow with the index."""
        cfg = self.config.candidates
        by_probe: dict[int, set[str]] = defaultdict(set)
        for probe in probes:
            for key in probe.hashes:
                by_probe[key].add(probe.doc.id)
        counts = self._holder_counts("sentences", "hash", sorted(by_probe))
        # At most this many holders; a line with fewer cannot recur.
        bound = {k: counts.get(k, 0) + len(docs) for k, docs in by_probe.items()}
        judged = judged_holders(cfg)
        crowded: dict[int, list[str]] = {}
        for key in sorted(k for k, n in bound.items() if n >= cfg.recurring_docs):
            first = self._first_holders("sentences", "hash", key, judged)
            holders = sorted({*first, *by_probe[key]})
            if len(holders) >= cfg.recurring_docs:
                crowded[key] = holders[:judged]
        if not crowded:
            return frozenset()
        involved = sorted({doc for docs in crowded.values() for doc in docs})
        bands: dict[str, list[int]] = {p.doc.id: p.bands for p in probes}
        sql = (
            "SELECT d.id, b.key FROM bands b JOIN documents d ON d.rowid = b.doc "
            "WHERE d.id IN ({marks})"
        )
        stored = [doc for doc in involved if doc not in bands]
        for doc, key in self._rows_in(sql, stored):
            bands.setdefault(doc, []).append(key)
        return frozenset(recurring_lines(crowded, bands, cfg))

    def _verify(
        self, pairs: set[Pair], prepared: Sequence[Prepared], progress: Progress
    ) -> list[Edge]:
        cache = {p.doc.id: p for p in prepared}
        ordered = sorted(pairs)
        for doc_id in sorted({d for pair_ in ordered for d in pair_}):
            self._prepared(doc_id, cache)
        # The scan's verify: the passages of 64 pairs embedded at once, then pair by pair (the
        # model keeps both cores busy; one pair at a time often left one idle).
        return verify(ordered, cache, self.comparer, progress, self._recurring(prepared))

    def _insert_edges(self, edges: Sequence[Edge], rowids: dict[str, int]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO edges (a, b, relation, shared_a, shared_b, units_a, units_b) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    rowids[e.a],
                    rowids[e.b],
                    e.relation,
                    e.shared_a,
                    e.shared_b,
                    json.dumps(sorted(e.units_a)),
                    json.dumps(sorted(e.units_b)),
                )
                for e in edges
            ],
        )

    _EDGES = (
        "SELECT da.id, db.id, e.relation, e.shared_a, e.shared_b, e.units_a, e.units_b FROM edges e "
        "JOIN documents da ON da.rowid = e.a JOIN documents db ON db.rowid = e.b"
    )

    @staticmethod
    def _edge(row: tuple[Any, ...]) -> Edge:
        a, b, rel, sa, sb, ua, ub = row
        return Edge(a, b, rel, sa, sb, frozenset(json.loads(ua)), frozenset(json.loads(ub)))

    def edges(self) -> list[Edge]:
        return [self._edge(row) for row in self.db.execute(self._EDGES)]

    def _component(self, seeds: set[int]) -> set[int]:
        """The documents (rowids) joined to ``seeds`` by edges, directly or through others."""
        seen, frontier = set(seeds), sorted(seeds)
        while frontier:
            found: set[int] = set()
            for sql in (
                "SELECT b FROM edges WHERE a IN ({marks})",
                "SELECT a FROM edges WHERE b IN ({marks})",
            ):
                found.update(r[0] for r in self._rows_in(sql, frontier))
            frontier = sorted(found - seen)
            seen.update(frontier)
        return seen

    def _store_families(self, seeds: set[int]) -> None:
        """Work the families out again where the graph changed: families never cross from one
        connected part of the edge graph to another (:func:`build_families` decides each part
        from its own edges), so only the parts holding ``seeds`` (the documents just stored, and
        those that lost an edge) are rebuilt, and an add costs what its own part of the graph
        holds, not the whole index."""
        part = sorted(self._component(seeds))
        rows = self._rows_in(self._EDGES + " WHERE e.a IN ({marks})", part)
        families = build_families([self._edge(row) for row in rows])
        execute_in(self.db, "DELETE FROM family_members WHERE doc IN ({marks})", part)
        rowids = self._rowids(sorted({m for f in families for m in f.members}))
        self.db.executemany(
            "INSERT INTO family_members (family, doc) VALUES (?, ?)",
            [(f.id, rowids[m]) for f in families for m in f.members],
        )

    # -- reading ----------------------------------------------------------------------------

    def families(self, progress: Progress = quiet) -> ScanResult:
        """The families of everything added so far, with origins (worked out once, then kept)."""
        families = build_families(self.edges())
        known = {
            f: (o, e)
            for f, o, e in self.db.execute("SELECT family, origin, evidence FROM family_origins")
        }
        missing = [f for f in families if f.id not in known]
        if missing:
            docs = {m: self.document(m) for f in missing for m in f.members}
            assign_origins(missing, docs, self.comparer, self.config)
            # A read-only index simply does not keep them.
            with contextlib.suppress(sqlite3.OperationalError), self.db:
                self.db.executemany(
                    "INSERT OR REPLACE INTO family_origins (family, origin, evidence) VALUES (?, ?, ?)",
                    [(f.id, f.origin, f.origin_evidence) for f in missing],
                )
        languages = self._languages(sorted({m for f in families for m in f.members}))
        for family in families:
            if family.id in known:
                family.origin, family.origin_evidence = known[family.id]
            family.languages = {m: languages[m] for m in family.members}
        return ScanResult(self.count(), families, None, {})

    def _languages(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """Each document's language as stored when it was added; detected again from the
        stored text for documents of an index written before languages were kept."""
        sql = (
            "SELECT d.id, l.code FROM languages l JOIN documents d ON d.rowid = l.doc "
            "WHERE d.id IN ({marks})"
        )
        stored: dict[str, str] = {}
        with contextlib.suppress(sqlite3.OperationalError):  # read-only, no such table
            stored = dict(self._rows_in(sql, doc_ids))
        return {d: stored.get(d) or detect(self.document(d).text).code for d in doc_ids}

    def query(self, document: Document) -> QueryResult:
        """Stored documents the given one derives from or that derive from it, best first."""
        import numpy as np

        query_id = "\u0000query"  # never a stored id
        ready = prepare([document], self.config, with_anchors=True)[0]
        probe = Prepared(
            Document(query_id, document.text),
            ready.units,
            ready.hashes,
            ready.bands,
            ready.sentences,
            ready.tongue,
        )
        if self.config.semantic and probe.sentences:
            from wiretrace.models.static import default_static_encoder

            vectors = sentence_vectors(default_static_encoder(), probe.sentences)
        else:
            vectors = np.zeros((0, 256), dtype=np.float32)
        # Ids above every stored vector's rowid: the probe's sentences are never stored ones.
        sentence_ids = [(1 << 40) + k for k in range(len(probe.sentences))]
        pairs = self._candidates(
            [probe],
            vectors,
            sentence_ids,
            _sentence_keys([probe]),
            self._vector_search(),
            stored=False,
        )
        cache = {query_id: probe}
        ordered = sorted(pairs)  # the probe's id sorts first: it is always the a side
        for _, other in ordered:
            self._prepared(other, cache)
        found = verify(ordered, cache, self.comparer, recurring=self._recurring([probe]))
        edges = {edge.b: edge for edge in found}
        sql = (
            "SELECT d.id, f.family FROM family_members f JOIN documents d ON d.rowid = f.doc "
            "WHERE d.id IN ({marks}) ORDER BY f.family DESC"
        )
        family_of = dict(self._rows_in(sql, list(edges)))  # in several: the first family
        matches = [
            Match(other, e.relation, e.shared_a, e.shared_b, family_of.get(other))
            for other, e in edges.items()
        ]
        # The closest copy first: an identical text before a verbatim, edited, paraphrased or
        # partial copy; then the one sharing the most.
        closeness: dict[str, int] = {r: k for k, r in enumerate(RELATION_ORDER)}
        matches.sort(
            key=lambda m: (
                closeness.get(m.relation, len(closeness)),
                -min(m.shared_query, m.shared_match),
                -max(m.shared_query, m.shared_match),
                m.id,
            )
        )
        return QueryResult(document.id, matches)
