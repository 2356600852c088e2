"""The consumer of suivi.commitment.extracted: each item consolidated once (inbox); an event
that breaks its contract is a poison message (terminated, logged)."""

from __future__ import annotations

from pydantic import ValidationError
from suivi_contracts.consumers import COMMITMENTS_EXTRACTED
from suivi_contracts.events import CommitmentExtracted
from suivi_kit.consumer import Consumer, PermanentFailure
from suivi_kit.events import CloudEvent
from suivi_kit.uow import UnitOfWork

from . import repository, service


def parse(event: CloudEvent) -> CommitmentExtracted:
    try:
        return CommitmentExtracted.model_validate(event.data)
    except ValidationError as exc:
        raise PermanentFailure(f"event {event.id} ({event.type}) breaks its contract: {exc}") from exc


async def consolidate(uow: UnitOfWork, events: list[CloudEvent]) -> None:
    for event in events:
        item = parse(event)
        await repository.serialise(uow.session)
        await service.consolidate_extracted(uow.session, item)


EXTRACTED = Consumer(
    COMMITMENTS_EXTRACTED.durable,
    COMMITMENTS_EXTRACTED.subject,
    consolidate,
    event_types=COMMITMENTS_EXTRACTED.handles,
    inbox_name="commitments.extracted",  # the name its inbox rows were recorded under
)
