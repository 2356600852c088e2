"""Queries on what notify keeps from consumed events: events, commitments, scheduler claims."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_contracts.subjects import (
    COMMITMENT_CREATED,
    COMMITMENT_DELETED,
    COMMITMENT_STATUS_CHANGED,
    COMMITMENT_UPDATED,
)
from suivi_kit.events import CloudEvent, utcnow
from suivi_kit.outbox import InboxMessage

from .models import CommitmentView, JobClaim, ReceivedEvent

VIEW_EVENTS = (COMMITMENT_CREATED, COMMITMENT_UPDATED, COMMITMENT_STATUS_CHANGED)
_DEADLINE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def due_on(deadline: Any) -> date | None:
    """The last day a deadline allows: "2026" -> 2026-12-31, "2026-06" -> 2026-06-30, a date itself."""
    if deadline is None:
        return None
    match = _DEADLINE.match(str(deadline).strip())
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else 12
    try:
        if match.group(3):
            return date(year, month, int(match.group(3)))
        return date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        return None


async def record_inbox(session: AsyncSession, consumer: str, event_ids: list[str]) -> set[str]:
    """Record the events as processed by `consumer`; returns those not processed before."""
    if not event_ids:
        return set()
    dialect_insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    now = utcnow()
    statement = (
        dialect_insert(InboxMessage)
        .values([{"consumer": consumer, "event_id": event_id, "processed_at": now} for event_id in event_ids])
        .on_conflict_do_nothing()
        .returning(InboxMessage.event_id)
    )
    return set((await session.execute(statement)).scalars().all())


def store_event(session: AsyncSession, event: CloudEvent, payload: str | None = None) -> ReceivedEvent:
    row = ReceivedEvent(
        id=event.id,
        type=event.type,
        subject=event.subject,
        time=event.time,
        payload=payload or event.to_json().decode(),
    )
    session.add(row)
    return row


def _commitment_id(event: CloudEvent) -> str | None:
    data = event.data or {}
    if event.type.startswith("suivi.commitment."):
        value = data.get("id") or event.subject
    else:
        value = data.get("commitment_id")
    return None if value in (None, "") else str(value)


async def apply_commitment_events(
    session: AsyncSession, events: list[CloudEvent]
) -> dict[str, CommitmentView | None]:
    """Keep the commitments read model current; returns, per event id, the commitment it is
    about as known after that event (None for events about no commitment)."""
    ids = {cid for cid in (_commitment_id(event) for event in events) if cid}
    views: dict[str, CommitmentView | None] = {}
    if ids:
        rows = await session.execute(select(CommitmentView).where(CommitmentView.id.in_(ids)))  # type: ignore[attr-defined]
        views = {view.id: view for view in rows.scalars().all()}
    result: dict[str, CommitmentView | None] = {}
    for event in events:
        commitment_id = _commitment_id(event)
        if commitment_id is None:
            result[event.id] = None
            continue
        if event.type == COMMITMENT_DELETED:
            existing = views.pop(commitment_id, None)
            if existing is not None:
                await session.delete(existing)
            result[event.id] = None
            continue
        view = views.get(commitment_id)
        if event.type in VIEW_EVENTS:
            view = _apply(view or CommitmentView(id=commitment_id), event.data or {})
            views[commitment_id] = view
            session.add(view)
        result[event.id] = view
    return result


def _apply(view: CommitmentView, data: dict[str, Any]) -> CommitmentView:
    status = data.get("to_status") or data.get("status")
    if status:
        view.status = str(status)
    if "deadline" in data:
        view.deadline = None if data["deadline"] is None else str(data["deadline"])
        view.due_on = due_on(view.deadline)
    if isinstance(data.get("topics"), list):
        view.topics = [str(topic) for topic in data["topics"]]
    view.updated_at = utcnow()
    return view


async def overdue(session: AsyncSession, today: date) -> list[CommitmentView]:
    statement = select(CommitmentView).where(
        CommitmentView.due_on.is_not(None),  # type: ignore[union-attr]
        CommitmentView.due_on < today,  # type: ignore[operator]
        func.coalesce(CommitmentView.status, "") != "achieved",
    )
    return list((await session.execute(statement)).scalars().all())


async def claimed_keys(session: AsyncSession, prefix: str) -> set[str]:
    rows = await session.execute(select(JobClaim.key).where(JobClaim.key.startswith(prefix)))  # type: ignore[attr-defined]
    return set(rows.scalars().all())


async def claim(session: AsyncSession, key: str) -> bool:
    """Take the claim `key` in this transaction; False if someone holds it already."""
    if await session.get(JobClaim, key) is not None:
        return False
    session.add(JobClaim(key=key))
    await session.flush()
    return True


async def event_counts(
    session: AsyncSession, start: datetime, end: datetime, exclude: tuple[str, ...]
) -> dict[str, int]:
    statement = (
        select(ReceivedEvent.type, func.count())
        .where(ReceivedEvent.time >= start, ReceivedEvent.time < end)  # type: ignore[arg-type]
        .where(ReceivedEvent.type.not_in(exclude))  # type: ignore[attr-defined]
        .group_by(ReceivedEvent.type)
    )
    return {event_type: count for event_type, count in (await session.execute(statement)).all()}
