"""Events of the ingest service (source `/suivi/ingest`)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from .base import EventPayload


class DocumentPayload(EventPayload):
    """`suivi.document.ingested` and `suivi.document.failed`: the document as the API shows it."""

    id: int
    title: str
    filename: str
    status: str
    format: str | None = None
    language: str | None = None
    progress: float = 0.0
    commitment_count: int = 0
    error: str | None = None
    sha256: str | None = None
    size: int | None = None
    content_type: str | None = None
    source_url: str | None = None
    duplicate_of: int | None = None
    created_at: datetime
    updated_at: datetime


class CommitmentExtracted(EventPayload):
    """`suivi.commitment.extracted`: one item found in a document, not yet a commitment.

    `extraction_id` names the item for good: the commitments service announces the
    commitment it became with the same `extraction_id`. `kind`, `actors`, `topics` and
    `negotiation_status` take their values from the vocabularies.
    """

    extraction_id: str = Field(min_length=1)
    document_id: int
    document_title: str | None = None
    document_sha256: str | None = None
    document_url: str | None = None
    language: str | None = None
    text: str = Field(min_length=1)
    locator: str | None = None
    kind: str
    actors: list[str] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    negotiation_status: str = "none"
    deadline: str | None = None
    confidence: float | None = None
    start: int | None = None
    end: int | None = None
