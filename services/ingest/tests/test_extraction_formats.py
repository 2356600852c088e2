"""The same small document as plain text, PDF (text layer), DOCX and HTML gives the same items.

Hand-written French and English texts in the layouts of the family: numbered paragraphs
with lettered sub-items and « (Adopté) » marks, bullets under headings, deadlines.
"""

from __future__ import annotations

import io

import pytest
from suivi_ingest.extraction import Extractor, UnsupportedLanguage, read_document

FR_PARAS = [
    ("h", "Coopération numérique"),
    (
        "p",
        "1. Nous notons que le Forum sur la gouvernance de l'Internet a tenu sa vingtième réunion. "
        "Nous nous engageons à renouveler le mandat du Forum d'ici 2026. (Adopté)",
    ),
    (
        "p",
        "2. Nous demandons instamment aux donateurs de garantir un financement durable, dans le but notamment :",
    ),
    ("p", "a) de soutenir les initiatives nationales et régionales du Forum ;"),
    ("p", "b) de renforcer la participation des pays en développement."),
    ("h", "Priorités"),
    ("li", "Veiller à ce que le Pacte numérique mondial complète les lignes d'action du SMSI sans doublon"),
    ("li", "Les États devraient protéger la vie privée et la liberté d'expression en ligne."),
    ("li", "Le Forum a accueilli 3 000 participants venus de 150 pays."),
]
EN_PARAS = [
    ("h", "Digital cooperation"),
    (
        "p",
        "1. We note that the Internet Governance Forum held its twentieth meeting. "
        "We commit to renewing the mandate of the Forum by 2030.",
    ),
    ("p", "2. We urge donors to provide sustainable funding, in particular:"),
    ("p", "(a) to support national and regional IGF initiatives;"),
    ("p", "(b) to strengthen the participation of developing countries."),
    ("h", "Priorities"),
    ("li", "Ensure that the Global Digital Compact complements the WSIS action lines without duplication"),
    ("li", "States should protect privacy and freedom of expression online."),
    ("li", "The Forum welcomed 3,000 participants from 150 countries."),
]


def _as_text(paras) -> str:
    out = []
    for kind, text in paras:
        out.append(("# " if kind == "h" else "- " if kind == "li" else "") + text)
    return "\n\n".join(out) + "\n"


def _as_html(paras) -> bytes:
    body = []
    for kind, text in paras:
        if kind == "h":
            body.append(f"<h2>{text}</h2>")
        elif kind == "li":
            body.append(f"<ul><li>{text}</li></ul>")
        else:
            body.append(f"<p>{text}</p>")
    return (
        "<!DOCTYPE html><html><head><title>t</title></head><body>" + "".join(body) + "</body></html>"
    ).encode()


def _as_docx(paras) -> bytes:
    import docx

    d = docx.Document()
    for kind, text in paras:
        if kind == "h":
            d.add_heading(text, level=1)
        elif kind == "li":
            d.add_paragraph(text, style="List Bullet")
        else:
            d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _as_pdf(paras) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    try:
        pdf.add_font("dv", fname=font)
        pdf.set_font("dv", size=10)
    except (OSError, FileNotFoundError):
        pdf.set_font("helvetica", size=10)
    for kind, text in paras:
        line = ("- " if kind == "li" else "") + text
        if pdf.font_family == "helvetica":
            line = line.encode("latin-1", "replace").decode("latin-1")
        pdf.multi_cell(0, 5, line)
        pdf.ln(4)
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _items(extractor, data: bytes, name: str):
    doc = read_document(data, name)
    return doc, extractor.extract(doc.text, name, doc.language)


def _norm(items):
    return [(i.kind, " ".join(i.text.replace("’", "'").split()).rstrip(" .;")) for i in items]


@pytest.mark.parametrize("paras", [FR_PARAS, EN_PARAS], ids=["fr", "en"])
def test_plain_text_items(extractor, paras):
    doc, items = _items(extractor, _as_text(paras).encode(), "doc.txt")
    kinds = [i.kind for i in items]
    assert kinds == ["engagement", "call", "call", "call", "priority", "recommendation"], _norm(items)
    engagement = items[0]
    assert engagement.deadline in ("2026", "2030")
    assert "igf_mandate" in engagement.topics
    assert items[1].negotiation_status == "none"
    assert "funding" in items[1].topics
    assert "nri_coordination" in items[2].topics  # sub-item inherits the call, topic from its own text
    assert "gdc_wsis_alignment" in items[4].topics
    assert "states" in items[5].actors
    for it in items:
        assert " ".join(doc.text[it.start : it.end].split()).startswith(it.text[:20])


def test_adopted_mark_and_locators(extractor):
    _, items = _items(extractor, _as_text(FR_PARAS).encode(), "doc.txt")
    assert items[0].negotiation_status == "adopted"
    assert items[0].locator == "§1"
    assert items[2].locator == "§2 a)"
    assert items[4].locator.endswith("#1")


@pytest.mark.parametrize("paras", [FR_PARAS, EN_PARAS], ids=["fr", "en"])
@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_same_items_in_every_format(extractor, paras, fmt):
    _, reference = _items(extractor, _as_text(paras).encode(), "doc.txt")
    data = {"pdf": _as_pdf, "docx": _as_docx, "html": _as_html}[fmt](paras)
    doc, items = _items(extractor, data, f"doc.{fmt}")
    assert doc.format == fmt
    assert _norm(items) == _norm(reference)


def test_bracketed_text(extractor):
    text = "12 Nous exhortons les Etats à adopter des lois contre le spam. (Adopté)\n\n[13 Nous appelons à créer un fonds.]\n"
    items = extractor.extract(text, "draft.txt", "fr")
    assert [i.negotiation_status for i in items] == ["adopted", "bracketed"]


def test_page_furniture_and_hyphenation(extractor):
    text = (
        "5. Les participants ont noté que la réunion s'était bien déroulée.\n\n"
        "6. Les gouvernements devraient renforcer la coopération interna-\n"
        "tionale en matière de cybersécurité et\n\n"
        "A/C.2/65/2\n\n10-60686 4\n\n"
        "protéger les infrastructures critiques.\n"
        "__________________\n"
        " a  Une note de bas de page qui devrait être ignorée.\n"
    )
    items = extractor.extract(text, "summary.txt", "fr")
    assert len(items) == 1
    assert items[0].text == (
        "Les gouvernements devraient renforcer la coopération internationale en matière de cybersécurité "
        "et protéger les infrastructures critiques."
    )
    assert items[0].locator == "§6"


def test_unsupported_language(extractor):
    with pytest.raises(UnsupportedLanguage):
        extractor.extract(
            "Los Estados deberían reforzar la cooperación internacional en la materia.", "es.txt"
        )
