"""The persistent index: batches equal one scan, idempotent adds, updates, queries, and safety
under kill -9, concurrent writers and unreadable formats (real processes, real files)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wiretrace import Comparer, Document
from wiretrace.engines.local import scan
from wiretrace.scan.families import build_families
from wiretrace.store.index import FORMAT_VERSION, Index, IndexStoreError

from .test_scan import corpus

ARTICLES = Path(__file__).parent / "articles"


@pytest.fixture(scope="module")
def whole_scan(comparer: Comparer) -> dict[str, object]:
    return scan(corpus(), comparer=comparer).to_dict()


def _families(payload: dict[str, object]) -> object:
    return payload["families"]


def test_batches_equal_one_scan(tmp_path: Path, whole_scan: dict[str, object]) -> None:
    docs = corpus()
    with Index.open(tmp_path / "ix", create=True) as index:
        for batch in (docs[7:], docs[:3], docs[3:7]):  # any order, any split
            index.add(batch)
        assert _families(index.families().to_dict()) == _families(whole_scan)


def test_a_crowded_line_is_read_only_as_far_as_the_rule_counts(tmp_path: Path) -> None:
    """A line every page carries (a paper's blurb, here on every article) is a crowded key:
    the index reads only its first holders, as many as the co-occurrence rule counts, and the
    rule must give the same partners as from every holder (the bar lowered so that this small
    corpus crowds it)."""
    from dataclasses import replace

    from wiretrace.scan.candidates import CandidateConfig
    from wiretrace.scan.stages import ScanConfig

    footer = (
        "The Daily Courier is an independent newspaper serving readers across the region since "
        "1921, with reporters in the capital and in every county seat."
    )
    docs = [replace(d, text=f"{d.text}\n\n{footer}") for d in corpus()]
    config = ScanConfig(candidates=CandidateConfig(boilerplate_docs=4, hub_docs=2), lexical=True)
    with Index.open(tmp_path / "ix", create=True, config=config) as index:
        index.add(docs)
        from wiretrace.scan.candidates import strongest_partners
        from wiretrace.scan.stages import prepare

        crowded = 0
        for probe in prepare([*docs, replace(docs[0], id="\u0000query")], config):
            stored = probe.doc.id != "\u0000query"
            for table, column, values in (
                ("sentences", "hash", sorted(probe.hashes)),
                ("bands", "key", sorted(set(probe.bands))),
            ):
                every = [
                    sorted(holders | {probe.doc.id})
                    for holders in index._holders(table, column, values).values()
                ]
                crowded += sum(len(h) > 4 for h in every)
                short = index._partner_lists(table, column, values, probe.doc.id, stored)
                assert strongest_partners(
                    probe.doc.id, short, len(values), 1, config.candidates
                ) == strongest_partners(probe.doc.id, every, len(values), 1, config.candidates)
        assert crowded


def test_recurring_lines_are_the_scans_reading_only_the_judged_holders(tmp_path: Path) -> None:
    """A site's footer on every article: the index finds the recurring lines the scan finds,
    for a batch being added and for a query, reading a line's holders only as far as the rule
    judges (the bar lowered so that this small corpus is past it)."""
    from dataclasses import replace

    from wiretrace.scan.candidates import CandidateConfig
    from wiretrace.scan.stages import ScanConfig, corpus_boilerplate, prepare

    footer = (
        "The Valley Courier is an independent newspaper founded in 1921 and owned by its readers."
    )
    docs = [replace(d, text=f"{d.text}\n\n{footer}") for d in corpus()]
    config = ScanConfig(candidates=CandidateConfig(boilerplate_docs=4, hub_docs=2), lexical=True)
    prepared = prepare(docs, config)
    query = prepare([Document("\u0000query", docs[0].text)], config)[0]
    with Index.open(tmp_path / "ix", create=True, config=config) as index:
        index.add(docs)
        read: list[int] = []
        rows_in = index._rows_in

        def counting(sql: str, values: object) -> Iterator[tuple[object, ...]]:
            for row in rows_in(sql, values):  # type: ignore[arg-type]
                read.append(1)
                yield row

        index._rows_in = counting  # type: ignore[method-assign]
        added = index._recurring(prepared)
        asked = index._recurring([query])
    scanned = corpus_boilerplate(prepared, config)
    assert added == scanned
    assert asked == corpus_boilerplate([*prepared, query], config) & query.hashes
    assert len(added) == 1  # the footer, judged on its first five holders of ten
    # Per call: a count for each hash, and the judged holders' band keys (32 each).
    hashes = len({h for p in prepared for h in p.hashes}) + len(query.hashes)
    assert len(read) <= hashes + 2 * 5 * config.candidates.bands


def test_a_line_on_many_pages_is_judged_on_its_first_holders() -> None:
    """Past ``boilerplate_docs`` holders, a line is judged on its first holders by id, and the
    rest are not read: here its first four holders share nothing, the last four are copies."""
    from wiretrace.scan.candidates import CandidateConfig, recurring_lines

    config = CandidateConfig(boilerplate_docs=4, recurring_docs=3)
    holders = [f"d{k}" for k in range(8)]
    bands = {d: [k] for k, d in enumerate(holders[:4])} | {d: [99] for d in holders[4:]}
    assert recurring_lines({7: holders}, bands, config) == {7}
    assert recurring_lines({7: holders[:4]}, bands, config) == {7}
    everyone = CandidateConfig(boilerplate_docs=8, recurring_docs=3)
    assert recurring_lines({7: holders}, bands, everyone) == set()  # half are copies


def test_adding_again_is_a_no_op_and_a_changed_text_an_update(tmp_path: Path) -> None:
    docs = corpus()
    with Index.open(tmp_path / "ix", create=True) as index:
        index.add(docs)
        before = index.families().to_dict()
        report = index.add(docs[:5])
        assert (report.added, report.updated, report.unchanged) == (0, 0, 5)
        assert index.count() == len(docs)
        assert index.families().to_dict() == before
        # The merged article loses its council half: it leaves the council family.
        strike_only = Document("merged", docs[6].text)
        report = index.add([strike_only])
        assert (report.added, report.updated) == (0, 1)
        members = [f.members for f in index.families().families]
        assert ["council_budget_a", "council_budget_b"] in members
        assert index.count() == len(docs)


def test_query_finds_the_family_of_a_new_spun_copy(tmp_path: Path) -> None:
    docs = corpus()
    with Index.open(tmp_path / "ix", create=True) as index:
        index.add(
            [d for d in docs if d.id not in ("001_53f5005e8be909a9", "gantz_rabat_other_agency")]
        )
        spun = next(d for d in docs if d.id == "001_53f5005e8be909a9")
        result = index.query(spun)
        assert [m.id for m in result.matches] == ["000_a59e668317105786"]
        assert result.matches[0].relation == "paraphrased_copy"
        other = next(d for d in docs if d.id == "gantz_rabat_other_agency")
        assert index.query(other).matches == []  # a report of the same event is not a copy
        payload = result.to_dict()
        assert payload["schema"] == "wiretrace.query/1"
        assert set(payload["matches"][0]) == {
            "id",
            "relation",
            "shared_query",
            "shared_match",
            "family",
        }


def test_a_query_reads_the_search_cells_mapped_from_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the exhaustive limit the search has cells; a fresh open maps them from the file
    rather than reading gigabytes, and must answer exactly as the search the add built; a later
    add leaves that file alone and writes only its own vectors beside it."""
    import wiretrace.scan.nearest

    monkeypatch.setattr(wiretrace.scan.nearest, "EXACT_UP_TO", 50)  # this corpus has ~300 sentences
    docs = corpus()
    spun = next(d for d in docs if d.id == "001_53f5005e8be909a9")
    loaded = next(d for d in docs if d.id == "strike_loaded_copy")
    with Index.open(tmp_path / "ix", create=True) as index:
        index.add([d for d in docs if d.id not in (spun.id, loaded.id)])
        in_memory = [index.query(d).to_dict() for d in (spun, loaded)]
        assert index._search is not None and index._search.centroids is not None
    with Index.open(tmp_path / "ix") as index:
        mapped = [index.query(d).to_dict() for d in (spun, loaded)]
        assert index._search is not None and index._search.mapped
        assert mapped == in_memory
        assert [m["id"] for m in mapped[0]["matches"]] == ["000_a59e668317105786"]
        base = (tmp_path / "ix" / "vectors.faiss").stat()
        index.add([loaded])  # the base stays mapped and unwritten; the add writes its own delta
        assert index._search.mapped
        assert (tmp_path / "ix" / "vectors.faiss").stat().st_mtime_ns == base.st_mtime_ns
        assert list((tmp_path / "ix").glob("vectors-*.npz"))
        families = [set(f.members) for f in index.families().families]
        assert any({"strike_original", "strike_loaded_copy"} <= f for f in families)
    with Index.open(tmp_path / "ix") as index:  # base and delta read back by a new process
        again = index.query(spun).to_dict()
        index._cache.stamp.unlink()  # no cache: the search is rebuilt from the table
        index._search = None
        assert index.query(spun).to_dict() == again
    assert [m["id"] for m in again["matches"]] == ["000_a59e668317105786"]


def test_a_newer_format_is_explained(tmp_path: Path) -> None:
    Index.open(tmp_path / "ix", create=True).close()
    db = sqlite3.connect(tmp_path / "ix" / "wiretrace.sqlite")
    db.execute("UPDATE meta SET value = ? WHERE key = 'format_version'", (str(FORMAT_VERSION + 1),))
    db.commit()
    db.close()
    with pytest.raises(IndexStoreError, match="newer wiretrace"):
        Index.open(tmp_path / "ix")


def test_not_an_index(tmp_path: Path) -> None:
    with pytest.raises(IndexStoreError, match="not a wiretrace index"):
        Index.open(tmp_path)
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(IndexStoreError, match="holds other files"):
        Index.open(tmp_path, create=True)


def _jsonl(path: Path, docs: list[Document]) -> Path:
    path.write_text(
        "\n".join(json.dumps({"id": d.id, "text": d.text}) for d in docs), encoding="utf-8"
    )
    return path


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wiretrace", *args], capture_output=True, text=True, timeout=600
    )


#: A child process that adds a JSONL file to an index and, when the add reports the given stage,
#: says STOP and waits to be killed: the kill lands at a known point of the add.
_ADD_AND_WAIT = """
import sys, time
from wiretrace.store.index import Index
from wiretrace.text.corpus import read_documents
stop_at = sys.argv[3]
def progress(stage, done, total):
    if stage == stop_at:
        print("STOP", flush=True)
        time.sleep(3600)
with Index.open(sys.argv[1], create=True) as index:
    index.add(read_documents([sys.argv[2]]), progress=progress)
print("STOP", flush=True)  # the add returned: killed after it committed
time.sleep(3600)
"""


@pytest.mark.parametrize(
    ("stage", "committed"),
    [
        ("preparing documents", False),  # before the transaction
        ("verifying candidate pairs", False),  # inside it: new rows written, not committed
        ("after the add", True),  # committed, the search cache written
    ],
)
def test_kill_9_during_an_add_leaves_the_index_as_before(
    tmp_path: Path, stage: str, committed: bool
) -> None:
    docs = corpus()
    index_dir = tmp_path / "ix"
    first = _jsonl(tmp_path / "first.jsonl", docs[:4])
    second = _jsonl(tmp_path / "second.jsonl", docs[4:])
    assert _cli("index", "add", str(index_dir), str(first)).returncode == 0
    before = _cli("index", "families", str(index_dir), "-f", "json").stdout

    process = subprocess.Popen(
        [sys.executable, "-c", _ADD_AND_WAIT, str(index_dir), str(second), stage],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "STOP"  # it reached the point: kill it there
    process.send_signal(signal.SIGKILL)
    process.wait()

    with Index.open(index_dir) as index:
        count = index.count()
    after = _cli("index", "families", str(index_dir), "-f", "json").stdout
    if committed:
        assert count == len(docs)
    else:
        assert count == 4 and after == before  # exactly as before the add
    done = _cli("index", "add", str(index_dir), str(second))  # re-running completes it
    assert done.returncode == 0, done.stderr
    with Index.open(index_dir) as index:
        assert index.count() == len(docs)


def test_a_second_writer_is_refused_clearly(tmp_path: Path) -> None:
    import fcntl

    index_dir = tmp_path / "ix"
    Index.open(index_dir, create=True).close()
    with (index_dir / ".lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        done = _cli("index", "add", str(index_dir), str(_jsonl(tmp_path / "a.jsonl", corpus()[:2])))
    assert done.returncode == 2
    assert (
        "another wiretrace process is adding" in done.stderr
        and len(done.stderr.strip().splitlines()) == 1
    )


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """Make ``folder`` and its files unwritable for real: permission bits for a normal user; for
    root, who ignores them (CI runs as root), the immutable attribute (``chattr +i``)."""
    paths = [*folder.iterdir(), folder]
    if os.geteuid() != 0:
        for path in paths:
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            for path in paths:
                path.chmod(0o755 if path.is_dir() else 0o644)
        return
    if shutil.which("chattr") is None:  # pragma: no cover - e2fsprogs is in Debian's base
        pytest.skip("chattr is missing: cannot make a directory read-only for root")
    locked = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True, text=True)
    try:
        if locked.returncode != 0:  # pragma: no cover - a file system without the attribute
            pytest.skip(f"cannot make a directory read-only for root here: {locked.stderr.strip()}")
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, paths)], capture_output=True)


def test_read_only_index_can_be_read_and_refuses_an_add_clearly(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    docs = _jsonl(tmp_path / "a.jsonl", corpus()[:4])
    assert _cli("index", "add", str(index_dir), str(docs)).returncode == 0
    expected = _cli("index", "families", str(index_dir), "-f", "json")
    assert expected.returncode == 0, expected.stderr
    with _read_only(index_dir):
        read = _cli("index", "families", str(index_dir), "-f", "json")
        assert read.returncode == 0, read.stderr
        assert json.loads(read.stdout) == json.loads(expected.stdout)
        query = _cli("index", "query", str(index_dir), str(ARTICLES / "strike_loaded_copy.txt"))
        assert query.returncode == 0, query.stderr
        add = _cli("index", "add", str(index_dir), str(_jsonl(tmp_path / "b.jsonl", corpus()[4:6])))
        assert add.returncode == 2
        assert "cannot write to" in add.stderr and len(add.stderr.strip().splitlines()) == 1
    assert _cli("index", "families", str(index_dir), "-f", "json").stdout == expected.stdout


def test_a_full_disk_during_an_add_leaves_the_index_as_before(tmp_path: Path) -> None:
    """A file-size limit (RLIMIT_FSIZE) makes the add's writes fail as on a full disk: a real
    process, a real SQLite error, no mock."""
    import resource

    docs = corpus()
    index_dir = tmp_path / "ix"
    assert (
        _cli("index", "add", str(index_dir), str(_jsonl(tmp_path / "a.jsonl", docs[:4]))).returncode
        == 0
    )
    before = _cli("index", "families", str(index_dir), "-f", "json").stdout

    def small_disk() -> None:  # pragma: no cover - runs in the child
        # Files may not grow past 40 KB: SQLite's 32 KB shared-memory file fits, the add's
        # journal soon does not, and its write fails (EFBIG) as on a full disk.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))

    full = subprocess.run(
        [
            sys.executable,
            "-m",
            "wiretrace",
            "index",
            "add",
            str(index_dir),
            str(_jsonl(tmp_path / "b.jsonl", docs[4:])),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=small_disk,
    )
    assert full.returncode == 2, full.stderr
    assert "cannot write to" in full.stderr and len(full.stderr.strip().splitlines()) == 1
    assert "disk" in full.stderr and "rollback" not in full.stderr  # the cause, not an echo
    assert _cli("index", "families", str(index_dir), "-f", "json").stdout == before
    with sqlite3.connect(index_dir / "wiretrace.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 4
    again = _cli("index", "add", str(index_dir), str(tmp_path / "b.jsonl"))
    assert again.returncode == 0, again.stderr


def test_cli_index_round_trip(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    corpus_file = _jsonl(tmp_path / "c.jsonl", corpus())
    done = _cli("index", "add", str(index_dir), str(corpus_file))
    assert done.returncode == 0 and "10 added" in done.stdout
    again = _cli("index", "add", str(index_dir), str(corpus_file))
    assert "0 added" in again.stdout and "10 already there" in again.stdout
    query = _cli(
        "index",
        "query",
        str(index_dir),
        str(Path(__file__).parent / "articles" / "strike_loaded_copy.txt"),
        "-f",
        "json",
    )
    assert query.returncode == 0, query.stderr
    assert {m["id"] for m in json.loads(query.stdout)["matches"]} >= {"strike_original", "merged"}
    missing = _cli("index", "families", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "not a wiretrace index" in missing.stderr


def test_a_query_lists_the_closest_copy_first(tmp_path: Path) -> None:
    """The seed's spun copy shares more of the query than a short verbatim excerpt does, but the
    excerpt is the closer copy: it comes first."""
    from wiretrace import read_document

    from .conftest import SEED_A, SEED_B

    seed_a, seed_b = read_document(SEED_A), read_document(SEED_B)
    paragraphs = [p for p in seed_a.text.split("\n") if p.strip()]
    excerpt = Document("excerpt", "\n".join(paragraphs[1:4]))
    with Index.open(tmp_path / "ix", create=True) as index:
        index.add([Document("spun", seed_b.text), excerpt])
        matches = index.query(seed_a).matches
    assert [m.id for m in matches][:2] == ["excerpt", "spun"]
    assert matches[0].relation in ("verbatim_copy", "partial_copy", "identical")


# Steps of a random history: store a document with edges to some stored ones, or replace one.
_STEP = st.tuples(
    st.sampled_from(["add", "add", "add", "replace"]),
    st.lists(
        st.tuples(
            st.integers(0, 30),  # which stored document (modulo how many there are)
            st.sampled_from(["verbatim_copy", "edited_copy", "partial_copy"]),
            st.frozensets(st.integers(0, 5), max_size=3),  # units of the new document
        ),
        max_size=3,
    ),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_STEP, min_size=1, max_size=14))
def test_families_rebuilt_where_the_graph_changed_equal_families_of_all_edges(
    tmp_path: Path, history: list[tuple[str, list[tuple[int, str, frozenset[int]]]]]
) -> None:
    """An add rebuilds only the connected parts of the edge graph it touched; the stored
    families must always be those of the whole graph (merges, partial copies and replaced
    documents included). Edges are written straight into the database: what is under test is
    the store's bookkeeping, not verification."""
    import uuid

    with Index.open(tmp_path / uuid.uuid4().hex, create=True) as index:
        db, stored = index.db, []
        for number, (kind, links) in enumerate(history):
            seeds: set[int] = set()
            if kind == "replace" and stored:
                victim = stored.pop(links[0][0] % len(stored) if links else 0)
                _, neighbours = index._remove([victim])
                seeds |= neighbours
            doc = f"d{number:02d}"
            rowid = db.execute(
                "INSERT INTO documents (id, sha, text) VALUES (?, '', '')", (doc,)
            ).lastrowid
            for which, relation, units in links if stored else []:
                other = stored[which % len(stored)]
                (other_row,) = db.execute(
                    "SELECT rowid FROM documents WHERE id = ?", (other,)
                ).fetchone()
                db.execute(
                    "INSERT OR REPLACE INTO edges VALUES (?, ?, ?, 0.6, 0.6, ?, ?)",
                    (
                        rowid,
                        other_row,
                        relation,
                        json.dumps(sorted(units)),
                        json.dumps([which % 4]),
                    ),
                )
            stored.append(doc)
            index._store_families({int(rowid or 0), *seeds})
            kept = {
                (family, doc_id)
                for family, doc_id in db.execute(
                    "SELECT f.family, d.id FROM family_members f JOIN documents d ON d.rowid = f.doc"
                )
            }
            whole = {(f.id, m) for f in build_families(index.edges()) for m in f.members}
            assert kept == whole
