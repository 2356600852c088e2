"""Every query on deliveries and their attempts, including the multi-replica claim."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, func, insert, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_kit.db_types import UTCDateTime
from suivi_kit.errors import AppError
from suivi_kit.events import CloudEvent, utcnow
from suivi_kit.listing import ListQuery, ints, texts

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
    table = Delivery.__table__  # type: ignore[attr-defined]
    result = await session.execute(
        insert(table).returning(table.c.id, table.c.subscription_id, table.c.event_id), rows
    )
    return [tuple(row) for row in result.all()]  # type: ignore[misc]


async def get(session: AsyncSession, delivery_id: int) -> Delivery | None:
    return await session.get(Delivery, delivery_id)


async def delete_for_subscription(session: AsyncSession, subscription_id: int) -> None:
    ids = select(Delivery.id).where(Delivery.subscription_id == subscription_id)
    await session.execute(delete(DeliveryAttempt).where(DeliveryAttempt.delivery_id.in_(ids)))  # type: ignore[attr-defined]
    await session.execute(delete(Delivery).where(Delivery.subscription_id == subscription_id))  # type: ignore[arg-type]


async def page(session: AsyncSession, query: ListQuery) -> tuple[list[Delivery], int]:
    statement = select(Delivery)
    filters = query.filter
    if "id" in filters:
        statement = statement.where(Delivery.id.in_(ints("id", filters["id"])))  # type: ignore[union-attr]
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
    statement = statement.order_by(Delivery.id).offset(query.offset).limit(query.limit)
    return list((await session.execute(statement)).scalars().all()), total


async def attempts(session: AsyncSession, delivery_ids: list[int]) -> dict[int, list[DeliveryAttempt]]:
    by_delivery: dict[int, list[DeliveryAttempt]] = defaultdict(list)
    if not delivery_ids:
        return by_delivery
    statement = (
        select(DeliveryAttempt)
        .where(DeliveryAttempt.delivery_id.in_(delivery_ids))  # type: ignore[attr-defined]
        .order_by(DeliveryAttempt.id)
    )
    for attempt in (await session.execute(statement)).scalars().all():
        by_delivery[attempt.delivery_id].append(attempt)
    return by_delivery


def _due(now: datetime):
    return (
        Delivery.status.in_(RETRYABLE),  # type: ignore[attr-defined]
        Delivery.next_attempt_at <= now,  # type: ignore[operator]
        or_(Delivery.lease_until.is_(None), Delivery.lease_until < now),  # type: ignore[union-attr,operator]
    )


async def claim_due(session: AsyncSession, now: datetime, limit: int, lease_until: datetime) -> list[Claimed]:
    """Lease up to `limit` due deliveries. PostgreSQL: rows locked by another replica are skipped."""
    candidates = select(Delivery.id).where(*_due(now)).order_by(Delivery.next_attempt_at).limit(limit)
    if session.bind.dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    claimed = await session.execute(
        update(Delivery)
        .where(Delivery.id.in_(candidates.scalar_subquery()))  # type: ignore[union-attr]
        .values(lease_until=lease_until)
        .returning(Delivery.id)
        .execution_options(synchronize_session=False)
    )
    ids = list(claimed.scalars().all())
    if not ids:
        return []
    rows = await session.execute(
        select(
            Delivery.id,
            Delivery.subscription_id,
            Delivery.event_id,
            Delivery.cycle_attempts,
            Subscription.url,
            Subscription.secret,
            Subscription.previous_secret,
            Subscription.previous_secret_expires_at,
            Subscription.active,
            ReceivedEvent.payload,
        )
        .join(Subscription, Subscription.id == Delivery.subscription_id)  # type: ignore[arg-type]
        .join(ReceivedEvent, ReceivedEvent.id == Delivery.event_id)  # type: ignore[arg-type]
        .where(Delivery.id.in_(ids))  # type: ignore[union-attr]
        .order_by(Delivery.next_attempt_at)
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
    statement = select(func.min(func.coalesce(Delivery.lease_until, Delivery.next_attempt_at))).where(
        Delivery.status.in_(RETRYABLE)  # type: ignore[attr-defined]
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def existing_ids(session: AsyncSession, delivery_ids: list[int]) -> set[int]:
    statement = select(Delivery.id).where(Delivery.id.in_(delivery_ids))  # type: ignore[union-attr]
    return set((await session.execute(statement)).scalars().all())


async def insert_attempts(session: AsyncSession, rows: list[dict]) -> None:
    if rows:
        await session.execute(insert(DeliveryAttempt), rows)


async def apply_attempts(session: AsyncSession, rows: list[dict]) -> None:
    """One executemany: count the attempt, set the outcome, release the lease."""
    if not rows:
        return
    statement = (
        update(Delivery.__table__)  # type: ignore[attr-defined]
        .where(Delivery.__table__.c.id == bindparam("b_id"))  # type: ignore[attr-defined]
        .values(
            attempts=Delivery.__table__.c.attempts + 1,  # type: ignore[attr-defined]
            cycle_attempts=Delivery.__table__.c.cycle_attempts + 1,  # type: ignore[attr-defined]
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
    statement = select(Delivery).where(Delivery.id.in_(delivery_ids))  # type: ignore[union-attr]
    return {row.id: row for row in (await session.execute(statement)).scalars().all()}  # type: ignore[misc]


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
        statement = statement.where(Delivery.id.in_(delivery_ids))  # type: ignore[union-attr]
    else:
        statement = statement.where(
            Delivery.status.in_([DeliveryStatus.dead.value, DeliveryStatus.failing.value]),  # type: ignore[attr-defined]
            Delivery.created_at >= since,  # type: ignore[operator]
        )
        active_ids = select(Subscription.id).where(Subscription.active.is_(True))  # type: ignore[attr-defined]
        statement = statement.where(Delivery.subscription_id.in_(active_ids))  # type: ignore[attr-defined]
    if subscription_id is not None:
        statement = statement.where(Delivery.subscription_id == subscription_id)  # type: ignore[arg-type]
    result = await session.execute(statement.execution_options(synchronize_session=False))
    return result.rowcount or 0
