"""Consolidation: each extracted item becomes a new commitment or another source of one that
exists, inside the caller's unit of work, with its outbox event and audit entry."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_contracts import subjects
from suivi_contracts.events import CommitmentCreated, CommitmentExtracted, CommitmentSourceAdded
from suivi_kit.events import utcnow
from suivi_kit.queries import row_id

from ..commitments.models import Commitment, Source
from ..commitments.service import public_commitment, refresh_derived
from ..events import announce
from ..users.audit import Actor, audit
from . import repository
from .matching import RELATED, SAME_COMMITMENT, content_tokens, fingerprint, similarity, title_from_text


async def consolidate_extracted(session: AsyncSession, item: CommitmentExtracted) -> None:
    """Turn one extracted item into a new commitment or another source of an existing one.

    Idempotent: an item already recorded (same extraction_id) changes nothing.
    """
    extraction_id = item.extraction_id
    if await repository.source_by_extraction(session, extraction_id) is not None:
        return
    text = " ".join(item.text.split())
    kind, topics = item.kind, item.topics
    target, score = await _same_commitment(session, text, kind, topics)
    created = target is None
    if target is None:
        target = Commitment(
            title=title_from_text(text),
            text=text,
            kind=kind,
            actors=list(dict.fromkeys(item.actors)),
            topics=list(dict.fromkeys(topics)),
            deadline=item.deadline,
            fingerprint=fingerprint(text),
        )
        session.add(target)
        await session.flush()
        score = 1.0
    else:
        target.topics = list(dict.fromkeys([*target.topics, *topics]))
        target.actors = list(dict.fromkeys([*target.actors, *item.actors]))
        target.deadline = target.deadline or item.deadline
        target.version += 1
        target.updated_at = utcnow()
    source = Source(
        commitment_id=row_id(target),
        extraction_id=extraction_id,
        document_id=item.document_id,
        document_title=item.document_title,
        document_sha256=item.document_sha256,
        locator=item.locator,
        text=text,
        start=item.start,
        end=item.end,
        negotiation_status=item.negotiation_status,
        language=item.language,
        confidence=item.confidence,
        similarity=round(score, 3),
    )
    session.add(source)
    await session.flush()
    sources = await refresh_derived(session, target)
    public = public_commitment(target, sources).model_dump()
    if created:
        announce(
            session,
            subjects.COMMITMENT_CREATED,
            target.id,
            CommitmentCreated(**public, extraction_id=extraction_id),
        )
    else:
        payload = CommitmentSourceAdded(**public, extraction_id=extraction_id)
        announce(session, subjects.COMMITMENT_SOURCE_ADDED, target.id, payload)
    audit(session, Actor("ingest"), "consolidate", "commitments", target.id, extraction_id=extraction_id)


async def _same_commitment(
    session: AsyncSession, text: str, kind: str, topics: list[str]
) -> tuple[Commitment | None, float]:
    exact = await repository.by_fingerprint(session, fingerprint(text))
    if exact is not None:
        return exact, 1.0
    tokens = content_tokens(text)
    best, best_score = None, RELATED
    for candidate in await repository.candidates(session, kind, topics):
        score = similarity(tokens, content_tokens(candidate.text))
        if score > best_score:
            best, best_score = candidate, score
    return (best, best_score) if best is not None and best_score >= SAME_COMMITMENT else (None, 0.0)
