"""The transactional outbox.

A change and the event announcing it are written in one transaction (`add_event`); the
relay publishes unpublished rows in order with the event id as Nats-Msg-Id, so a crash
between commit and publish loses nothing and a repeat is dropped by JetStream. Published
rows are deleted after `keep_published` (the stream keeps the events). The consuming side,
with its inbox, is consumer.py.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
import zlib
from datetime import datetime, timedelta
from typing import Literal

from nats.js import JetStreamContext
from prometheus_client import Gauge
from sqlalchemy import Column, Text, delete, func, select, text, update
from sqlmodel import Field, SQLModel, col
from sqlmodel.ext.asyncio.session import AsyncSession

from .db import FileLock, sqlite_lock_path
from .db_types import UTCDateTime
from .events import CloudEvent, utcnow
from .messaging import publish_serialized
from .queries import rows_affected
from .uow import EVENTS_ADDED, Database

log = logging.getLogger(__name__)

# Set by the relay that holds the turn (0 on the others): alert on the maximum per service.
OUTBOX_PENDING = Gauge("suivi_outbox_pending", "Outbox rows not yet published to JetStream", ["service"])


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(unique=True, max_length=64)
    subject: str = Field(max_length=200)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
    published_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), index=True, nullable=True)
    )


def add_event(session: AsyncSession, event: CloudEvent) -> None:
    session.add(
        OutboxMessage(event_id=event.id, subject=event.nats_subject, payload=event.to_json().decode())
    )
    session.info[EVENTS_ADDED] = True  # the unit of work wakes the relay once this commits


def _fault(point: str) -> None:
    """Fault injection for crash tests: SIGKILL ourselves at a named point."""
    if os.environ.get("SUIVI_FAULT_POINT") == point:
        os.kill(os.getpid(), signal.SIGKILL)


PRUNE_EVERY = 3600.0  # seconds between two deletions of old published rows
PRUNE_BATCH = 1000  # rows per deleting transaction: SQLite's writer is never held long


class OutboxRelay:
    """Publishes the outbox to JetStream; one relay at a time per database keeps events in order.

    `keep_published`: how long a published row stays (None: forever)."""

    def __init__(
        self,
        db: Database,
        name: str,
        batch: int = 200,
        keep_published: timedelta | None = None,
    ):
        self._db = db
        self._name = name
        self._batch = batch
        self._keep_published = keep_published
        self._next_prune = time.monotonic() + 60.0  # not in the rush of a start
        self._wake = asyncio.Event()
        self._lock_key = zlib.crc32(f"suivi-outbox-{name}".encode())
        self._file_lock: FileLock | Literal[False] | None = None  # False: not SQLite, no lock

    def wake(self) -> None:
        self._wake.set()

    async def run(self, js: JetStreamContext, stop: asyncio.Event, idle: float = 0.5) -> None:
        while not stop.is_set():
            # Cleared before the pass, not after: a wake-up that arrives while we publish
            # must start another pass at once instead of waiting out the idle timeout.
            self._wake.clear()
            try:
                published = await self.publish_pending(js)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox relay %s failed; retrying", self._name)
                published = 0
                await asyncio.sleep(1.0)
            if published < self._batch:
                await self._prune_when_due()
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=idle)
                except TimeoutError:
                    pass

    async def _prune_when_due(self) -> None:
        """One batch of old rows between two passes: a long backlog to delete (the first time
        after an upgrade) never holds up publishing."""
        if self._keep_published is None or time.monotonic() < self._next_prune:
            return
        try:
            deleted = await self.prune_published(max_batches=1)
        except Exception:
            log.exception("outbox relay %s could not delete old rows; next try in an hour", self._name)
            deleted = 0
        self._next_prune = time.monotonic() + (0.0 if deleted == PRUNE_BATCH else PRUNE_EVERY)

    async def prune_published(self, now: datetime | None = None, max_batches: int | None = None) -> int:
        """Delete the rows published more than `keep_published` ago, a batch per transaction."""
        if self._keep_published is None:
            return 0
        cutoff = (now or utcnow()) - self._keep_published
        oldest = (
            select(col(OutboxMessage.id)).where(col(OutboxMessage.published_at) < cutoff).limit(PRUNE_BATCH)
        )
        deleted = batches = 0
        while max_batches is None or batches < max_batches:
            async with self._db.write() as uow:
                result = await uow.session.execute(
                    delete(OutboxMessage).where(col(OutboxMessage.id).in_(oldest))
                )
            count = rows_affected(result)
            deleted += count
            batches += 1
            if count < PRUNE_BATCH:
                break
        return deleted

    async def publish_pending(self, js: JetStreamContext) -> int:
        if self._db.engine.dialect.name == "postgresql":
            return await self._publish_pending_postgres(js)
        # Processes sharing a SQLite file (suivi serve --workers) take turns, as replicas do on
        # PostgreSQL with an advisory lock.
        if self._file_lock is None:
            path = sqlite_lock_path(str(self._db.engine.url), "relay")
            self._file_lock = FileLock(path) if path else False
        if self._file_lock and not self._file_lock.try_acquire():
            OUTBOX_PENDING.labels(self._name).set(0)  # another process relays and reports
            return 0
        try:
            async with self._db.sessions() as session:
                rows = await self._pending(session)
            if not rows:
                return 0
            # SQLite has one writer at a time: publish outside any transaction, so that API writes
            # never wait on NATS, then mark the rows in a short one.
            await self._publish(js, rows)
            async with self._db.write() as uow:
                await self._mark_published(uow.session, [row.id for row in rows])
            return len(rows)
        finally:
            if self._file_lock:
                self._file_lock.release()

    async def _publish_pending_postgres(self, js: JetStreamContext) -> int:
        async with self._db.sessions() as session:
            # A leader lock held for the transaction: replicas take turns and order holds.
            got = await session.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": self._lock_key})
            if not got.scalar():
                OUTBOX_PENDING.labels(self._name).set(0)  # another replica relays and reports
                return 0
            rows = await self._pending(session)
            if rows:
                await self._publish(js, rows)
                await self._mark_published(session, [row.id for row in rows])
                await session.commit()
            return len(rows)

    async def _pending(self, session: AsyncSession) -> list:
        statement = (
            select(
                col(OutboxMessage.id),
                col(OutboxMessage.subject),
                col(OutboxMessage.event_id),
                col(OutboxMessage.payload),
            )
            .where(col(OutboxMessage.published_at).is_(None))
            .order_by(col(OutboxMessage.id))
            .limit(self._batch)
        )
        rows = list((await session.execute(statement)).all())
        # A short batch is the whole backlog; a full one is counted (rarely: a backlog).
        pending = len(rows)
        if pending == self._batch:
            unpublished = col(OutboxMessage.published_at).is_(None)
            pending = (await session.execute(select(func.count()).where(unpublished))).scalar_one()
        OUTBOX_PENDING.labels(self._name).set(pending)
        return rows

    @staticmethod
    async def _publish(js: JetStreamContext, rows: list) -> None:
        _fault("relay.before_publish")
        for _, subject, event_id, payload in rows:
            await publish_serialized(js, subject, event_id, payload.encode())
        _fault("relay.after_publish")

    @staticmethod
    async def _mark_published(session: AsyncSession, ids: list[int]) -> None:
        await session.execute(
            update(OutboxMessage).where(col(OutboxMessage.id).in_(ids)).values(published_at=utcnow())
        )
