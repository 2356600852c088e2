"""Queries on what notify keeps from consumed events: events, commitments, scheduler claims."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_contracts.events import CommitmentDeleted, CommitmentPayload, EventPayload
from suivi_contracts.rules import due_on
from suivi_contracts.vocabularies import STATUSES_DONE
from suivi_kit.events import CloudEvent, utcnow

from ..events import Received
from .models import CommitmentView, JobClaim, ReceivedEvent


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


def _commitment_id(payload: EventPayload) -> str | None:
    commitment_id = payload.about_commitment()
    return None if commitment_id is None else str(commitment_id)


async def apply_commitment_events(
    session: AsyncSession, events: list[Received]
) -> dict[str, CommitmentView | None]:
    """Keep the commitments read model current; returns, per event id, the commitment it is
    about as known after that event (None for events about no commitment)."""
    ids = {cid for cid in (_commitment_id(payload) for _, payload in events) if cid}
    views: dict[str, CommitmentView | None] = {}
    if ids:
        rows = await session.execute(select(CommitmentView).where(col(CommitmentView.id).in_(ids)))
        views = {view.id: view for view in rows.scalars().all()}
    result: dict[str, CommitmentView | None] = {}
    for event, payload in events:
        commitment_id = _commitment_id(payload)
        if commitment_id is None:
            result[event.id] = None
            continue
        if isinstance(payload, CommitmentDeleted):
            existing = views.pop(commitment_id, None)
            if existing is not None:
                await session.delete(existing)
            result[event.id] = None
            continue
        view = views.get(commitment_id)
        if isinstance(payload, CommitmentPayload):  # the commitment as it now stands
            view = _apply(view or CommitmentView(id=commitment_id), payload)
            views[commitment_id] = view
            session.add(view)
        result[event.id] = view
    return result


def _apply(view: CommitmentView, commitment: CommitmentPayload) -> CommitmentView:
    view.status = commitment.status
    view.deadline = commitment.deadline
    view.due_on = due_on(commitment.deadline)
    view.topics = list(commitment.topics)
    view.updated_at = utcnow()
    return view


async def overdue(session: AsyncSession, today: date) -> list[CommitmentView]:
    """The commitments overdue by the contracts' rule (rules.is_overdue), in one query."""
    statement = select(CommitmentView).where(
        col(CommitmentView.due_on).is_not(None),
        col(CommitmentView.due_on) < today,
        func.coalesce(col(CommitmentView.status), "").not_in(STATUSES_DONE),
    )
    return list((await session.execute(statement)).scalars().all())


async def claimed_keys(session: AsyncSession, prefix: str) -> set[str]:
    rows = await session.execute(select(col(JobClaim.key)).where(col(JobClaim.key).startswith(prefix)))
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
        select(col(ReceivedEvent.type), func.count())
        .where(col(ReceivedEvent.time) >= start, col(ReceivedEvent.time) < end)
        .where(col(ReceivedEvent.type).not_in(exclude))
        .group_by(col(ReceivedEvent.type))
    )
    return {event_type: count for event_type, count in (await session.execute(statement)).all()}
