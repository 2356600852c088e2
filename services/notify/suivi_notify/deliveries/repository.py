"""Every query on deliveries and their attempts, including the multi-replica claim."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, func, insert, or_, select, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_kit.db_types import UTCDateTime
from suivi_kit.errors import AppError
from suivi_kit.events import CloudEvent, utcnow
from suivi_kit.listing import ListQuery, ints, texts
from suivi_kit.queries import dialect_name, rows_affected, table_of

from ..readmodel.models import ReceivedEvent
from ..subscriptions.models import Subscription
from .models import Delivery, DeliveryAttempt, DeliveryStatus

SORTABLE = {
    "id",
    "subscription_id",
    "event_type",
    "status",
    "attempts",
    "next_attempt_at",
    "created_at",
    "updated_at",
}
RETRYABLE = (DeliveryStatus.pending.value, DeliveryStatus.failing.value)


@dataclass
class Claimed:
    """A delivery taken by this worker, with what sending it needs."""

    delivery_id: int
    subscription_id: int
    event_id: str
    cycle_attempts: int
    url: str
    secrets: list[str]  # sealed: opened just before signing
    active: bool
    payload: str
    lease_until: datetime | None = None


async def add_for_event(
    session: AsyncSession, event: CloudEvent, subscription_ids: list[int]
) -> list[Delivery]:
    now = utcnow()
    rows = [
        Delivery(
            subscription_id=subscription_id,
            event_id=event.id,
            event_type=event.type,
            status=DeliveryStatus.pending,
            next_attempt_at=now,
            created_at=now,
            updated_at=now,
        )
        for subscription_id in subscription_ids
    ]
    session.add_all(rows)
    await session.flush()
    return rows


async def add_many(session: AsyncSession, rows: list[dict]) -> list[tuple[int, int, str]]:
    """Bulk insert of delivery rows (the fan-out's hot path): (id, subscription_id, event_id)."""
    if not rows:
        return []
    table = table_of(Delivery)
    result = await session.execute(
        insert(table).returning(table.c.id, table.c.subscription_id, table.c.event_id), rows
    )
    return [tuple(row) for row in result.all()]


async def get(session: AsyncSession, delivery_id: int) -> Delivery | None:
    return await session.get(Delivery, delivery_id)


async def delete_for_subscription(session: AsyncSession, subscription_id: int) -> None:
    ids = select(col(Delivery.id)).where(col(Delivery.subscription_id) == subscription_id)
    await session.execute(delete(DeliveryAttempt).where(col(DeliveryAttempt.delivery_id).in_(ids)))
    await session.execute(delete(Delivery).where(col(Delivery.subscription_id) == subscription_id))


async def page(session: AsyncSession, query: ListQuery) -> tuple[list[Delivery], int]:
    statement = select(Delivery)
    filters = query.filter
    if "id" in filters:
        statement = statement.where(col(Delivery.id).in_(ints("id", filters["id"])))
    for name in ("subscription_id", "status", "event_type", "event_id"):
        if name in filters and filters[name] not in (None, ""):
            value = filters[name]
            values = ints(name, value) if name == "subscription_id" else texts(value)
            statement = statement.where(getattr(Delivery, name).in_(values))
    total = (await session.execute(select(func.count()).select_from(statement.subquery()))).scalar_one()
    if query.sort_field not in SORTABLE:
        raise AppError(f"Deliveries cannot be sorted by '{query.sort_field}'.", 400)
    column = getattr(Delivery, query.sort_field)
    statement = statement.order_by(column.desc() if query.sort_order == "DESC" else column.asc())
    statement = statement.order_by(col(Delivery.id)).offset(query.offset).limit(query.limit)
    return list((await session.execute(statement)).scalars().all()), total


async def attempts(session: AsyncSession, delivery_ids: list[int]) -> dict[int, list[DeliveryAttempt]]:
    by_delivery: dict[int, list[DeliveryAttempt]] = defaultdict(list)
    if not delivery_ids:
        return by_delivery
    statement = (
        select(DeliveryAttempt)
        .where(col(DeliveryAttempt.delivery_id).in_(delivery_ids))
        .order_by(col(DeliveryAttempt.id))
    )
    for attempt in (await session.execute(statement)).scalars().all():
        by_delivery[attempt.delivery_id].append(attempt)
    return by_delivery


def _due(now: datetime):
    return (
        col(Delivery.status).in_(RETRYABLE),
        col(Delivery.next_attempt_at) <= now,
        or_(col(Delivery.lease_until).is_(None), col(Delivery.lease_until) < now),
    )


async def claim_due(session: AsyncSession, now: datetime, limit: int, lease_until: datetime) -> list[Claimed]:
    """Lease up to `limit` due deliveries. PostgreSQL: rows locked by another replica are skipped."""
    candidates = (
        select(col(Delivery.id)).where(*_due(now)).order_by(col(Delivery.next_attempt_at)).limit(limit)
    )
    if dialect_name(session) == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    claimed = await session.execute(
        update(Delivery)
        .where(col(Delivery.id).in_(candidates.scalar_subquery()))
        .values(lease_until=lease_until)
        .returning(col(Delivery.id))
        .execution_options(synchronize_session=False)
    )
    ids = list(claimed.scalars().all())
    if not ids:
        return []
    rows = await session.execute(
        select(
            col(Delivery.id),
            col(Delivery.subscription_id),
            col(Delivery.event_id),
            col(Delivery.cycle_attempts),
            col(Subscription.url),
            col(Subscription.secret),
            col(Subscription.previous_secret),
            col(Subscription.previous_secret_expires_at),
            col(Subscription.active),
            col(ReceivedEvent.payload),
        )
        .join(Subscription, col(Subscription.id) == col(Delivery.subscription_id))
        .join(ReceivedEvent, col(ReceivedEvent.id) == col(Delivery.event_id))
        .where(col(Delivery.id).in_(ids))
        .order_by(col(Delivery.next_attempt_at))
    )
    result = []
    for row in rows.all():
        secrets = [row.secret]
        if row.previous_secret and row.previous_secret_expires_at and row.previous_secret_expires_at > now:
            secrets.append(row.previous_secret)
        result.append(
            Claimed(
                delivery_id=row.id,
                subscription_id=row.subscription_id,
                event_id=row.event_id,
                cycle_attempts=row.cycle_attempts,
                url=row.url,
                secrets=secrets,
                active=row.active,
                payload=row.payload,
                lease_until=lease_until,
            )
        )
    return result


async def next_due(session: AsyncSession) -> datetime | None:
    statement = select(
        func.min(func.coalesce(col(Delivery.lease_until), col(Delivery.next_attempt_at)))
    ).where(col(Delivery.status).in_(RETRYABLE))
    return (await session.execute(statement)).scalar_one_or_none()


async def existing_ids(session: AsyncSession, delivery_ids: list[int]) -> set[int]:
    statement = select(col(Delivery.id)).where(col(Delivery.id).in_(delivery_ids))
    return set((await session.execute(statement)).scalars().all())


async def insert_attempts(session: AsyncSession, rows: list[dict]) -> None:
    if rows:
        await session.execute(insert(DeliveryAttempt), rows)


async def apply_attempts(session: AsyncSession, rows: list[dict]) -> None:
    """One executemany: count the attempt, set the outcome, release the lease."""
    if not rows:
        return
    table = table_of(Delivery)
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            attempts=table.c.attempts + 1,
            cycle_attempts=table.c.cycle_attempts + 1,
            status=bindparam("b_status"),
            last_response_code=bindparam("b_code"),
            last_error=bindparam("b_error"),
            next_attempt_at=bindparam("b_next", type_=UTCDateTime()),
            lease_until=None,
            updated_at=bindparam("b_now", type_=UTCDateTime()),
        )
    )
    await (await session.connection()).execute(statement, rows)


async def for_update(session: AsyncSession, delivery_ids: list[int]) -> dict[int, Delivery]:
    statement = select(Delivery).where(col(Delivery.id).in_(delivery_ids))
    return {row.id: row for row in (await session.execute(statement)).scalars().all()}


def add_attempt(session: AsyncSession, attempt: DeliveryAttempt) -> None:
    session.add(attempt)


async def redeliver(
    session: AsyncSession,
    delivery_ids: list[int] | None,
    since: datetime | None,
    subscription_id: int | None,
    now: datetime,
) -> int:
    """Put deliveries back in the queue: a new series of attempts from now."""
    statement = update(Delivery).values(
        status=DeliveryStatus.pending,
        cycle_attempts=0,
        next_attempt_at=now,
        lease_until=None,
        updated_at=now,
    )
    if delivery_ids is not None:
        statement = statement.where(col(Delivery.id).in_(delivery_ids))
    else:
        statement = statement.where(
            col(Delivery.status).in_([DeliveryStatus.dead.value, DeliveryStatus.failing.value]),
            col(Delivery.created_at) >= since,
        )
        active_ids = select(col(Subscription.id)).where(col(Subscription.active).is_(True))
        statement = statement.where(col(Delivery.subscription_id).in_(active_ids))
    if subscription_id is not None:
        statement = statement.where(col(Delivery.subscription_id) == subscription_id)
    result = await session.execute(statement.execution_options(synchronize_session=False))
    return rows_affected(result)
