"""HTTP routes of /api/documents: thin, each one a unit of work around a service call."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.exc import IntegrityError
from starlette.datastructures import UploadFile
from suivi_kit.auth import Admin, Monitor, Viewer
from suivi_kit.errors import AppError, Invalid
from suivi_kit.listing import ListQuery, list_query, set_content_range
from suivi_kit.uow import Database

from . import service
from .schemas import DocumentAccepted, DocumentPublic, DocumentText

router = APIRouter(prefix="/api/documents", tags=["documents"])

MULTIPART_OVERHEAD = 64 * 1024  # boundaries, headers and the small fields around the file
MAX_JSON_BODY = 64 * 1024


class PayloadTooLarge(AppError):
    status_code = 413


class UnsupportedMediaType(AppError):
    status_code = 415


def get_database(request: Request) -> Database:
    return request.app.state.db


Db = Annotated[Database, Depends(get_database)]

_UPLOAD_SCHEMA: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "url": {"type": "string"},
                        "title": {"type": "string"},
                        "language": {"type": "string", "description": "fr, en… (default: detected)"},
                    },
                }
            },
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["url"],
                    "properties": {
                        "url": {"type": "string"},
                        "title": {"type": "string"},
                        "language": {"type": "string"},
                    },
                }
            },
        },
    }
}


@router.post("", status_code=202, response_model=DocumentAccepted, openapi_extra=_UPLOAD_SCHEMA)
async def submit_document(request: Request, _: Monitor, db: Db) -> DocumentAccepted:
    """Queue a file (multipart `file`) or a URL (`url`, as JSON or form field) for extraction."""
    fields = await _read_submission(request, request.app.state.settings.max_upload_bytes)
    for attempt in range(2):
        try:
            async with db.write() as uow:
                if "data" in fields:
                    document, duplicate = await service.submit_file(
                        uow.session,
                        data=fields["data"],
                        filename=fields.get("filename"),
                        content_type=fields.get("content_type"),
                        title=fields.get("title"),
                        language=fields.get("language"),
                    )
                else:
                    document, duplicate = await service.submit_url(
                        uow.session,
                        url=fields["url"],
                        allow_private=request.app.state.settings.allow_private_addresses,
                        title=fields.get("title"),
                        language=fields.get("language"),
                    )
                accepted = DocumentAccepted(id=document.id, status=document.status, duplicate=duplicate)
            break
        except IntegrityError:  # the same content uploaded at the same moment: answer with the winner
            if attempt:
                raise
    request.app.state.jobs.wake()
    return accepted


async def _read_submission(request: Request, max_bytes: int) -> dict[str, Any]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    declared = request.headers.get("content-length", "")
    if content_type == "application/json":
        body = await _limited_body(request, MAX_JSON_BODY)
        try:
            payload = json.loads(body or b"null")
        except ValueError:
            raise Invalid("The request body is not valid JSON.") from None
        if not isinstance(payload, dict) or not isinstance(payload.get("url"), str):
            raise Invalid("Send a JSON object with a 'url'.", errors={"url": "required"})
        return {k: payload.get(k) for k in ("url", "title", "language") if isinstance(payload.get(k), str)}
    if content_type not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise UnsupportedMediaType(
            "Send the document as multipart/form-data with a 'file' field, or a JSON object with a 'url'."
        )
    if declared.isdigit() and int(declared) > max_bytes + MULTIPART_OVERHEAD:
        raise PayloadTooLarge(_too_large_message(max_bytes), errors={"file": "too large"})
    limited = Request(request.scope, _limited_receive(request, max_bytes + MULTIPART_OVERHEAD))
    try:
        form = await limited.form(max_files=1, max_fields=10)
    except AppError:  # PayloadTooLarge from the limited receive
        raise
    except Exception as exc:
        if isinstance(exc.__cause__, PayloadTooLarge) or isinstance(exc.__context__, PayloadTooLarge):
            raise PayloadTooLarge(_too_large_message(max_bytes), errors={"file": "too large"}) from None
        raise Invalid(f"The form could not be read ({exc}).") from None
    try:
        fields: dict[str, Any] = {}
        for key in ("title", "language", "url"):
            value = form.get(key)
            if isinstance(value, str) and value.strip():
                fields[key] = value
        upload = form.get("file")
        if isinstance(upload, UploadFile):
            data = await upload.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise PayloadTooLarge(_too_large_message(max_bytes), errors={"file": "too large"})
            if not data:
                raise Invalid("The file is empty.", errors={"file": "empty file"})
            fields.update(data=data, filename=upload.filename, content_type=upload.content_type)
        elif "url" not in fields:
            raise Invalid("Attach a document as 'file' or give its 'url'.", errors={"file": "required"})
        return fields
    finally:
        await form.close()


def _too_large_message(max_bytes: int) -> str:
    return f"The file is larger than the {max_bytes / (1024 * 1024):g} MB allowed."


def _limited_receive(request: Request, limit: int):
    received = 0
    receive = request.receive

    async def limited():
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise PayloadTooLarge(
                    _too_large_message(limit - MULTIPART_OVERHEAD), errors={"file": "too large"}
                )
        return message

    return limited


async def _limited_body(request: Request, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise PayloadTooLarge("The request body is too large.")
        chunks.append(chunk)
    return b"".join(chunks)


@router.get("", response_model=list[DocumentPublic])
async def list_documents(
    response: Response, _: Viewer, db: Db, query: Annotated[ListQuery, Depends(list_query)]
) -> list[DocumentPublic]:
    async with db.read() as session:
        rows, total = await service.list_documents(session, query)
    set_content_range(response, query, "documents", total, len(rows))
    return [DocumentPublic.of(row) for row in rows]


@router.get("/{document_id}", response_model=DocumentPublic)
async def get_document(document_id: int, _: Viewer, db: Db) -> DocumentPublic:
    async with db.read() as session:
        return DocumentPublic.of(await service.get(session, document_id))


@router.get("/{document_id}/text", response_model=DocumentText)
async def get_document_text(document_id: int, _: Viewer, db: Db) -> DocumentText:
    async with db.read() as session:
        return await service.text_of(session, document_id)


@router.delete("/{document_id}", response_model=DocumentPublic)
async def delete_document(document_id: int, _: Admin, db: Db) -> DocumentPublic:
    async with db.write() as uow:
        return DocumentPublic.of(await service.delete_document(uow.session, document_id))
