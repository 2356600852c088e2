"""Evidence keeps a copy of what its URL said when it was added, refuses private targets and URLs
that cannot be read one way only, and never stays `archiving`."""

import asyncio
import hashlib
import http.server
import threading

import pytest
from suivi_commitments.status_changes import archiver
from suivi_testing import auth

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
    async with app_with(allow_private_addresses=True) as client:
        evidence = await settled(client, (await add(client, f"{web_page}/page"))["id"])
        assert evidence["archive_status"] == "archived"
        assert evidence["sha256"] == hashlib.sha256(PAGE.encode()).hexdigest()
        archive = await client.get(f"/api/evidence/{evidence['id']}/archive", headers=auth("viewer"))
        assert "Le mandat du FGI est renouvelé." in archive.text and "x()" not in archive.text
        missing = await settled(client, (await add(client, f"{web_page}/gone"))["id"])
        assert missing["archive_status"] == "failed" and "404" in missing["archive_error"]


async def test_private_addresses_are_not_fetched(app_with, web_page):
    async with app_with(allow_private_addresses=False) as client:
        evidence = await settled(client, (await add(client, f"{web_page}/page"))["id"])
        assert evidence["archive_status"] == "failed"
        assert "non-public" in evidence["archive_error"]


UNREADABLE = [
    "http://example.org/r\u00e9solution\x07.pdf",
    "http://example.org/a b",
    "http://example.org/\r\nX-Injected: 1",
    "http://0177.0.0.1/page",
    "http://2130706433/page",
    "http://[::ffff:127.0.0.1]/page",
    "http://[64:ff9b::7f00:1]/page",
    "http://user:pw@example.org/page",
    "javascript:alert(1)",
]


async def test_urls_that_cannot_be_read_one_way_only_are_refused(app_with):
    async with app_with(allow_private_addresses=True) as client:
        commitment = (
            await client.post("/api/commitments", json={"text": "Nous décidons."}, headers=auth("monitor"))
        ).json()
        for url in UNREADABLE:
            evidence = {"commitment_id": commitment["id"], "url": url, "title": "Résolution"}
            response = await client.post("/api/evidence", json=evidence, headers=auth("monitor"))
            assert response.status_code == 422 and response.json()["errors"]["url"], url
            change = {
                "commitment_id": commitment["id"],
                "to_status": "achieved",
                "evidence": {"url": url, "title": "Résolution"},
                "expected_version": commitment["version"],
            }
            response = await client.post("/api/status_changes", json=change, headers=auth("monitor"))
            assert response.status_code == 422 and response.json()["errors"]["evidence.url"], url
        listed = await client.get("/api/evidence", headers=auth("viewer"))
        assert listed.json() == []
        kept = await add(client, "HTTP://127.0.0.1:9/r\u00e9solution?x=1")  # nothing listens on port 9
        assert kept["url"] == "http://127.0.0.1:9/r%C3%A9solution?x=1"


async def test_an_archive_that_fails_unexpectedly_is_recorded_as_failed(app_with, web_page, monkeypatch):
    async def broken_fetch(url, **limits):
        raise RuntimeError("the archiver broke")

    monkeypatch.setattr(archiver, "fetch", broken_fetch)
    async with app_with(allow_private_addresses=True) as client:
        evidence = await settled(client, (await add(client, f"{web_page}/page"))["id"])
        assert evidence["archive_status"] == "failed"
        assert evidence["archive_error"] == "unexpected error: RuntimeError: the archiver broke"
