"""Event types, each also the NATS subject it is published on (payloads: events/, consumers: consumers.py)."""

from __future__ import annotations

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
# An account was disabled, deleted, given another role or a new password: every service
# refuses the tokens issued to it before. Internal: never delivered to webhook subscribers.
ACCOUNT_CHANGED = "suivi.account.changed"

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
# Published on the stream like the others, but for the services only: notify neither stores
# nor delivers them, and the subscription form does not offer them.
INTERNAL_EVENT_TYPES = (ACCOUNT_CHANGED,)
