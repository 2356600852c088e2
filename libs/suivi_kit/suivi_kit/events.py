"""The event envelope every service publishes: CloudEvents 1.0, structured JSON, on JetStream."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

STREAM = "SUIVI"
STREAM_SUBJECTS = ["suivi.>"]


def utcnow() -> datetime:
    return datetime.now(UTC)


class CloudEvent(BaseModel):
    """A CloudEvents 1.0 event in structured mode; `type` is also the NATS subject."""

    specversion: str = "1.0"
    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    source: str
    type: str
    subject: str | None = None
    time: datetime = Field(default_factory=utcnow)
    datacontenttype: str = "application/json"
    data: dict[str, Any] = Field(default_factory=dict)

    @property
    def nats_subject(self) -> str:
        return self.type

    def to_json(self) -> bytes:
        return self.model_dump_json().encode()

    @classmethod
    def from_json(cls, raw: bytes | str) -> CloudEvent:
        return cls.model_validate_json(raw)


def new_event(event_type: str, source: str, subject: str | int | None, payload: BaseModel) -> CloudEvent:
    """An event whose `data` is `payload` (a model of the contracts) as JSON, fields under
    their published names."""
    return CloudEvent(
        type=event_type,
        source=source,
        subject=None if subject is None else str(subject),
        data=payload.model_dump(mode="json", by_alias=True),
    )
