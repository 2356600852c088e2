"""Every query on subscriptions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_kit.errors import AppError
from suivi_kit.listing import ListQuery, ints, truthy

from .models import Subscription

SORTABLE = {"id", "url", "description", "active", "created_at", "updated_at", "last_success_at"}


async def get(session: AsyncSession, subscription_id: int) -> Subscription | None:
    return await session.get(Subscription, subscription_id)


async def add(session: AsyncSession, subscription: Subscription) -> Subscription:
    session.add(subscription)
    await session.flush()
    return subscription


async def delete(session: AsyncSession, subscription: Subscription) -> None:
    await session.delete(subscription)
    await session.flush()


async def mark_success(session: AsyncSession, subscription_id: int, at: datetime) -> None:
    await session.execute(
        update(Subscription)
        .where(col(Subscription.id) == subscription_id)
        .values(last_success_at=at, failing_since=None)
        .execution_options(synchronize_session=False)
    )


async def everyone(session: AsyncSession) -> list[Subscription]:
    return list((await session.execute(select(Subscription).order_by(col(Subscription.id)))).scalars().all())


async def replace_secrets(
    session: AsyncSession, subscription: Subscription, secret: str | None, previous: str | None
) -> None:
    """Store re-sealed secrets, only if nobody changed them meanwhile (replicas start together)."""
    values = {
        "secret": secret or subscription.secret,
        "previous_secret": previous or subscription.previous_secret,
    }
    await session.execute(
        update(Subscription)
        .where(
            col(Subscription.id) == subscription.id,
            col(Subscription.secret) == subscription.secret,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def active(session: AsyncSession) -> list[Subscription]:
    rows = await session.execute(select(Subscription).where(col(Subscription.active).is_(True)))
    return list(rows.scalars().all())


async def page(session: AsyncSession, query: ListQuery) -> tuple[list[Subscription], int]:
    statement = select(Subscription)
    conditions: list[ColumnElement[bool]] = []
    filters = query.filter
    if "id" in filters:
        conditions.append(col(Subscription.id).in_(ints("id", filters["id"])))
    if "active" in filters:
        conditions.append(col(Subscription.active).is_(truthy(filters["active"])))
    if filters.get("q"):
        like = f"%{filters['q']}%"
        conditions.append(or_(col(Subscription.url).ilike(like), col(Subscription.description).ilike(like)))
    for condition in conditions:
        statement = statement.where(condition)
    total = (await session.execute(select(func.count()).select_from(statement.subquery()))).scalar_one()
    if query.sort_field not in SORTABLE:
        raise AppError(f"Subscriptions cannot be sorted by '{query.sort_field}'.", 400)
    column = getattr(Subscription, query.sort_field)
    statement = statement.order_by(column.desc() if query.sort_order == "DESC" else column.asc())
    statement = statement.order_by(col(Subscription.id)).offset(query.offset).limit(query.limit)
    rows = (await session.execute(statement)).scalars().all()
    return list(rows), total
