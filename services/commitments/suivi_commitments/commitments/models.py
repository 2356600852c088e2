"""Tables of the commitments and their sources. Topics and actors also live in `commitment_tags`,
so that every filter is an indexed lookup on both SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel
from suivi_kit.db_types import UTCDateTime
from suivi_kit.events import utcnow


class Commitment(SQLModel, table=True):
    __tablename__ = "commitments"
    __table_args__ = (
        Index("ix_commitments_status", "status"),
        Index("ix_commitments_kind", "kind"),
        Index("ix_commitments_deadline_date", "deadline_date"),
        Index("ix_commitments_updated_at", "updated_at"),
        Index("ix_commitments_fingerprint", "fingerprint"),
        # migration 0002: pages of live commitments in order, counts from the index alone
        Index("ix_commitments_live_status_updated", "deleted_at", "status", "updated_at", "id"),
        Index("ix_commitments_live_updated", "deleted_at", "updated_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=300)
    text: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(max_length=20)
    actors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    topics: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="not_assessed", max_length=30)
    deadline: str | None = Field(default=None, max_length=10)
    deadline_date: date | None = None
    fingerprint: str = Field(max_length=64)
    search_text: str = Field(default="", sa_column=Column(Text, nullable=False))
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))


class CommitmentTag(SQLModel, table=True):
    __tablename__ = "commitment_tags"
    __table_args__ = (Index("ix_commitment_tags_lookup", "facet", "value", "commitment_id"),)

    commitment_id: int = Field(foreign_key="commitments.id", primary_key=True, ondelete="CASCADE")
    facet: str = Field(primary_key=True, max_length=10)  # "topic" or "actor"
    value: str = Field(primary_key=True, max_length=40)


class Source(SQLModel, table=True):
    __tablename__ = "sources"
    __table_args__ = (
        UniqueConstraint("extraction_id", name="uq_sources_extraction_id"),
        Index("ix_sources_commitment_id", "commitment_id"),
        Index("ix_sources_document_id", "document_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    commitment_id: int = Field(foreign_key="commitments.id", ondelete="CASCADE")
    extraction_id: str = Field(max_length=64)
    document_id: int | None = None
    document_title: str | None = Field(default=None, max_length=300)
    document_sha256: str | None = Field(default=None, max_length=64)
    locator: str | None = Field(default=None, max_length=300)
    text: str = Field(sa_column=Column(Text, nullable=False))
    start: int | None = None
    end: int | None = None
    negotiation_status: str = Field(default="none", max_length=20)
    language: str | None = Field(default=None, max_length=10)
    confidence: float | None = None
    similarity: float = 1.0
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
