"""The documents API end to end on real parts: SQLite, nats-server, the isolated extraction worker."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from ingest_support import (
    ADMIN,
    MONITOR,
    SMALL_FR,
    VIEWER,
    events_until,
    make_settings,
    read_events,
    running_app,
    upload,
    wait_for,
)
from suivi_contracts.subjects import COMMITMENT_EXTRACTED, DOCUMENT_FAILED, DOCUMENT_INGESTED

BIG_FR = (SMALL_FR.split("\n\n", 1)[1] * 1500).encode()  # ~500 KB: many seconds of NLP


@pytest.fixture(scope="module")
async def service(tmp_path_factory, nats_url):
    settings = make_settings(tmp_path_factory.mktemp("ingest"), nats_url)
    async with running_app(settings) as (app, client):
        yield app, client


@pytest.fixture
def client(service):
    return service[1]


@pytest.fixture
def app(service):
    return service[0]


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/slow.txt":
            time.sleep(5)
        if self.path in ("/doc.txt", "/slow.txt"):
            body = SMALL_FR.replace("2027", "2028").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/logo":
            body = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/doc.txt")
            self.end_headers()
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def web_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


# --- roles ------------------------------------------------------------------------------------


async def test_roles(client):
    files = {"file": ("a.txt", b"hello", "text/plain")}
    anonymous = await client.post("/api/documents", files=files)
    assert anonymous.status_code == 401
    assert anonymous.json()["message"]
    viewer = await client.post("/api/documents", files=files, headers=VIEWER)
    assert viewer.status_code == 403
    assert "monitor" in viewer.json()["message"]
    assert (await client.get("/api/documents")).status_code == 401
    assert (await client.get("/api/documents", headers=VIEWER)).status_code == 200
    assert (await client.delete("/api/documents/1", headers=MONITOR)).status_code == 403


# --- upload, extraction, events -----------------------------------------------------------------


async def test_upload_extracts_commitments_and_publishes_events(client, nats_url):
    response = await upload(client, "declaration.txt", SMALL_FR.encode(), title="Déclaration test")
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["status"] == "queued" and accepted["duplicate"] is False
    document = await wait_for(client, accepted["id"])
    assert document["status"] == "done", document["error"]
    assert document["progress"] == 1.0
    assert document["language"] == "fr" and document["format"] == "text"
    assert document["title"] == "Déclaration test" and document["filename"] == "declaration.txt"
    assert document["commitment_count"] >= 1

    text = (await client.get(f"/api/documents/{accepted['id']}/text", headers=VIEWER)).json()
    assert len(text["commitments"]) == document["commitment_count"]
    for item in text["commitments"]:
        assert " ".join(text["text"][item["start"] : item["end"]].split()) == " ".join(item["text"].split())
        assert item["commitment_id"] is None and item["kind"] and isinstance(item["topics"], list)

    events = await events_until(
        nats_url,
        lambda evs: any(e.type == DOCUMENT_INGESTED and e.subject == str(accepted["id"]) for e in evs),
    )
    extracted = [
        e for e in events if e.type == COMMITMENT_EXTRACTED and e.data["document_id"] == accepted["id"]
    ]
    assert {e.data["extraction_id"] for e in extracted} == {c["id"] for c in text["commitments"]}
    first = extracted[0]
    assert first.subject == first.data["extraction_id"]
    assert first.data["document_sha256"] == document["sha256"]
    assert first.data["document_title"] == "Déclaration test"
    assert first.data["language"] == "fr"
    for key in (
        "text",
        "locator",
        "kind",
        "actors",
        "topics",
        "negotiation_status",
        "deadline",
        "confidence",
    ):
        assert key in first.data
    ingested = [e for e in events if e.type == DOCUMENT_INGESTED and e.subject == str(accepted["id"])]
    assert len(ingested) == 1 and ingested[0].data["status"] == "done"
    assert ingested[0].data["commitment_count"] == len(extracted)


async def test_same_file_twice_gives_the_same_document_and_no_new_events(client, nats_url):
    first = (await upload(client, "twice.txt", SMALL_FR.replace("2027", "2029").encode())).json()
    document = await wait_for(client, first["id"])
    assert document["status"] == "done"
    again = await upload(client, "other-name.txt", SMALL_FR.replace("2027", "2029").encode())
    assert again.status_code == 202
    assert again.json() == {"id": first["id"], "status": "done", "duplicate": True}
    await asyncio.sleep(1.0)
    events = await read_events(nats_url)
    extracted = [e for e in events if e.type == COMMITMENT_EXTRACTED and e.data["document_id"] == first["id"]]
    assert len(extracted) == document["commitment_count"]
    assert len({e.data["extraction_id"] for e in extracted}) == len(extracted)
    assert len([e for e in events if e.type == DOCUMENT_INGESTED and e.subject == str(first["id"])]) == 1


# --- refused at upload -------------------------------------------------------------------------


async def test_empty_file_is_422(client):
    response = await upload(client, "empty.txt", b"")
    assert response.status_code == 422
    assert "empty" in response.json()["message"]
    assert "file" in response.json()["errors"]


async def test_oversize_file_is_413(client):
    response = await upload(client, "big.txt", b"a" * (1024 * 1024 + 1))
    assert response.status_code == 413
    assert "MB" in response.json()["message"]
    way_over = await upload(client, "huge.txt", b"a" * (3 * 1024 * 1024))
    assert way_over.status_code == 413


async def test_oversize_upload_without_length_is_cut_off_while_streaming(client):
    boundary = "suivi-test-boundary"
    sent = 0

    async def body():
        nonlocal sent
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="endless.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        for _ in range(64):  # up to 16 MB, far beyond the 1 MB limit
            sent += 256 * 1024
            yield b"a" * (256 * 1024)
        yield f"\r\n--{boundary}--\r\n".encode()

    response = await client.post(
        "/api/documents",
        content=body(),
        headers={**MONITOR, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413
    assert sent < 4 * 1024 * 1024  # the server stopped reading soon after the limit


@pytest.mark.parametrize(
    ("name", "data", "cause"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, ".png"),
        ("report.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, ".doc"),
        ("random.pdf", os.urandom(2000).replace(b"%PDF-", b"xxxxx"), "is not one"),
        ("old.docx", b"just some text", "Word"),
        ("binary.txt", b"\x00\x01\x02\x03" * 200, "binary"),
    ],
)
async def test_unsupported_type_is_415(client, name, data, cause):
    response = await upload(client, name, data, content_type="application/octet-stream")
    assert response.status_code == 415, response.text
    assert cause in response.json()["message"]


async def test_bad_requests_are_422(client):
    no_file = await client.post("/api/documents", data={"title": "x"}, headers=MONITOR)
    assert no_file.status_code == 422 and "file" in no_file.json()["errors"]
    bad_url = await client.post("/api/documents", json={"url": "ftp://example.org/x"}, headers=MONITOR)
    assert bad_url.status_code == 422 and "url" in bad_url.json()["errors"]
    bad_language = await upload(client, "x.txt", b"Bonjour", language="french!")
    assert bad_language.status_code == 422 and "language" in bad_language.json()["errors"]
    wrong_type = await client.post(
        "/api/documents", content=b"hello", headers={**MONITOR, "Content-Type": "text/plain"}
    )
    assert wrong_type.status_code == 415


# --- unreadable documents fail with a message -------------------------------------------------------


def _text_pdf(text: str, password: str | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 10, text)
    data = bytes(pdf.output())
    if password is None:
        return data
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(data)).pages:
        writer.add_page(page)
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _image_pdf() -> bytes:
    from fpdf import FPDF
    from PIL import Image

    image = Image.new("RGB", (200, 100), (200, 30, 30))
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=100)
    return bytes(pdf.output())


async def _fails_with(client, name, data, *words, content_type="application/pdf"):
    response = await upload(client, name, data, content_type=content_type)
    assert response.status_code == 202, response.text
    document = await wait_for(client, response.json()["id"])
    assert document["status"] == "failed"
    assert document["commitment_count"] == 0
    for word in words:
        assert word in document["error"], document["error"]
    text = (await client.get(f"/api/documents/{document['id']}/text", headers=VIEWER)).json()
    assert text["commitments"] == []
    return document


async def test_encrypted_pdf_fails_with_a_message_and_a_new_upload_retries(client):
    data = _text_pdf("Engagements des Etats membres.", "s3cret")
    document = await _fails_with(client, "locked.pdf", data, "encrypted")
    retry = await upload(client, "locked.pdf", data, content_type="application/pdf")
    assert retry.json() == {"id": document["id"], "status": "queued", "duplicate": True}
    assert (await wait_for(client, document["id"]))["status"] == "failed"


async def test_image_only_pdf_fails_with_a_message(client):
    await _fails_with(client, "scan.pdf", _image_pdf(), "no text")


async def test_damaged_pdf_fails_with_a_message(client):
    data = _text_pdf("Les Etats membres s'engagent.")[:300]
    await _fails_with(client, "truncated.pdf", data, "truncated.pdf")


async def test_unsupported_language_fails_with_a_message(client, nats_url):
    german = (
        "Die Mitgliedstaaten verpflichten sich, das Forum zu stärken und die Finanzierung bis 2027 "
        "zu sichern. Wir fordern eine enge Zusammenarbeit mit den nationalen Initiativen, die auch "
        "in Zukunft eine wichtige Rolle spielen werden, und das ist für alle von großer Bedeutung.\n"
    )
    document = await _fails_with(client, "erklaerung.txt", german.encode(), content_type="text/plain")
    assert document["language"] == "de"
    events = await events_until(
        nats_url, lambda evs: any(e.type == DOCUMENT_FAILED and e.subject == str(document["id"]) for e in evs)
    )
    failed = [e for e in events if e.type == DOCUMENT_FAILED and e.subject == str(document["id"])]
    assert failed[0].data["error"] == document["error"]


# --- documents from URLs ---------------------------------------------------------------------------


async def test_url_document_is_fetched_and_extracted(client, web_server):
    response = await client.post(
        "/api/documents", json={"url": f"{web_server}/moved", "title": "From the web"}, headers=MONITOR
    )
    assert response.status_code == 202
    document = await wait_for(client, response.json()["id"])
    assert document["status"] == "done", document["error"]
    assert document["source_url"] == f"{web_server}/moved"
    assert document["filename"] == "doc.txt" and document["sha256"]
    again = await client.post("/api/documents", data={"url": f"{web_server}/moved"}, headers=MONITOR)
    assert again.json()["id"] == document["id"]
    # Another address with the same content: the known document holds the commitments.
    twin = await client.post("/api/documents", json={"url": f"{web_server}/doc.txt"}, headers=MONITOR)
    twin = await wait_for(client, twin.json()["id"])
    assert twin["status"] == "failed" and twin["duplicate_of"] == document["id"]
    assert f"document {document['id']}" in twin["error"]


async def test_url_of_an_unsupported_type_fails_naming_the_cause(client, web_server):
    response = await client.post("/api/documents", json={"url": f"{web_server}/logo"}, headers=MONITOR)
    document = await wait_for(client, response.json()["id"])
    assert document["status"] == "failed"
    assert "could not be recognised" in document["error"] and "/logo" in document["error"]


async def test_url_404_fails_naming_the_cause(client, web_server):
    response = await client.post("/api/documents", json={"url": f"{web_server}/missing.pdf"}, headers=MONITOR)
    document = await wait_for(client, response.json()["id"])
    assert document["status"] == "failed"
    assert "404" in document["error"]


async def test_url_timeout_fails_naming_the_cause(client, web_server):
    response = await client.post("/api/documents", json={"url": f"{web_server}/slow.txt"}, headers=MONITOR)
    document = await wait_for(client, response.json()["id"])
    assert document["status"] == "failed"
    assert "timed out" in document["error"]


# --- the worker process: timeouts and crashes ------------------------------------------------------


async def test_a_document_that_overruns_the_timeout_fails_and_the_next_one_is_processed(app, client):
    settings = app.state.settings
    settings.extraction_timeout_seconds = 1.0
    try:
        response = await upload(client, "long.txt", BIG_FR)
        document = await wait_for(client, response.json()["id"])
    finally:
        settings.extraction_timeout_seconds = 60.0
    assert document["status"] == "failed"
    assert "longer than the 1 s allowed" in document["error"]
    after = await upload(client, "after-timeout.txt", SMALL_FR.replace("2027", "2031").encode())
    assert (await wait_for(client, after.json()["id"]))["status"] == "done"


async def test_a_crashed_worker_fails_the_document_and_is_replaced(app, client):
    response = await upload(client, "crash.txt", BIG_FR + b"\nFin.\n")
    document_id = response.json()["id"]
    deadline = time.monotonic() + 30
    while True:  # wait until the worker is extracting, then kill it as the OOM killer would
        document = (await client.get(f"/api/documents/{document_id}", headers=VIEWER)).json()
        if document["status"] == "processing" and document["progress"] >= 0.3:
            break
        assert time.monotonic() < deadline, document
        await asyncio.sleep(0.05)
    for pid in app.state.jobs.isolated.pids:
        os.kill(pid, signal.SIGKILL)
    document = await wait_for(client, document_id)
    assert document["status"] == "failed"
    assert "stopped unexpectedly" in document["error"]
    after = await upload(client, "after-crash.txt", SMALL_FR.replace("2027", "2032").encode())
    assert (await wait_for(client, after.json()["id"]))["status"] == "done"


async def test_openapi_and_metrics(client):
    schema = (await client.get("/openapi.json")).json()
    body = schema["paths"]["/api/documents"]["post"]["requestBody"]["content"]
    assert {"multipart/form-data", "application/json"} <= set(body)
    metrics = (await client.get("/metrics")).text
    assert 'suivi_ingest_documents_total{outcome="done"}' in metrics


# --- reading, listing, deleting, linking ----------------------------------------------------------


async def test_list_filters_sorts_and_ranges(client):
    response = await client.get(
        "/api/documents",
        params={"sort": '["id","DESC"]', "range": "[0,1]", "filter": '{"status":"done"}'},
        headers=VIEWER,
    )
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 2 and rows[0]["id"] > rows[1]["id"]
    assert all(row["status"] == "done" for row in rows)
    total = int(response.headers["Content-Range"].split("/")[1])
    assert response.headers["Content-Range"].startswith("documents 0-1/") and total >= 2
    by_ids = (
        await client.get("/api/documents", params={"filter": f'{{"id":[{rows[0]["id"]}]}}'}, headers=VIEWER)
    ).json()
    assert [row["id"] for row in by_ids] == [rows[0]["id"]]
    found = (await client.get("/api/documents", params={"filter": '{"q":"clarat"}'}, headers=VIEWER)).json()
    assert any(row["title"] == "Déclaration test" for row in found)
    bad = await client.get("/api/documents", params={"sort": '["secret","ASC"]'}, headers=VIEWER)
    assert bad.status_code == 400
    missing = await client.get("/api/documents/999999", headers=VIEWER)
    assert missing.status_code == 404 and missing.json()["message"]


async def test_commitment_events_link_items_to_commitments(client, nats_url):
    import nats as nats_client
    from suivi_contracts.events import CommitmentCreated, CommitmentSourceAdded, EventPayload
    from suivi_contracts.subjects import COMMITMENT_CREATED, COMMITMENT_SOURCE_ADDED
    from suivi_kit.events import new_event, utcnow
    from suivi_kit.messaging import publish

    def commitment(model, extraction_id: str):
        now = utcnow()
        fields = {"title": "t", "text": "t", "kind": "engagement", "status": "not_assessed", "version": 1}
        return model(id=41, created_at=now, updated_at=now, extraction_id=extraction_id, **fields)

    response = await upload(client, "linked.txt", SMALL_FR.replace("2027", "2033").encode())
    document = await wait_for(client, response.json()["id"])
    items = (await client.get(f"/api/documents/{document['id']}/text", headers=VIEWER)).json()["commitments"]
    assert items
    connection = await nats_client.connect(nats_url)
    try:
        js = connection.jetstream()
        # A payload without its required fields is a poison message: dropped, never retried.
        broken = EventPayload(id=99, extraction_id=items[0]["id"])
        await publish(js, new_event(COMMITMENT_CREATED, "/suivi/commitments", 99, broken))
        created = commitment(CommitmentCreated, items[0]["id"])
        await publish(js, new_event(COMMITMENT_CREATED, "/suivi/commitments", 41, created))
        if len(items) > 1:
            added = commitment(CommitmentSourceAdded, items[1]["id"])
            await publish(js, new_event(COMMITMENT_SOURCE_ADDED, "/suivi/commitments", 41, added))
    finally:
        await connection.close()
    deadline = time.monotonic() + 10
    expected = 2 if len(items) > 1 else 1
    while True:
        items = (await client.get(f"/api/documents/{document['id']}/text", headers=VIEWER)).json()[
            "commitments"
        ]
        if sum(1 for item in items if item["commitment_id"] == 41) == expected:
            break
        assert time.monotonic() < deadline, items
        await asyncio.sleep(0.1)
    assert all(item["commitment_id"] != 99 for item in items)
    connection = await nats_client.connect(nats_url)
    try:
        while (info := await connection.jetstream().consumer_info("SUIVI", "ingest")).num_ack_pending:
            assert time.monotonic() < deadline, info
            await asyncio.sleep(0.1)
        assert info.num_redelivered == 0  # the broken event was terminated, not retried
    finally:
        await connection.close()


async def test_delete_needs_admin_and_removes_everything(client):
    response = await upload(client, "to-delete.txt", SMALL_FR.replace("2027", "2034").encode())
    document = await wait_for(client, response.json()["id"])
    deleted = await client.delete(f"/api/documents/{document['id']}", headers=ADMIN)
    assert deleted.status_code == 200 and deleted.json()["id"] == document["id"]
    assert (await client.get(f"/api/documents/{document['id']}", headers=VIEWER)).status_code == 404
    assert (await client.get(f"/api/documents/{document['id']}/text", headers=VIEWER)).status_code == 404
    again = await upload(client, "to-delete.txt", SMALL_FR.replace("2027", "2034").encode())
    assert again.json()["duplicate"] is False and again.json()["id"] != document["id"]
