"""The one outbound HTTP module: URLs read one way only, addresses checked and pinned, fetch limits."""

from __future__ import annotations

import asyncio
import ipaddress
import re
from collections.abc import AsyncIterator

import httpx
import pytest
import yarl
from hypothesis import given, settings
from hypothesis import strategies as st
from suivi_kit.outbound import BadURL, FetchFailed, RefusedAddress, fetch, is_public, parse_url, pin
from suivi_kit.settings import Settings as SuiviSettings

# Each of these is refused whatever SUIVI_ALLOW_PRIVATE_ADDRESSES says.
UNREADABLE = {
    "http://0177.0.0.1:8791/": "IPv4",  # octal
    "http://2130706433/": "IPv4",  # one decimal number
    "http://0x7f.0.0.1/": "IPv4",  # hex
    "http://127.1/": "IPv4",  # short form
    "http://127.0.0.01/": "IPv4",  # leading zero
    "http://[::ffff:127.0.0.1]/": "IPv4 address written as IPv6",
    "http://[64:ff9b::7f00:1]/": "NAT64",
    "http://[fe80::1%25eth0]/": "zone",
    "http://example.org/a b": "space",
    "http://example.org/\r\nHost: evil": "U+000D",
    "http://example.org/\n": "U+000A",
    "http://example.org/\x00": "U+0000",
    "http://example.org/\x7f": "U+007F",
    "http://example.org/\u200b": "ZERO WIDTH SPACE",
    " http://example.org/": "space",
    "http://example.org\\@127.0.0.1/": "backslash",
    "http://user:pw@example.org/": "user name",
    "http://example.org@127.0.0.1/": "user name",
    "ftp://example.org/": "only http",
    "javascript:alert(1)": "only http",
    "file:///etc/passwd": "only http",
    "http:///path": "no host",
    "http://[::1/": "cannot be read",
    "http://example.org:0/": "port",
    "http://example.org:65536/": "port",
    "http://example.org:8o/": "port",
    "http://exa mple.org/": "space",
    "http://a..b/": "not a valid host name",
    "http://" + "a" * 2000 + ".org/": "longer than",
    "": "expected",
}


@pytest.mark.parametrize("url", list(UNREADABLE))
@pytest.mark.parametrize("allow_private", [False, True])
def test_what_cannot_be_read_one_way_only_is_refused(url, allow_private):
    with pytest.raises(BadURL, match=re.escape(UNREADABLE[url])) as refused:
        parse_url(url, allow_private=allow_private)
    assert refused.value.status_code == 422 and refused.value.errors == {"url": refused.value.reason}


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("HTTPS://Example.ORG:443/a?b=c#d", "https://example.org/a?b=c#d"),
        ("http://example.org", "http://example.org/"),
        ("http://example.org.:80/x", "http://example.org/x"),
        ("http://example.org:8080", "http://example.org:8080/"),
        ("http://bücher.example/résumé?q=ü", "http://xn--bcher-kva.example/r%C3%A9sum%C3%A9?q=%C3%BC"),
        ("http://example.org/%7Ea%2fb%zz<>", "http://example.org/%7Ea%2fb%25zz%3C%3E"),
        ("http://[2001:DB8:0::1]:8443/", "http://[2001:db8::1]:8443/"),
        ("http://93.184.216.34/", "http://93.184.216.34/"),
        ("http://example.org/a/./b/../c/..?x=/../", "http://example.org/a/?x=/../"),
        ("http://example.org/..", "http://example.org/"),
    ],
)
def test_urls_are_kept_in_one_normal_form(url, normal):
    parsed = parse_url(url, allow_private=True)
    assert str(parsed) == normal
    assert str(parse_url(normal, allow_private=True)) == normal  # normalising twice changes nothing


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1/", "http://[::1]/", "http://10.0.0.1/", "http://169.254.169.254/", "http://0.0.0.0/",
     "http://100.64.0.1/", "http://[fd00::1]/", "http://[2002:7f00:1::1]/"],
)  # fmt: skip
def test_literal_private_addresses_are_refused_unless_allowed(url):
    with pytest.raises(BadURL, match="non-public"):
        parse_url(url, allow_private=False)
    assert parse_url(url, allow_private=True).ip is not None


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "::1", "10.0.0.1", "169.254.169.254", "100.64.0.1", "::ffff:10.0.0.1", "fe80::1",
     "64:ff9b::a00:1", "64:ff9b:1::a00:1", "2002:7f00:1::1", "::7f00:1", "224.0.0.1", "0.0.0.0", "240.0.0.1"],
)  # fmt: skip
def test_non_public_addresses(address):
    assert not is_public(ipaddress.ip_address(address))


def test_public_addresses():
    assert is_public(ipaddress.ip_address("93.184.216.34"))
    assert is_public(ipaddress.ip_address("2606:4700::1111"))
    assert is_public(ipaddress.ip_address("64:ff9b::5db8:d822"))  # NAT64 of a public address


async def test_a_name_is_resolved_once_and_every_address_checked():
    with pytest.raises(RefusedAddress, match="localhost resolves to .*not a public address"):
        await pin(parse_url("http://localhost:9/x", allow_private=False), allow_private=False)
    pinned = await pin(parse_url("http://localhost:9/x", allow_private=True), allow_private=True)
    assert pinned.address.is_loopback


async def test_the_checked_address_is_connected_with_the_name_in_host_and_sni():
    url = parse_url("https://localhost:8443/hook?x=1#top", allow_private=True)
    request = (await pin(url, allow_private=True)).request("POST", {"user-agent": "t"}, b"{}")
    assert request.url.host in ("127.0.0.1", "::1") and request.url.port == 8443
    assert request.url.raw_path == b"/hook?x=1"  # the fragment is never sent
    assert request.headers["host"] == "localhost:8443" and request.headers["user-agent"] == "t"
    assert request.extensions["sni_hostname"] == "localhost"
    literal = parse_url("https://[::1]/", allow_private=True)
    request = (await pin(literal, allow_private=True)).request("GET")
    assert str(request.url) == "https://[::1]/" and request.headers["host"] == "[::1]"
    assert "sni_hostname" not in request.extensions


# -- fetch, against a server on loopback ----------------------------------------------------------


class Server:
    """Answers each path with a scripted raw HTTP response."""

    def __init__(self, routes: dict[str, bytes | float]):
        self.routes = routes
        self.paths: list[str] = []

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ", 2)[1].decode()
            self.paths.append(path)
            answer = self.routes.get(path, b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")
            if isinstance(answer, float):
                await asyncio.sleep(answer)
                answer = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"
            writer.write(answer)
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass  # the client gave up (a timeout under test)
        finally:
            writer.close()


def ok(body: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body)


def moved(location: str) -> bytes:
    return f"HTTP/1.1 302 Found\r\nlocation: {location}\r\ncontent-length: 0\r\n\r\n".encode()


@pytest.fixture
async def server() -> AsyncIterator[tuple[Server, str]]:
    routes: dict[str, bytes | float] = {}
    server = Server(routes)
    listening = await asyncio.start_server(server._serve, "127.0.0.1", 0)
    base = f"http://127.0.0.1:{listening.sockets[0].getsockname()[1]}"
    routes.update(
        {
            "/doc.txt": ok(b"hello"),
            "/big": ok(b"x" * 5000),
            "/slow": 5.0,
            "/one": moved("/doc.txt"),
            "/two": moved(f"{base}/one"),
            "/loop": moved("/loop"),
            "/to-octal": moved("http://0177.0.0.1/doc.txt"),
        }
    )
    yield server, base
    listening.close()


async def test_fetch_reads_the_body_within_its_limits(server):
    web, base = server
    fetched = await fetch(f"{base}/doc.txt", max_bytes=100, timeout=5, allow_private=True)
    assert (fetched.body, fetched.content_type, fetched.url) == (b"hello", "text/plain", f"{base}/doc.txt")
    with pytest.raises(FetchFailed, match="larger than the 100 bytes"):
        await fetch(f"{base}/big", max_bytes=100, timeout=5, allow_private=True)
    with pytest.raises(FetchFailed, match="timed out after 0.5 seconds"):
        await fetch(f"{base}/slow", max_bytes=100, timeout=0.5, allow_private=True)
    with pytest.raises(FetchFailed, match="404"):
        await fetch(f"{base}/missing", max_bytes=100, timeout=5, allow_private=True)


async def test_fetch_refuses_private_addresses_unless_allowed(server):
    web, base = server
    with pytest.raises(FetchFailed, match="non-public"):
        await fetch(f"{base}/doc.txt", max_bytes=100, timeout=5, allow_private=False)
    with pytest.raises(FetchFailed, match="localhost resolves to"):
        await fetch(base.replace("127.0.0.1", "localhost"), max_bytes=100, timeout=5, allow_private=False)
    assert web.paths == []


async def test_redirects_are_followed_only_when_asked_each_hop_read_again(server):
    web, base = server
    with pytest.raises(FetchFailed, match="redirects \\(302\\) to /doc.txt; redirects are not followed"):
        await fetch(f"{base}/one", max_bytes=100, timeout=5, allow_private=True)
    fetched = await fetch(f"{base}/two", max_bytes=100, timeout=5, allow_private=True, max_redirects=2)
    assert fetched.body == b"hello" and fetched.url == f"{base}/doc.txt"
    with pytest.raises(FetchFailed, match="more than 3 times"):
        await fetch(f"{base}/loop", max_bytes=100, timeout=5, allow_private=True, max_redirects=3)
    with pytest.raises(FetchFailed, match="0177.0.0.1.*IPv4"):
        await fetch(f"{base}/to-octal", max_bytes=100, timeout=5, allow_private=True, max_redirects=3)
    assert web.paths.count("/doc.txt") == 1


def test_the_setting_keeps_its_old_name_for_one_release(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env file
    monkeypatch.setenv("SUIVI_WEBHOOK_ALLOW_PRIVATE", "1")
    with pytest.warns(FutureWarning, match="SUIVI_ALLOW_PRIVATE_ADDRESSES"):
        assert SuiviSettings().allow_private_addresses is True
    monkeypatch.setenv("SUIVI_ALLOW_PRIVATE_ADDRESSES", "0")
    with pytest.warns(FutureWarning):
        assert SuiviSettings().allow_private_addresses is False
    monkeypatch.delenv("SUIVI_WEBHOOK_ALLOW_PRIVATE")
    monkeypatch.setenv("SUIVI_ALLOW_PRIVATE_ADDRESSES", "1")
    assert SuiviSettings().allow_private_addresses is True


# Random text where a host, a port, a path or a query would be: whatever parse_url accepts, its
# normal form is read the same way by the clients that send (httpx, aiohttp's yarl) and by
# parse_url itself, so the address checked is the address connected to.
_PIECES = st.text(alphabet="ab7f0x.:-_[]%@/?#=&+~'é€ü", max_size=24) | st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=24
)


@given(_PIECES, _PIECES)
@settings(max_examples=300, deadline=None)
def test_a_normal_form_is_read_the_same_way_by_every_client(first, second):
    for raw in (
        f"http://{first}/{second}",
        f"https://example.org:{first}/{second}",
        f"http://a.b/{first}?{second}",
    ):
        try:
            url = parse_url(raw, allow_private=True)
        except BadURL:
            continue
        normal = str(url)
        assert str(parse_url(normal, allow_private=True)) == normal
        seen = httpx.URL(normal)
        assert (seen.scheme, seen.raw_host.decode(), seen.port) == (url.scheme, url.host, url.port)
        assert seen.raw_path.decode() == url.target
        other = yarl.URL(normal, encoded=True)
        assert (other.raw_host, other.explicit_port, other.raw_path_qs) == (url.host, url.port, url.target)
