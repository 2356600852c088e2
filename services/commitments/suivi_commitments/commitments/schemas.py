"""What the API accepts and returns about commitments (docs/api.md)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator
from suivi_contracts.vocabularies import Actor, Kind, Topic

DEADLINE_PATTERN = r"^\d{4}(-\d{2}-\d{2})?$"


class TextInput(BaseModel):
    """A request body whose text is refused with NUL characters: PostgreSQL cannot store them,
    and in SQLite they cut the text short for every reader that stops at the first one."""

    model_config = ConfigDict(extra="ignore")

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


def require_text(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be blank")
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


class CommitmentCreate(TextInput):
    title: str | None = Field(None, max_length=300)
    text: str = Field(max_length=20000)
    kind: Kind = "engagement"
    actors: list[Actor] = Field(default_factory=list)
    topics: list[Topic] = Field(default_factory=list)
    deadline: str | None = Field(None, pattern=DEADLINE_PATTERN)

    _text = field_validator("text")(require_text)

    _deadline = field_validator("deadline")(_real_deadline)


class CommitmentUpdate(TextInput):
    """A partial record: react-admin's update sends the whole record, updateMany only changes."""

    title: str | None = Field(None, min_length=1, max_length=300)
    text: str | None = Field(None, min_length=1, max_length=20000)
    kind: Kind | None = None
    actors: list[Actor] | None = None
    topics: list[Topic] | None = None
    deadline: str | None = Field(None, pattern=DEADLINE_PATTERN)
    status: str | None = None
    version: int | None = None

    _deadline = field_validator("deadline")(_real_deadline)
