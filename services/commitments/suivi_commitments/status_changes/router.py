from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import PlainTextResponse
from suivi_kit.auth import Monitor, Viewer
from suivi_kit.listing import ListQuery, list_query, set_content_range

from ..deps import actor, reading, writing
from . import repository, service
from .schemas import EvidenceCreate, EvidencePublic, StatusChangeCreate, StatusChangePublic

router = APIRouter(prefix="/api/status_changes", tags=["status_changes"])
evidence_router = APIRouter(prefix="/api/evidence", tags=["evidence"])


@router.get("", response_model=list[StatusChangePublic])
async def list_status_changes(
    request: Request, response: Response, principal: Viewer, query: Annotated[ListQuery, Depends(list_query)]
):
    async with reading(request) as session:
        rows, total = await repository.list_status_changes(session, query, principal.can("admin"))
        set_content_range(response, query, "status_changes", total, len(rows))
        return await service.public_status_changes(session, rows)


@router.get("/{change_id}", response_model=StatusChangePublic)
async def get_status_change(request: Request, change_id: int, principal: Viewer):
    async with reading(request) as session:
        return await service.get_status_change(session, change_id, principal.can("admin"))


@router.post("", response_model=StatusChangePublic, status_code=201)
async def change_status(request: Request, data: StatusChangeCreate, principal: Monitor):
    async with writing(request) as uow:
        return await service.change_status(uow.session, data, actor(request, principal))


@evidence_router.get("", response_model=list[EvidencePublic])
async def list_evidence(
    request: Request, response: Response, principal: Viewer, query: Annotated[ListQuery, Depends(list_query)]
):
    async with reading(request) as session:
        rows, total = await repository.list_evidence(session, query, principal.can("admin"))
    set_content_range(response, query, "evidence", total, len(rows))
    return [service.public_evidence(row) for row in rows]


@evidence_router.get("/{evidence_id}", response_model=EvidencePublic)
async def get_evidence(request: Request, evidence_id: int, principal: Viewer):
    async with reading(request) as session:
        return service.public_evidence(
            await service.get_evidence(session, evidence_id, principal.can("admin"))
        )


@evidence_router.get("/{evidence_id}/archive", response_class=PlainTextResponse)
async def get_archive(request: Request, evidence_id: int, principal: Viewer):
    """The copy captured when the evidence was added, so that it survives link rot."""
    async with reading(request) as session:
        evidence = await service.archived_evidence(session, evidence_id, principal.can("admin"))
    return PlainTextResponse(
        evidence.archive_text or "",
        headers={
            "X-Archived-At": evidence.archived_at.isoformat() if evidence.archived_at else "",
            "X-Content-SHA256": evidence.archive_sha256 or "",
            "X-Original-URL": evidence.url or "",
        },
    )


@evidence_router.post("", response_model=EvidencePublic, status_code=201)
async def add_evidence(request: Request, data: EvidenceCreate, principal: Monitor):
    async with writing(request) as uow:
        return await service.add_evidence(uow.session, data, actor(request, principal))
