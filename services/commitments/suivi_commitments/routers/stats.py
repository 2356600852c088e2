from fastapi import APIRouter, Request
from suivi_common.auth import Viewer

from .. import repository, service
from ..deps import reading

router = APIRouter(prefix="/api/stats", tags=["stats"])


@router.get("")
async def stats(request: Request, _: Viewer) -> dict:
    async with reading(request) as session:
        figures = await repository.stats(session)
        changes = figures["recent_changes"]
        evidence = await repository.evidence_by_ids(
            session, sorted({i for c in changes for i in c.evidence_ids})
        )
    figures["recent_changes"] = [
        service.public_status_change(c, evidence).model_dump(mode="json") for c in changes
    ]
    return figures
