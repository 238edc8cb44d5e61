"""Reading documents: bytes to text, with the decoding fallbacks said out loud.

Offsets everywhere in wiretrace index ``Document.text`` exactly as returned here (Python ``str``
positions after decoding, or after HTML extraction). Nothing here normalises the text itself:
normalisation happens only in the keys used for matching (see :func:`match_key`).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from wiretrace.errors import InputError

#: Refuse texts larger than this (characters) rather than running for hours; see README "Limits".
MAX_CHARS = 20_000_000

Notice = Callable[[str], None]


def stderr_notice(message: str) -> None:
    print(f"wiretrace: note: {message}", file=sys.stderr)


@dataclass(frozen=True)
class Document:
    """One article: its id, its text as read, and optional metadata carried through to the output."""

    id: str
    text: str
    outlet: str | None = None
    date: str | None = None
    title: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def decode_bytes(data: bytes, *, name: str = "input") -> Decoded:
    """Decode UTF-8 first (a BOM is honoured), then UTF-16 with a BOM, then cp1252, then latin-1.

    Raises :class:`InputError` for empty or binary input.
    """
    if not data.strip():
        raise InputError(f"{name} is empty; give a file with the article text")
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as error:
            raise InputError(
                f"{name} has a UTF-16 mark but does not decode: {error.reason}"
            ) from None
    if b"\x00" in data[:8192]:
        raise InputError(
            f"{name} looks binary (it contains NUL bytes); give a text, HTML, PDF or .docx file"
        )
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return Decoded(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        return Decoded(data.decode("latin-1"), "latin-1")


_HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<\?xml[^>]*>\s*<html)", re.IGNORECASE)


def looks_like_html(name: str, data: bytes) -> bool:
    return name.lower().endswith((".html", ".htm", ".xhtml")) or bool(_HTML_START.match(data[:512]))


def extract_article_text(html: str, *, name: str = "input") -> str:
    """The main text of an HTML page (trafilatura), with its paragraphs on separate lines."""
    import trafilatura  # lazy: lxml is slow to import and only HTML needs it

    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_recall=True
    )
    if not text or not text.strip():
        raise InputError(f"{name}: no article text found in this HTML page")
    return str(text)


def _check_text(text: str, name: str) -> str:
    if not text.strip():
        raise InputError(f"{name} is empty; give a file with the article text")
    if len(text) > MAX_CHARS:
        raise InputError(
            f"{name} has {len(text):,} characters, over the limit of {MAX_CHARS:,}; split it first"
        )
    controls = sum(
        1 for ch in text[:20000] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f"
    )
    if controls > 0.05 * min(len(text), 20000):
        raise InputError(
            f"{name} looks binary (many control characters); give a text, HTML, PDF or .docx file"
        )
    return text


def document_from_bytes(
    data: bytes, *, doc_id: str, name: str, notice: Notice = stderr_notice
) -> Document:
    """Build a Document from raw bytes: the text of a PDF or .docx, else decoded text (the
    article text extracted if it is HTML); checked to be text."""
    from wiretrace.text.formats import docx_text, is_docx, is_pdf, pdf_text

    if is_pdf(name, data):
        return Document(id=doc_id, text=_check_text(pdf_text(data, name=name), name))
    if is_docx(name, data):
        return Document(id=doc_id, text=_check_text(docx_text(data, name=name), name))
    decoded = decode_bytes(data, name=name)
    if decoded.encoding not in ("utf-8", "utf-16"):
        notice(f"{name} is not valid UTF-8; read it as {decoded.encoding}")
    text = decoded.text
    if looks_like_html(name, data):
        text = extract_article_text(text, name=name)
    return Document(id=doc_id, text=_check_text(text, name))


def read_document(path: str | Path, *, notice: Notice = stderr_notice) -> Document:
    """Read one article from a file path, or from standard input when the path is ``-``."""
    if str(path) == "-":
        return document_from_bytes(
            sys.stdin.buffer.read(), doc_id="stdin", name="stdin", notice=notice
        )
    file = Path(path)
    if not file.exists():
        raise InputError(f"{file}: no such file")
    if file.is_dir():
        raise InputError(f"{file} is a directory; give one article file (or - for standard input)")
    try:
        data = file.read_bytes()
    except OSError as error:
        raise InputError(f"{file}: cannot read it ({error.strerror or error})") from None
    return document_from_bytes(data, doc_id=file.stem, name=str(file), notice=notice)


_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"', "\u2039": "'", "\u203a": "'",
        "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
        "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "",
    }
)  # fmt: skip
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFC, straight quotes and dashes, single spaces: the form used for matching, never reporting."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text).translate(_QUOTES)).strip()
