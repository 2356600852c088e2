"""Hostile documents through the running ingest API: each one ends `failed` with a message that
names the cause, or is processed correctly, within bounded time, while a normal document
uploaded meanwhile is still served and processed.

The ingest app runs in-process (lifespan, SQLite, a nats-server of this module); extraction
runs in its isolated worker, under its memory limit and wall-clock budget.
"""

from __future__ import annotations

import asyncio
import io
import time
import zipfile

import pytest
from fpdf import FPDF
from suivi_ingest.config import IngestSettings
from suivi_ingest.main import create_app
from suivi_kit.nats_server import EmbeddedNats
from suivi_testing import auth, serving

BUDGET = 25.0  # the extraction budget given to the service here
MONITOR = auth("monitor", "hostile-monitor")
NORMAL = (
    "Déclaration de Lillestrøm\n\n1. Nous nous engageons à renouveler le mandat du Forum sur la "
    "gouvernance de l'Internet.\n\n2. Nous appelons les donateurs à assurer un financement durable du Forum.\n"
)
FRENCH = (
    "Déclaration sur la coopération numérique\n\n1. Nous nous engageons à renforcer la coopération "
    "entre les initiatives nationales et régionales du Forum sur la gouvernance de l'Internet, à "
    "éviter les doubles emplois et à améliorer l'accès à Internet.\n"
)


def zip_bomb_docx() -> bytes:
    """A DOCX whose document.xml inflates 1000 times: 64 MB of nothing in 64 KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        payload = b"<w:document><w:body>" + b" " * (64 * 1024 * 1024) + b"</w:body></w:document>"
        archive.writestr("word/document.xml", payload)
    return buffer.getvalue()


def nested_zip_docx() -> bytes:
    """A DOCX with 20,000 tiny parts: the central directory alone is the attack."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for i in range(20_000):
            archive.writestr(f"word/p{i}.xml", b"")
    return buffer.getvalue()


def pdf(text: str) -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=11)
    document.multi_cell(0, 6, text.replace("œ", "oe"))
    return bytes(document.output())


def truncated_pdf() -> bytes:
    whole = pdf("Nous nous engageons à publier un rapport annuel sur le Forum. " * 40)
    return whole[: len(whole) // 2]


def looping_pdf() -> bytes:
    """A PDF whose page tree points to itself, with a cross-reference table that lies."""
    return (
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [2 0 R] /Count 1000000 >> endobj\n"
        b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
        b"trailer << /Size 3 /Root 1 0 R >>\nstartxref\n999999\n%%EOF\n"
    )


def deeply_nested_html() -> bytes:
    depth = 100_000
    return (
        b"<html><body>" + b"<div>" * depth + b"<p>Nous nous engageons \xc3\xa0 agir.</p>" + b"</div>" * depth
    ) + b"</body></html>"


def ten_thousand_pages() -> bytes:
    page = "Page {n}\n\nLe présent rapport décrit les activités menées pendant l'année écoulée.\n\f"
    return "".join(page.format(n=n) for n in range(10_000)).encode()


# name → (filename, bytes, content type as sent, what a correct outcome must mention)
HOSTILE = {
    "zip-bomb-docx": ("bomb.docx", zip_bomb_docx, None, ("zip bomb",)),
    "20000-part-docx": ("parts.docx", nested_zip_docx, None, ("too many parts",)),
    "truncated-pdf": ("truncated.pdf", truncated_pdf, "application/pdf", ("pdf",)),
    "looping-pdf": ("loop.pdf", looping_pdf, "application/pdf", ("pdf",)),
    "nested-html": ("nested.html", deeply_nested_html, "text/html", ("html",)),
    "10000-pages": ("rapport.txt", ten_thousand_pages, "text/plain", ("longer", "time", "minute", "second")),
    "latin1-labelled-utf8": ("latin1.txt", lambda: FRENCH.encode("latin-1"), "text/plain; charset=utf-8", ()),
    "utf16-without-bom": (
        "utf16.txt",
        lambda: FRENCH.encode("utf-16-le"),
        "text/plain",
        ("binary", "utf-16"),
    ),
}


@pytest.fixture(scope="module")
async def ingest(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    with EmbeddedNats(root / "nats") as nats:
        settings = IngestSettings(
            data_dir=root / "data",
            nats_url=nats.url,
            extraction_timeout_seconds=BUDGET,
            extraction_memory_mb=1536,
        )
        async with serving(create_app(settings), "http://ingest.test", timeout=30) as client:
            yield client


async def upload(client, filename: str, data: bytes, content_type: str | None, refusable=False) -> int | dict:
    """The document's id; or, when `refusable`, the refusal at the door (a 4xx with its message)."""
    file = (filename, data, content_type) if content_type else (filename, data)
    response = await client.post("/api/documents", files={"file": file}, headers=MONITOR)
    if refusable and 400 <= response.status_code < 500:
        body = response.json()
        return {"id": None, "status": f"refused {response.status_code}", "error": body["message"]}
    assert response.status_code == 202, response.text
    return response.json()["id"]


async def settled(client, document_id: int, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        document = (await client.get(f"/api/documents/{document_id}", headers=MONITOR)).json()
        if document["status"] in ("done", "failed"):
            return document
        await asyncio.sleep(0.25)
    raise AssertionError(f"document {document_id} still {document['status']} after {timeout:g} s")


async def test_hostile_documents_fail_cleanly_while_normal_ones_go_through(ingest):
    started = time.monotonic()
    ids = {}
    for name, (filename, make, content_type, _) in HOSTILE.items():
        ids[name] = await upload(ingest, filename, make(), content_type, refusable=True)

    # a normal document, uploaded behind all of them: the API answers at once, it is processed
    served = time.monotonic()
    normal = await upload(ingest, "normal.fr.txt", NORMAL.encode(), "text/plain")
    listed = await ingest.get("/api/documents", headers=MONITOR)
    assert listed.status_code == 200 and time.monotonic() - served < 5
    # every document gets at most the budget (plus the worker's start); they are worked on in turn
    bound = (len(HOSTILE) + 1) * (BUDGET + 10)

    outcomes = {}
    for name, document_id in ids.items():
        if isinstance(document_id, dict):  # refused at upload, with a message
            outcomes[name] = document_id
            continue
        document = await settled(ingest, document_id, bound - (time.monotonic() - started))
        outcomes[name] = document
    normal_document = await settled(ingest, normal, bound - (time.monotonic() - started))
    assert normal_document["status"] == "done", normal_document["error"]
    assert normal_document["commitment_count"] >= 1

    report = []
    for name, document in outcomes.items():
        mentions = HOSTILE[name][3]
        line = f"{name}: {document['status']} — {document['error'] or document['commitment_count']}"
        report.append(line)
        if document["status"] != "done":
            error = (document["error"] or "").lower()
            assert error and len(error) > 15, line
            assert "traceback" not in error and "exception" not in error, line
            if mentions:
                assert any(word in error for word in mentions), line
        else:
            text = (await ingest.get(f"/api/documents/{document['id']}/text", headers=MONITOR)).json()["text"]
            assert "\ufffd" not in text, f"{name}: decoded with replacement characters"
            if name in ("latin1-labelled-utf8", "utf16-without-bom"):
                assert "coopération" in text and "régionales" in text, text[:200]
    print("\nhostile documents:\n  " + "\n  ".join(report))
    assert outcomes["zip-bomb-docx"]["status"] == "failed"
    assert outcomes["20000-part-docx"]["status"] == "failed"
    # a wrong charset label does not garble the text, nor does a missing byte order mark
    assert outcomes["latin1-labelled-utf8"]["status"] == "done"
    assert outcomes["utf16-without-bom"]["status"] == "done"

    # and the service is still healthy afterwards
    again = await upload(ingest, "after.fr.txt", (NORMAL + "\n3. Nous réaffirmons.\n").encode(), "text/plain")
    assert (await settled(ingest, again, BUDGET + 30))["status"] == "done"
