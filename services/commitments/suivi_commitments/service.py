"""Domain operations of the system of record. Each runs inside the caller's unit of work and
writes its outbox event and audit entry there, so a change and its announcement commit together."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, update
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_contracts import subjects
from suivi_contracts.vocabularies import STATUSES_DONE, STATUSES_NEEDING_EVIDENCE
from suivi_kit import events
from suivi_kit.auth import Principal, hash_password
from suivi_kit.errors import Conflict, Invalid, NotFound
from suivi_kit.events import utcnow
from suivi_kit.outbox import add_event

from . import repository
from .consolidation import (
    RELATED,
    SAME_COMMITMENT,
    content_tokens,
    deadline_date,
    fingerprint,
    similarity,
    title_from_text,
)
from .models import AuditEntry, Commitment, Evidence, Source, StatusChange, User
from .schemas import (
    CommitmentCreate,
    CommitmentPublic,
    CommitmentUpdate,
    EvidenceCreate,
    EvidenceInput,
    EvidencePublic,
    SourcePublic,
    StatusChangeCreate,
    StatusChangePublic,
    UserCreate,
    UserUpdate,
)

SOURCE = "/suivi/commitments"


@dataclass
class Actor:
    """Who does a write, and from where: for the audit log."""

    username: str
    remote_addr: str | None = None


def public_commitment(commitment: Commitment | Row, sources: Sequence[Row]) -> CommitmentPublic:
    due = commitment.deadline_date
    return CommitmentPublic(
        id=commitment.id,
        title=commitment.title,
        text=commitment.text,
        kind=commitment.kind,
        actors=commitment.actors,
        topics=commitment.topics,
        status=commitment.status,
        deadline=commitment.deadline,
        overdue=bool(due and due < utcnow().date() and commitment.status not in STATUSES_DONE),
        sources=[SourcePublic.model_validate(s, from_attributes=True) for s in sources],
        version=commitment.version,
        created_at=commitment.created_at,
        updated_at=commitment.updated_at,
        deleted=commitment.deleted_at is not None,
    )


def public_evidence(evidence: Evidence) -> EvidencePublic:
    return EvidencePublic(
        id=evidence.id,
        commitment_id=evidence.commitment_id,
        url=evidence.url,
        title=evidence.title,
        excerpt=evidence.excerpt,
        published_at=evidence.published_at,
        added_by=evidence.added_by,
        added_at=evidence.added_at,
        archive_status=evidence.archive_status,
        archived_at=evidence.archived_at,
        sha256=evidence.archive_sha256,
        archive_error=evidence.archive_error,
    )


def public_status_change(change: StatusChange, evidence: dict[int, Evidence]) -> StatusChangePublic:
    return StatusChangePublic(
        id=change.id,
        commitment_id=change.commitment_id,
        from_status=change.from_status,
        to_status=change.to_status,
        rationale=change.rationale,
        evidence=[public_evidence(evidence[i]) for i in change.evidence_ids if i in evidence],
        changed_by=change.changed_by,
        changed_at=change.changed_at,
    )


async def load_public(session: AsyncSession, commitment: Commitment) -> CommitmentPublic:
    sources = await repository.sources_by_commitment(session, [commitment.id])
    return public_commitment(commitment, sources[commitment.id])


def audit(
    session: AsyncSession, actor: Actor, action: str, resource: str, resource_id: Any, **detail
) -> None:
    session.add(
        AuditEntry(
            actor=actor.username,
            action=action,
            resource=resource,
            resource_id=None if resource_id is None else str(resource_id),
            remote_addr=actor.remote_addr,
            detail=detail,
        )
    )


def _announce(session: AsyncSession, event_type: str, subject: Any, data: dict[str, Any]) -> None:
    add_event(session, events.new_event(event_type, SOURCE, subject, data))


async def _refresh_derived(session: AsyncSession, commitment: Commitment) -> list[Row]:
    sources = (await repository.sources_by_commitment(session, [commitment.id]))[commitment.id]
    commitment.deadline_date = deadline_date(commitment.deadline)
    commitment.search_text = repository.search_text(commitment, sources)
    await repository.replace_tags(session, commitment)
    return sources


# -- commitments ----------------------------------------------------------------------------------


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
    sources = await _refresh_derived(session, commitment)
    public = public_commitment(commitment, sources)
    _announce(session, subjects.COMMITMENT_CREATED, commitment.id, public.model_dump(mode="json"))
    audit(session, actor, "create", "commitments", commitment.id)
    return public


async def _live_commitment(session: AsyncSession, commitment_id: int) -> Commitment:
    commitment = await repository.get_commitment(session, commitment_id)
    if commitment is None or commitment.deleted_at is not None:
        raise NotFound(f"Commitment {commitment_id} does not exist.")
    return commitment


async def update_commitment(
    session: AsyncSession, commitment_id: int, patch: CommitmentUpdate, actor: Actor
) -> CommitmentPublic:
    commitment = await _live_commitment(session, commitment_id)
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
    result = await session.execute(
        update(Commitment)
        .where(Commitment.id == commitment_id, Commitment.version == commitment.version)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(f"Commitment {commitment_id} was changed by someone else; reload it and try again.")
    await session.refresh(commitment)
    if "text" in changes:
        commitment.fingerprint = fingerprint(commitment.text)
    sources = await _refresh_derived(session, commitment)
    public = public_commitment(commitment, sources)
    data = public.model_dump(mode="json") | {"changed_fields": sorted(changes)}
    _announce(session, subjects.COMMITMENT_UPDATED, commitment.id, data)
    audit(session, actor, "update", "commitments", commitment.id, fields=sorted(changes))
    return public


async def delete_commitment(session: AsyncSession, commitment_id: int, actor: Actor) -> CommitmentPublic:
    """History is kept forever: a commitment with status changes or evidence is only hidden."""
    commitment = await _live_commitment(session, commitment_id)
    public = await load_public(session, commitment)
    if await repository.has_history(session, commitment_id):
        commitment.deleted_at = utcnow()
        commitment.version += 1
        mode = "soft"
    else:
        await session.delete(commitment)
        mode = "hard"
    _announce(
        session, subjects.COMMITMENT_DELETED, commitment_id, public.model_dump(mode="json") | {"mode": mode}
    )
    audit(session, actor, "delete", "commitments", commitment_id, mode=mode)
    return public


# -- status changes and evidence ------------------------------------------------------------------


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
    await _live_commitment(session, data.commitment_id)
    evidence = _new_evidence(data.commitment_id, data, actor)
    session.add(evidence)
    await session.flush()
    public = public_evidence(evidence)
    _announce(session, subjects.EVIDENCE_ADDED, evidence.commitment_id, public.model_dump(mode="json"))
    audit(session, actor, "create", "evidence", evidence.id, commitment_id=data.commitment_id)
    return public


async def change_status(session: AsyncSession, data: StatusChangeCreate, actor: Actor) -> StatusChangePublic:
    """Apply a transition atomically: it wins only if the commitment is still at expected_version."""
    commitment = await repository.get_commitment(session, data.commitment_id)
    if commitment is None or commitment.deleted_at is not None:
        raise NotFound(f"Commitment {data.commitment_id} does not exist.")
    if commitment.version != data.expected_version:
        raise _changed_meanwhile(commitment, data.expected_version)
    if data.to_status == commitment.status:
        raise Invalid(
            f"The commitment is already '{commitment.status}'.",
            errors={"to_status": "same as the current status"},
        )
    evidence = list((await repository.evidence_by_ids(session, data.evidence_ids)).values())
    if len(evidence) != len(set(data.evidence_ids)) or any(
        e.commitment_id != commitment.id for e in evidence
    ):
        raise Invalid(
            "Some evidence_ids do not exist or belong to another commitment.",
            errors={"evidence_ids": "unknown evidence for this commitment"},
        )
    if data.evidence is not None:
        new = _new_evidence(commitment.id, data.evidence, actor)
        session.add(new)
        await session.flush()
        evidence.append(new)
        _announce(
            session, subjects.EVIDENCE_ADDED, commitment.id, public_evidence(new).model_dump(mode="json")
        )
    if data.to_status in STATUSES_NEEDING_EVIDENCE and not evidence:
        raise Invalid(
            f"Moving to '{data.to_status}' requires evidence: give evidence or evidence_ids.",
            errors={"evidence": "required for this status"},
        )
    change = StatusChange(
        commitment_id=commitment.id,
        from_status=commitment.status,
        to_status=data.to_status,
        rationale=data.rationale,
        evidence_ids=[e.id for e in evidence],
        changed_by=actor.username,
    )
    # The claim, one UPDATE: it wins only at the version read above (on PostgreSQL another
    # transaction may have moved it on since), and updates the loaded commitment in place.
    claimed = await session.execute(
        update(Commitment)
        .where(
            Commitment.id == commitment.id,
            Commitment.version == data.expected_version,
            Commitment.deleted_at.is_(None),
        )
        .values(status=data.to_status, version=Commitment.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session="evaluate")
    )
    if claimed.rowcount != 1:
        await session.refresh(commitment)
        raise _changed_meanwhile(commitment, data.expected_version)
    session.add(change)
    await session.flush()
    public_change = public_status_change(change, {e.id: e for e in evidence})
    commitment_data = (await load_public(session, commitment)).model_dump(mode="json")
    _announce(
        session,
        subjects.COMMITMENT_STATUS_CHANGED,
        commitment.id,
        commitment_data
        | {
            "from_status": change.from_status,
            "to_status": change.to_status,
            "rationale": change.rationale,
            "evidence": [e.model_dump(mode="json") for e in public_change.evidence],
            "changed_by": change.changed_by,
            "status_change_id": change.id,
        },
    )
    audit(session, actor, "status_change", "commitments", commitment.id, to_status=data.to_status)
    return public_change


def _changed_meanwhile(commitment: Commitment, expected_version: int) -> Conflict:
    return Conflict(
        f"Commitment {commitment.id} is at version {commitment.version}, not {expected_version}: "
        "someone changed it meanwhile. Reload it and try again."
    )


# -- consolidation of extracted commitments -------------------------------------------------------


async def consolidate_extracted(session: AsyncSession, data: dict[str, Any]) -> None:
    """Turn one extracted item into a new commitment or another source of an existing one.

    Idempotent: an item already recorded (same extraction_id) changes nothing.
    """
    extraction_id = str(data["extraction_id"])
    if await repository.source_by_extraction(session, extraction_id) is not None:
        return
    text = " ".join(str(data["text"]).split())
    kind = data.get("kind") or "recommendation"
    topics = [t for t in data.get("topics") or [] if isinstance(t, str)]
    target, score = await _same_commitment(session, text, kind, topics)
    created = target is None
    if created:
        target = Commitment(
            title=title_from_text(text),
            text=text,
            kind=kind,
            actors=list(dict.fromkeys(data.get("actors") or [])),
            topics=list(dict.fromkeys(topics)),
            deadline=data.get("deadline"),
            fingerprint=fingerprint(text),
        )
        session.add(target)
        await session.flush()
        score = 1.0
    else:
        target.topics = list(dict.fromkeys([*target.topics, *topics]))
        target.actors = list(dict.fromkeys([*target.actors, *(data.get("actors") or [])]))
        target.deadline = target.deadline or data.get("deadline")
        target.version += 1
        target.updated_at = utcnow()
    source = Source(
        commitment_id=target.id,
        extraction_id=extraction_id,
        document_id=data.get("document_id"),
        document_title=data.get("document_title"),
        document_sha256=data.get("document_sha256"),
        locator=data.get("locator"),
        text=text,
        start=data.get("start"),
        end=data.get("end"),
        negotiation_status=data.get("negotiation_status") or "none",
        language=data.get("language"),
        confidence=data.get("confidence"),
        similarity=round(score, 3),
    )
    session.add(source)
    await session.flush()
    sources = await _refresh_derived(session, target)
    public = public_commitment(target, sources).model_dump(mode="json")
    public["extraction_id"] = extraction_id
    public["commitment_id"] = target.id
    _announce(
        session,
        subjects.COMMITMENT_CREATED if created else subjects.COMMITMENT_SOURCE_ADDED,
        target.id,
        public,
    )
    audit(session, Actor("ingest"), "consolidate", "commitments", target.id, extraction_id=extraction_id)


async def _same_commitment(
    session: AsyncSession, text: str, kind: str, topics: list[str]
) -> tuple[Commitment | None, float]:
    exact = await repository.by_fingerprint(session, fingerprint(text))
    if exact is not None:
        return exact, 1.0
    tokens = content_tokens(text)
    best, best_score = None, RELATED
    for candidate in await repository.consolidation_candidates(session, kind, topics):
        score = similarity(tokens, content_tokens(candidate.text))
        if score > best_score:
            best, best_score = candidate, score
    return (best, best_score) if best is not None and best_score >= SAME_COMMITMENT else (None, 0.0)


# -- users ----------------------------------------------------------------------------------------


async def create_user(session: AsyncSession, data: UserCreate, actor: Actor) -> User:
    if await repository.user_by_name(session, data.username) is not None:
        raise Conflict(f"A user named '{data.username}' exists already.", errors={"username": "taken"})
    user = User(
        username=data.username, password_hash=hash_password(data.password), role=data.role, active=data.active
    )
    session.add(user)
    await session.flush()
    audit(session, actor, "create", "users", user.id, role=data.role)
    return user


async def update_user(session: AsyncSession, user_id: int, data: UserUpdate, actor: Principal, addr) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound(f"User {user_id} does not exist.")
    if user.username == actor.username and (data.role not in (None, "admin") or data.active is False):
        raise Invalid(
            "You cannot demote or deactivate yourself.", errors={"role": "not for your own account"}
        )
    if data.password:
        user.password_hash = hash_password(data.password)
        user.failed_logins, user.locked_until = 0, None
    if data.role:
        user.role = data.role
    if data.active is not None:
        user.active = data.active
    audit(
        session, Actor(actor.username, addr), "update", "users", user.id, fields=sorted(data.model_fields_set)
    )
    return user
