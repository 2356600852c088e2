"""A real HTTP/1.1 webhook receiver on loopback that records requests and answers as scripted."""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from suivi_contracts.events import PAYLOADS, DocumentPayload, EvidencePayload
from suivi_contracts.subjects import (
    COMMITMENT_CREATED,
    COMMITMENT_STATUS_CHANGED,
    DOCUMENT_INGESTED,
    EVIDENCE_ADDED,
)
from suivi_kit.auth import issue_token
from suivi_kit.events import CloudEvent, new_event, utcnow
from suivi_kit.messaging import publish
from suivi_notify.config import NotifySettings
from suivi_notify.main import create_app
from suivi_testing import serving


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]


REASONS = {200: "OK", 204: "No Content", 302: "Found", 410: "Gone", 429: "Too Many Requests", 500: "Error"}


class Subscriber:
    def __init__(self) -> None:
        self.requests: list[Received] = []
        self._scripts: dict[str, deque[Reply]] = defaultdict(deque)
        self.default = Reply()
        self._arrived = asyncio.Event()
        self.server: asyncio.Server | None = None
        self.port = 0
        self.on_request = None  # optional callback(Received)
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> Subscriber:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0, backlog=1024)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            for writer in list(self._writers):
                writer.close()
            await self.server.wait_closed()

    def url(self, path: str = "/hook", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def script(self, path: str, *replies: Reply | int) -> None:
        for reply in replies:
            self._scripts[path].append(reply if isinstance(reply, Reply) else Reply(status=reply))

    def on(self, path: str) -> list[Received]:
        return [request for request in self.requests if request.path == path]

    async def wait_for(self, count: int, path: str | None = None, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while True:
            got = self.on(path) if path else self.requests
            if len(got) >= count:
                return got
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{len(got)} of {count} requests arrived on {path or 'any path'}")
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), timeout=min(remaining, 0.2))
            except TimeoutError:
                pass

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                _method, path, _version = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        name, value = line.split(":", 1)
                        headers[name.strip().lower()] = value.strip()
                try:
                    body = await reader.readexactly(int(headers.get("content-length", "0")))
                except asyncio.IncompleteReadError:
                    return
                received = Received(path, headers, body, time.perf_counter())
                queue = self._scripts.get(path)
                reply = queue.popleft() if queue else self.default
                if reply.delay:
                    await asyncio.sleep(reply.delay)
                self.requests.append(received)
                if self.on_request is not None:
                    self.on_request(received)
                self._arrived.set()
                extra = "".join(f"{k}: {v}\r\n" for k, v in reply.headers.items())
                writer.write(
                    (
                        f"HTTP/1.1 {reply.status} {REASONS.get(reply.status, 'Status')}\r\n"
                        f"content-length: {len(reply.body)}\r\ncontent-type: text/plain\r\n{extra}\r\n"
                    ).encode()
                    + reply.body
                )
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()


ADMIN = {"Authorization": f"Bearer {issue_token('admin', 'admin')}"}


def commitment_event(
    commitment_id: int,
    event_type: str = COMMITMENT_CREATED,
    *,
    status: str = "not_started",
    deadline: str | None = None,
    topics: tuple[str, ...] = ("igf_mandate",),
    **fields: Any,
) -> CloudEvent:
    """An event about a commitment, with the whole commitment as its payload, as commitments sends it."""
    now = utcnow()
    payload = PAYLOADS[event_type](
        id=commitment_id,
        title=f"Commitment {commitment_id}",
        text=f"Commitment {commitment_id} shall be kept.",
        kind="engagement",
        status=status,
        deadline=deadline,
        topics=list(topics),
        version=1,
        created_at=now,
        updated_at=now,
        **fields,
    )
    return new_event(event_type, "/suivi/commitments", commitment_id, payload)


def status_changed(commitment_id: int, to_status: str = "in_progress", **fields: Any) -> CloudEvent:
    change = {
        "from_status": "not_started",
        "rationale": "test",
        "changed_by": "monitor",
        "status_change_id": 1,
    }
    return commitment_event(
        commitment_id, COMMITMENT_STATUS_CHANGED, status=to_status, to_status=to_status, **(change | fields)
    )


def document_ingested(document_id: int, title: str = "Tunis") -> CloudEvent:
    now = utcnow()
    payload = DocumentPayload(
        id=document_id, title=title, filename=f"{title}.txt", status="done", created_at=now, updated_at=now
    )
    return new_event(DOCUMENT_INGESTED, "/suivi/ingest", document_id, payload)


def evidence_added(evidence_id: int, commitment_id: int) -> CloudEvent:
    payload = EvidencePayload(
        id=evidence_id, commitment_id=commitment_id, title="Report", added_by="monitor", added_at=utcnow()
    )
    return new_event(EVIDENCE_ADDED, "/suivi/commitments", commitment_id, payload)


async def send_events(js, events: list[CloudEvent]) -> None:
    for event in events:
        await publish(js, event)


async def eventually(
    check: Callable[[], Awaitable[bool]], timeout: float = 10.0, interval: float = 0.05
) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(interval)


async def create_subscription(client: httpx.AsyncClient, url: str, **fields) -> dict:
    response = await client.post("/api/subscriptions", json={"url": url, **fields})
    assert response.status_code == 201, response.text
    return response.json()


async def deliveries(client: httpx.AsyncClient, **filters) -> list[dict]:
    response = await client.get(
        "/api/deliveries", params={"filter": json.dumps(filters), "range": "[0,999]", "sort": '["id","ASC"]'}
    )
    assert response.status_code == 200, response.text
    return response.json()


@asynccontextmanager
async def running(settings: NotifySettings) -> AsyncIterator[tuple]:
    async with serving(create_app(settings), "http://notify", headers=ADMIN) as client:
        yield client.app, client
