"""Every query on the ingest service's tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_kit.errors import AppError
from suivi_kit.events import utcnow
from suivi_kit.listing import ListQuery, ints, texts

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
    return (await session.execute(select(Document).where(Document.sha256 == sha256))).scalars().first()


async def by_source_url(session: AsyncSession, url: str) -> Document | None:
    result = await session.execute(
        select(Document).where(Document.source_url == url).order_by(Document.id.desc())  # type: ignore[union-attr]
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
                    Document.title.ilike(pattern),  # type: ignore[attr-defined]
                    Document.filename.ilike(pattern),  # type: ignore[attr-defined]
                    Document.source_url.ilike(pattern),  # type: ignore[union-attr]
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
        (await session.execute(stmt.order_by(order, Document.id).offset(query.offset).limit(query.limit)))
        .scalars()
        .all()
    )
    return rows, total


async def get_content(session: AsyncSession, document_id: int) -> DocumentContent | None:
    return await session.get(DocumentContent, document_id)


async def items_of(session: AsyncSession, document_id: int) -> Sequence[ExtractedItem]:
    result = await session.execute(
        select(ExtractedItem)
        .where(ExtractedItem.document_id == document_id)
        .order_by(ExtractedItem.start, ExtractedItem.id)  # type: ignore[arg-type]
    )
    return result.scalars().all()


async def delete_document(session: AsyncSession, document_id: int) -> None:
    await session.execute(delete(ExtractedItem).where(ExtractedItem.document_id == document_id))
    await session.execute(delete(DocumentContent).where(DocumentContent.document_id == document_id))
    await session.execute(delete(Document).where(Document.id == document_id))


# --- the job queue ---------------------------------------------------------------------------


async def claim_next(session: AsyncSession, token: str, lease: timedelta, claimed_by: str) -> int | None:
    """Take the oldest queued document for this worker; safe with several replicas."""
    candidate = (
        await session.execute(
            select(Document.id).where(Document.status == "queued").order_by(Document.id).limit(1)
        )
    ).scalar()
    if candidate is None:
        return None
    now = utcnow()
    result = await session.execute(
        update(Document)
        .where(Document.id == candidate, Document.status == "queued")
        .values(
            status="processing",
            progress=0.05,
            error=None,
            claim_token=token,
            claimed_by=claimed_by,
            lease_expires_at=now + lease,
            attempts=Document.attempts + 1,
            updated_at=now,
        )
    )
    return candidate if result.rowcount == 1 else None


async def requeue_expired(session: AsyncSession, now: datetime | None = None) -> int:
    """Send back to the queue the documents whose worker stopped renewing its lease."""
    now = now or utcnow()
    result = await session.execute(
        update(Document)
        .where(
            Document.status == "processing",
            or_(Document.lease_expires_at.is_(None), Document.lease_expires_at < now),  # type: ignore[union-attr,operator]
        )
        .values(status="queued", progress=0.0, claim_token=None, lease_expires_at=None, updated_at=now)
    )
    return result.rowcount or 0


async def requeue_orphans(session: AsyncSession, host: str, is_gone: Callable[[int], bool]) -> int:
    """Send back to the queue the documents claimed on this host by a process that is gone.

    Called at start: a service killed in the middle of a job finds its document again at
    once instead of after the lease. Claims of other hosts are left to their leases.
    """
    rows = (
        await session.execute(
            select(Document.id, Document.claimed_by).where(
                Document.status == "processing",
                Document.claimed_by.like(f"{host}:%"),  # type: ignore[union-attr]
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
        .where(Document.id.in_(orphans), Document.status == "processing")  # type: ignore[union-attr]
        .values(status="queued", progress=0.0, claim_token=None, lease_expires_at=None, updated_at=now)
    )
    return result.rowcount or 0


async def update_claimed(session: AsyncSession, document_id: int, token: str, **values: Any) -> bool:
    """Change a document this worker still holds; False when the claim was lost (deleted, re-queued)."""
    values.setdefault("updated_at", utcnow())
    result = await session.execute(
        update(Document)
        .where(Document.id == document_id, Document.claim_token == token, Document.status == "processing")
        .values(**values)
    )
    return result.rowcount == 1


async def set_commitment_id(session: AsyncSession, item_keys: list[str], commitment_id: str | None) -> int:
    result = await session.execute(
        update(ExtractedItem).where(ExtractedItem.item_key.in_(item_keys)).values(commitment_id=commitment_id)  # type: ignore[attr-defined]
    )
    return result.rowcount or 0


async def clear_commitment(session: AsyncSession, commitment_id: str) -> int:
    result = await session.execute(
        update(ExtractedItem).where(ExtractedItem.commitment_id == commitment_id).values(commitment_id=None)
    )
    return result.rowcount or 0


async def get_state(session: AsyncSession, key: str) -> ServiceState | None:
    return await session.get(ServiceState, key)
