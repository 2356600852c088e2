"""Bytes → text: plain text, PDF (text layer), DOCX and HTML.

Every failure is raised as :class:`UnreadableDocument` with a sentence that names the
cause for the person who uploaded the file. Structure that the extractor relies on is
kept as light markup in the text: headings become ``#`` lines, list items ``- `` lines,
paragraphs are separated by blank lines and PDF pages by a form feed.
"""

from __future__ import annotations

import io
import os
import re
import zipfile

from .language import detect_language
from .model import ReadDocument, UnreadableDocument

# DOCX limits, checked on the zip's central directory before anything is decompressed.
MAX_DOCX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_DOCX_MEMBER_RATIO = 200
MAX_DOCX_MEMBERS = 5000

_PDF_EXT = {".pdf"}
_DOCX_EXT = {".docx"}
_HTML_EXT = {".html", ".htm", ".xhtml"}
_TEXT_EXT = {".txt", ".text", ".md", ".markdown", ""}


def read_document(data: bytes, filename: str, content_type: str | None = None) -> ReadDocument:
    """Turn an uploaded file into text, telling its language and format."""
    if not data or not data.strip():
        raise UnreadableDocument(f"The file {filename!r} is empty.")
    fmt = _sniff_format(data, filename, content_type)
    if fmt == "pdf":
        text = _read_pdf(data, filename)
    elif fmt == "docx":
        text = _read_docx(data, filename)
    elif fmt == "html":
        text = _read_html(_decode(data, filename), filename)
    else:
        text = _decode(data, filename)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UnreadableDocument(f"The file {filename!r} contains no text.")
    return ReadDocument(text=text, language=detect_language(text), format=fmt)


def _sniff_format(data: bytes, filename: str, content_type: str | None) -> str:
    ext = os.path.splitext(filename or "")[1].lower()
    ctype = (content_type or "").split(";")[0].strip().lower()
    head = data[:1024]
    if head.lstrip().startswith(b"%PDF") or data[:1024].find(b"%PDF-") >= 0:
        return "pdf"
    if ext in _PDF_EXT or ctype == "application/pdf":
        raise UnreadableDocument(
            f"The file {filename!r} is named or typed as a PDF but is not a PDF (no PDF header); "
            "it may be damaged or in another format."
        )
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if ext in _DOCX_EXT or "wordprocessingml" in ctype or ext not in _TEXT_EXT | _HTML_EXT:
            return "docx"
        raise UnreadableDocument(f"The file {filename!r} is a zip archive, not a text document.")
    if ext in _DOCX_EXT or "wordprocessingml" in ctype:
        raise UnreadableDocument(
            f"The file {filename!r} is named or typed as a Word document (DOCX) but is not one; "
            "it may be damaged, or be an old .doc file (save it as .docx or PDF)."
        )
    if ext in _HTML_EXT or ctype in ("text/html", "application/xhtml+xml"):
        return "html"
    sniff = head.lstrip()[:200].lower()
    if sniff.startswith(b"<!doctype html") or sniff.startswith(b"<html") or b"<html" in sniff:
        return "html"
    return "text"


def _decode(data: bytes, filename: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if encoding := utf16_without_bom(data[:4096]):
        return _check_text(data.decode(encoding, errors="replace"), filename)
    if b"\x00" in data[:4096]:
        raise UnreadableDocument(
            f"The file {filename!r} looks binary (it contains NUL bytes), not text; "
            "upload a text, PDF, DOCX or HTML file."
        )
    text: str | None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_legacy(data)
    if text is None:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise UnreadableDocument(
                f"The text encoding of {filename!r} could not be recognised; save it as UTF-8."
            ) from None
        text = str(best)
    return _check_text(text, filename)


def utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when `head` looks like UTF-16 text saved without a byte order
    mark (some Windows tools do): in Latin-script text one byte of every pair is zero."""
    pairs = len(head) // 2
    if pairs < 8:
        return None
    low_zeros = head[0 : 2 * pairs : 2].count(0)
    high_zeros = head[1 : 2 * pairs : 2].count(0)
    if high_zeros >= 0.9 * pairs and low_zeros <= 0.02 * pairs:
        return "utf-16-le"
    if low_zeros >= 0.9 * pairs and high_zeros <= 0.02 * pairs:
        return "utf-16-be"
    return None


def _decode_legacy(data: bytes) -> str | None:
    """Windows-1252 / Latin-1, the usual legacy encodings of French and English texts."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    # C1 controls or box-drawing debris mean it was something else
    if any(0x80 <= ord(ch) <= 0x9F for ch in text):
        return None
    return text


def _check_text(text: str, filename: str) -> str:
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(10, len(text[:20000]) * 0.02):
        raise UnreadableDocument(
            f"The file {filename!r} does not look like text (too many control characters); "
            "it may be a binary file with a wrong name."
        )
    return text


# --- PDF ---------------------------------------------------------------------------------


def _read_pdf(data: bytes, filename: str) -> str:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            ok: int  # a PasswordType, an IntEnum: 0 is "not decrypted"
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise UnreadableDocument(
                    f"The PDF {filename!r} is encrypted with a password; upload an unprotected copy."
                )
        pages = []
        for page in reader.pages:
            pages.append(page.extract_text() or "")
    except UnreadableDocument:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise UnreadableDocument(
            f"The PDF {filename!r} is damaged or truncated and cannot be read ({type(exc).__name__})."
        ) from exc
    except Exception as exc:
        if "crypt" in str(exc).lower() or "AES" in str(exc):
            raise UnreadableDocument(
                f"The PDF {filename!r} is encrypted and cannot be read; upload an unprotected copy."
            ) from exc
        raise UnreadableDocument(
            f"The PDF {filename!r} is damaged and cannot be read ({type(exc).__name__})."
        ) from exc
    if not pages:
        raise UnreadableDocument(f"The PDF {filename!r} has no pages.")
    if not any(p.strip() for p in pages):
        raise UnreadableDocument(
            f"The PDF {filename!r} has no text layer (it seems to hold only scanned images); "
            "run it through OCR first."
        )
    return "\n\f\n".join(p.strip("\n") for p in pages) + "\n"


# --- DOCX --------------------------------------------------------------------------------


def _check_zip(data: bytes, filename: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableDocument(
            f"The Word document {filename!r} is damaged or truncated (not a valid zip archive)."
        ) from exc
    if len(infos) > MAX_DOCX_MEMBERS:
        raise UnreadableDocument(f"The Word document {filename!r} holds too many parts to be safe to open.")
    total = sum(i.file_size for i in infos)
    if total > MAX_DOCX_UNCOMPRESSED:
        raise UnreadableDocument(
            f"The Word document {filename!r} would expand to {total // (1024 * 1024)} MB; "
            "it is refused as a possible zip bomb."
        )
    for i in infos:
        if i.file_size > 10 * 1024 * 1024 and i.file_size > MAX_DOCX_MEMBER_RATIO * max(i.compress_size, 1):
            raise UnreadableDocument(
                f"The Word document {filename!r} has a part compressed {i.file_size // max(i.compress_size, 1)}"
                " times; it is refused as a possible zip bomb."
            )
    if not any(i.filename == "word/document.xml" for i in infos):
        raise UnreadableDocument(f"The file {filename!r} is a zip archive but not a Word document (DOCX).")


def _read_docx(data: bytes, filename: str) -> str:
    _check_zip(data, filename)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        out: list[str] = []
        body = document.element.body
        for child in body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                out.append(_docx_paragraph(Paragraph(child, document)))
            elif tag == "tbl":
                for row in Table(child, document).rows:
                    for cell in row.cells:
                        for para in cell.paragraphs:
                            out.append(_docx_paragraph(para))
    except UnreadableDocument:
        raise
    except Exception as exc:
        raise UnreadableDocument(
            f"The Word document {filename!r} is damaged and cannot be read ({type(exc).__name__})."
        ) from exc
    return "\n\n".join(p for p in out if p.strip()) + "\n"


def _docx_paragraph(para) -> str:
    text = para.text.replace("\u000b", "\n").strip()
    if not text:
        return ""
    style = (para.style.name if para.style is not None else "") or ""
    m = re.match(r"(?i)(heading|titre)\s*(\d)", style)
    if m:
        return "#" * int(m.group(2)) + " " + " ".join(text.split())
    if style.lower() == "title":
        return "# " + " ".join(text.split())
    ppr = para._p.pPr
    numbered = ppr is not None and ppr.numPr is not None
    if numbered or "list" in style.lower():
        return "- " + text
    return text


# --- HTML --------------------------------------------------------------------------------

_BLOCK_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt", "td", "th")


def _read_html(markup: str, filename: str) -> str:
    try:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(markup, "lxml")
    except Exception as exc:
        raise UnreadableDocument(
            f"The HTML page {filename!r} cannot be parsed ({type(exc).__name__})."
        ) from exc
    for tag in soup(["script", "style", "noscript", "template", "nav", "header", "footer", "form", "svg"]):
        tag.decompose()
    root = soup.body or soup
    out: list[str] = []
    for el in root.find_all(_BLOCK_TAGS):
        if el.find_parent(_BLOCK_TAGS):
            # nested block (e.g. <p> inside <li>): its text is taken with the outer block
            continue
        text = " ".join(el.get_text(" ", strip=True).split())
        if not text:
            continue
        name = el.name
        if name[0] == "h" and name[1:].isdigit():
            out.append("#" * int(name[1:]) + " " + text)
        elif name == "li":
            out.append("- " + text)
        else:
            out.append(text)
    if not out:
        text = root.get_text("\n", strip=True)
        return text
    return "\n\n".join(out) + "\n"
