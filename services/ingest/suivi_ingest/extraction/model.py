"""Data types and errors shared by the extraction modules."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

KINDS = ("engagement", "call", "recommendation", "priority")
NEGOTIATION_STATUSES = ("adopted", "bracketed", "none")


class UnreadableDocument(Exception):
    """The bytes cannot be turned into text; ``message`` says why, for a person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UnsupportedLanguage(Exception):
    """The text is in a language the extractor has no rules for."""

    def __init__(self, message: str, language: str = "und"):
        super().__init__(message)
        self.message = message
        self.language = language


@dataclass(frozen=True)
class ReadDocument:
    text: str
    language: str  # 'fr' | 'en' | other ISO 639-1 code | 'und'
    format: str  # 'text' | 'pdf' | 'docx' | 'html'


@dataclass
class ExtractedCommitment:
    doc: str
    text: str
    locator: str
    kind: str
    actors: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    negotiation_status: str = "none"
    deadline: str | None = None
    confidence: float = 0.5
    start: int = 0
    end: int = 0

    def to_dict(self) -> dict:
        return asdict(self)
