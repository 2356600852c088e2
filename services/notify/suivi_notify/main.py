"""The notify service: webhook subscriptions, signed deliveries with retries, scheduled events."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from suivi_contracts import subjects
from suivi_contracts.events import AccountChanged
from suivi_kit.db import scrub_freed_space
from suivi_kit.revocation import AccountRevisions
from suivi_kit.runtime import Runtime
from suivi_kit.settings import Settings

from .config import NotifySettings
from .deliveries.router import router as deliveries_router
from .scheduler import Jobs, run_scheduler
from .sender import WebhookSender
from .subscriptions.router import router as subscriptions_router
from .subscriptions.service import reseal_secrets
from .worker import DeliveryWorker, events_consumer

log = logging.getLogger(__name__)

NAME = "notify"
MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: Settings | None = None) -> FastAPI:
    runtime = Runtime(NAME, NotifySettings.of(settings), MIGRATIONS, inline_sqlite=True)
    return runtime.app([subscriptions_router, deliveries_router], start_workers)


async def start_workers(runtime: Runtime[NotifySettings], app: FastAPI) -> None:
    """Webhook secrets sealed under the current key, then the consumer that fans events out,
    the delivery worker and the scheduled jobs."""
    config = runtime.settings
    async with runtime.db.write() as uow:
        resealed = await reseal_secrets(uow.session, config.secret_box)
    if resealed:  # the values they replace must not linger in the database's free space
        await scrub_freed_space(runtime.db.engine, "subscriptions")
        log.info("sealed %d webhook secret(s) under the current SUIVI_SECRET_KEY", resealed)
    revisions = AccountRevisions(
        subjects.ACCOUNT_CHANGED, AccountChanged.revision_of, config.token_ttl_minutes
    )
    await revisions.start(runtime.js)
    runtime.on_shutdown(revisions.stop)
    app.state.check_account = revisions.check  # tokens of changed accounts are refused here too
    sender = WebhookSender(
        config.webhook_timeout_seconds,
        config.allow_private_addresses,
        per_origin=config.webhook_origin_connections,
    )
    runtime.on_shutdown(sender.aclose)
    app.state.delivery_worker = worker = DeliveryWorker(runtime.db, sender, config)
    app.state.jobs = jobs = Jobs(runtime.db, log_retention_days=config.webhook_log_retention_days)
    runtime.consume(events_consumer(worker, config.consumer_ack_wait_seconds))
    runtime.run("deliveries", worker.run)
    if config.scheduler_enabled:
        runtime.run("scheduler", lambda stop: run_scheduler(jobs, config.scheduler_interval_seconds, stop))
