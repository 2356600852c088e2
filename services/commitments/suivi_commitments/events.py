"""What this service publishes: each event goes into the outbox of the caller's transaction, so
a change and its announcement commit together."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_contracts.events import EventPayload
from suivi_kit import events
from suivi_kit.outbox import add_event

SOURCE = "/suivi/commitments"


def announce(session: AsyncSession, event_type: str, subject: Any, payload: EventPayload) -> None:
    """Queue `event_type` with `payload`, the model suivi_contracts.events gives that type."""
    add_event(session, events.new_event(event_type, SOURCE, subject, payload))
