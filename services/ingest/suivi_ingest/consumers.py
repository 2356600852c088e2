"""What the ingest service learns from the commitments service: which commitment each item became.

The commitments service announces `suivi.commitment.created` and
`suivi.commitment.source_added` with the `extraction_id` of the item it consolidated; the
item's `commitment_id` lets the UI link highlighted text to the commitment. A deleted
commitment unlinks its items. Each event is handled once (inbox) in one transaction.
"""

from __future__ import annotations

import logging
from typing import Any

from nats.aio.msg import Msg
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_contracts.subjects import COMMITMENT_CREATED, COMMITMENT_DELETED, COMMITMENT_SOURCE_ADDED
from suivi_kit.db import transaction
from suivi_kit.events import CloudEvent
from suivi_kit.outbox import first_delivery

from .documents import repository

log = logging.getLogger(__name__)

CONSUMER = "ingest"
SUBJECT = "suivi.commitment.>"


def extraction_ids(data: dict[str, Any]) -> list[str]:
    ids: list[str] = []
    if isinstance(data.get("extraction_id"), str):
        ids.append(data["extraction_id"])
    for key in ("extraction_ids",):
        ids.extend(value for value in data.get(key) or [] if isinstance(value, str))
    for source in data.get("sources") or []:
        if isinstance(source, dict) and isinstance(source.get("extraction_id"), str):
            ids.append(source["extraction_id"])
    source = data.get("source")
    if isinstance(source, dict) and isinstance(source.get("extraction_id"), str):
        ids.append(source["extraction_id"])
    return list(dict.fromkeys(ids))


def commitment_id_of(event: CloudEvent) -> str | None:
    data = event.data
    value = data.get("commitment_id")
    if value is None and event.type == COMMITMENT_CREATED:
        value = data.get("id")
    if value is None:
        value = event.subject
    return None if value is None else str(value)


class CommitmentLinks:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]):
        self.sessions = sessions

    async def handle(self, event: CloudEvent, _message: Msg | None = None) -> None:
        if event.type not in (COMMITMENT_CREATED, COMMITMENT_SOURCE_ADDED, COMMITMENT_DELETED):
            return
        async with transaction(self.sessions) as session:
            if not await first_delivery(session, CONSUMER, event.id):
                return
            commitment_id = commitment_id_of(event)
            if commitment_id is None:
                return
            if event.type == COMMITMENT_DELETED:
                await repository.clear_commitment(session, commitment_id)
                return
            keys = extraction_ids(event.data)
            if keys:
                linked = await repository.set_commitment_id(session, keys, commitment_id)
                log.debug("linked %d item(s) to commitment %s", linked, commitment_id)
