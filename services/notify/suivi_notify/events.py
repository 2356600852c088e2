"""Events as notify reads them (envelope and parsed payload), and as it emits them (outbox)."""

from __future__ import annotations

from typing import NamedTuple

from suivi_contracts.consumers import NOTIFY_FAN_OUT
from suivi_contracts.events import EventPayload, parse_payload
from suivi_kit.events import CloudEvent

SOURCE = "/suivi/notify"
CONSUMER = NOTIFY_FAN_OUT.durable
SUBJECT = NOTIFY_FAN_OUT.subject


class Received(NamedTuple):
    event: CloudEvent
    payload: EventPayload


def received(event: CloudEvent) -> Received:
    """The event with its payload parsed at its contract; raises pydantic.ValidationError (a
    ValueError) when the payload lacks a required field: a poison message."""
    return Received(event, parse_payload(event.type, event.data))
