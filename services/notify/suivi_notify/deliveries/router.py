"""/api/deliveries: the delivery log and redelivery, administrators only."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response, status
from suivi_kit.auth import Admin
from suivi_kit.listing import ListQuery, list_query, set_content_range
from suivi_kit.uow import UoW

from ..deps import RowId, WakeWorker
from . import service
from .schemas import DeliveryPublic, RedeliverResult, RedeliverSince

router = APIRouter(prefix="/api/deliveries", tags=["deliveries"])


@router.get("", response_model=list[DeliveryPublic])
async def list_deliveries(
    _: Admin, uow: UoW, response: Response, query: ListQuery = Depends(list_query)
) -> list[DeliveryPublic]:
    rows, total = await service.page_public(uow.session, query)
    set_content_range(response, query, "deliveries", total, len(rows))
    return rows


@router.post("/redeliver", response_model=RedeliverResult, status_code=status.HTTP_202_ACCEPTED)
async def redeliver_since(data: RedeliverSince, _: Admin, uow: UoW, wake: WakeWorker) -> RedeliverResult:
    count = await service.redeliver_since(uow.session, data.since, data.subscription_id)
    uow.after_commit(wake)
    return RedeliverResult(count=count)


@router.get("/{delivery_id}", response_model=DeliveryPublic)
async def read_delivery(delivery_id: RowId, _: Admin, uow: UoW) -> DeliveryPublic:
    return await service.one_public(uow.session, delivery_id)


@router.post("/{delivery_id}/redeliver", response_model=DeliveryPublic, status_code=status.HTTP_202_ACCEPTED)
async def redeliver(delivery_id: RowId, _: Admin, uow: UoW, wake: WakeWorker) -> DeliveryPublic:
    await service.redeliver_one(uow.session, delivery_id)
    uow.after_commit(wake)
    return await service.one_public(uow.session, delivery_id)
