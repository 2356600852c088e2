"""Evidence keeps a copy of what its URL said when it was added, and refuses private targets."""

import asyncio
import hashlib
import http.server
import threading

import pytest
from suivi_kit.testing import auth

PAGE = "<html><body><h1>Résolution 80/1</h1><p>Le mandat du FGI est renouvelé.</p><script>x()</script></body></html>"


@pytest.fixture
def web_page():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = PAGE.encode()
            self.send_response(200 if self.path == "/page" else 404)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


async def add(client, url: str) -> dict:
    commitment = await client.post(
        "/api/commitments", json={"text": "Nous décidons."}, headers=auth("monitor")
    )
    response = await client.post(
        "/api/evidence",
        json={"commitment_id": commitment.json()["id"], "url": url, "title": "Résolution"},
        headers=auth("monitor"),
    )
    assert response.status_code == 201 and response.json()["archive_status"] == "pending"
    return response.json()


async def settled(client, evidence_id: int) -> dict:
    for _ in range(100):
        body = (await client.get(f"/api/evidence/{evidence_id}", headers=auth("viewer"))).json()
        if body["archive_status"] not in ("pending", "archiving"):
            return body
        await asyncio.sleep(0.1)
    raise AssertionError("evidence was never archived")


async def test_archived_copy_survives(app_with, web_page):
    async with app_with(webhook_allow_private=True) as client:
        evidence = await settled(client, (await add(client, f"{web_page}/page"))["id"])
        assert evidence["archive_status"] == "archived"
        assert evidence["sha256"] == hashlib.sha256(PAGE.encode()).hexdigest()
        archive = await client.get(f"/api/evidence/{evidence['id']}/archive", headers=auth("viewer"))
        assert "Le mandat du FGI est renouvelé." in archive.text and "x()" not in archive.text
        missing = await settled(client, (await add(client, f"{web_page}/gone"))["id"])
        assert missing["archive_status"] == "failed" and "404" in missing["archive_error"]


async def test_private_addresses_are_not_fetched(app_with, web_page):
    async with app_with(webhook_allow_private=False) as client:
        evidence = await settled(client, (await add(client, f"{web_page}/page"))["id"])
        assert evidence["archive_status"] == "failed"
        assert "non-public" in evidence["archive_error"]
