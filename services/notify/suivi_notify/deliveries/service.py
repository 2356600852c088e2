"""Delivery use cases: the retry policy, recording attempts, redelivery."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_kit.errors import Conflict, NotFound
from suivi_kit.events import utcnow
from suivi_kit.queries import row_id

from ..config import NotifySettings
from ..sender import AttemptResult
from ..subscriptions import repository as subscriptions
from ..subscriptions import service as subscription_service
from . import repository
from .models import Delivery, DeliveryAttempt, DeliveryStatus
from .schemas import LOG_BODY_CHARS, AttemptPublic, DeliveryPublic

JITTER = 0.2


@dataclass
class Outcome:
    claimed: repository.Claimed
    result: AttemptResult
    at: datetime
    next_attempt_at: datetime | None = None  # set by `record` for a failure to retry


def retry_delay(
    attempts_done: int, result: AttemptResult, settings: NotifySettings, rng: random.Random | None = None
) -> float | None:
    """Seconds until the next attempt after `attempts_done` attempts in this series; None: give up."""
    schedule = settings.webhook_retry_schedule
    if attempts_done > len(schedule):
        return None
    delay = schedule[attempts_done - 1] * (1 + (rng or random).uniform(-JITTER, JITTER))
    if result.timed_out or result.response_code == 429:
        delay = max(delay, settings.webhook_throttle_min_seconds)
    if result.retry_after is not None:
        delay = max(delay, min(result.retry_after, settings.webhook_retry_after_max_seconds))
    return delay


async def record(session: AsyncSession, outcomes: list[Outcome], settings: NotifySettings) -> None:
    """Write a batch of attempts and their consequences for deliveries and subscriptions.

    Bulk statements: one insert of attempts and one executemany update of deliveries per batch;
    subscriptions are loaded only for failures (to start the failure clock or disable them).
    """
    existing = await repository.existing_ids(session, [outcome.claimed.delivery_id for outcome in outcomes])
    outcomes = [outcome for outcome in outcomes if outcome.claimed.delivery_id in existing]
    if not outcomes:
        return
    attempts, updates = [], []
    succeeded: dict[int, datetime] = {}
    failed: dict[int, Outcome] = {}
    for outcome in outcomes:
        result, now, claimed = outcome.result, outcome.at, outcome.claimed
        attempts.append(
            {
                "delivery_id": claimed.delivery_id,
                "at": now,
                "response_code": result.response_code,
                "latency_ms": result.latency_ms,
                "error": _storable(result.error),
                "response_body": _storable(result.response_body),
            }
        )
        if result.ok:
            status, next_at = DeliveryStatus.succeeded, None
            succeeded[claimed.subscription_id] = now
        else:
            delay = retry_delay(claimed.cycle_attempts + 1, result, settings)
            if delay is None or result.response_code == 410:
                status, next_at = DeliveryStatus.dead, None
            else:
                status, next_at = DeliveryStatus.failing, now + timedelta(seconds=delay)
                outcome.next_attempt_at = next_at
            failed[claimed.subscription_id] = outcome
        updates.append(
            {
                "b_id": claimed.delivery_id,
                "b_status": status.value,
                "b_code": result.response_code,
                "b_error": _storable(result.error),
                "b_next": next_at,
                "b_now": now,
            }
        )
    await repository.insert_attempts(session, attempts)
    await repository.apply_attempts(session, updates)
    for subscription_id, at in succeeded.items():
        if subscription_id not in failed or failed[subscription_id].at < at:
            await subscriptions.mark_success(session, subscription_id, at)
            failed.pop(subscription_id, None)
    for subscription_id, outcome in failed.items():
        subscription = await subscriptions.get(session, subscription_id)
        if subscription is not None:
            await _failure(session, subscription, outcome, settings)


def _storable(text: str | None) -> str | None:
    """PostgreSQL text cannot hold NUL: an answer with one would make its attempt unrecordable,
    and the delivery would be attempted again and again, never settling."""
    return text.replace("\x00", "\ufffd") if text else text


async def _failure(session: AsyncSession, subscription, outcome: Outcome, settings: NotifySettings) -> None:
    """Start the failure clock; disable on 410 Gone or after failing for the configured days."""
    if not subscription.active:
        return
    now = outcome.at
    if subscription.failing_since is None:
        subscription.failing_since = now
        session.add(subscription)
    if outcome.result.response_code == 410:
        await subscription_service.disable(session, subscription, "The endpoint answered 410 Gone.", now)
    elif now - subscription.failing_since >= timedelta(days=settings.webhook_disable_after_days):
        days = f"{settings.webhook_disable_after_days:g}"
        await subscription_service.disable(
            session, subscription, f"Every delivery failed for {days} days with no success.", now
        )


async def mark_skipped(session: AsyncSession, claimed: repository.Claimed, reason: str) -> None:
    """A delivery whose subscription was disabled meanwhile: dead, and redeliverable later."""
    rows = await repository.for_update(session, [claimed.delivery_id])
    delivery = rows.get(claimed.delivery_id)
    if delivery is None:
        return
    delivery.status = DeliveryStatus.dead
    delivery.last_error = reason
    delivery.next_attempt_at = None
    delivery.lease_until = None
    delivery.updated_at = utcnow()
    session.add(delivery)


async def get(session: AsyncSession, delivery_id: int) -> Delivery:
    delivery = await repository.get(session, delivery_id)
    if delivery is None:
        raise NotFound(f"Delivery {delivery_id} does not exist.")
    return delivery


async def redeliver_one(session: AsyncSession, delivery_id: int) -> Delivery:
    delivery = await get(session, delivery_id)
    subscription = await subscriptions.get(session, delivery.subscription_id)
    if subscription is None or not subscription.active:
        raise Conflict(f"Subscription {delivery.subscription_id} is disabled; enable it before redelivering.")
    await repository.redeliver(session, [delivery_id], None, None, utcnow())
    await session.refresh(delivery)
    return delivery


async def redeliver_since(session: AsyncSession, since: datetime, subscription_id: int | None) -> int:
    if subscription_id is not None:
        await subscription_service.get(session, subscription_id)
    return await repository.redeliver(session, None, since, subscription_id, utcnow())


def public(delivery: Delivery, attempts: list[DeliveryAttempt], body_chars: int | None) -> DeliveryPublic:
    log = [
        AttemptPublic(
            at=attempt.at,
            response_code=attempt.response_code,
            latency_ms=attempt.latency_ms,
            error=attempt.error,
            response_body=(
                attempt.response_body[:body_chars]
                if body_chars is not None and attempt.response_body
                else attempt.response_body
            ),
        )
        for attempt in attempts
    ]
    return DeliveryPublic.model_validate(delivery).model_copy(update={"attempt_log": log})


async def page_public(session: AsyncSession, query) -> tuple[list[DeliveryPublic], int]:
    rows, total = await repository.page(session, query)
    logs = await repository.attempts(session, [row_id(row) for row in rows])
    return [public(row, logs.get(row_id(row), []), LOG_BODY_CHARS) for row in rows], total


async def one_public(session: AsyncSession, delivery_id: int) -> DeliveryPublic:
    delivery = await get(session, delivery_id)
    logs = await repository.attempts(session, [delivery_id])
    return public(delivery, logs.get(delivery_id, []), None)
