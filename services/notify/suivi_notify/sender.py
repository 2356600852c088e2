"""Signed webhook delivery over one pooled HTTP client (Standard Webhooks)."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport
from standardwebhooks import Webhook
from suivi_kit.outbound import BadURL, RefusedAddress, WebURL, parse_url, pin

MAX_BODY_KEPT = 20 * 1024
USER_AGENT = "Suivi-Webhooks/0.1"


@dataclass
class AttemptResult:
    response_code: int | None
    latency_ms: int
    error: str | None = None
    response_body: str | None = None
    retry_after: float | None = None
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and self.response_code is not None and 200 <= self.response_code < 300


@lru_cache(maxsize=1024)
def _signer(secret: str) -> Webhook:
    return Webhook(secret)


def sign(secrets: list[str], msg_id: str, timestamp: datetime, body: str) -> str:
    """The webhook-signature header: one `v1,<base64>` per secret, space-separated."""
    return " ".join(_signer(secret).sign(msg_id, timestamp, body) for secret in secrets)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class WebhookSender:
    """Sends webhooks over pooled keep-alive connections, a small pool per target origin.

    httpx's API over aiohttp's connections (httpx-aiohttp, as the OpenAI SDK does): httpx's own
    transport, httpcore, cost 1.2-1.6 ms of CPU per POST on the benchmark machine against 0.3-0.5 ms
    (bench/webhooks.py's floor), and a delivery is little more than its POST. Each origin gets
    its own client, at most `per_origin` requests in flight to it (queued before the timeout
    starts), and the least recently used clients are closed beyond `max_origins`.
    """

    def __init__(self, timeout: float, allow_private: bool, per_origin: int = 8, max_origins: int = 256):
        self.allow_private = allow_private
        self.timeout = timeout
        self.per_origin = per_origin
        self.max_origins = max_origins
        self._clients: OrderedDict[tuple[str, str, int], tuple[httpx.AsyncClient, asyncio.Semaphore]] = (
            OrderedDict()
        )
        self._closing: set[asyncio.Task] = set()

    def _client(self, url: WebURL) -> tuple[httpx.AsyncClient, asyncio.Semaphore]:
        # By name, not by address: aiohttp pools connections by address, and two names served
        # from one address must not share a TLS connection made for the other's SNI.
        key = (url.scheme, url.host, url.effective_port)
        entry = self._clients.get(key)
        if entry is None:
            limits = httpx.Limits(max_connections=self.per_origin, max_keepalive_connections=self.per_origin)
            client = httpx.AsyncClient(
                timeout=httpx.Timeout(self.timeout),
                trust_env=False,  # no *_PROXY detour around the address check
                follow_redirects=False,
                transport=AiohttpTransport(limits=limits, trust_env=False),
                headers={"user-agent": USER_AGENT},
            )
            entry = self._clients[key] = (client, asyncio.Semaphore(self.per_origin))
            while len(self._clients) > self.max_origins:
                _, (old, _) = self._clients.popitem(last=False)
                task = asyncio.get_running_loop().create_task(old.aclose())
                self._closing.add(task)
                task.add_done_callback(self._closing.discard)
        else:
            self._clients.move_to_end(key)
        return entry

    async def aclose(self) -> None:
        clients = [client for client, _ in self._clients.values()]
        self._clients.clear()
        await asyncio.gather(*(client.aclose() for client in clients), *self._closing, return_exceptions=True)

    async def send(self, url: str, msg_id: str, body: str, secrets: list[str]) -> AttemptResult:
        started = time.perf_counter()
        now = datetime.now(UTC)
        headers = {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "webhook-id": msg_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": sign(secrets, msg_id, now, body),
        }
        try:
            async with asyncio.timeout(self.timeout):  # name resolution included
                target = parse_url(url, allow_private=self.allow_private)
                pinned = await pin(target, allow_private=self.allow_private)
            request = pinned.request("POST", headers, body.encode())
            client, slots = self._client(target)
            async with slots:
                started = time.perf_counter()
                async with asyncio.timeout(self.timeout):  # the whole exchange, not each read
                    response = await client.send(request, stream=True)
                    try:
                        kept = await _read_prefix(response)
                    finally:
                        await response.aclose()
        except BadURL as exc:
            return AttemptResult(None, _ms(started), error=f"refused: {exc.reason}")
        except RefusedAddress as exc:
            return AttemptResult(None, _ms(started), error=str(exc))
        except (httpx.HTTPError, aiohttp.ClientError, OSError, ValueError) as exc:
            # A bad URL or answer is a failed attempt. httpx-aiohttp re-raises aiohttp's errors as
            # httpx's, not always the right one (a dropped connection becomes ConnectTimeout), so
            # a timeout is told by the original error.
            if isinstance(exc, TimeoutError) or isinstance(exc.__cause__, TimeoutError):
                return AttemptResult(
                    None, _ms(started), error=f"timeout after {self.timeout:g} s", timed_out=True
                )
            cause = exc.__cause__ if isinstance(exc.__cause__, aiohttp.ClientError) else exc
            return AttemptResult(
                None, _ms(started), error=f"{cause.__class__.__name__}: {cause}".rstrip(": ")
            )
        result = AttemptResult(
            response.status_code,
            _ms(started),
            response_body=kept.decode("utf-8", errors="replace"),
            retry_after=parse_retry_after(response.headers.get("retry-after"), now),
        )
        if 300 <= response.status_code < 400:
            location = response.headers.get("location", "")
            result.error = f"redirect ({response.status_code}) to {location or '?'} not followed"
        elif not 200 <= response.status_code < 300:
            result.error = f"HTTP {response.status_code}"
        return result


async def _read_prefix(response: httpx.Response) -> bytes:
    kept = bytearray()
    async for chunk in response.aiter_bytes():
        kept.extend(chunk[: MAX_BODY_KEPT - len(kept)])
        if len(kept) >= MAX_BODY_KEPT:
            break
    return bytes(kept)


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
