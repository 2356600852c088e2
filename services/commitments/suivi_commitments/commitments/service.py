"""Commitments: what readers are shown, and the writes of monitors and administrators. Each
write runs inside the caller's unit of work and writes its outbox event and audit entry there,
so a change and its announcement commit together."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Sequence
from datetime import date
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Row
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_contracts import subjects
from suivi_contracts.events import CommitmentCreated, CommitmentDeleted, CommitmentUpdated
from suivi_contracts.rules import due_on, is_overdue
from suivi_kit.errors import Conflict, Invalid, NotFound
from suivi_kit.events import utcnow
from suivi_kit.listing import ListQuery
from suivi_kit.queries import row_id

from ..consolidation.matching import fingerprint, title_from_text
from ..events import announce
from ..users.audit import Actor, audit
from . import repository, revision_cache
from .models import Commitment
from .schemas import CommitmentCreate, CommitmentPublic, CommitmentUpdate, SourcePublic

PUBLIC_LIST = TypeAdapter(list[CommitmentPublic])


def public_commitment(commitment: Commitment | Row, sources: Sequence[Row]) -> CommitmentPublic:
    return CommitmentPublic(
        id=commitment.id,
        title=commitment.title,
        text=commitment.text,
        kind=commitment.kind,
        actors=commitment.actors,
        topics=commitment.topics,
        status=commitment.status,
        deadline=commitment.deadline,
        overdue=is_overdue(commitment.deadline_date, commitment.status, utcnow().date()),
        sources=[SourcePublic.model_validate(s, from_attributes=True) for s in sources],
        version=commitment.version,
        created_at=commitment.created_at,
        updated_at=commitment.updated_at,
        deleted=commitment.deleted_at is not None,
    )


async def load_public(session: AsyncSession, commitment: Commitment) -> CommitmentPublic:
    sources = await repository.sources_by_commitment(session, [row_id(commitment)])
    return public_commitment(commitment, sources[row_id(commitment)])


async def refresh_derived(session: AsyncSession, commitment: Commitment) -> list[Row]:
    sources = (await repository.sources_by_commitment(session, [row_id(commitment)]))[row_id(commitment)]
    commitment.deadline_date = due_on(commitment.deadline)
    commitment.search_text = repository.search_text(commitment, sources)
    await repository.replace_tags(session, commitment)
    return sources


# -- commitments ----------------------------------------------------------------------------------


async def list_page(session: AsyncSession, query: ListQuery, admin: bool) -> tuple[bytes, str, str]:
    """A page as JSON, its Content-Range and ETag, served again as it was while no commitment
    changes (revision_cache)."""
    key = ("page", query.sort_field, query.sort_order, query.offset, query.limit,
           json.dumps(query.filter, sort_keys=True, default=str), admin, date.today())  # fmt: skip
    return await revision_cache.cached(session, key, lambda: _page(session, query, admin))


async def _page(session: AsyncSession, query: ListQuery, admin: bool) -> tuple[bytes, str, str]:
    rows, total = await repository.list_commitments(session, query, admin=admin)
    sources = await repository.sources_by_commitment(session, [row.id for row in rows])
    body = PUBLIC_LIST.dump_json([public_commitment(row, sources[row.id]) for row in rows])
    etag = f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}"'
    return body, query.content_range("commitments", total, len(rows)), etag


def check_filters(session: AsyncSession, filters: dict[str, Any], admin: bool) -> None:
    """Refuse a bad filter (400) before anything is streamed."""
    repository.commitment_conditions(session, filters, admin)


async def iter_public(
    session: AsyncSession, filters: dict[str, Any], admin: bool
) -> AsyncIterator[CommitmentPublic]:
    """Every matching commitment in id order, for exports."""
    async for batch in repository.iter_commitments(session, filters, admin):
        sources = await repository.sources_by_commitment(session, [c.id for c in batch])
        for commitment in batch:
            yield public_commitment(commitment, sources[commitment.id])


async def get_commitment(session: AsyncSession, commitment_id: int, admin: bool) -> CommitmentPublic:
    """A deleted commitment is shown to administrators only."""
    commitment = await repository.get_commitment(session, commitment_id)
    if commitment is None or (commitment.deleted_at is not None and not admin):
        raise NotFound(f"Commitment {commitment_id} does not exist.")
    return await load_public(session, commitment)


async def create_commitment(session: AsyncSession, data: CommitmentCreate, actor: Actor) -> CommitmentPublic:
    commitment = Commitment(
        title=data.title or title_from_text(data.text),
        text=data.text,
        kind=data.kind,
        actors=list(dict.fromkeys(data.actors)),
        topics=list(dict.fromkeys(data.topics)),
        deadline=data.deadline,
        fingerprint=fingerprint(data.text),
    )
    session.add(commitment)
    await session.flush()
    sources = await refresh_derived(session, commitment)
    public = public_commitment(commitment, sources)
    announce(session, subjects.COMMITMENT_CREATED, commitment.id, CommitmentCreated(**public.model_dump()))
    audit(session, actor, "create", "commitments", commitment.id)
    return public


async def live_commitment(session: AsyncSession, commitment_id: int) -> Commitment:
    commitment = await repository.get_commitment(session, commitment_id)
    if commitment is None or commitment.deleted_at is not None:
        raise NotFound(f"Commitment {commitment_id} does not exist.")
    return commitment


async def update_commitment(
    session: AsyncSession, commitment_id: int, patch: CommitmentUpdate, actor: Actor
) -> CommitmentPublic:
    commitment = await live_commitment(session, commitment_id)
    if patch.status is not None and patch.status != commitment.status:
        raise Invalid(
            "The status changes only through POST /api/status_changes, with a rationale.",
            errors={"status": "use status_changes to change the status"},
        )
    if patch.version is not None and patch.version != commitment.version:
        raise Conflict(
            f"Commitment {commitment_id} was changed by someone else (version {commitment.version}, "
            f"yours {patch.version}); reload it and try again."
        )
    changes = patch.model_dump(exclude_unset=True, exclude={"status", "version"})
    if not changes:
        return await load_public(session, commitment)
    values = {**changes, "version": commitment.version + 1, "updated_at": utcnow()}
    if not await repository.update_at_version(session, commitment_id, commitment.version, values):
        raise Conflict(f"Commitment {commitment_id} was changed by someone else; reload it and try again.")
    await session.refresh(commitment)
    if "text" in changes:
        commitment.fingerprint = fingerprint(commitment.text)
    sources = await refresh_derived(session, commitment)
    public = public_commitment(commitment, sources)
    payload = CommitmentUpdated(**public.model_dump(), changed_fields=sorted(changes))
    announce(session, subjects.COMMITMENT_UPDATED, commitment.id, payload)
    audit(session, actor, "update", "commitments", commitment.id, fields=sorted(changes))
    return public


async def delete_commitment(session: AsyncSession, commitment_id: int, actor: Actor) -> CommitmentPublic:
    """History is kept forever: a commitment with status changes or evidence is only hidden."""
    commitment = await live_commitment(session, commitment_id)
    public = await load_public(session, commitment)
    if await repository.has_history(session, commitment_id):
        commitment.deleted_at = utcnow()
        commitment.version += 1
        mode = "soft"
    else:
        await session.delete(commitment)
        mode = "hard"
    announce(
        session,
        subjects.COMMITMENT_DELETED,
        commitment_id,
        CommitmentDeleted(**public.model_dump(), mode=mode),
    )
    audit(session, actor, "delete", "commitments", commitment_id, mode=mode)
    return public
