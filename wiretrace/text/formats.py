"""Documents that are not plain text or HTML: PDF (press releases, reports) and Word .docx.

Their text is extracted once, and from then on it is the document's text: offsets index the
extracted text, as they index the article text extracted from an HTML page. PDF text comes a line
at a time (hard-wrapped); segmentation joins the lines of a paragraph again
(:func:`wiretrace.text.segment.paragraphs`). A PDF without a text layer (a scan) is refused with
a line saying so: it needs OCR first.
"""

from __future__ import annotations

import io

from wiretrace.errors import InputError

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"


def is_pdf(name: str, data: bytes) -> bool:
    return data[:1024].lstrip().startswith(PDF_MAGIC) or name.lower().endswith(".pdf")


def is_docx(name: str, data: bytes) -> bool:
    return name.lower().endswith(".docx") and data.startswith(ZIP_MAGIC)


def pdf_text(data: bytes, *, name: str) -> str:
    """The text of a PDF's pages, a blank line between pages (pypdf)."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError:
        raise InputError(f"{name}: reading PDF needs pypdf: pip install pypdf") from None
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise InputError(f"{name}: the PDF is encrypted; save an unprotected copy first")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise InputError(f"{name}: not a readable PDF ({error})") from None
    text = "\n\n".join(p.strip("\n") for p in pages if p.strip())
    if not text.strip():
        raise InputError(
            f"{name}: this PDF has no text layer (a scanned page?); run it through OCR first"
        )
    return text


def docx_text(data: bytes, *, name: str) -> str:
    """The paragraphs of a Word document, one a line (python-docx)."""
    try:
        import docx
    except ImportError:
        raise InputError(
            f"{name}: reading .docx needs python-docx: pip install python-docx"
        ) from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # a zip that is not a Word document, a damaged one
        raise InputError(f"{name}: not a readable .docx ({type(error).__name__})") from None
    text = "\n".join(p.text for p in document.paragraphs if p.text.strip())
    if not text.strip():
        raise InputError(f"{name}: the document has no text")
    return text
