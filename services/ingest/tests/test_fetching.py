"""Documents by URL: refused at the door when the URL cannot be read one way only; fetched through
the kit's outbound module (libs/suivi_kit/tests/test_outbound.py tests it in full)."""

from __future__ import annotations

import pytest
from ingest_support import MONITOR, make_settings, running_app
from suivi_ingest.formats import UnsupportedType, classify

UNREADABLE = [
    "http://0177.0.0.1:8791/doc.txt",
    "http://2130706433/doc.txt",
    "http://0x7f.0.0.1/doc.txt",
    "http://[::ffff:127.0.0.1]/doc.txt",
    "http://[64:ff9b::7f00:1]/doc.txt",
    "http://example.org/a b.txt",
    "http://example.org/doc.txt\r\nX-Injected: 1",
    "http://example.org/\x01.txt",
    "http://user:pw@example.org/doc.txt",
    "ftp://example.org/doc.txt",
]


async def test_urls_refused_at_the_door(tmp_path, nats_url):
    private = ["http://127.0.0.1:9/x.txt", "http://10.1.2.3/", "http://[::1]/", "http://100.64.0.1/"]
    settings = make_settings(tmp_path, nats_url, allow_private_addresses=False)
    async with running_app(settings) as (_app, client):
        for url in UNREADABLE + private:
            response = await client.post("/api/documents", json={"url": url}, headers=MONITOR)
            assert response.status_code == 422, url
            assert response.json()["errors"]["url"], url
        listed = await client.get("/api/documents", headers=MONITOR)
        assert listed.json() == []


def test_classify_names_files_without_extension_from_their_content():
    assert classify(b"%PDF-1.7 ...", "report", None) == ("report.pdf", "pdf")
    assert classify(b"<!DOCTYPE html><html></html>", "page", None) == ("page.html", "html")
    assert classify("Texte en français".encode(), "notes", None) == ("notes.txt", "text")
    with pytest.raises(UnsupportedType):
        classify(b"\x00\x01\x02" * 50, "blob", None)
