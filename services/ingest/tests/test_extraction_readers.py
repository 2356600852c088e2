"""read_document(): formats, languages and a clear error for every kind of bad input."""

from __future__ import annotations

import io
import zipfile

import pytest
from suivi_ingest.extraction import UnreadableDocument, read_document

FR = "Nous nous engageons à renforcer le Forum sur la gouvernance de l'Internet d'ici 2026.\n"
EN = "We commit to strengthening the Internet Governance Forum and its funding by 2030.\n"


def _pdf(text: str | None = None, password: str | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    if text is not None:
        pdf.set_font("helvetica", size=11)
        pdf.multi_cell(0, 6, text)
    else:
        pdf.rect(20, 20, 60, 40, style="F")  # drawing only: no text layer
    data = bytes(pdf.output())
    if password:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.encrypt(password)
        buf = io.BytesIO()
        writer.write(buf)
        data = buf.getvalue()
    return data


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_plain_text_utf8_and_language():
    doc = read_document(FR.encode(), "a.txt")
    assert doc.format == "text" and doc.language == "fr" and "engageons" in doc.text
    assert read_document(EN.encode(), "b.txt").language == "en"


def test_plain_text_latin1_is_decoded():
    doc = read_document((FR * 3).encode("latin-1"), "a.txt")
    assert "engageons à renforcer" in doc.text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark_is_decoded(encoding):
    doc = read_document((FR * 3).encode(encoding), "a.txt")
    assert "engageons à renforcer" in doc.text and doc.language == "fr"


def test_other_language_is_reported():
    es = "Los Estados deberían reforzar la cooperación para el desarrollo de la sociedad de la información."
    assert read_document(es.encode(), "es.txt").language == "es"


def test_pdf_with_text_layer():
    doc = read_document(_pdf(EN), "x.pdf")
    assert doc.format == "pdf" and "Internet Governance Forum" in doc.text


def test_html_and_docx():
    html = f"<html><body><h1>Title</h1><p>{EN}</p><script>var x;</script></body></html>".encode()
    doc = read_document(html, "x.html")
    assert doc.format == "html" and doc.text.startswith("# Title") and "var x" not in doc.text
    doc = read_document(_docx([FR]), "x.docx")
    assert doc.format == "docx" and "engageons" in doc.text


@pytest.mark.parametrize(
    ("data", "name", "cause"),
    [
        (b"", "empty.txt", "empty"),
        (b"   \n\n", "blank.txt", "empty"),
        (bytes(range(256)) * 20, "garbage.pdf", "not a PDF"),
        (b"\x00\x01\x02binary\x00" * 50, "data.txt", "binary"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog", "truncated.pdf", "damaged"),
        (b"PK\x03\x04 not really a zip", "broken.docx", "damaged"),
        (b"just some text", "fake.docx", "not one"),
    ],
)
def test_bad_inputs_have_a_clear_message(data, name, cause):
    with pytest.raises(UnreadableDocument) as err:
        read_document(data, name)
    assert cause in err.value.message
    assert name in err.value.message


def test_encrypted_pdf():
    with pytest.raises(UnreadableDocument, match="encrypted"):
        read_document(_pdf(EN, password="secret"), "locked.pdf")


def test_image_only_pdf():
    with pytest.raises(UnreadableDocument, match="no text layer"):
        read_document(_pdf(None), "scan.pdf")


def test_truncated_pdf():
    data = _pdf(EN)
    with pytest.raises(UnreadableDocument):
        read_document(data[: len(data) // 3], "cut.pdf")


def test_zip_bomb_docx_is_refused_before_decompression(monkeypatch):
    from suivi_ingest.extraction import readers

    # the real limit is 200 MB; a smaller one keeps the test fast and checks the same path
    monkeypatch.setattr(readers, "MAX_DOCX_UNCOMPRESSED", 4 * 1024 * 1024)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<w:document>" + b" " * (8 * 1024 * 1024) + b"</w:document>")
    assert len(buf.getvalue()) < 64 * 1024
    with pytest.raises(UnreadableDocument, match="zip bomb"):
        read_document(buf.getvalue(), "bomb.docx")


def test_truncated_docx():
    data = _docx([FR, EN])
    with pytest.raises(UnreadableDocument, match="damaged"):
        read_document(data[: len(data) // 2], "cut.docx")
