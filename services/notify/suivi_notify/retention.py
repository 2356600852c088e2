"""How long notify keeps its log: finished deliveries (with their attempts), then the events
no delivery refers to any more.

Each goes after `SUIVI_WEBHOOK_LOG_RETENTION_DAYS` (30; at least 14, since the weekly digest
counts last week's events), in small batches so that SQLite's one writer is never held long.
Deliveries still pending or failing are kept whatever their age, and so are their events.
The inbox is kept: a restore replays the whole stream to notify (suivi restore), and the inbox
is what keeps subscribers from receiving months-old events again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select
from sqlmodel import col
from suivi_kit.events import utcnow
from suivi_kit.queries import rows_affected
from suivi_kit.uow import Database

from .deliveries.models import Delivery, DeliveryStatus
from .readmodel.models import ReceivedEvent

MIN_DAYS = 14.0
BATCH = 1000
FINISHED = (DeliveryStatus.succeeded, DeliveryStatus.dead)


async def prune(db: Database, days: float, now: datetime | None = None) -> dict[str, int]:
    """Delete what is older than `days` (0 or less: keep everything); the counts deleted."""
    if days <= 0:
        return {}
    cutoff = (now or utcnow()) - timedelta(days=max(days, MIN_DAYS))
    finished = select(col(Delivery.id)).where(
        col(Delivery.status).in_(FINISHED),
        col(Delivery.updated_at) < cutoff,
    )
    unreferenced = select(col(ReceivedEvent.id)).where(
        col(ReceivedEvent.time) < cutoff,
        ~exists().where(col(Delivery.event_id) == col(ReceivedEvent.id)),
    )
    # Attempts go with their delivery (ON DELETE CASCADE); events once no delivery needs them.
    deliveries = delete(Delivery).where(col(Delivery.id).in_(finished.limit(BATCH)))
    events = delete(ReceivedEvent).where(col(ReceivedEvent.id).in_(unreferenced.limit(BATCH)))
    return {"deliveries": await _in_batches(db, deliveries), "events": await _in_batches(db, events)}


async def _in_batches(db: Database, statement) -> int:
    deleted = 0
    while True:
        async with db.write() as uow:
            count = rows_affected(await uow.session.execute(statement))
        deleted += count
        if count < BATCH:
            return deleted
