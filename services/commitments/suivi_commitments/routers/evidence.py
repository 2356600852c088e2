from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import PlainTextResponse
from suivi_kit.auth import Monitor, Viewer
from suivi_kit.errors import NotFound
from suivi_kit.listing import ListQuery, list_query, set_content_range

from .. import repository, service
from ..deps import actor, reading, writing
from ..models import Evidence
from ..schemas import EvidenceCreate, EvidencePublic

router = APIRouter(prefix="/api/evidence", tags=["evidence"])


@router.get("", response_model=list[EvidencePublic])
async def list_evidence(
    request: Request, response: Response, _: Viewer, query: Annotated[ListQuery, Depends(list_query)]
):
    async with reading(request) as session:
        rows, total = await repository.list_simple(session, Evidence, query, "evidence")
    set_content_range(response, query, "evidence", total, len(rows))
    return [service.public_evidence(row) for row in rows]


async def _get(request: Request, evidence_id: int) -> Evidence:
    async with reading(request) as session:
        evidence = await session.get(Evidence, evidence_id)
    if evidence is None:
        raise NotFound(f"Evidence {evidence_id} does not exist.")
    return evidence


@router.get("/{evidence_id}", response_model=EvidencePublic)
async def get_evidence(request: Request, evidence_id: int, _: Viewer):
    return service.public_evidence(await _get(request, evidence_id))


@router.get("/{evidence_id}/archive", response_class=PlainTextResponse)
async def get_archive(request: Request, evidence_id: int, _: Viewer):
    """The copy captured when the evidence was added, so that it survives link rot."""
    evidence = await _get(request, evidence_id)
    if evidence.archive_status != "archived":
        state = evidence.archive_status or "not archived (no URL)"
        raise NotFound(f"Evidence {evidence_id} has no archived copy: {state}.")
    return PlainTextResponse(
        evidence.archive_text or "",
        headers={
            "X-Archived-At": evidence.archived_at.isoformat() if evidence.archived_at else "",
            "X-Content-SHA256": evidence.archive_sha256 or "",
            "X-Original-URL": evidence.url or "",
        },
    )


@router.post("", response_model=EvidencePublic, status_code=201)
async def add_evidence(request: Request, data: EvidenceCreate, principal: Monitor):
    async with writing(request) as session:
        return await service.add_evidence(session, data, actor(request, principal))
