"""One payload model per event type, and the one way to read an event's `data`.

Producers build the model and hand it to the envelope; consumers call `parse_payload`. A
type this copy of the contracts does not know yet (a newer producer) parses as a bare
`EventPayload`, so that it is passed on rather than refused.
"""

from __future__ import annotations

from typing import Any

from .. import subjects
from .base import EventPayload
from .commitments import (
    AccountChanged,
    CommitmentCreated,
    CommitmentDeleted,
    CommitmentPayload,
    CommitmentSourceAdded,
    CommitmentStatusChanged,
    CommitmentUpdated,
    EvidencePayload,
    SourcePayload,
)
from .ingest import CommitmentExtracted, DocumentPayload
from .notify import CommitmentDeadlineDue, DigestWeekly, SubscriptionDisabled, WebhookTest

PAYLOADS: dict[str, type[EventPayload]] = {
    subjects.DOCUMENT_INGESTED: DocumentPayload,
    subjects.DOCUMENT_FAILED: DocumentPayload,
    subjects.COMMITMENT_EXTRACTED: CommitmentExtracted,
    subjects.COMMITMENT_CREATED: CommitmentCreated,
    subjects.COMMITMENT_UPDATED: CommitmentUpdated,
    subjects.COMMITMENT_SOURCE_ADDED: CommitmentSourceAdded,
    subjects.COMMITMENT_STATUS_CHANGED: CommitmentStatusChanged,
    subjects.COMMITMENT_DELETED: CommitmentDeleted,
    subjects.EVIDENCE_ADDED: EvidencePayload,
    subjects.COMMITMENT_DEADLINE_DUE: CommitmentDeadlineDue,
    subjects.DIGEST_WEEKLY: DigestWeekly,
    subjects.SUBSCRIPTION_DISABLED: SubscriptionDisabled,
    subjects.WEBHOOK_TEST: WebhookTest,
    subjects.ACCOUNT_CHANGED: AccountChanged,
}


def parse_payload(event_type: str, data: Any) -> EventPayload:
    """The payload of an event of `event_type`; raises pydantic.ValidationError (a
    ValueError) when a required field is missing or has the wrong type."""
    return PAYLOADS.get(event_type, EventPayload).model_validate(data)


__all__ = [
    "PAYLOADS",
    "AccountChanged",
    "CommitmentCreated",
    "CommitmentDeadlineDue",
    "CommitmentDeleted",
    "CommitmentExtracted",
    "CommitmentPayload",
    "CommitmentSourceAdded",
    "CommitmentStatusChanged",
    "CommitmentUpdated",
    "DigestWeekly",
    "DocumentPayload",
    "EventPayload",
    "EvidencePayload",
    "SourcePayload",
    "SubscriptionDisabled",
    "WebhookTest",
    "parse_payload",
]
