"""Reading many documents: several files, a folder of .txt/.html files, or a JSON Lines file.

JSON Lines records are ``{"id", "text", "outlet"?, "date"?, "title"?, "url"?}``, one per line. Ids
must be unique within one input; a file's id is its name without the extension.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from wiretrace.documents import Document, Notice, _stderr_notice, read_document
from wiretrace.errors import InputError

TEXT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml")
_OPTIONAL = ("outlet", "date", "title", "url")


def iter_jsonl(path: Path) -> Iterator[Document]:
    """Documents of a JSON Lines file, streamed; a bad record stops with its line number."""
    try:
        handle = path.open("rb")
    except OSError as error:
        raise InputError(f"{path}: cannot read it ({error.strerror or error})") from None
    with handle:
        yield from parse_jsonl(handle, str(path))


def parse_jsonl(lines: Iterable[bytes], name: str) -> Iterator[Document]:
    """Documents of JSON Lines given as raw lines; ``name`` labels errors."""
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        where = f"{name}, line {number}"
        try:
            record = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise InputError(f"{where}: not UTF-8; JSON Lines must be UTF-8") from None
        except json.JSONDecodeError as error:
            raise InputError(
                f"{where}: not valid JSON ({error.msg}, column {error.colno})"
            ) from None
        if not isinstance(record, dict):
            raise InputError(f'{where}: expected an object with "id" and "text"')
        doc_id, text = record.get("id"), record.get("text")
        if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool) or str(doc_id) == "":
            raise InputError(f'{where}: "id" must be a non-empty string')
        if not isinstance(text, str) or not text.strip():
            raise InputError(f'{where}: "text" must be a non-empty string (id {doc_id})')
        extra = {k: str(record[k]) for k in _OPTIONAL if record.get(k) is not None}
        yield Document(id=str(doc_id), text=text, **extra)


def _folder_files(folder: Path) -> list[Path]:
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
    if not files:
        raise InputError(f"{folder}: no .txt or .html files in this folder")
    return files


def iter_documents(
    inputs: Iterable[str | Path], notice: Notice = _stderr_notice
) -> Iterator[Document]:
    """Every document of the inputs, in order: files, folders (sorted by name) and .jsonl files."""
    for item in inputs:
        path = Path(item)
        if str(item) != "-" and not path.exists():
            raise InputError(f"{path}: no such file or folder")
        if path.is_dir():
            for file in _folder_files(path):
                yield read_document(file, notice=notice)
        elif path.suffix.lower() in (".jsonl", ".ndjson"):
            yield from iter_jsonl(path)
        else:
            yield read_document(path, notice=notice)


def read_documents(inputs: Iterable[str | Path], notice: Notice = _stderr_notice) -> list[Document]:
    """All documents of the inputs; duplicate ids are an error that names both places."""
    documents: list[Document] = []
    seen: dict[str, int] = {}
    for document in iter_documents(inputs, notice=notice):
        if document.id in seen:
            raise InputError(
                f"duplicate id {document.id!r} (documents {seen[document.id] + 1} and "
                f"{len(documents) + 1}); ids must be unique: rename one file or fix the JSONL"
            )
        seen[document.id] = len(documents)
        documents.append(document)
    return documents
