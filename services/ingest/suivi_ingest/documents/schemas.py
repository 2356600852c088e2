"""What the API shows of documents and what it accepts."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, field_validator

from .models import Document, ExtractedItem


class DocumentPublic(BaseModel):
    id: int
    title: str
    filename: str
    format: str | None
    language: str | None
    status: str
    progress: float
    commitment_count: int
    error: str | None
    sha256: str | None
    size: int | None
    content_type: str | None
    source_url: str | None
    duplicate_of: int | None
    created_at: datetime
    updated_at: datetime

    @field_validator("created_at", "updated_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        # SQLite hands datetimes back without their zone; they are always stored in UTC.
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    @classmethod
    def of(cls, document: Document) -> DocumentPublic:
        return cls.model_validate(document, from_attributes=True)


class DocumentAccepted(BaseModel):
    """The answer to an upload: the document's id and where it stands; `duplicate` if it was known."""

    id: int
    status: str
    duplicate: bool = False


class UrlSubmission(BaseModel):
    url: str
    title: str | None = None
    language: str | None = None


class HighlightedCommitment(BaseModel):
    id: str  # the item key, which is the extraction_id of the suivi.commitment.extracted event
    commitment_id: int | str | None
    start: int
    end: int
    text: str
    kind: str
    topics: list[str]
    locator: str

    @classmethod
    def of(cls, item: ExtractedItem) -> HighlightedCommitment:
        return cls(
            id=item.item_key,
            commitment_id=public_commitment_id(item.commitment_id),
            start=item.start,
            end=item.end,
            text=item.text,
            kind=item.kind,
            topics=list(item.topics or []),
            locator=item.locator,
        )


class DocumentText(BaseModel):
    id: int
    status: str
    text: str
    commitments: list[HighlightedCommitment]


def public_commitment_id(value: str | None) -> int | str | None:
    """The commitments service's id as it gave it: stored as text, shown as a number when it is one."""
    if value is None:
        return None
    return int(value) if value.isdigit() else value
