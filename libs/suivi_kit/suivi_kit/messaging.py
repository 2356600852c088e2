"""NATS plumbing: connecting, the SUIVI stream, publishing events (the pull loop is consumer.py)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

import nats
from nats.aio.client import Client
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import StreamConfig
from nats.js.errors import BadRequestError, NotFoundError, ServiceUnavailableError

from .events import STREAM, STREAM_SUBJECTS, CloudEvent

log = logging.getLogger(__name__)


async def connect(servers: list[str], name: str) -> Client:
    return await nats.connect(
        servers=servers,
        name=name,
        connect_timeout=3,
        reconnect_time_wait=0.5,
        max_reconnect_attempts=-1,
        allow_reconnect=True,
    )


async def ensure_stream(
    js: JetStreamContext,
    replicas: int = 1,
    patience: float = 60.0,
    max_age_seconds: float | None = None,
    max_bytes: int | None = None,
) -> None:
    """Create the SUIVI stream if it is missing; safe to call from every service at once.

    `max_age_seconds` (0: none) and `max_bytes` (-1: none) bound what the stream keeps; beyond
    either the oldest events go. Given, they are applied to an existing stream too, so that
    changing the settings and restarting takes effect; not given (None), a new stream has no
    limit and an existing one keeps its own.

    A cluster that is starting or electing a leader answers JetStream requests with timeouts
    or "unavailable" for a while: keep asking, up to `patience` seconds, before giving up.
    """
    limits = {"max_age": max_age_seconds, "max_bytes": max_bytes}
    deadline = asyncio.get_running_loop().time() + patience
    while True:
        try:
            await _create_stream_if_missing(js, replicas, {k: v for k, v in limits.items() if v is not None})
            return
        except (NatsTimeout, ServiceUnavailableError, NoRespondersError):
            if asyncio.get_running_loop().time() > deadline:
                raise
            log.warning("JetStream not ready yet; retrying to set up the %s stream", STREAM)
            await asyncio.sleep(1.0)


async def _create_stream_if_missing(js: JetStreamContext, replicas: int, limits: dict) -> None:
    try:
        info = await js.stream_info(STREAM)
    except NotFoundError:
        info = None
    if info is not None:
        current = {"max_age": info.config.max_age or 0.0, "max_bytes": info.config.max_bytes}
        if any(current[name] != value for name, value in limits.items()):
            log.info("Setting the limits of the %s stream: %s", STREAM, limits)
            await js.update_stream(replace(info.config, **limits))
        return
    try:
        await js.add_stream(
            StreamConfig(
                name=STREAM, subjects=STREAM_SUBJECTS, num_replicas=replicas, duplicate_window=300, **limits
            )
        )
    except BadRequestError as exc:  # another service created it between our two calls
        if "already in use" not in str(exc):
            raise


async def publish(js: JetStreamContext, event: CloudEvent, timeout: float = 5.0) -> bool:
    """Publish with the event id as Nats-Msg-Id; returns False when JetStream saw it already."""
    return await publish_serialized(js, event.nats_subject, event.id, event.to_json(), timeout)


async def publish_serialized(
    js: JetStreamContext, subject: str, event_id: str, body: bytes, timeout: float = 5.0
) -> bool:
    """`publish` for an event already serialized (an outbox row): no parse and dump again."""
    ack = await js.publish(subject, body, timeout=timeout, headers={"Nats-Msg-Id": event_id})
    return not ack.duplicate
