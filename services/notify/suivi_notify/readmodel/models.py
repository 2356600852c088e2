"""What notify keeps from the events it consumes: the events themselves (payloads to deliver,
weekly counts), a read model of commitments (for deadlines and filters) and the scheduler's claims."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Date, Text
from sqlmodel import Field, SQLModel
from suivi_kit.db_types import UTCDateTime
from suivi_kit.events import utcnow


class ReceivedEvent(SQLModel, table=True):
    __tablename__ = "received_events"

    id: str = Field(primary_key=True, max_length=64)
    type: str = Field(max_length=200, index=True)
    subject: str | None = Field(default=None, max_length=200)
    time: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
    payload: str = Field(sa_column=Column(Text, nullable=False))
    received_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class CommitmentView(SQLModel, table=True):
    __tablename__ = "commitment_views"

    id: str = Field(primary_key=True, max_length=64)
    status: str | None = Field(default=None, max_length=40)
    deadline: str | None = Field(default=None, max_length=40)
    # The last day of the deadline ("2026" -> 2026-12-31); the deadline has passed after that day.
    due_on: date | None = Field(default=None, sa_column=Column(Date, index=True))
    topics: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class JobClaim(SQLModel, table=True):
    """A scheduled emission done once across replicas: the key's uniqueness is the guard."""

    __tablename__ = "job_claims"

    key: str = Field(primary_key=True, max_length=200)
    claimed_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
