"""Outbound HTTP to addresses users give us (evidence, documents, webhooks), guarded against SSRF.

The host is resolved once, every address that is not globally routable is refused, and the
connection goes to the address that was checked, so a DNS answer that changes in between
(rebinding) cannot smuggle in a private target. Redirects are never followed.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx


class UnsafeTarget(Exception):
    """The URL points somewhere we refuse to send requests."""


@dataclass(frozen=True)
class Target:
    url: str  # with the checked IP address in place of the host name
    host: str
    ip: str


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_public(address: str | IPAddress) -> bool:
    """Only global unicast addresses; IPv4 embedded in IPv6 (mapped, 6to4, NAT64) is unwrapped."""
    ip = ipaddress.ip_address(address.split("%", 1)[0]) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return is_public(ip.ipv4_mapped)
        if ip.sixtofour is not None:
            return is_public(ip.sixtofour)
        if ip in _NAT64:
            return is_public(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return ip.is_global and not ip.is_multicast


async def resolve_target(url: str, allow_private: bool = False) -> Target:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget(f"Only http(s) URLs with a host are allowed, not '{url[:100]}'.")
    host = parts.hostname
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UnsafeTarget(f"The host '{host}' does not resolve.") from exc
    addresses = [info[4][0] for info in infos]
    if not allow_private:
        refused = [a for a in addresses if not is_public(a)]
        if refused:
            raise UnsafeTarget(f"The host '{host}' resolves to a non-public address ({refused[0]}); refused.")
    ip = addresses[0]
    netloc = f"[{ip}]" if ":" in ip else ip
    if parts.port:
        netloc += f":{parts.port}"
    return Target(urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")), host, ip)


def pinned_request_options(target: Target, original_url: str) -> dict:
    """Host header and TLS server name of the original URL, for a request sent to target.url."""
    parts = urlsplit(original_url)
    host_header = parts.netloc.rsplit("@", 1)[-1]
    return {"headers": {"Host": host_header}, "extensions": {"sni_hostname": target.host}}


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One TLS context for every fetch: loading the CA bundle costs ~50 ms of CPU each time."""
    return ssl.create_default_context()


@dataclass(frozen=True)
class Fetched:
    status_code: int
    content_type: str
    body: bytes


class FetchFailed(Exception):
    """The fetch did not give a usable answer; the message names the cause for a person."""


async def fetch(url: str, *, max_bytes: int, timeout: float, allow_private: bool = False) -> Fetched:
    try:
        target = await resolve_target(url, allow_private)
    except UnsafeTarget as exc:
        raise FetchFailed(str(exc)) from exc
    options = pinned_request_options(target, url)
    try:
        async with httpx.AsyncClient(
            timeout=timeout, follow_redirects=False, trust_env=False, verify=tls_context()
        ) as client:
            async with asyncio.timeout(timeout):
                async with client.stream("GET", target.url, **options) as response:
                    if response.is_redirect:
                        raise FetchFailed(
                            f"{url} redirects ({response.status_code}); redirects are not followed."
                        )
                    if response.status_code >= 400:
                        raise FetchFailed(f"{url} answered HTTP {response.status_code}.")
                    chunks, size = [], 0
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise FetchFailed(f"{url} is larger than the limit of {max_bytes} bytes.")
                        chunks.append(chunk)
                    return Fetched(
                        response.status_code, response.headers.get("content-type", ""), b"".join(chunks)
                    )
    except TimeoutError as exc:
        raise FetchFailed(f"{url} did not answer within {timeout:g} s.") from exc
    except httpx.TimeoutException as exc:
        raise FetchFailed(f"{url} did not answer within {timeout:g} s.") from exc
    except httpx.HTTPError as exc:
        raise FetchFailed(f"Could not fetch {url}: {exc.__class__.__name__}.") from exc
