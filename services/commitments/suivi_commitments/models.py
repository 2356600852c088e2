"""Tables of the system of record. Topics and actors also live in `commitment_tags`, so
that every filter is an indexed lookup on both SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel
from suivi_kit.db_types import UTCDateTime
from suivi_kit.events import utcnow


def _ts(**kwargs) -> Column:
    return Column(UTCDateTime(), **kwargs)


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=20)
    active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))


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
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))
    deleted_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))


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
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))


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
    added_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))
    archive_status: str | None = Field(default=None, max_length=20)  # pending, archived, failed
    archived_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
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
    changed_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    actor: str = Field(max_length=80)
    action: str = Field(max_length=60)
    resource: str = Field(max_length=40)
    resource_id: str | None = Field(default=None, max_length=64)
    remote_addr: str | None = Field(default=None, max_length=64)
    detail: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))
