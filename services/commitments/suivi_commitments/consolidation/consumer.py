"""The consumer of suivi.commitment.extracted: each item consolidated once (inbox); an event
that breaks its contract is a poison message (terminated, logged)."""

from __future__ import annotations

from fastapi import FastAPI
from nats.aio.msg import Msg
from pydantic import ValidationError
from suivi_contracts.consumers import COMMITMENTS_EXTRACTED
from suivi_contracts.events import CommitmentExtracted
from suivi_kit.db import transaction
from suivi_kit.events import CloudEvent
from suivi_kit.messaging import PermanentFailure
from suivi_kit.outbox import first_delivery

from . import repository, service

DURABLE = COMMITMENTS_EXTRACTED.durable
INBOX = "commitments.extracted"


def parse(event: CloudEvent) -> CommitmentExtracted:
    try:
        return CommitmentExtracted.model_validate(event.data)
    except ValidationError as exc:
        raise PermanentFailure(f"event {event.id} ({event.type}) breaks its contract: {exc}") from exc


def make_extracted_handler(app: FastAPI):
    async def handle(event: CloudEvent, _: Msg) -> None:
        if event.type not in COMMITMENTS_EXTRACTED.handles:
            return
        item = parse(event)
        async with transaction(app.state.sessions) as session:
            await repository.serialise(session)
            if await first_delivery(session, INBOX, event.id):
                await service.consolidate_extracted(session, item)
        app.state.relay.wake()

    return handle
