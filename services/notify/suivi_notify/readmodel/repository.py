"""Queries on what notify keeps from consumed events: events, commitments, scheduler claims."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_common.events import (
    COMMITMENT_CREATED,
    COMMITMENT_DELETED,
    COMMITMENT_STATUS_CHANGED,
    COMMITMENT_UPDATED,
    CloudEvent,
    utcnow,
)

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


def store_event(session: AsyncSession, event: CloudEvent) -> ReceivedEvent:
    row = ReceivedEvent(
        id=event.id, type=event.type, subject=event.subject, time=event.time, payload=event.to_json().decode()
    )
    session.add(row)
    return row


async def apply_commitment_event(session: AsyncSession, event: CloudEvent) -> CommitmentView | None:
    """Keep the commitments read model current; returns the commitment's view, if any."""
    if not event.type.startswith("suivi.commitment."):
        return None
    data = event.data or {}
    commitment_id = str(data.get("id") or event.subject or "")
    if not commitment_id:
        return None
    if event.type == COMMITMENT_DELETED:
        await session.execute(delete(CommitmentView).where(CommitmentView.id == commitment_id))  # type: ignore[arg-type]
        return None
    view = await session.get(CommitmentView, commitment_id)
    if event.type not in VIEW_EVENTS:
        return view
    if view is None:
        view = CommitmentView(id=commitment_id)
    status = data.get("to_status") or data.get("status")
    if status:
        view.status = str(status)
    if "deadline" in data:
        view.deadline = None if data["deadline"] is None else str(data["deadline"])
        view.due_on = due_on(view.deadline)
    if isinstance(data.get("topics"), list):
        view.topics = [str(topic) for topic in data["topics"]]
    view.updated_at = utcnow()
    session.add(view)
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
