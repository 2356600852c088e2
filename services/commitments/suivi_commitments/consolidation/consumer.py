"""The consumer of suivi.commitment.extracted: each item consolidated once (inbox)."""

from __future__ import annotations

from fastapi import FastAPI
from nats.aio.msg import Msg
from suivi_contracts import subjects
from suivi_kit.db import transaction
from suivi_kit.events import CloudEvent
from suivi_kit.messaging import PermanentFailure
from suivi_kit.outbox import first_delivery

from . import repository, service

DURABLE = "commitments-extracted"
INBOX = "commitments.extracted"


def make_extracted_handler(app: FastAPI):
    async def handle(event: CloudEvent, _: Msg) -> None:
        if event.type != subjects.COMMITMENT_EXTRACTED:
            return
        if not event.data.get("extraction_id") or not event.data.get("text"):
            raise PermanentFailure(f"extracted event {event.id} lacks extraction_id or text")
        async with transaction(app.state.sessions) as session:
            await repository.serialise(session)
            if await first_delivery(session, INBOX, event.id):
                await service.consolidate_extracted(session, event.data)
        app.state.relay.wake()

    return handle
