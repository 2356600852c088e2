"""The SSRF guard: webhook targets must be public addresses unless SUIVI_WEBHOOK_ALLOW_PRIVATE.

A host name is resolved once; every address it resolves to must be global, and the request
then goes to the checked address (the Host header and TLS SNI keep the name), so a second,
different DNS answer cannot slip a private address in between check and connect.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from suivi_kit.safe_http import IPAddress, is_public


class TargetRefused(Exception):
    """The URL points at an address that webhooks may not reach."""


def literal_ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def check_url(url: str, allow_private: bool) -> str | None:
    """Why `url` cannot be a webhook target (a sentence), or None. Names are not resolved here."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "The URL is not valid."
    if parts.scheme not in ("http", "https"):
        return "The URL must start with http:// or https://."
    if not parts.hostname:
        return "The URL must name a host."
    if parts.username or parts.password:
        return "The URL must not contain a user name or password."
    if port == 0:
        return "The URL's port is not valid."
    ip = literal_ip(parts.hostname)
    if ip is not None and not allow_private and not is_public(ip):
        return f"{ip} is a private, loopback, link-local or otherwise non-public address."
    return None


async def resolve_public(host: str, port: int) -> str:
    """Resolve `host` once and return an address to connect to, or raise TargetRefused."""
    ip = literal_ip(host)
    if ip is not None:
        if not is_public(ip):
            raise TargetRefused(f"refused: {ip} is not a public address")
        return str(ip)
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise TargetRefused(f"cannot resolve {host}: {exc}") from exc
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        address = literal_ip(str(sockaddr[0]))
        if address is not None and address not in addresses:
            addresses.append(address)
    if not addresses:
        raise TargetRefused(f"cannot resolve {host}: no address")
    refused = [str(address) for address in addresses if not is_public(address)]
    if refused:
        raise TargetRefused(f"refused: {host} resolves to {', '.join(refused)}, not a public address")
    return str(addresses[0])
