"""One delivery per (subscription, event): its state, and one row per HTTP attempt."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel
from suivi_kit.db_types import UTCDateTime
from suivi_kit.events import utcnow


class DeliveryStatus(StrEnum):
    pending = "pending"
    succeeded = "succeeded"
    failing = "failing"
    dead = "dead"


class Delivery(SQLModel, table=True):
    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("subscription_id", "event_id", name="uq_deliveries_subscription_event"),
        Index("ix_deliveries_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("subscriptions.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    event_id: str = Field(max_length=64, index=True)
    event_type: str = Field(max_length=200, index=True)
    status: str = Field(default=DeliveryStatus.pending, max_length=16)
    attempts: int = Field(default=0)
    # Attempts since the delivery was created or last redelivered: the index into the retry schedule.
    cycle_attempts: int = Field(default=0)
    last_response_code: int | None = Field(default=None)
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    next_attempt_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    # Set while a worker holds the delivery; another replica may take it once the lease has passed.
    lease_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class DeliveryAttempt(SQLModel, table=True):
    __tablename__ = "delivery_attempts"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(
        sa_column=Column(Integer, ForeignKey("deliveries.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    response_code: int | None = Field(default=None)
    latency_ms: int | None = Field(default=None)
    error: str | None = Field(default=None, sa_column=Column(Text))
    response_body: str | None = Field(default=None, sa_column=Column(Text))
