"""Tables of the status history and of the evidence behind it (kept forever)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel
from suivi_kit.db_types import UTCDateTime
from suivi_kit.events import utcnow


class Evidence(SQLModel, table=True):
    __tablename__ = "evidence"
    __table_args__ = (Index("ix_evidence_commitment_id", "commitment_id"),)

    id: int | None = Field(default=None, primary_key=True)
    commitment_id: int = Field(foreign_key="commitments.id", ondelete="CASCADE")
    url: str | None = Field(default=None, max_length=2000)
    title: str = Field(max_length=300)
    excerpt: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    published_at: date | None = None
    added_by: str = Field(max_length=80)
    added_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    archive_status: str | None = Field(default=None, max_length=20)  # pending, archived, failed
    archived_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    archive_sha256: str | None = Field(default=None, max_length=64)
    archive_content_type: str | None = Field(default=None, max_length=200)
    archive_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    archive_error: str | None = Field(default=None, max_length=500)


class StatusChange(SQLModel, table=True):
    __tablename__ = "status_changes"
    __table_args__ = (
        Index("ix_status_changes_commitment_id", "commitment_id", "changed_at"),
        Index("ix_status_changes_changed_at", "changed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    commitment_id: int = Field(foreign_key="commitments.id", ondelete="CASCADE")
    from_status: str = Field(max_length=30)
    to_status: str = Field(max_length=30)
    rationale: str = Field(sa_column=Column(Text, nullable=False))
    evidence_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    changed_by: str = Field(max_length=80)
    changed_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
