"""Every query about status changes and evidence."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_kit.events import utcnow
from suivi_kit.listing import ListQuery
from suivi_kit.queries import rows_affected

from ..commitments.models import Commitment
from ..listing import page
from .models import Evidence, StatusChange

STATUS_CHANGE_FILTERS = {"id", "commitment_id", "to_status", "from_status", "changed_by"}
STATUS_CHANGE_SORTS = {"id", "changed_at", "to_status", "from_status", "commitment_id"}
EVIDENCE_FILTERS = {"id", "commitment_id", "added_by", "archive_status"}
EVIDENCE_SORTS = {"id", "added_at", "published_at", "title", "commitment_id"}


def _of_live_commitments(model) -> ColumnElement[bool]:
    """Rows about a commitment that is not deleted: deleted means deleted for non-admins,
    history and evidence included."""
    return model.commitment_id.in_(select(col(Commitment.id)).where(col(Commitment.deleted_at).is_(None)))


def _visible(model, admin: bool) -> list[ColumnElement[bool]]:
    return [] if admin else [_of_live_commitments(model)]


async def list_status_changes(
    session: AsyncSession, query: ListQuery, admin: bool
) -> tuple[Sequence[StatusChange], int]:
    return await page(
        session,
        StatusChange,
        query,
        "status_changes",
        filters=STATUS_CHANGE_FILTERS,
        sorts=STATUS_CHANGE_SORTS,
        scope=_visible(StatusChange, admin),
    )


async def list_evidence(
    session: AsyncSession, query: ListQuery, admin: bool
) -> tuple[Sequence[Evidence], int]:
    return await page(
        session,
        Evidence,
        query,
        "evidence",
        filters=EVIDENCE_FILTERS,
        sorts=EVIDENCE_SORTS,
        scope=_visible(Evidence, admin),
    )


async def get_status_change(session: AsyncSession, change_id: int, admin: bool) -> StatusChange | None:
    statement = select(StatusChange).where(col(StatusChange.id) == change_id, *_visible(StatusChange, admin))
    return (await session.execute(statement)).scalars().first()


async def recent_status_changes(session: AsyncSession, limit: int = 10) -> Sequence[StatusChange]:
    """The latest changes of commitments that are not deleted (the dashboard's, for everyone)."""
    statement = (
        select(StatusChange)
        .where(_of_live_commitments(StatusChange))
        .order_by(col(StatusChange.id).desc())
        .limit(limit)
    )
    return (await session.execute(statement)).scalars().all()


async def claim_transition(
    session: AsyncSession, commitment_id: int, expected_version: int, to_status: str
) -> bool:
    """The claim of a status change, one UPDATE: it wins only at the version the caller read (on
    PostgreSQL another transaction may have moved it on since), and updates the loaded
    commitment in place."""
    claimed = await session.execute(
        update(Commitment)
        .where(
            col(Commitment.id) == commitment_id,
            col(Commitment.version) == expected_version,
            col(Commitment.deleted_at).is_(None),
        )
        .values(status=to_status, version=col(Commitment.version) + 1, updated_at=utcnow())
        .execution_options(synchronize_session="evaluate")
    )
    return rows_affected(claimed) == 1


async def get_evidence(session: AsyncSession, evidence_id: int, admin: bool = True) -> Evidence | None:
    statement = select(Evidence).where(col(Evidence.id) == evidence_id, *_visible(Evidence, admin))
    return (await session.execute(statement)).scalars().first()


async def evidence_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Evidence]:
    if not ids:
        return {}
    rows = (await session.execute(select(Evidence).where(col(Evidence.id).in_(ids)))).scalars().all()
    return {row.id: row for row in rows}


ARCHIVE_LEASE = timedelta(minutes=5)


async def claim_archives(session: AsyncSession, limit: int = 10) -> list[Evidence]:
    """Evidence waiting to be archived, each claimed by one replica (or again when its claimer died)."""
    now = utcnow()
    waiting = or_(
        col(Evidence.archive_status) == "pending",
        and_(col(Evidence.archive_status) == "archiving", col(Evidence.archived_at) < now - ARCHIVE_LEASE),
    )
    candidates = (
        (
            await session.execute(
                select(col(Evidence.id)).where(waiting).order_by(col(Evidence.id)).limit(limit)
            )
        )
        .scalars()
        .all()
    )
    claimed: list[Evidence] = []
    for evidence_id in candidates:
        result = await session.execute(
            update(Evidence)
            .where(col(Evidence.id) == evidence_id, waiting)
            .values(archive_status="archiving", archived_at=now)
            .execution_options(synchronize_session=False)
        )
        if rows_affected(result) == 1:
            claimed.append(await session.get_one(Evidence, evidence_id))
    return claimed


async def record_archive(session: AsyncSession, evidence_id: int, values: dict[str, Any]) -> None:
    """The outcome of archiving, unless the evidence is gone meanwhile."""
    row = await session.get(Evidence, evidence_id)
    if row is not None:
        for key, value in values.items():
            setattr(row, key, value)
        row.archived_at = utcnow()
