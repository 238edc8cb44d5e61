"""Reading input: decoding fallbacks, HTML extraction, and refusals of unusable input."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiretrace.errors import InputError
from wiretrace.text.documents import decode_bytes, document_from_bytes, normalise, read_document

TEXT = "Le ministre a dit « non » à Genève – déjà l’été."


def test_utf8_is_read_silently(tmp_path: Path) -> None:
    notes: list[str] = []
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    doc = read_document(path, notice=notes.append)
    assert doc.text == TEXT and doc.id == "a" and notes == []


def test_utf8_bom_is_dropped() -> None:
    assert decode_bytes(b"\xef\xbb\xbfHello there.").text == "Hello there."


def test_cp1252_falls_back_with_a_notice(tmp_path: Path) -> None:
    notes: list[str] = []
    path = tmp_path / "b.txt"
    path.write_bytes("Curly “quotes” and an em dash — café.".encode("cp1252"))
    doc = read_document(path, notice=notes.append)
    assert doc.text == "Curly “quotes” and an em dash — café."
    assert len(notes) == 1 and "cp1252" in notes[0]


def test_latin1_when_cp1252_cannot_decode() -> None:
    # 0x81 is undefined in cp1252 but a control character in latin-1.
    decoded = decode_bytes(b"Caf\xe9 \x81 ok, this is text.")
    assert decoded.encoding == "latin-1" and decoded.text.startswith("Café")


def test_utf16_with_bom() -> None:
    data = "\ufeffA story in UTF-16.".encode("utf-16-le")
    assert decode_bytes(data).text == "A story in UTF-16."


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"  \n\t ", "empty"), (b"\x7fELF\x02\x01\x00\x00binary", "binary")],
)
def test_unusable_bytes_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        document_from_bytes(data, doc_id="x", name="x.txt", notice=lambda _: None)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        read_document(tmp_path)


def test_html_article_text_is_extracted(tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    body = "".join(
        f"<p>Paragraph {n} of the story says that the council met on Tuesday to vote on the budget.</p>"
        for n in range(1, 6)
    )
    page.write_text(
        "<!doctype html><html><head><title>Story</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>Council votes budget</h1>{body}</article>"
        "<footer>Copyright 2026 Example News</footer></body></html>",
        encoding="utf-8",
    )
    doc = read_document(page)
    assert "Paragraph 1 of the story" in doc.text and "Paragraph 5" in doc.text
    assert "<p>" not in doc.text and "Copyright" not in doc.text


def test_normalise_straightens_quotes_and_spaces() -> None:
    assert normalise("“It’s\u00a0done”  –  he said") == '"It\'s done" - he said'
