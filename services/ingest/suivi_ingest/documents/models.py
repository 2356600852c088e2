"""The ingest service's tables: documents, their bytes and text, and the items extracted from them.

The bytes live in the database (not on a local disk) so that any replica's job worker can
process a document uploaded to another replica. `documents` doubles as the job queue:
`status` is queued → processing → done | failed, and a claim carries a token and a lease
so that a crashed worker's document goes back to the queue.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlmodel import Field, SQLModel
from suivi_kit.events import utcnow

STATUSES = ("queued", "processing", "done", "failed")


class Document(SQLModel, table=True):
    __tablename__ = "documents"
    __table_args__ = {"sqlite_autoincrement": True}  # a deleted document's id is never given again

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=500)
    filename: str = Field(max_length=500)
    content_type: str | None = Field(default=None, max_length=200)
    format: str | None = Field(default=None, max_length=20)
    language: str | None = Field(default=None, max_length=10)
    language_hint: str | None = Field(default=None, max_length=10)
    status: str = Field(default="queued", max_length=20, index=True)
    progress: float = 0.0
    commitment_count: int = 0
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    sha256: str | None = Field(default=None, max_length=64, unique=True)
    size: int | None = None
    source_url: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    duplicate_of: int | None = None
    attempts: int = 0
    claim_token: str | None = Field(default=None, max_length=64)
    claimed_by: str | None = Field(default=None, max_length=200)  # "host:pid" of the claiming process
    lease_expires_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))


class DocumentContent(SQLModel, table=True):
    """The original bytes and, once read, the extracted text the offsets point into."""

    __tablename__ = "document_contents"

    document_id: int = Field(
        sa_column=Column(Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    )
    data: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class ExtractedItem(SQLModel, table=True):
    """A commitment span found in a document; `item_key` is the `extraction_id` of its event."""

    __tablename__ = "extracted_items"

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(
        sa_column=Column(Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    item_key: str = Field(max_length=64, unique=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    locator: str = Field(default="", max_length=500)
    kind: str = Field(max_length=40)
    actors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    topics: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    negotiation_status: str = Field(default="none", max_length=20)
    deadline: str | None = Field(default=None, max_length=40)
    confidence: float = 0.5
    start: int = 0
    end: int = 0
    commitment_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True, index=True))


class ServiceState(SQLModel, table=True):
    """Small facts the service remembers across starts (e.g. that the samples were loaded)."""

    __tablename__ = "ingest_state"

    key: str = Field(primary_key=True, max_length=100)
    value: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))
