from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from suivi_kit.auth import Monitor, Viewer
from suivi_kit.errors import NotFound
from suivi_kit.listing import ListQuery, list_query, set_content_range

from .. import repository, service
from ..deps import actor, reading, writing
from ..models import StatusChange
from ..schemas import StatusChangeCreate, StatusChangePublic

router = APIRouter(prefix="/api/status_changes", tags=["status_changes"])


async def _public(session, changes: list[StatusChange]) -> list[StatusChangePublic]:
    ids = sorted({i for change in changes for i in change.evidence_ids})
    evidence = await repository.evidence_by_ids(session, ids)
    return [service.public_status_change(change, evidence) for change in changes]


@router.get("", response_model=list[StatusChangePublic])
async def list_status_changes(
    request: Request, response: Response, _: Viewer, query: Annotated[ListQuery, Depends(list_query)]
):
    async with reading(request) as session:
        rows, total = await repository.list_simple(session, StatusChange, query, "status_changes")
        set_content_range(response, query, "status_changes", total, len(rows))
        return await _public(session, list(rows))


@router.get("/{change_id}", response_model=StatusChangePublic)
async def get_status_change(request: Request, change_id: int, _: Viewer):
    async with reading(request) as session:
        change = await session.get(StatusChange, change_id)
        if change is None:
            raise NotFound(f"Status change {change_id} does not exist.")
        return (await _public(session, [change]))[0]


@router.post("", response_model=StatusChangePublic, status_code=201)
async def change_status(request: Request, data: StatusChangeCreate, principal: Monitor):
    async with writing(request) as session:
        return await service.change_status(session, data, actor(request, principal))
