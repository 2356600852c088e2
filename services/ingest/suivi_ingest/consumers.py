"""What the ingest service learns from the commitments service: which commitment each item became.

The commitments service announces `suivi.commitment.created` and
`suivi.commitment.source_added` with the `extraction_id` of the item it consolidated; the
item's `commitment_id` lets the UI link highlighted text to the commitment (a commitment
created by hand has no `extraction_id`: nothing to link). A deleted commitment unlinks its
items. Each event is handled once (inbox) in one transaction; an event that breaks its
contract is a poison message (terminated, logged).
"""

from __future__ import annotations

import logging

from pydantic import ValidationError
from suivi_contracts.consumers import INGEST_COMMITMENT_LINKS
from suivi_contracts.events import (
    CommitmentCreated,
    CommitmentDeleted,
    CommitmentSourceAdded,
    EventPayload,
    parse_payload,
)
from suivi_kit.consumer import Consumer, PermanentFailure
from suivi_kit.events import CloudEvent
from suivi_kit.uow import UnitOfWork

from .documents import repository

log = logging.getLogger(__name__)


def parse(event: CloudEvent) -> EventPayload:
    try:
        return parse_payload(event.type, event.data)
    except ValidationError as exc:
        raise PermanentFailure(f"event {event.id} ({event.type}) breaks its contract: {exc}") from exc


async def link_commitments(uow: UnitOfWork, events: list[CloudEvent]) -> None:
    for event in events:
        payload = parse(event)
        commitment_id = str(payload.about_commitment())
        if isinstance(payload, CommitmentDeleted):
            await repository.clear_commitment(uow.session, commitment_id)
        elif isinstance(payload, CommitmentCreated | CommitmentSourceAdded) and payload.extraction_id:
            linked = await repository.set_commitment_id(uow.session, [payload.extraction_id], commitment_id)
            log.debug("linked %d item(s) to commitment %s", linked, commitment_id)


COMMITMENT_LINKS = Consumer(
    INGEST_COMMITMENT_LINKS.durable,
    INGEST_COMMITMENT_LINKS.subject,
    link_commitments,
    event_types=INGEST_COMMITMENT_LINKS.handles,
)
