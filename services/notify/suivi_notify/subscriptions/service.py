"""Subscription use cases. They change the session; the caller's unit of work commits."""

from __future__ import annotations

import base64
import secrets
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_contracts.events import SubscriptionDisabled, WebhookTest
from suivi_contracts.subjects import SUBSCRIPTION_DISABLED, WEBHOOK_TEST
from suivi_kit.errors import Conflict, NotFound
from suivi_kit.events import CloudEvent, new_event, utcnow
from suivi_kit.outbound import parse_url
from suivi_kit.outbox import add_event
from suivi_kit.queries import row_id

from ..config import NotifySettings
from ..deliveries import repository as deliveries
from ..deliveries.models import Delivery
from ..events import SOURCE
from ..readmodel import repository as readmodel
from . import repository
from .models import Subscription
from .schemas import SubscriptionCreate, SubscriptionUpdate
from .sealing import SecretBox, SecretUnreadable


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _target(url: str, settings: NotifySettings) -> str:
    """The URL in normal form, or a 422 saying why it cannot receive webhooks."""
    return str(parse_url(url, allow_private=settings.allow_private_addresses))


async def get(session: AsyncSession, subscription_id: int) -> Subscription:
    subscription = await repository.get(session, subscription_id)
    if subscription is None:
        raise NotFound(f"Subscription {subscription_id} does not exist.")
    return subscription


async def create(
    session: AsyncSession, data: SubscriptionCreate, settings: NotifySettings
) -> tuple[Subscription, str]:
    """The new subscription and its secret, in clear this once (only its sealed form is kept)."""
    secret = new_secret()
    subscription = Subscription(
        url=_target(data.url, settings),
        description=data.description,
        event_types=list(data.event_types),
        filter=data.filter.model_dump(),
        active=data.active,
        secret=settings.secret_box.seal(secret),
    )
    return await repository.add(session, subscription), secret


async def update(
    session: AsyncSession, subscription_id: int, data: SubscriptionUpdate, settings: NotifySettings
) -> Subscription:
    subscription = await get(session, subscription_id)
    if data.version is not None and data.version != subscription.version:
        raise Conflict(
            f"Subscription {subscription_id} was changed by someone else (version {subscription.version}); "
            "reload it and try again."
        )
    if data.url is not None:
        subscription.url = _target(data.url, settings)
    if data.description is not None:
        subscription.description = data.description
    if data.event_types is not None:
        subscription.event_types = list(data.event_types)
    if data.filter is not None:
        subscription.filter = data.filter.model_dump()
    if data.active is not None and data.active != subscription.active:
        subscription.active = data.active
        if data.active:  # re-enabled by an administrator: start the failure clock afresh
            subscription.disabled_reason = None
            subscription.disabled_at = None
            subscription.failing_since = None
    subscription.version += 1
    subscription.updated_at = utcnow()
    session.add(subscription)
    await session.flush()
    return subscription


async def remove(session: AsyncSession, subscription_id: int) -> Subscription:
    subscription = await get(session, subscription_id)
    await deliveries.delete_for_subscription(session, subscription_id)
    await repository.delete(session, subscription)
    return subscription


async def rotate_secret(
    session: AsyncSession, subscription_id: int, settings: NotifySettings
) -> tuple[str, datetime]:
    subscription = await get(session, subscription_id)
    now = utcnow()
    expires = now + timedelta(hours=settings.webhook_secret_grace_hours)
    secret = new_secret()
    subscription.previous_secret = subscription.secret
    subscription.previous_secret_expires_at = expires
    subscription.secret = settings.secret_box.seal(secret)
    subscription.version += 1
    subscription.updated_at = now
    session.add(subscription)
    await session.flush()
    return secret, expires


async def reseal_secrets(session: AsyncSession, box: SecretBox) -> int:
    """Seal every stored secret under the current key (after a key rotation, or secrets an
    older version stored in clear); how many rows changed. Refuses, naming them, subscriptions
    whose secret no configured key opens."""
    changed, unreadable = 0, []
    for subscription in await repository.everyone(session):
        try:
            secret = box.resealed(subscription.secret)
            previous = box.resealed(subscription.previous_secret) if subscription.previous_secret else None
        except SecretUnreadable:
            unreadable.append(subscription.id)
            continue
        if secret or previous:
            await repository.replace_secrets(session, subscription, secret, previous)
            changed += 1
    if unreadable:
        raise SecretUnreadable(
            f"SUIVI_SECRET_KEY does not open the webhook secrets of subscriptions {unreadable}: "
            "start notify with the key they were sealed with in SUIVI_PREVIOUS_SECRET_KEYS."
        )
    return changed


async def send_test(session: AsyncSession, subscription_id: int) -> tuple[CloudEvent, Delivery]:
    """A `suivi.webhook.test` event for this subscription only (not published on NATS)."""
    subscription = await get(session, subscription_id)
    if not subscription.active:
        raise Conflict(f"Subscription {subscription_id} is disabled; enable it before testing it.")
    payload = WebhookTest(subscription_id=subscription.id, message="A test event from Suivi.")
    event = new_event(WEBHOOK_TEST, SOURCE, subscription.id, payload)
    readmodel.store_event(session, event)
    [delivery] = await deliveries.add_for_event(session, event, [row_id(subscription)])
    return event, delivery


async def disable(session: AsyncSession, subscription: Subscription, reason: str, now: datetime) -> None:
    """Stop delivering to a subscription and announce it with `suivi.subscription.disabled`."""
    if not subscription.active:
        return
    subscription.active = False
    subscription.disabled_reason = reason
    subscription.disabled_at = now
    subscription.version += 1
    subscription.updated_at = now
    session.add(subscription)
    payload = SubscriptionDisabled(
        id=subscription.id,
        url=subscription.url,
        description=subscription.description,
        reason=reason,
        failing_since=subscription.failing_since,
        last_success_at=subscription.last_success_at,
    )
    add_event(session, new_event(SUBSCRIPTION_DISABLED, SOURCE, subscription.id, payload))
