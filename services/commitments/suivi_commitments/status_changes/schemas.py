"""What the API accepts and returns about status changes and evidence (docs/api.md)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator
from suivi_contracts.vocabularies import Status
from suivi_kit.outbound import BadURL, parse_url

from ..commitments.schemas import TextInput, require_text


def _http_url(value: str | None) -> str | None:
    """The URL in normal form. Its address is checked when the archiver fetches it: evidence is
    a citation first, kept (its archive failed, saying why) even when it cannot be fetched."""
    if value is None or value == "":
        return None
    try:
        return str(parse_url(value, allow_private=True))
    except BadURL as exc:
        raise ValueError(exc.reason) from None


class EvidenceInput(TextInput):
    url: str | None = None
    title: str = Field(max_length=300)
    excerpt: str | None = Field(None, max_length=20000)
    published_at: date | None = None

    _url = field_validator("url")(_http_url)
    _title = field_validator("title")(require_text)


class EvidenceCreate(EvidenceInput):
    commitment_id: int


class EvidencePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

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
    sha256: str | None = Field(validation_alias=AliasChoices("sha256", "archive_sha256"))
    archive_error: str | None


class StatusChangeCreate(TextInput):
    commitment_id: int
    to_status: Status
    rationale: str = Field(max_length=20000)
    evidence_ids: list[int] = Field(default_factory=list, max_length=50)
    evidence: EvidenceInput | None = None
    expected_version: int

    _rationale = field_validator("rationale")(require_text)


class StatusChangePublic(BaseModel):
    id: int
    commitment_id: int
    from_status: str
    to_status: str
    rationale: str
    evidence: list[EvidencePublic]
    changed_by: str
    changed_at: datetime
