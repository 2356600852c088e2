"""Every query on the ingest service's tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_kit.errors import AppError
from suivi_kit.events import utcnow
from suivi_kit.listing import ListQuery, ints, texts
from suivi_kit.queries import rows_affected

from .models import Document, DocumentContent, ExtractedItem, ServiceState

SORTABLE = {
    "id",
    "title",
    "filename",
    "format",
    "language",
    "status",
    "progress",
    "commitment_count",
    "size",
    "created_at",
    "updated_at",
}
FILTERABLE = {"id", "status", "language", "format", "sha256", "source_url"}


async def get(session: AsyncSession, document_id: int) -> Document | None:
    return await session.get(Document, document_id)


async def by_sha256(session: AsyncSession, sha256: str) -> Document | None:
    return (await session.execute(select(Document).where(col(Document.sha256) == sha256))).scalars().first()


async def by_source_url(session: AsyncSession, url: str) -> Document | None:
    result = await session.execute(
        select(Document).where(col(Document.source_url) == url).order_by(col(Document.id).desc())
    )
    return result.scalars().first()


async def count(session: AsyncSession) -> int:
    return (await session.execute(select(func.count()).select_from(Document))).scalar_one()


async def list_documents(session: AsyncSession, query: ListQuery) -> tuple[Sequence[Document], int]:
    conditions = []
    for key, value in query.filter.items():
        if key == "q":
            if value in (None, ""):
                continue
            pattern = f"%{value}%"
            conditions.append(
                or_(
                    col(Document.title).ilike(pattern),
                    col(Document.filename).ilike(pattern),
                    col(Document.source_url).ilike(pattern),
                )
            )
        elif key in FILTERABLE:
            values = ints(key, value) if key == "id" else texts(value)
            conditions.append(getattr(Document, key).in_(values))
        else:
            raise AppError(
                f"Documents cannot be filtered by '{key}'; use q, {', '.join(sorted(FILTERABLE))}.",
                400,
                {"filter": f"unknown field {key}"},
            )
    if query.sort_field not in SORTABLE:
        raise AppError(f"Documents cannot be sorted by '{query.sort_field}'.", 400, {"sort": "unknown field"})
    column = getattr(Document, query.sort_field)
    order = column.desc() if query.sort_order == "DESC" else column.asc()
    where = and_(*conditions) if conditions else None
    total_stmt = select(func.count()).select_from(Document)
    stmt = select(Document)
    if where is not None:
        total_stmt = total_stmt.where(where)
        stmt = stmt.where(where)
    total = (await session.execute(total_stmt)).scalar_one()
    rows = (
        (
            await session.execute(
                stmt.order_by(order, col(Document.id)).offset(query.offset).limit(query.limit)
            )
        )
        .scalars()
        .all()
    )
    return rows, total


async def get_content(session: AsyncSession, document_id: int) -> DocumentContent | None:
    return await session.get(DocumentContent, document_id)


async def items_of(session: AsyncSession, document_id: int) -> Sequence[ExtractedItem]:
    result = await session.execute(
        select(ExtractedItem)
        .where(col(ExtractedItem.document_id) == document_id)
        .order_by(col(ExtractedItem.start), col(ExtractedItem.id))
    )
    return result.scalars().all()


async def delete_document(session: AsyncSession, document_id: int) -> None:
    await session.execute(delete(ExtractedItem).where(col(ExtractedItem.document_id) == document_id))
    await session.execute(delete(DocumentContent).where(col(DocumentContent.document_id) == document_id))
    await session.execute(delete(Document).where(col(Document.id) == document_id))


# --- the job queue ---------------------------------------------------------------------------


async def claim_next(session: AsyncSession, token: str, lease: timedelta, claimed_by: str) -> int | None:
    """Take the oldest queued document for this worker; safe with several replicas."""
    candidate = (
        await session.execute(
            select(col(Document.id))
            .where(col(Document.status) == "queued")
            .order_by(col(Document.id))
            .limit(1)
        )
    ).scalar()
    if candidate is None:
        return None
    now = utcnow()
    result = await session.execute(
        update(Document)
        .where(col(Document.id) == candidate, col(Document.status) == "queued")
        .values(
            status="processing",
            progress=0.05,
            error=None,
            claim_token=token,
            claimed_by=claimed_by,
            lease_expires_at=now + lease,
            attempts=col(Document.attempts) + 1,
            updated_at=now,
        )
    )
    return candidate if rows_affected(result) == 1 else None


async def requeue_expired(session: AsyncSession, now: datetime | None = None) -> int:
    """Send back to the queue the documents whose worker stopped renewing its lease."""
    now = now or utcnow()
    result = await session.execute(
        update(Document)
        .where(
            col(Document.status) == "processing",
            or_(col(Document.lease_expires_at).is_(None), col(Document.lease_expires_at) < now),
        )
        .values(status="queued", progress=0.0, claim_token=None, lease_expires_at=None, updated_at=now)
    )
    return rows_affected(result)


async def requeue_orphans(session: AsyncSession, host: str, is_gone: Callable[[int], bool]) -> int:
    """Send back to the queue the documents claimed on this host by a process that is gone.

    Called at start: a service killed in the middle of a job finds its document again at
    once instead of after the lease. Claims of other hosts are left to their leases.
    """
    rows = (
        await session.execute(
            select(col(Document.id), col(Document.claimed_by)).where(
                col(Document.status) == "processing",
                col(Document.claimed_by).like(f"{host}:%"),
            )
        )
    ).all()
    orphans = []
    for document_id, claimed_by in rows:
        pid = claimed_by.rsplit(":", 1)[-1]
        if not pid.isdigit() or is_gone(int(pid)):
            orphans.append(document_id)
    if not orphans:
        return 0
    now = utcnow()
    result = await session.execute(
        update(Document)
        .where(col(Document.id).in_(orphans), col(Document.status) == "processing")
        .values(status="queued", progress=0.0, claim_token=None, lease_expires_at=None, updated_at=now)
    )
    return rows_affected(result)


async def update_claimed(session: AsyncSession, document_id: int, token: str, **values: Any) -> bool:
    """Change a document this worker still holds; False when the claim was lost (deleted, re-queued)."""
    values.setdefault("updated_at", utcnow())
    result = await session.execute(
        update(Document)
        .where(
            col(Document.id) == document_id,
            col(Document.claim_token) == token,
            col(Document.status) == "processing",
        )
        .values(**values)
    )
    return rows_affected(result) == 1


async def set_commitment_id(session: AsyncSession, item_keys: list[str], commitment_id: str | None) -> int:
    result = await session.execute(
        update(ExtractedItem)
        .where(col(ExtractedItem.item_key).in_(item_keys))
        .values(commitment_id=commitment_id)
    )
    return rows_affected(result)


async def clear_commitment(session: AsyncSession, commitment_id: str) -> int:
    result = await session.execute(
        update(ExtractedItem)
        .where(col(ExtractedItem.commitment_id) == commitment_id)
        .values(commitment_id=None)
    )
    return rows_affected(result)


async def get_state(session: AsyncSession, key: str) -> ServiceState | None:
    return await session.get(ServiceState, key)
