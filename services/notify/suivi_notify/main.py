"""The notify service: webhook subscriptions, signed deliveries with retries, scheduled events."""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from suivi_contracts import subjects
from suivi_contracts.events import AccountChanged
from suivi_kit.consumer import consume
from suivi_kit.db import create_engine, migrate, ping, scrub_freed_space
from suivi_kit.messaging import connect, ensure_stream
from suivi_kit.outbox import OutboxRelay
from suivi_kit.revocation import AccountRevisions
from suivi_kit.settings import Settings
from suivi_kit.uow import Database
from suivi_kit.web import create_service_app

from .config import notify_settings
from .deliveries.router import router as deliveries_router
from .scheduler import Jobs, create_scheduler
from .sender import WebhookSender
from .subscriptions.router import router as subscriptions_router
from .subscriptions.service import reseal_secrets
from .worker import DeliveryWorker, events_consumer

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
SHUTDOWN_GRACE_SECONDS = 5.0


def create_app(settings: Settings) -> FastAPI:
    config = notify_settings(settings)
    state: dict = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        engine = create_engine(config.database_url_for("notify"), schema="notify", inline_sqlite=True)
        await migrate(engine, MIGRATIONS, "notify")
        db = Database(engine)
        async with db.write() as uow:
            resealed = await reseal_secrets(uow.session, config.secret_box)
        if resealed:  # the values they replace must not linger in the database's free space
            await scrub_freed_space(engine, "subscriptions")
            log.info("sealed %d webhook secret(s) under the current SUIVI_SECRET_KEY", resealed)
        nc = await connect(config.nats_servers, "notify")
        js = nc.jetstream()
        await ensure_stream(js, config.stream_replicas, **config.stream_limits)
        revisions = AccountRevisions(
            subjects.ACCOUNT_CHANGED, AccountChanged.revision_of, config.token_ttl_minutes
        )
        await revisions.start(js)
        app.state.check_account = revisions.check  # tokens of changed accounts are refused here too
        sender = WebhookSender(
            config.webhook_timeout_seconds,
            config.allow_private_addresses,
            per_origin=config.webhook_origin_connections,
        )
        worker = DeliveryWorker(db, sender, config)
        relay = OutboxRelay(db, "notify", keep_published=config.outbox_kept)
        db.after_events(relay.wake)
        jobs = Jobs(db, log_retention_days=config.webhook_log_retention_days)
        stop = asyncio.Event()
        state.update(engine=engine, nc=nc)
        app.state.db = db
        app.state.delivery_worker = worker
        app.state.jobs = jobs
        tasks = [
            asyncio.create_task(
                consume(js, db, events_consumer(worker, config.consumer_ack_wait_seconds), stop),
                name="notify-consumer",
            ),
            asyncio.create_task(worker.run(stop), name="notify-deliveries"),
            asyncio.create_task(relay.run(js, stop), name="notify-outbox-relay"),
        ]
        scheduler = (
            create_scheduler(jobs, config.scheduler_interval_seconds) if config.scheduler_enabled else None
        )
        if scheduler is not None:
            scheduler.start()
        try:
            yield
        finally:
            stop.set()
            if scheduler is not None:
                scheduler.shutdown(wait=False)
            _, pending = await asyncio.wait(tasks, timeout=SHUTDOWN_GRACE_SECONDS)
            for task in pending:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await sender.aclose()
            await revisions.stop()
            try:
                await nc.close()
            except Exception:  # closing a connection that is already gone
                log.debug("NATS close failed", exc_info=True)
            await engine.dispose()

    async def database_ready() -> None:
        await ping(state["engine"])

    async def nats_ready() -> None:
        nc = state.get("nc")
        if nc is None or not nc.is_connected:
            raise ConnectionError("NATS is not connected")

    app = create_service_app("notify", config, lifespan, {"database": database_ready, "nats": nats_ready})
    app.state.settings = config
    app.include_router(subscriptions_router)
    app.include_router(deliveries_router)
    return app
