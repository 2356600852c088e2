"""Subscription shapes on the API: create, partial update, public view, the one-time secret."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator
from suivi_contracts.vocabularies import STATUSES

from .matching import valid_pattern


class SubscriptionFilter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topics: list[str] = Field(default_factory=list)
    commitment_ids: list[str] = Field(default_factory=list)
    statuses: list[str] = Field(default_factory=list)

    @field_validator("commitment_ids", mode="before")
    @classmethod
    def _ids_as_strings(cls, value: object) -> object:
        if isinstance(value, list):
            return [str(item) for item in value]
        return value

    @field_validator("statuses")
    @classmethod
    def _known_statuses(cls, value: list[str]) -> list[str]:
        unknown = [status for status in value if status not in STATUSES]
        if unknown:
            raise ValueError(f"unknown status {', '.join(unknown)}; expected one of {', '.join(STATUSES)}")
        return value


def _check_patterns(value: list[str] | None) -> list[str] | None:
    if value is None:
        return value
    bad = [pattern for pattern in value if not valid_pattern(pattern)]
    if bad:
        raise ValueError(
            f"invalid event type pattern {', '.join(bad)}; use e.g. suivi.commitment.status_changed, "
            "suivi.commitment.* or suivi.>"
        )
    return value


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    url: str = Field(min_length=1, max_length=2000)
    description: str = Field(default="", max_length=2000)
    event_types: list[str] = Field(default_factory=list)
    filter: SubscriptionFilter = Field(default_factory=SubscriptionFilter)
    active: bool = True

    @field_validator("event_types")
    @classmethod
    def _patterns(cls, value: list[str] | None) -> list[str] | None:
        return _check_patterns(value)


class SubscriptionUpdate(BaseModel):
    """A partial record (react-admin sends the whole record back; read-only fields are ignored)."""

    model_config = ConfigDict(extra="ignore")

    url: str | None = Field(default=None, min_length=1, max_length=2000)
    description: str | None = Field(default=None, max_length=2000)
    event_types: list[str] | None = None
    filter: SubscriptionFilter | None = None
    active: bool | None = None
    version: int | None = None

    @field_validator("event_types")
    @classmethod
    def _patterns(cls, value: list[str] | None) -> list[str] | None:
        return _check_patterns(value)


class SubscriptionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    url: str
    description: str
    event_types: list[str]
    filter: SubscriptionFilter
    active: bool
    disabled_reason: str | None
    disabled_at: datetime | None
    failing_since: datetime | None
    last_success_at: datetime | None
    previous_secret_expires_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class SubscriptionCreated(SubscriptionPublic):
    secret: str = Field(description="The signing secret; shown only in this answer.")


class SecretRotated(BaseModel):
    secret: str
    previous_secret_expires_at: datetime


class TestSent(BaseModel):
    event_id: str
    delivery_id: int
