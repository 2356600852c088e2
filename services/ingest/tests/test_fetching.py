"""URL fetching refuses private targets unless allowed (the webhook rule)."""

from __future__ import annotations

import pytest
from suivi_ingest.fetching import FetchError, fetch, resolve
from suivi_ingest.formats import UnsupportedType, classify


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.txt",
        "http://localhost/x.txt",
        "http://10.1.2.3/",
        "http://100.64.0.1/",
        "http://[::1]/",
    ],
)
async def test_private_addresses_are_refused(url):
    with pytest.raises(FetchError, match="private or reserved"):
        await fetch(url, max_bytes=1000, timeout=2, allow_private=False)


async def test_unresolvable_host_names_the_cause():
    with pytest.raises(FetchError, match="could not be resolved"):
        await resolve("no-such-host.invalid", 80, allow_private=True)


def test_classify_names_files_without_extension_from_their_content():
    assert classify(b"%PDF-1.7 ...", "report", None) == ("report.pdf", "pdf")
    assert classify(b"<!DOCTYPE html><html></html>", "page", None) == ("page.html", "html")
    assert classify("Texte en français".encode(), "notes", None) == ("notes.txt", "text")
    with pytest.raises(UnsupportedType):
        classify(b"\x00\x01\x02" * 50, "blob", None)
