"""Fetching a document from a URL without becoming a proxy into the private network.

The host is resolved once, every address is checked (`is_global`, the rule webhooks
follow; private, loopback, link-local and shared addresses are refused unless
SUIVI_WEBHOOK_ALLOW_PRIVATE), and the connection goes to the checked address with the
original Host header and TLS server name. Redirects are followed by hand, each hop checked
the same way. The body is streamed and cut off at the upload limit; the whole fetch has one
wall-clock timeout. Proxy variables are ignored.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from suivi_kit.safe_http import is_public

MAX_REDIRECTS = 5
USER_AGENT = "Suivi/0.1 (commitment tracker; document ingest)"


class FetchError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Fetched:
    data: bytes
    url: str  # after redirects
    content_type: str | None


async def fetch(url: str, *, max_bytes: int, timeout: float, allow_private: bool = False) -> Fetched:
    try:
        async with asyncio.timeout(timeout):
            return await _fetch(url, max_bytes=max_bytes, timeout=timeout, allow_private=allow_private)
    except TimeoutError:
        raise FetchError(f"Fetching {url} timed out after {timeout:g} seconds.") from None


async def resolve(host: str, port: int, allow_private: bool) -> str:
    """The address to connect to, refused when it is not a public one (unless allowed)."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"The host name {host!r} could not be resolved.") from exc
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not allow_private and not is_public(address):
            raise FetchError(
                f"The host {host!r} points to a private or reserved address ({address}); "
                "documents are fetched only from public addresses."
            )
        addresses.append(str(address))
    if not addresses:
        raise FetchError(f"The host name {host!r} could not be resolved.")
    return addresses[0]


async def _fetch(url: str, *, max_bytes: int, timeout: float, allow_private: bool) -> Fetched:
    current = url
    async with httpx.AsyncClient(trust_env=False, follow_redirects=False, timeout=timeout) as client:
        for _ in range(MAX_REDIRECTS + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise FetchError(
                    f"Cannot fetch {current!r}: only http:// and https:// addresses are followed."
                )
            host = parts.hostname
            port = parts.port or (443 if parts.scheme == "https" else 80)
            address = await resolve(host, port, allow_private)
            ip_host = f"[{address}]" if ":" in address else address
            target = urlunsplit((parts.scheme, f"{ip_host}:{port}", parts.path or "/", parts.query, ""))
            host_header = host if parts.port is None else f"{host}:{parts.port}"
            if ":" in host and parts.port is None:
                host_header = f"[{host}]"
            request = client.build_request(
                "GET",
                target,
                headers={"Host": host_header, "User-Agent": USER_AGENT, "Accept": "*/*"},
                extensions={"sni_hostname": host} if parts.scheme == "https" else {},
            )
            try:
                response = await client.send(request, stream=True)
            except httpx.TimeoutException:
                raise FetchError(f"Fetching {url} timed out after {timeout:g} seconds.") from None
            except httpx.HTTPError as exc:
                raise FetchError(
                    f"Could not connect to {host} to fetch {url} ({type(exc).__name__})."
                ) from exc
            try:
                if response.is_redirect:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(f"{url} redirects without saying where to.")
                    current = urljoin(current, location)
                    continue
                if response.status_code >= 400:
                    raise FetchError(
                        f"The server answered {response.status_code} {response.reason_phrase} for {current}."
                    )
                if not response.is_success:
                    raise FetchError(
                        f"The server answered {response.status_code} for {current}; no document."
                    )
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(_too_large(current, max_bytes))
                chunks: list[bytes] = []
                total = 0
                try:
                    async for chunk in response.aiter_bytes():
                        total += len(chunk)
                        if total > max_bytes:
                            raise FetchError(_too_large(current, max_bytes))
                        chunks.append(chunk)
                except httpx.TimeoutException:
                    raise FetchError(f"Fetching {url} timed out after {timeout:g} seconds.") from None
                except httpx.HTTPError as exc:
                    raise FetchError(f"The download of {current} broke off ({type(exc).__name__}).") from exc
                return Fetched(b"".join(chunks), current, response.headers.get("content-type"))
            finally:
                await response.aclose()
    raise FetchError(f"{url} redirects more than {MAX_REDIRECTS} times.")


def _too_large(url: str, max_bytes: int) -> str:
    return f"The document at {url} is larger than the {max_bytes // (1024 * 1024) or max_bytes} {'MB' if max_bytes >= 1024 * 1024 else 'bytes'} allowed."
