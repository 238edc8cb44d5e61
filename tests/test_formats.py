"""PDF and Word input: a real article as a press office would send it, read back and compared.

The PDF files are written here by a few lines of code (a real page's text, set in Helvetica and
broken into lines of 80 characters, as PDF text comes out); the .docx by python-docx.
"""

from __future__ import annotations

import json
import textwrap
import unicodedata
from pathlib import Path

import pytest

from wiretrace import Comparer
from wiretrace.errors import InputError
from wiretrace.text.documents import read_document
from wiretrace.text.segment import segment

MORE = Path(__file__).resolve().parents[1] / "bench" / "data" / "reprints-more" / "families.jsonl"


def real_text() -> str:
    for line in MORE.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["site"] == "newstimeshd.com":
            return str(row["text"])
    raise LookupError("newstimeshd.com")


def _ascii(text: str) -> str:
    """Helvetica's standard encoding in a hand-written PDF: plain ASCII."""
    text = text.translate(
        str.maketrans({"“": '"', "”": '"', "’": "'", "‘": "'", "—": "-", "–": "-"})
    )
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF: each page a column of text lines (pages without lines have no text)."""
    objects: list[bytes] = []
    kids = " ".join(f"{3 + 2 * k} 0 R" for k in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    font = 3 + 2 * len(pages)
    for k, lines in enumerate(pages):
        content = 4 + 2 * k
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
        ops = ["BT", "/F1 10 Tf", "14 TL", "50 760 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1") if lines else b""
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def test_a_pdf_is_read_and_its_wrapped_lines_joined(tmp_path: Path, comparer: Comparer) -> None:
    text = _ascii(real_text())
    lines = [line for paragraph in text.split("\n") for line in [*textwrap.wrap(paragraph, 80), ""]]
    pdf = tmp_path / "release.pdf"
    pdf.write_bytes(make_pdf([lines[:40], lines[40:]]))
    document = read_document(pdf)
    assert "Manhattan" in document.text
    sentences = [u for u in segment(document.text) if u.role == "sentence"]
    assert len(sentences) == len([u for u in segment(text) if u.role == "sentence"])
    result = comparer.compare(read_document(pdf), text)
    assert result.verdict.derived and result.verdict.relation in ("identical", "verbatim_copy")


def test_a_pdf_without_a_text_layer_is_refused_in_one_line(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(make_pdf([[]]))
    with pytest.raises(InputError, match="no text layer"):
        read_document(scan)


def test_a_broken_pdf_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF")
    with pytest.raises(InputError):
        read_document(broken)


def test_a_word_document_is_read(tmp_path: Path, comparer: Comparer) -> None:
    import docx

    text = real_text()
    word = docx.Document()
    for paragraph in text.split("\n"):
        if paragraph.strip():
            word.add_paragraph(paragraph)
    path = tmp_path / "statement.docx"
    word.save(str(path))
    result = comparer.compare(read_document(path), text)
    assert result.verdict.relation in ("identical", "verbatim_copy")
