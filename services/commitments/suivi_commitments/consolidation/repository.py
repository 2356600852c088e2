"""Every query of consolidation: finding the commitment an extracted item may already be."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from sqlalchemy import select, text
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_kit.queries import dialect_name

from ..commitments.models import Commitment, Source
from ..commitments.repository import tagged

CONSOLIDATION_LOCK = zlib.crc32(b"suivi-consolidation")


async def serialise(session: AsyncSession) -> None:
    """Replicas consolidate one item at a time: two that looked for the same commitment at
    once would both create it. (SQLite's write lock already serialises one process.)"""
    if dialect_name(session) == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CONSOLIDATION_LOCK})


async def source_by_extraction(session: AsyncSession, extraction_id: str) -> Source | None:
    statement = select(Source).where(col(Source.extraction_id) == extraction_id)
    return (await session.execute(statement)).scalars().first()


async def by_fingerprint(session: AsyncSession, value: str) -> Commitment | None:
    statement = (
        select(Commitment)
        .where(col(Commitment.fingerprint) == value, col(Commitment.deleted_at).is_(None))
        .order_by(col(Commitment.id))
    )
    return (await session.execute(statement)).scalars().first()


async def candidates(
    session: AsyncSession, kind: str, topics: list[str], limit: int = 2000
) -> Sequence[Commitment]:
    """Commitments that might be the same one: same kind and at least one shared topic."""
    if not topics:
        return []
    statement = (
        select(Commitment)
        .where(col(Commitment.deleted_at).is_(None), col(Commitment.kind) == kind, tagged("topic", topics))
        .order_by(col(Commitment.id).desc())
        .limit(limit)
    )
    return (await session.execute(statement)).scalars().all()
