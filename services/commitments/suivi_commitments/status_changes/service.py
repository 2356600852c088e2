"""Status changes, each with its rationale and evidence, and evidence added on its own. Each write
runs inside the caller's unit of work and writes its outbox event and audit entry there."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_contracts import subjects
from suivi_contracts.events import CommitmentStatusChanged, EvidencePayload
from suivi_contracts.vocabularies import STATUSES_NEEDING_EVIDENCE
from suivi_kit.errors import Conflict, Invalid, NotFound
from suivi_kit.queries import row_id

from ..commitments.models import Commitment
from ..commitments.service import live_commitment, load_public
from ..events import announce
from ..users.audit import Actor, audit
from . import repository
from .models import Evidence, StatusChange
from .schemas import EvidenceCreate, EvidenceInput, EvidencePublic, StatusChangeCreate, StatusChangePublic


def public_evidence(evidence: Evidence) -> EvidencePublic:
    return EvidencePublic.model_validate(evidence)


def public_status_change(change: StatusChange, evidence: dict[int, Evidence]) -> StatusChangePublic:
    return StatusChangePublic(
        **change.model_dump(exclude={"evidence_ids"}),
        evidence=[public_evidence(evidence[i]) for i in change.evidence_ids if i in evidence],
    )


async def public_status_changes(
    session: AsyncSession, changes: Sequence[StatusChange]
) -> list[StatusChangePublic]:
    """The changes with their evidence, read in one query."""
    ids = sorted({i for change in changes for i in change.evidence_ids})
    evidence = await repository.evidence_by_ids(session, ids)
    return [public_status_change(change, evidence) for change in changes]


async def get_status_change(session: AsyncSession, change_id: int, admin: bool) -> StatusChangePublic:
    change = await repository.get_status_change(session, change_id, admin)
    if change is None:
        raise NotFound(f"Status change {change_id} does not exist.")
    return (await public_status_changes(session, [change]))[0]


async def recent(session: AsyncSession) -> list[StatusChangePublic]:
    return await public_status_changes(session, await repository.recent_status_changes(session))


async def get_evidence(session: AsyncSession, evidence_id: int, admin: bool = True) -> Evidence:
    evidence = await repository.get_evidence(session, evidence_id, admin)
    if evidence is None:
        raise NotFound(f"Evidence {evidence_id} does not exist.")
    return evidence


async def archived_evidence(session: AsyncSession, evidence_id: int, admin: bool) -> Evidence:
    """Evidence whose page was captured; 404 while it is not (yet, or ever)."""
    evidence = await get_evidence(session, evidence_id, admin)
    if evidence.archive_status != "archived":
        state = evidence.archive_status or "not archived (no URL)"
        raise NotFound(f"Evidence {evidence_id} has no archived copy: {state}.")
    return evidence


def _new_evidence(commitment_id: int, data: EvidenceInput, actor: Actor) -> Evidence:
    return Evidence(
        commitment_id=commitment_id,
        url=data.url,
        title=data.title,
        excerpt=data.excerpt,
        published_at=data.published_at,
        added_by=actor.username,
        archive_status="pending" if data.url else None,
    )


async def add_evidence(session: AsyncSession, data: EvidenceCreate, actor: Actor) -> EvidencePublic:
    await live_commitment(session, data.commitment_id)
    evidence = _new_evidence(data.commitment_id, data, actor)
    session.add(evidence)
    await session.flush()
    public = public_evidence(evidence)
    announce(session, subjects.EVIDENCE_ADDED, evidence.commitment_id, EvidencePayload(**public.model_dump()))
    audit(session, actor, "create", "evidence", evidence.id, commitment_id=data.commitment_id)
    return public


async def change_status(session: AsyncSession, data: StatusChangeCreate, actor: Actor) -> StatusChangePublic:
    """Apply a transition atomically: it wins only if the commitment is still at expected_version."""
    commitment = await live_commitment(session, data.commitment_id)
    commitment_id = row_id(commitment)
    if commitment.version != data.expected_version:
        raise _changed_meanwhile(commitment, data.expected_version)
    if data.to_status == commitment.status:
        raise Invalid(
            f"The commitment is already '{commitment.status}'.",
            errors={"to_status": "same as the current status"},
        )
    evidence = list((await repository.evidence_by_ids(session, data.evidence_ids)).values())
    if len(evidence) != len(set(data.evidence_ids)) or any(
        e.commitment_id != commitment_id for e in evidence
    ):
        raise Invalid(
            "Some evidence_ids do not exist or belong to another commitment.",
            errors={"evidence_ids": "unknown evidence for this commitment"},
        )
    if data.evidence is not None:
        new = _new_evidence(commitment_id, data.evidence, actor)
        session.add(new)
        await session.flush()
        evidence.append(new)
        added = EvidencePayload(**public_evidence(new).model_dump())
        announce(session, subjects.EVIDENCE_ADDED, commitment_id, added)
    if data.to_status in STATUSES_NEEDING_EVIDENCE and not evidence:
        raise Invalid(
            f"Moving to '{data.to_status}' requires evidence: give evidence or evidence_ids.",
            errors={"evidence": "required for this status"},
        )
    change = StatusChange(
        commitment_id=commitment_id,
        from_status=commitment.status,
        to_status=data.to_status,
        rationale=data.rationale,
        evidence_ids=[row_id(e) for e in evidence],
        changed_by=actor.username,
    )
    if not await repository.claim_transition(session, commitment_id, data.expected_version, data.to_status):
        await session.refresh(commitment)
        raise _changed_meanwhile(commitment, data.expected_version)
    session.add(change)
    await session.flush()
    public_change = public_status_change(change, {row_id(e): e for e in evidence})
    payload = CommitmentStatusChanged(
        **(await load_public(session, commitment)).model_dump(),
        from_status=change.from_status,
        to_status=change.to_status,
        rationale=change.rationale,
        evidence=[e.model_dump() for e in public_change.evidence],
        changed_by=change.changed_by,
        status_change_id=change.id,
    )
    announce(session, subjects.COMMITMENT_STATUS_CHANGED, commitment_id, payload)
    audit(session, actor, "status_change", "commitments", commitment_id, to_status=data.to_status)
    return public_change


def _changed_meanwhile(commitment: Commitment, expected_version: int) -> Conflict:
    return Conflict(
        f"Commitment {commitment.id} is at version {commitment.version}, not {expected_version}: "
        "someone changed it meanwhile. Reload it and try again."
    )
