"""Outbound HTTP to URLs that users give us (documents, evidence, webhooks), guarded against SSRF.

The one place that reads such a URL and decides where a request may go:

- `parse_url` when a URL is accepted (and again before each use): one strict reading and one
  normal form. What two parsers could read differently is refused rather than guessed at:
  spaces and control characters, backslashes, user names, schemes other than http(s), IPv4
  written in octal, hex, decimal or short forms (`0177.0.0.1`, `2130706433`, `127.1`), and
  IPv4 dressed as IPv6 (`::ffff:…`, NAT64). A literal address that is not public is refused
  too, unless private addresses are allowed (SUIVI_ALLOW_PRIVATE_ADDRESSES).
- `pin` before each request: the host is resolved once, every address it resolves to must be
  public (`is_public`), and the request goes to the checked address while the Host header and
  the TLS server name (SNI, and so the certificate check) keep the name. A DNS answer that
  changes between check and connection (rebinding) cannot reach a private address.
- `fetch`: a GET with a size limit and one wall-clock timeout; redirects are followed only when
  the caller asks, each hop parsed and pinned like the first. Proxy variables are ignored.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import re
import socket
import ssl
import unicodedata
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx
import idna

from .errors import Invalid

MAX_URL_LENGTH = 2000
DEFAULT_PORTS = {"http": 80, "https": 443}
USER_AGENT = "Suivi/0.1 (commitment tracker)"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_HOST_LABEL = re.compile(r"[a-z0-9_-]{1,63}")
# Characters kept as they are in a path, query or fragment (RFC 3986 unreserved, sub-delims,
# ':', '@', '/', '?' and '%' of an escape); anything else is percent-encoded as UTF-8.
_KEPT = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2}")


class BadURL(Invalid):
    """A URL refused when it is given to us (422 on the `url` field)."""

    def __init__(self, reason: str):
        super().__init__(f"This URL cannot be used: {reason}", errors={"url": reason})
        self.reason = reason


class RefusedAddress(Exception):
    """The host resolves to an address that requests may not reach, or does not resolve."""


@dataclass(frozen=True)
class WebURL:
    """An http(s) URL in normal form: lower-case scheme and host (IDNA A-labels), no default
    port, a path that starts with '/' and has no dot segments, non-ASCII and stray characters
    percent-encoded."""

    scheme: str
    host: str  # a name, or an IP address without brackets
    port: int | None  # only when it is not the scheme's default
    path: str
    query: str
    fragment: str
    ip: IPAddress | None  # the host, when it is a literal address

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.scheme]

    @property
    def authority(self) -> str:
        """What the Host header carries."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port is None else f"{host}:{self.port}"

    @property
    def target(self) -> str:
        """What the request line carries: path and query (never the fragment)."""
        return self.path + (f"?{self.query}" if self.query else "")

    def __str__(self) -> str:
        fragment = f"#{self.fragment}" if self.fragment else ""
        return f"{self.scheme}://{self.authority}{self.target}{fragment}"


def is_public(address: IPAddress) -> bool:
    """Only global unicast addresses; IPv4 embedded in IPv6 (mapped, 6to4, NAT64) is unwrapped."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and any(address in network for network in _NAT64):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public(embedded)
    # `is_global` alone lets through IPv6 reserved ranges such as ::/8 (IPv4-compatible).
    return address.is_global and not address.is_multicast and not address.is_reserved


def parse_url(raw: str, *, allow_private: bool) -> WebURL:
    """The normal form of `raw`, or BadURL with the reason in a sentence for a person."""
    if not isinstance(raw, str) or not raw:
        raise BadURL("expected an http:// or https:// URL.")
    url = _parse(raw)
    if url.ip is not None and not allow_private and not is_public(url.ip):
        raise BadURL(f"{url.ip} is a private, loopback, link-local or otherwise non-public address.")
    return url


@functools.lru_cache(maxsize=4096)  # webhooks parse the same few URLs at every delivery
def _parse(raw: str) -> WebURL:
    if len(raw) > MAX_URL_LENGTH:
        raise BadURL(f"it is longer than {MAX_URL_LENGTH} characters.")
    for char in raw:
        if char == "\\" or ((char > "~" or char <= " ") and unicodedata.category(char)[0] in "CZ"):
            raise BadURL(f"it contains {_describe(char)}; write it percent-encoded (or remove it).")
    try:
        parts = urlsplit(raw)
    except ValueError as exc:
        raise BadURL(f"it cannot be read as a URL ({exc}).") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise BadURL("only http:// and https:// URLs are accepted.")
    if "@" in parts.netloc:
        raise BadURL("it must not contain a user name or password.")
    host_text, port = _split_authority(parts.netloc)
    host, ip = _host(host_text)
    return WebURL(
        scheme=scheme,
        host=host,
        port=None if port == DEFAULT_PORTS[scheme] else port,
        path=_remove_dot_segments(_encode(parts.path)),
        query=_encode(parts.query),
        fragment=_encode(parts.fragment),
        ip=ip,
    )


def _describe(char: str) -> str:
    if char == " ":
        return "a space"
    if char == "\\":
        return "a backslash"
    name = unicodedata.name(char, "")
    return f"a control or invisible character (U+{ord(char):04X}{' ' + name if name else ''})"


def _split_authority(netloc: str) -> tuple[str, int | None]:
    if netloc.startswith("["):
        end = netloc.find("]")
        host, rest = netloc[: end + 1], netloc[end + 1 :]
        if end < 0 or (rest and not rest.startswith(":")):
            raise BadURL("its host is not a valid bracketed IPv6 address.")
        port_text = rest[1:]
    else:
        host, _, port_text = netloc.partition(":")
    if not host:
        raise BadURL("it names no host.")
    if not port_text:
        return host, None
    if not (port_text.isascii() and port_text.isdigit()) or not 0 < int(port_text) < 65536:
        raise BadURL(f"its port {port_text!r} is not a number from 1 to 65535.")
    return host, int(port_text)


def _host(text: str) -> tuple[str, IPAddress | None]:
    """The host in normal form and, for a literal address, the address."""
    if text.startswith("["):
        return _ipv6(text[1:-1])
    name = text.lower().removesuffix(".")
    if not name.isascii():
        try:
            name = idna.encode(name, uts46=True).decode("ascii")
        except idna.IDNAError as exc:
            raise BadURL(f"its host {text!r} is not a valid international domain name ({exc}).") from None
    labels = name.split(".")
    if not all(_HOST_LABEL.fullmatch(label) for label in labels) or len(name) > 253:
        raise BadURL(f"its host {text!r} is not a valid host name.")
    if re.fullmatch(r"\d+|0x[0-9a-f]*", labels[-1]):  # a name that ends in a number is an IPv4 address
        try:
            ip = ipaddress.IPv4Address(name)
        except ValueError:
            raise BadURL(
                f"its host {text!r} is not an IPv4 address written the usual way "
                "(four decimal numbers from 0 to 255, without leading zeros)."
            ) from None
        return str(ip), ip
    return name, None


def _ipv6(text: str) -> tuple[str, IPAddress]:
    if "%" in text:
        raise BadURL("an IPv6 zone (the part after '%') is not accepted.")
    try:
        ip = ipaddress.IPv6Address(text)
    except ValueError:
        raise BadURL(f"[{text}] is not a valid IPv6 address.") from None
    if ip.ipv4_mapped is not None:
        raise BadURL(f"[{text}] is an IPv4 address written as IPv6; write {ip.ipv4_mapped} instead.")
    if any(ip in network for network in _NAT64):
        raise BadURL(f"[{text}] is a NAT64 address (an IPv4 address written as IPv6).")
    return str(ip), ip


def _remove_dot_segments(path: str) -> str:
    """'/a/./b/../c' is '/a/c' (RFC 3986 5.2.4), as the clients send it."""
    segments = path.split("/")
    kept: list[str] = []
    for segment in segments:
        if segment == "..":
            if len(kept) > 1:
                kept.pop()
        elif segment != ".":
            kept.append(segment)
    if segments[-1] in (".", ".."):
        kept.append("")  # '/a/..' is '/', a directory
    return "/".join(kept) or "/"


def _encode(part: str) -> str:
    """Percent-encode what must be (UTF-8), keep what is already encoded; idempotent."""
    out, position = [], 0
    for match in _KEPT.finditer(part):
        out.extend(_escape(part[position : match.start()]))
        out.append(match.group())
        position = match.end()
    out.extend(_escape(part[position:]))
    return "".join(out)


def _escape(text: str) -> list[str]:
    return [f"%{byte:02X}" for byte in text.encode("utf-8")]


# -- connecting -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pinned:
    """A URL and the checked address that its requests go to."""

    url: WebURL
    address: IPAddress

    def request(
        self, method: str, headers: dict[str, str] | None = None, content: bytes | None = None
    ) -> httpx.Request:
        """A request to the checked address; Host and SNI carry the URL's name."""
        url = self.url
        host = f"[{self.address}]" if self.address.version == 6 else str(self.address)
        port = f":{url.port}" if url.port else ""
        connect_to = f"{url.scheme}://{host}{port}{url.target}"
        extensions = {}
        if url.scheme == "https" and url.ip is None:
            extensions["sni_hostname"] = url.host  # the certificate is checked against the name
        headers = {**(headers or {}), "host": url.authority}
        return httpx.Request(method, connect_to, headers=headers, content=content, extensions=extensions)


async def pin(url: WebURL, *, allow_private: bool) -> Pinned:
    """Resolve the host once; refuse when any of its addresses is not public (unless allowed)."""
    if url.ip is not None:
        addresses = [url.ip]
    else:
        addresses = await _resolve(url.host, url.effective_port)
    if not allow_private:
        refused = [str(address) for address in addresses if not is_public(address)]
        if refused:
            raise RefusedAddress(
                f"refused: {url.host} resolves to {', '.join(refused)}, not a public address."
            )
    return Pinned(url, addresses[0])


async def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise RefusedAddress(f"The host name {host!r} could not be resolved ({exc}).") from None
    addresses: list[IPAddress] = []
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise RefusedAddress(f"The host name {host!r} could not be resolved.")
    return addresses


# -- fetching -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects, in normal form
    content_type: str
    body: bytes


class FetchFailed(Exception):
    """The fetch gave no usable answer; the message names the cause for a person."""


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One TLS context for every fetch: loading the CA bundle costs ~50 ms of CPU each time."""
    return ssl.create_default_context()


async def fetch(
    url: str,
    *,
    max_bytes: int,
    timeout: float,
    allow_private: bool,
    max_redirects: int = 0,
    headers: dict[str, str] | None = None,
) -> Fetched:
    """GET `url` within `timeout` seconds in all (resolution, redirects and body included)."""
    try:
        async with asyncio.timeout(timeout):
            # The transport, not a client: no proxy from the environment, no cookies, and the
            # redirects are ours to read (a client parses Location itself, with its own rules).
            async with httpx.AsyncHTTPTransport(verify=tls_context()) as transport:
                return await _follow(transport, url, max_bytes, allow_private, max_redirects, headers)
    except (TimeoutError, httpx.TimeoutException):
        raise FetchFailed(f"Fetching {url} timed out after {timeout:g} seconds.") from None


async def _follow(
    transport: httpx.AsyncHTTPTransport,
    url: str,
    max_bytes: int,
    allow_private: bool,
    max_redirects: int,
    headers: dict[str, str] | None,
) -> Fetched:
    headers = {"user-agent": USER_AGENT, "accept": "*/*", **(headers or {})}
    current, redirects = url, 0
    while True:
        try:
            pinned = await pin(parse_url(current, allow_private=allow_private), allow_private=allow_private)
        except BadURL as exc:
            raise FetchFailed(f"Cannot fetch {current}: {exc.reason}") from None
        except RefusedAddress as exc:
            raise FetchFailed(f"Cannot fetch {current}: {exc}") from None
        try:
            response = await transport.handle_async_request(pinned.request("GET", headers))
        except httpx.TimeoutException:
            raise
        except httpx.HTTPError as exc:
            raise FetchFailed(f"Could not connect to {pinned.url.host} ({type(exc).__name__}).") from exc
        try:
            if response.is_redirect:
                location = response.headers["location"]
                if max_redirects and redirects == max_redirects:
                    raise FetchFailed(f"{url} redirects more than {max_redirects} times.")
                if not max_redirects:
                    raise FetchFailed(
                        f"{current} redirects ({response.status_code}) to {location[:200]}; "
                        "redirects are not followed."
                    )
                redirects += 1
                current = urljoin(str(pinned.url), location)
                continue
            if not response.is_success:
                raise FetchFailed(
                    f"The server answered {response.status_code} {response.reason_phrase} for {current}."
                )
            body = await _read(response, current, max_bytes)
            return Fetched(str(pinned.url), response.headers.get("content-type", ""), body)
        finally:
            await response.aclose()


async def _read(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    too_large = FetchFailed(f"The content at {url} is larger than the {max_bytes:,} bytes allowed.")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    chunks, size = [], 0
    try:
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise too_large
            chunks.append(chunk)
    except httpx.TimeoutException:
        raise
    except httpx.HTTPError as exc:
        raise FetchFailed(f"The download of {url} broke off ({type(exc).__name__}).") from exc
    return b"".join(chunks)
