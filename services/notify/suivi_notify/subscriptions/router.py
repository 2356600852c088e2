"""/api/subscriptions: webhook endpoints, administrators only."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response, status
from suivi_kit.auth import Admin
from suivi_kit.listing import ListQuery, list_query, set_content_range
from suivi_kit.uow import UoW

from ..deps import Config, RowId, WakeWorker
from . import repository, service
from .schemas import (
    SecretRotated,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionPublic,
    SubscriptionUpdate,
    TestSent,
)

router = APIRouter(prefix="/api/subscriptions", tags=["subscriptions"])


@router.get("", response_model=list[SubscriptionPublic])
async def list_subscriptions(
    _: Admin, uow: UoW, response: Response, query: ListQuery = Depends(list_query)
) -> list[SubscriptionPublic]:
    rows, total = await repository.page(uow.session, query)
    set_content_range(response, query, "subscriptions", total, len(rows))
    return [SubscriptionPublic.model_validate(row) for row in rows]


@router.post("", response_model=SubscriptionCreated, status_code=status.HTTP_201_CREATED)
async def create_subscription(
    data: SubscriptionCreate, _: Admin, uow: UoW, settings: Config
) -> SubscriptionCreated:
    subscription, secret = await service.create(uow.session, data, settings)
    return SubscriptionCreated.model_validate(subscription.model_dump() | {"secret": secret})


@router.get("/{subscription_id}", response_model=SubscriptionPublic)
async def read_subscription(subscription_id: RowId, _: Admin, uow: UoW) -> SubscriptionPublic:
    return SubscriptionPublic.model_validate(await service.get(uow.session, subscription_id))


@router.put("/{subscription_id}", response_model=SubscriptionPublic)
async def update_subscription(
    subscription_id: RowId, data: SubscriptionUpdate, _: Admin, uow: UoW, settings: Config
) -> SubscriptionPublic:
    return SubscriptionPublic.model_validate(
        await service.update(uow.session, subscription_id, data, settings)
    )


@router.delete("/{subscription_id}", response_model=SubscriptionPublic)
async def delete_subscription(subscription_id: RowId, _: Admin, uow: UoW) -> SubscriptionPublic:
    return SubscriptionPublic.model_validate(await service.remove(uow.session, subscription_id))


@router.post("/{subscription_id}/rotate_secret", response_model=SecretRotated)
async def rotate_secret(subscription_id: RowId, _: Admin, uow: UoW, settings: Config) -> SecretRotated:
    secret, expires = await service.rotate_secret(uow.session, subscription_id, settings)
    return SecretRotated(secret=secret, previous_secret_expires_at=expires)


@router.post("/{subscription_id}/test", response_model=TestSent, status_code=status.HTTP_202_ACCEPTED)
async def send_test(subscription_id: RowId, _: Admin, uow: UoW, wake: WakeWorker) -> TestSent:
    event, delivery = await service.send_test(uow.session, subscription_id)
    uow.after_commit(wake)
    return TestSent(event_id=event.id, delivery_id=delivery.id)
