"""Delivery shapes on the API (the react-admin `deliveries` resource)."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, field_validator

LOG_BODY_CHARS = 1024


class AttemptPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    response_code: int | None
    latency_ms: int | None
    error: str | None
    response_body: str | None


class DeliveryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    subscription_id: int
    event_id: str
    event_type: str
    status: str
    attempts: int
    last_response_code: int | None
    last_error: str | None
    next_attempt_at: datetime | None
    created_at: datetime
    updated_at: datetime
    attempt_log: list[AttemptPublic] = []


class RedeliverSince(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: datetime
    subscription_id: int | None = None

    @field_validator("since")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class RedeliverResult(BaseModel):
    count: int
