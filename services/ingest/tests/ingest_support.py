"""Helpers for the ingest service's tests: settings, a running app, tokens, polling, events."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import nats
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import DeliverPolicy
from suivi_ingest.config import IngestSettings
from suivi_ingest.main import create_app
from suivi_kit.auth import issue_token
from suivi_kit.events import CloudEvent
from suivi_testing import serving

SMALL_FR = (
    "# Déclaration sur la gouvernance de l'Internet\n\n"
    "1. Les États membres s'engagent à renforcer le Forum sur la gouvernance de l'Internet "
    "et à prolonger son mandat au-delà de 2025.\n\n"
    "2. Nous demandons au Secrétaire général de garantir un financement durable et prévisible "
    "du Forum d'ici 2027.\n\n"
    "3. Nous recommandons une coordination étroite avec les initiatives nationales et régionales "
    "du Forum afin d'éviter les doublons entre le Pacte numérique mondial et le SMSI.\n"
)


def make_settings(data_dir: Path, nats_url: str, **overrides: Any) -> IngestSettings:
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "nats_url": nats_url,
        "allow_private_addresses": True,
        "max_upload_bytes": 1024 * 1024,
        "fetch_timeout_seconds": 2.0,
        "extraction_timeout_seconds": 60.0,
        "extraction_memory_mb": 2048,
        "load_samples": False,
    }
    values.update(overrides)
    return IngestSettings(_env_file=None, **values)  # type: ignore[call-arg]


def headers(role: str | None) -> dict[str, str]:
    if role is None:
        return {}
    return {"Authorization": f"Bearer {issue_token(f'test-{role}', role)}"}


MONITOR = headers("monitor")
VIEWER = headers("viewer")
ADMIN = headers("admin")


@contextlib.asynccontextmanager
async def running_app(settings: IngestSettings) -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    async with serving(create_app(settings), "http://ingest.test", timeout=30) as client:
        yield client.app, client


async def upload(
    client: httpx.AsyncClient, name: str, data: bytes, content_type: str = "text/plain", **fields: str
) -> httpx.Response:
    return await client.post(
        "/api/documents", files={"file": (name, data, content_type)}, data=fields, headers=MONITOR
    )


async def wait_for(
    client: httpx.AsyncClient, document_id: int, statuses=("done", "failed"), timeout: float = 60.0
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        response = await client.get(f"/api/documents/{document_id}", headers=VIEWER)
        assert response.status_code == 200, response.text
        document = response.json()
        if document["status"] in statuses:
            return document
        if time.monotonic() > deadline:
            raise AssertionError(f"document {document_id} still {document['status']} after {timeout} s")
        await asyncio.sleep(0.1)


async def read_events(nats_url: str, idle: float = 0.5) -> list[CloudEvent]:
    """Every event in the SUIVI stream so far, read with an ephemeral ordered consumer."""
    client = await nats.connect(nats_url)
    try:
        js = client.jetstream()
        subscription = await js.subscribe("suivi.>", ordered_consumer=True, deliver_policy=DeliverPolicy.ALL)
        events = []
        while True:
            try:
                message = await subscription.next_msg(timeout=idle)
            except (NatsTimeout, TimeoutError):
                break
            events.append(CloudEvent.from_json(message.data))
        await subscription.unsubscribe()
        return events
    finally:
        await client.close()


async def events_until(nats_url: str, predicate, timeout: float = 10.0) -> list[CloudEvent]:
    deadline = time.monotonic() + timeout
    while True:
        events = await read_events(nats_url, idle=0.2)
        if predicate(events) or time.monotonic() > deadline:
            return events
        await asyncio.sleep(0.2)
