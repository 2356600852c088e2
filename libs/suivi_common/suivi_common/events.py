"""The event envelope every service publishes: CloudEvents 1.0, structured JSON, on JetStream."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

STREAM = "SUIVI"
STREAM_SUBJECTS = ["suivi.>"]

DOCUMENT_INGESTED = "suivi.document.ingested"
DOCUMENT_FAILED = "suivi.document.failed"
COMMITMENT_EXTRACTED = "suivi.commitment.extracted"
COMMITMENT_CREATED = "suivi.commitment.created"
COMMITMENT_UPDATED = "suivi.commitment.updated"
COMMITMENT_SOURCE_ADDED = "suivi.commitment.source_added"
COMMITMENT_STATUS_CHANGED = "suivi.commitment.status_changed"
COMMITMENT_DELETED = "suivi.commitment.deleted"
EVIDENCE_ADDED = "suivi.evidence.added"
COMMITMENT_DEADLINE_DUE = "suivi.commitment.deadline_due"
DIGEST_WEEKLY = "suivi.digest.weekly"
SUBSCRIPTION_DISABLED = "suivi.subscription.disabled"
WEBHOOK_TEST = "suivi.webhook.test"

EVENT_TYPES = (
    DOCUMENT_INGESTED,
    DOCUMENT_FAILED,
    COMMITMENT_EXTRACTED,
    COMMITMENT_CREATED,
    COMMITMENT_UPDATED,
    COMMITMENT_SOURCE_ADDED,
    COMMITMENT_STATUS_CHANGED,
    COMMITMENT_DELETED,
    EVIDENCE_ADDED,
    COMMITMENT_DEADLINE_DUE,
    DIGEST_WEEKLY,
    SUBSCRIPTION_DISABLED,
    WEBHOOK_TEST,
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class CloudEvent(BaseModel):
    """A CloudEvents 1.0 event in structured mode; `type` is also the NATS subject."""

    specversion: str = "1.0"
    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    source: str
    type: str
    subject: str | None = None
    time: datetime = Field(default_factory=utcnow)
    datacontenttype: str = "application/json"
    data: dict[str, Any] = Field(default_factory=dict)

    @property
    def nats_subject(self) -> str:
        return self.type

    def to_json(self) -> bytes:
        return self.model_dump_json().encode()

    @classmethod
    def from_json(cls, raw: bytes | str) -> CloudEvent:
        return cls.model_validate_json(raw)


def new_event(event_type: str, source: str, subject: str | int | None, data: dict[str, Any]) -> CloudEvent:
    return CloudEvent(
        type=event_type, source=source, subject=None if subject is None else str(subject), data=data
    )
