"""Events of the commitments service (source `/suivi/commitments`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .base import EventPayload


class SourcePayload(BaseModel):
    """One document passage a commitment was found in."""

    model_config = ConfigDict(extra="allow")

    id: int
    document_id: int | None = None
    document_title: str | None = None
    locator: str | None = None
    text: str
    start: int | None = None
    end: int | None = None
    negotiation_status: str = "none"
    language: str | None = None
    similarity: float
    created_at: datetime


class CommitmentPayload(EventPayload):
    """The commitment as the API shows it; the base of every event about one commitment."""

    id: int
    title: str
    text: str
    kind: str
    actors: list[str] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    status: str
    deadline: str | None = None
    overdue: bool = False
    sources: list[SourcePayload] = Field(default_factory=list)
    version: int
    created_at: datetime
    updated_at: datetime
    deleted: bool = False

    def about_commitment(self) -> int | None:
        return self.id


class CommitmentCreated(CommitmentPayload):
    """`suivi.commitment.created`; `extraction_id` is set when an extracted item became it."""

    extraction_id: str | None = None


class CommitmentSourceAdded(CommitmentPayload):
    """`suivi.commitment.source_added`: the extracted item `extraction_id` joined this commitment."""

    extraction_id: str = Field(min_length=1)


class CommitmentUpdated(CommitmentPayload):
    """`suivi.commitment.updated`, with the names of the fields the edit changed."""

    changed_fields: list[str] = Field(default_factory=list)


class CommitmentDeleted(CommitmentPayload):
    """`suivi.commitment.deleted`: the commitment as it was. `soft` keeps it hidden with its
    history; `hard` removed a commitment that had none."""

    mode: Literal["soft", "hard"]


class EvidencePayload(EventPayload):
    """`suivi.evidence.added`: a piece of evidence as the API shows it."""

    id: int
    commitment_id: int
    url: str | None = None
    title: str
    excerpt: str | None = None
    published_at: date | None = None
    added_by: str
    added_at: datetime
    archive_status: str | None = None
    archived_at: datetime | None = None
    sha256: str | None = None
    archive_error: str | None = None

    def about_commitment(self) -> int | None:
        return self.commitment_id


class CommitmentStatusChanged(CommitmentPayload):
    """`suivi.commitment.status_changed`: the commitment after the change, and the change."""

    from_status: str
    to_status: str
    rationale: str
    evidence: list[EvidencePayload] = Field(default_factory=list)
    changed_by: str
    status_change_id: int


class AccountChanged(EventPayload):
    """An account changed so that its earlier tokens must stop working on every service: a
    token of this account whose `rev` claim is below `revision` is refused."""

    user_id: int
    revision: int

    @classmethod
    def revision_of(cls, data: dict) -> tuple[int, int]:
        """(user id, revision) of an announcement's data; raises ValueError when it breaks the contract."""
        payload = cls.model_validate(data)
        return payload.user_id, payload.revision
