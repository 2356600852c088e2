"""What the API accepts and returns (API.md)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from suivi_contracts.vocabularies import ACTORS, KINDS, NEGOTIATION_STATUSES, STATUSES, TOPICS

Status = Literal[STATUSES]  # type: ignore[valid-type]
Kind = Literal[KINDS]  # type: ignore[valid-type]
Topic = Literal[TOPICS]  # type: ignore[valid-type]
Actor = Literal[ACTORS]  # type: ignore[valid-type]
NegotiationStatus = Literal[NEGOTIATION_STATUSES]  # type: ignore[valid-type]
Role = Literal["viewer", "monitor", "admin"]

DEADLINE_PATTERN = r"^\d{4}(-\d{2}-\d{2})?$"


def _require_text(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be blank")
    return value


def _http_url(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    value = value.strip()
    if not value.lower().startswith(("http://", "https://")) or len(value) > 2000:
        raise ValueError("must be an http(s) URL of at most 2000 characters")
    return value


def _real_deadline(value: str | None) -> str | None:
    """A year from 1900, or a date that exists (not 2026-02-30)."""
    if value is None:
        return None
    if len(value) == 4:
        if int(value) < 1900:
            raise ValueError("must be a year from 1900 on")
        return value
    try:
        date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError("must be a real date (YYYY-MM-DD)") from exc
    return value


class SourcePublic(BaseModel):
    id: int
    document_id: int | None
    document_title: str | None
    locator: str | None
    text: str
    start: int | None
    end: int | None
    negotiation_status: str
    language: str | None
    similarity: float
    created_at: datetime


class CommitmentPublic(BaseModel):
    id: int
    title: str
    text: str
    kind: str
    actors: list[str]
    topics: list[str]
    status: str
    deadline: str | None
    overdue: bool
    sources: list[SourcePublic]
    version: int
    created_at: datetime
    updated_at: datetime
    deleted: bool = False


class CommitmentCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    title: str | None = Field(None, max_length=300)
    text: str = Field(max_length=20000)
    kind: Kind = "engagement"
    actors: list[Actor] = Field(default_factory=list)
    topics: list[Topic] = Field(default_factory=list)
    deadline: str | None = Field(None, pattern=DEADLINE_PATTERN)

    _text = field_validator("text")(_require_text)

    _deadline = field_validator("deadline")(_real_deadline)


class CommitmentUpdate(BaseModel):
    """A partial record: react-admin's update sends the whole record, updateMany only changes."""

    model_config = ConfigDict(extra="ignore")

    title: str | None = Field(None, min_length=1, max_length=300)
    text: str | None = Field(None, min_length=1, max_length=20000)
    kind: Kind | None = None
    actors: list[Actor] | None = None
    topics: list[Topic] | None = None
    deadline: str | None = Field(None, pattern=DEADLINE_PATTERN)
    status: str | None = None
    version: int | None = None

    _deadline = field_validator("deadline")(_real_deadline)


class EvidenceInput(BaseModel):
    model_config = ConfigDict(extra="ignore")

    url: str | None = None
    title: str = Field(max_length=300)
    excerpt: str | None = Field(None, max_length=20000)
    published_at: date | None = None

    _url = field_validator("url")(_http_url)
    _title = field_validator("title")(_require_text)


class EvidenceCreate(EvidenceInput):
    commitment_id: int


class EvidencePublic(BaseModel):
    id: int
    commitment_id: int
    url: str | None
    title: str
    excerpt: str | None
    published_at: date | None
    added_by: str
    added_at: datetime
    archive_status: str | None
    archived_at: datetime | None
    sha256: str | None
    archive_error: str | None


class StatusChangeCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    commitment_id: int
    to_status: Status
    rationale: str = Field(max_length=20000)
    evidence_ids: list[int] = Field(default_factory=list, max_length=50)
    evidence: EvidenceInput | None = None
    expected_version: int

    _rationale = field_validator("rationale")(_require_text)


class StatusChangePublic(BaseModel):
    id: int
    commitment_id: int
    from_status: str
    to_status: str
    rationale: str
    evidence: list[EvidencePublic]
    changed_by: str
    changed_at: datetime


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    username: str = Field(min_length=2, max_length=80, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=8, max_length=200)
    role: Role = "viewer"
    active: bool = True


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    password: str | None = Field(None, min_length=8, max_length=200)
    role: Role | None = None
    active: bool | None = None


class UserPublic(BaseModel):
    id: int
    username: str
    role: str
    active: bool
    created_at: datetime


class LoginRequest(BaseModel):
    username: str = Field(max_length=200)
    password: str = Field(max_length=200)


class LoginResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    role: str
    username: str


class AuditPublic(BaseModel):
    id: int
    actor: str
    action: str
    resource: str
    resource_id: str | None
    remote_addr: str | None
    detail: dict
    at: datetime
