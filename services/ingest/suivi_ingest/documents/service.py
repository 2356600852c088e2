"""What can be done with documents: submit a file or a URL, read, list, delete, record results.

Functions take the caller's session and never commit: the router or the job worker owns
the unit of work, so a result, its items and the events announcing them land together.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

from sqlalchemy import delete
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_contracts.events import CommitmentExtracted, DocumentPayload
from suivi_contracts.subjects import COMMITMENT_EXTRACTED, DOCUMENT_FAILED, DOCUMENT_INGESTED
from suivi_kit.errors import Invalid, NotFound
from suivi_kit.events import CloudEvent, new_event, utcnow
from suivi_kit.listing import ListQuery
from suivi_kit.outbound import parse_url
from suivi_kit.outbox import add_event
from suivi_kit.queries import row_id

from ..formats import classify, safe_filename
from . import repository
from .models import Document, DocumentContent, ExtractedItem
from .schemas import DocumentPublic, DocumentText, HighlightedCommitment

SOURCE = "/suivi/ingest"
MAX_TITLE = 300  # what consumers of our events (commitments' sources) keep
MAX_LOCATOR = 300
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def item_key(document_sha256: str, locator: str, text: str) -> str:
    """A stable id for an extracted span: the same document and span always give the same key."""
    return hashlib.sha256(f"{document_sha256}\x1f{locator}\x1f{' '.join(text.split())}".encode()).hexdigest()


def clean_title(title: str | None) -> str | None:
    title = " ".join((title or "").split())
    return title[:MAX_TITLE] or None


def clean_language(language: str | None) -> str | None:
    value = (language or "").strip().lower()
    if value in ("", "auto", "und"):
        return None
    if not _LANGUAGE.match(value):
        raise Invalid(
            f"'{language}' is not a language code; use a two-letter code such as 'fr' or 'en'.",
            errors={"language": "expected a code such as fr or en"},
        )
    return value


def default_title(filename: str) -> str:
    return (os.path.splitext(filename)[0] or filename)[:MAX_TITLE]


def _requeue(document: Document) -> None:
    document.status = "queued"
    document.progress = 0.0
    document.error = None
    document.attempts = 0
    document.claim_token = None
    document.lease_expires_at = None
    document.updated_at = utcnow()


async def submit_file(
    session: AsyncSession,
    *,
    data: bytes,
    filename: str | None,
    content_type: str | None,
    title: str | None = None,
    language: str | None = None,
) -> tuple[Document, bool]:
    """Queue an uploaded file; the same bytes again give back the known document (second value True)."""
    if not data:
        raise Invalid("The file is empty.", errors={"file": "empty file"})
    language = clean_language(language)
    name, fmt = classify(data, safe_filename(filename), content_type)
    digest = sha256_of(data)
    existing = await repository.by_sha256(session, digest)
    if existing is not None:
        if existing.status == "failed":  # a new upload of a failed file is a retry
            _requeue(existing)
        return existing, True
    document = Document(
        title=clean_title(title) or default_title(name),
        filename=name,
        content_type=(content_type or None),
        format=fmt,
        language_hint=language,
        sha256=digest,
        size=len(data),
    )
    session.add(document)
    await session.flush()
    session.add(DocumentContent(document_id=row_id(document), data=data))
    return document, False


def filename_from_url(url: str) -> str:
    path = urlsplit(url).path
    return safe_filename(unquote(path.rsplit("/", 1)[-1]), fallback=urlsplit(url).hostname or "document")


async def submit_url(
    session: AsyncSession,
    *,
    url: str,
    allow_private: bool,
    title: str | None = None,
    language: str | None = None,
) -> tuple[Document, bool]:
    """Queue a document to fetch; the same URL again (in normal form) gives back the known document."""
    url = str(parse_url(url, allow_private=allow_private))
    language = clean_language(language)
    existing = await repository.by_source_url(session, url)
    if existing is not None:
        if existing.status == "failed":
            _requeue(existing)
        return existing, True
    document = Document(
        title=clean_title(title) or url[:MAX_TITLE],
        filename=filename_from_url(url),
        source_url=url,
        language_hint=language,
    )
    session.add(document)
    await session.flush()
    session.add(DocumentContent(document_id=row_id(document), data=None))
    return document, False


async def get(session: AsyncSession, document_id: int) -> Document:
    document = await repository.get(session, document_id)
    if document is None:
        raise NotFound(f"There is no document {document_id}.")
    return document


async def list_documents(session: AsyncSession, query: ListQuery) -> tuple[Sequence[Document], int]:
    return await repository.list_documents(session, query)


async def delete_document(session: AsyncSession, document_id: int) -> Document:
    document = await get(session, document_id)
    await repository.delete_document(session, document_id)
    return document


async def text_of(session: AsyncSession, document_id: int) -> DocumentText:
    document = await get(session, document_id)
    content = await repository.get_content(session, document_id)
    items = await repository.items_of(session, document_id)
    return DocumentText(
        id=document_id,
        status=document.status,
        text=(content.text if content and content.text else ""),
        commitments=[HighlightedCommitment.of(item) for item in items],
    )


# --- results of the job worker ----------------------------------------------------------------


def document_event(document: Document) -> CloudEvent:
    event_type = DOCUMENT_FAILED if document.status == "failed" else DOCUMENT_INGESTED
    payload = DocumentPayload.model_validate(DocumentPublic.of(document), from_attributes=True)
    return new_event(event_type, SOURCE, document.id, payload)


def extracted_event(document: Document, item: ExtractedItem) -> CloudEvent:
    payload = CommitmentExtracted(
        extraction_id=item.item_key,
        document_id=document.id,
        document_title=document.title,
        document_sha256=document.sha256,
        document_url=document.source_url,
        language=document.language,
        text=item.text,
        locator=item.locator,
        kind=item.kind,
        actors=list(item.actors),
        topics=list(item.topics),
        negotiation_status=item.negotiation_status,
        deadline=item.deadline,
        confidence=item.confidence,
        start=item.start,
        end=item.end,
    )
    return new_event(COMMITMENT_EXTRACTED, SOURCE, item.item_key, payload)


async def _claimed(session: AsyncSession, document_id: int, token: str) -> Document | None:
    document = await repository.get(session, document_id)
    if document is None or document.claim_token != token or document.status != "processing":
        return None
    return document


async def record_success(
    session: AsyncSession,
    document_id: int,
    token: str,
    *,
    text: str,
    language: str,
    fmt: str,
    extracted: list[dict[str, Any]],
) -> Document | None:
    """Store the items, mark the document done and queue the events, all in the caller's transaction.

    Returns None (and changes nothing) when this worker no longer holds the document.
    """
    document = await _claimed(session, document_id, token)
    if document is None:
        return None
    assert document.sha256 is not None
    await session.execute(delete(ExtractedItem).where(col(ExtractedItem.document_id) == document_id))
    items: list[ExtractedItem] = []
    seen: set[str] = set()
    for found in extracted:
        key = item_key(document.sha256, str(found.get("locator") or ""), str(found.get("text") or ""))
        if key in seen:
            continue
        seen.add(key)
        items.append(
            ExtractedItem(
                document_id=document_id,
                item_key=key,
                text=str(found.get("text") or ""),
                locator=str(found.get("locator") or "")[:MAX_LOCATOR],
                kind=str(found.get("kind") or "engagement")[:40],
                actors=list(found.get("actors") or []),
                topics=list(found.get("topics") or []),
                negotiation_status=str(found.get("negotiation_status") or "none")[:20],
                deadline=None if found.get("deadline") is None else str(found["deadline"])[:40],
                confidence=float(found.get("confidence") or 0.0),
                start=int(found.get("start") or 0),
                end=int(found.get("end") or 0),
            )
        )
    session.add_all(items)
    content = await repository.get_content(session, document_id)
    if content is None:
        session.add(DocumentContent(document_id=document_id, text=text))
    else:
        content.text = text
    document.status = "done"
    document.progress = 1.0
    document.error = None
    document.language = language
    document.format = fmt
    document.commitment_count = len(items)
    document.claim_token = None
    document.lease_expires_at = None
    document.updated_at = utcnow()
    await session.flush()
    for item in items:
        add_event(session, extracted_event(document, item))
    add_event(session, document_event(document))
    return document


async def record_failure(
    session: AsyncSession,
    document_id: int,
    token: str,
    message: str,
    *,
    language: str | None = None,
    fmt: str | None = None,
    duplicate_of: int | None = None,
) -> Document | None:
    """Mark the document failed with a message for a person, keep no items, queue the event."""
    document = await _claimed(session, document_id, token)
    if document is None:
        return None
    await session.execute(delete(ExtractedItem).where(col(ExtractedItem.document_id) == document_id))
    document.status = "failed"
    document.progress = 1.0
    document.error = message[:2000]
    document.commitment_count = 0
    document.language = language or document.language
    document.format = fmt or document.format
    document.duplicate_of = duplicate_of
    document.claim_token = None
    document.lease_expires_at = None
    document.updated_at = utcnow()
    await session.flush()
    add_event(session, document_event(document))
    return document


async def record_fetched(
    session: AsyncSession,
    document_id: int,
    token: str,
    *,
    data: bytes,
    filename: str,
    content_type: str | None,
    fmt: str,
) -> Document | None:
    """Keep the bytes fetched for a URL document; returns the other document with the same content, if any."""
    digest = sha256_of(data)
    twin = await repository.by_sha256(session, digest)
    if twin is not None and twin.id != document_id:
        return twin
    if not await repository.update_claimed(
        session,
        document_id,
        token,
        sha256=digest,
        size=len(data),
        filename=filename,
        content_type=content_type,
        format=fmt,
        progress=0.1,
    ):
        return None
    content = await repository.get_content(session, document_id)
    if content is None:
        session.add(DocumentContent(document_id=document_id, data=data))
    else:
        content.data = data
    return None
