"""Reading many documents: several files, a folder of .txt/.html files, or a JSON Lines file.

JSON Lines records are ``{"id", "text", "outlet"?, "date"?, "title"?, "url"?}``, one per line. Ids
must be unique within one input; a file's id is its name without the extension.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from wiretrace.errors import InputError
from wiretrace.text.documents import Document, Notice, read_document, stderr_notice

TEXT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml", ".pdf", ".docx")
_OPTIONAL = ("outlet", "date", "title", "url")


#: A local scan holds the corpus and what it derives from it in memory. Measured peaks (full
#: pipeline, bench/scale.py and bench/families_eval.py): 2.4 GB for 10,000 articles of 614 words,
#: 16.5 GB for 100,000 of 665 words (420 million characters): about 37 bytes a character above
#: about 0.9 GB of models and fixed costs. Rounded up to these:
BYTES_PER_CHAR = 40
FIXED_BYTES = 1 << 30
#: Never more than this, whatever the memory (Python strings, offsets and ids stay comfortable).
MAX_CORPUS_CHARS = 1_500_000_000


def corpus_char_limit() -> int:
    """Characters one local run takes: what three quarters of this machine's memory hold, less
    :data:`FIXED_BYTES`, at :data:`BYTES_PER_CHAR`; at most :data:`MAX_CORPUS_CHARS`."""
    import os

    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not a POSIX system: the fixed ceiling
        return MAX_CORPUS_CHARS
    return min(MAX_CORPUS_CHARS, max(0, memory * 3 // 4 - FIXED_BYTES) // BYTES_PER_CHAR)


#: Called with one line about a record skipped by ``--skip-bad``; None means stop at the first.
OnBad = Callable[[str], None] | None


def iter_jsonl(path: Path, on_bad: OnBad = None) -> Iterator[Document]:
    """Documents of a JSON Lines file, streamed; a bad record stops with its line number (or is
    reported to ``on_bad`` and skipped)."""
    try:
        handle = path.open("rb")
    except OSError as error:
        raise InputError(f"{path}: cannot read it ({error.strerror or error})") from None
    with handle:
        yield from parse_jsonl(handle, str(path), on_bad)


def _record(raw: bytes, where: str) -> Document:
    try:
        record = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(f"{where}: not UTF-8; JSON Lines must be UTF-8") from None
    except json.JSONDecodeError as error:
        reason = error.msg.removesuffix(" at").lower()  # "Invalid control character at"
        raise InputError(f"{where}, column {error.colno}: not valid JSON ({reason})") from None
    if not isinstance(record, dict):
        raise InputError(f'{where}: expected an object with "id" and "text"')
    doc_id, text = record.get("id"), record.get("text")
    if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool) or str(doc_id) == "":
        raise InputError(f'{where}: "id" must be a non-empty string')
    if not isinstance(text, str) or not text.strip():
        raise InputError(f'{where}: "text" must be a non-empty string (id {doc_id})')
    extra = {k: str(record[k]) for k in _OPTIONAL if record.get(k) is not None}
    return Document(id=str(doc_id), text=text, **extra)


def parse_jsonl(lines: Iterable[bytes], name: str, on_bad: OnBad = None) -> Iterator[Document]:
    """Documents of JSON Lines given as raw lines; ``name`` labels errors."""
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            yield _record(raw, f"{name}, line {number}")
        except InputError as error:
            if on_bad is None:
                raise
            on_bad(str(error))


def _folder_files(folder: Path) -> list[Path]:
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
    if not files:
        raise InputError(f"{folder}: no .txt or .html files in this folder")
    return files


def iter_documents(
    inputs: Iterable[str | Path], notice: Notice = stderr_notice, on_bad: OnBad = None
) -> Iterator[Document]:
    """Every document of the inputs, in order: files, folders (sorted by name) and .jsonl files."""
    for item in inputs:
        path = Path(item)
        if str(item) != "-" and not path.exists():
            raise InputError(f"{path}: no such file or folder")
        if path.is_dir():
            for file in _folder_files(path):
                try:
                    yield read_document(file, notice=notice)
                except InputError as error:
                    if on_bad is None:
                        raise
                    on_bad(str(error))
        elif path.suffix.lower() in (".jsonl", ".ndjson"):
            yield from iter_jsonl(path, on_bad)
        else:
            yield read_document(path, notice=notice)


def read_documents(
    inputs: Iterable[str | Path],
    notice: Notice = stderr_notice,
    on_bad: OnBad = None,
    max_chars: int | None = None,
) -> list[Document]:
    """All documents of the inputs; duplicate ids are an error that names both places (or, with
    ``on_bad``, the later duplicate is skipped and reported). Past ``max_chars`` characters
    (default: :func:`corpus_char_limit`) reading stops with a refusal that names the limit."""
    documents: list[Document] = []
    seen: dict[str, int] = {}
    chars, limit = 0, corpus_char_limit() if max_chars is None else max_chars
    for document in iter_documents(inputs, notice=notice, on_bad=on_bad):
        if document.id in seen:
            message = (
                f"duplicate id {document.id!r} (documents {seen[document.id] + 1} and "
                f"{len(documents) + 1}); ids must be unique: rename one file or fix the JSONL"
            )
            if on_bad is None:
                raise InputError(message)
            on_bad(message)
            continue
        chars += len(document.text)
        if chars > limit:
            raise InputError(
                f"the input holds over {limit:,} characters, more than one local run keeps in "
                f"this machine's memory (about {BYTES_PER_CHAR} bytes per character): split it and "
                "add the parts to an index one `wiretrace index add` at a time, or use "
                "`--engine spark`"
            )
        seen[document.id] = len(documents)
        documents.append(document)
    return documents


class SkipReport:
    """Collects the records ``--skip-bad`` passed over, and says how many and why."""

    def __init__(self) -> None:
        self.reasons: list[str] = []

    def __call__(self, message: str) -> None:
        self.reasons.append(message)

    def summary(self) -> str | None:
        if not self.reasons:
            return None
        shown = "; ".join(self.reasons[:3]) + ("; …" if len(self.reasons) > 3 else "")
        return f"skipped {len(self.reasons)} bad record{'s' if len(self.reasons) != 1 else ''}: {shown}"
