"""The index's database: its schema, opening it (read-write, or read-only where the folder cannot
be written), and the one-writer lock. The SQLite file is the single source of truth; everything
else in an index directory is a cache of it (see :mod:`wiretrace.store.index`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from wiretrace import __version__
from wiretrace.errors import WiretraceError

#: 2: vectors stored quantised as int16 (see :mod:`wiretrace.scan.nearest`); 1 stored float16 unit
#: vectors.
FORMAT_VERSION = 2
DATABASE = "wiretrace.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, sha TEXT NOT NULL, text TEXT NOT NULL,
    outlet TEXT, date TEXT, title TEXT, url TEXT);
CREATE TABLE IF NOT EXISTS sentences (hash INTEGER NOT NULL, doc INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS sentences_hash ON sentences (hash);
CREATE INDEX IF NOT EXISTS sentences_doc ON sentences (doc);
CREATE TABLE IF NOT EXISTS bands (key INTEGER NOT NULL, doc INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS bands_key ON bands (key);
CREATE INDEX IF NOT EXISTS bands_doc ON bands (doc);
CREATE TABLE IF NOT EXISTS vectors (
    rowid INTEGER PRIMARY KEY, doc INTEGER NOT NULL, hash INTEGER NOT NULL, vector BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS vectors_doc ON vectors (doc);
CREATE TABLE IF NOT EXISTS edges (
    a INTEGER NOT NULL, b INTEGER NOT NULL, relation TEXT NOT NULL, shared_a REAL NOT NULL,
    shared_b REAL NOT NULL, units_a TEXT NOT NULL, units_b TEXT NOT NULL, PRIMARY KEY (a, b));
CREATE INDEX IF NOT EXISTS edges_b ON edges (b);
CREATE TABLE IF NOT EXISTS family_members (family TEXT NOT NULL, doc INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS family_members_doc ON family_members (doc);
CREATE TABLE IF NOT EXISTS family_origins (family TEXT PRIMARY KEY, origin TEXT, evidence TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS languages (doc INTEGER PRIMARY KEY, code TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS anchors (anchor TEXT NOT NULL, doc INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS anchors_anchor ON anchors (anchor);
CREATE INDEX IF NOT EXISTS anchors_doc ON anchors (doc);
"""
# ``languages``: each document's language (ISO 639-1, ``und`` when unknown), detected once when
# it is added. Added within format 2: an index written before it has no rows there, and its
# documents' languages are detected again from their stored text when families are read.
# ``anchors``: the names and figures of each document in a language the multilingual encoder
# covers (:mod:`wiretrace.store.across`), for pairs across languages. Also added within format 2:
# the meta key ``anchors_kept`` says they are complete; an index without it gets them (and its
# languages) from the stored texts at its next add.


class IndexStoreError(WiretraceError):
    """The index directory cannot be used as asked (missing, locked, another format version)."""


def writable(folder: Path) -> bool:
    """Whether a file can be created in ``folder`` (tried, not guessed from permission bits:
    root ignores them, and an immutable or read-only-mounted directory refuses even root)."""
    probe = folder / f".wiretrace-probe-{os.getpid()}"
    try:
        probe.touch()
    except OSError:
        return False
    probe.unlink(missing_ok=True)
    return True


def open_database(folder: Path, *, create: bool) -> sqlite3.Connection:
    """The index database in ``folder``, created (with the folder) when ``create`` is set; every
    reason it cannot be used becomes an :class:`IndexStoreError` that says what to do."""
    database = folder / DATABASE
    if folder.exists() and not folder.is_dir():
        raise IndexStoreError(f"{folder} is a file, not an index directory")
    if not database.exists():
        if not create:
            raise IndexStoreError(
                f"{folder} is not a wiretrace index (no {DATABASE}); create one with "
                f"`wiretrace index add {folder} INPUT`"
            )
        if folder.exists() and any(p for p in folder.iterdir() if not p.name.startswith(".")):
            raise IndexStoreError(
                f"{folder} exists and holds other files; give an empty or new directory"
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise IndexStoreError(f"cannot create {folder}: {error.strerror or error}") from None
    try:
        connection = connect(database)
        stored = dict(connection.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.OperationalError as error:
        raise IndexStoreError(
            f"cannot write to {folder}: {error} (is the disk full, or the directory "
            "read-only?); the index is as it was"
        ) from None
    except sqlite3.DatabaseError as error:
        raise IndexStoreError(f"{database}: cannot use it as an index ({error})") from None
    version = int(stored.get("format_version", FORMAT_VERSION))
    if version != FORMAT_VERSION:
        newer = "a newer" if version > FORMAT_VERSION else "an older"
        raise IndexStoreError(
            f"{folder} was written by {newer} wiretrace (index format {version}; this one reads "
            f"format {FORMAT_VERSION}): use the matching wiretrace, or rebuild the index from "
            "its sources"
        )
    if not stored:
        with connection:
            connection.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [
                    ("format_version", str(FORMAT_VERSION)),
                    ("created_by", f"wiretrace {__version__}"),
                    ("anchors_kept", "1"),
                ],
            )
    return connection


def connect(database: Path) -> sqlite3.Connection:
    """A read-write connection; else, when the directory cannot be written (a read-only
    mount, an archive copy), a read-only one, so that the index can still be read and
    queried. SQLite's WAL needs to create files beside the database even to read it, so the
    fallback opens the file as immutable: nothing can write it anyway."""
    try:
        connection = sqlite3.connect(database, isolation_level=None, timeout=30)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA foreign_keys=ON")
        connection.executescript(SCHEMA)
        return connection
    except sqlite3.OperationalError:
        if not database.exists() or writable(database.parent):
            raise
    journal = database.with_name(database.name + "-wal")
    if journal.exists() and journal.stat().st_size > 0:
        # Immutable mode would ignore the journal, and with it the last adds.
        raise IndexStoreError(
            f"{database.parent} is read-only and holds changes not yet merged into its "
            "database (an add was interrupted); open it once where it can be written"
        )
    connection = sqlite3.connect(
        f"{database.resolve().as_uri()}?mode=ro&immutable=1", uri=True, isolation_level=None
    )
    connection.execute("SELECT COUNT(*) FROM documents").fetchone()  # is it an index at all
    return connection


@contextlib.contextmanager
def writer_lock(folder: Path) -> Iterator[None]:
    """One writer at a time: a lock file, refused at once (never waited on) when held."""
    try:
        handle = (folder / ".lock").open("a")
    except OSError as error:
        raise IndexStoreError(f"cannot write to {folder}: {error.strerror or error}") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise IndexStoreError(
            f"another wiretrace process is adding to {folder}; wait for it to finish, then retry"
        ) from None
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


#: Values bound in one ``IN (...)``: SQLite's limit on parameters is 999 in older builds.
IN_CHUNK = 500


def _in_chunks(
    sql: str, values: Sequence[Any], after: Sequence[Any]
) -> Iterator[tuple[str, list[Any]]]:
    for first in range(0, len(values), IN_CHUNK):
        chunk = list(values[first : first + IN_CHUNK])
        yield sql.format(marks=",".join("?" * len(chunk))), [*chunk, *after]


def rows_in(
    db: sqlite3.Connection, sql: str, values: Sequence[Any], after: Sequence[Any] = ()
) -> Iterator[tuple[Any, ...]]:
    """Rows of ``sql`` (with one ``IN ({marks})``, then the parameters ``after``) for all
    values, ``IN_CHUNK`` at a time."""
    for statement, parameters in _in_chunks(sql, values, after):
        yield from db.execute(statement, parameters)


def execute_in(db: sqlite3.Connection, sql: str, values: Sequence[Any]) -> None:
    """Run ``sql`` (a statement with one ``IN ({marks})``) for all values, ``IN_CHUNK`` at a
    time."""
    for statement, parameters in _in_chunks(sql, values, ()):
        db.execute(statement, parameters)
