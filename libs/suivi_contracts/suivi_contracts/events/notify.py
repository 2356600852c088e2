"""Events of the notify service (source `/suivi/notify`)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from .base import EventPayload


class CommitmentDeadlineDue(EventPayload):
    """`suivi.commitment.deadline_due`: a commitment's deadline passed and it is not done
    (see rules.is_overdue); `status` and `topics` as notify last saw them."""

    id: int
    deadline: str
    due_on: date
    status: str | None = None
    topics: list[str] = Field(default_factory=list)

    def about_commitment(self) -> int | None:
        return self.id


class DigestWeekly(EventPayload):
    """`suivi.digest.weekly`: how many events of each type the ISO week `week` saw."""

    week: str
    from_: datetime = Field(alias="from")
    to: datetime
    counts: dict[str, int]
    total: int


class SubscriptionDisabled(EventPayload):
    """`suivi.subscription.disabled`: notify stopped delivering to a subscription, and why."""

    id: int
    url: str
    description: str = ""
    reason: str
    failing_since: datetime | None = None
    last_success_at: datetime | None = None


class WebhookTest(EventPayload):
    """`suivi.webhook.test`: sent to one subscription on request, never published on NATS."""

    subscription_id: int
    message: str
