"""The ingest service: documents in, commitments out as events.

`create_app(settings)` builds the FastAPI app; its lifespan migrates the database,
connects to NATS, makes sure the stream exists, loads the samples once if asked, and runs
three background tasks until shutdown: the extraction job worker, the outbox relay and
the consumer that links extracted items to the commitments they became.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI
from suivi_contracts import subjects
from suivi_contracts.events import AccountChanged
from suivi_kit import db, messaging
from suivi_kit.consumer import consume
from suivi_kit.outbox import OutboxRelay
from suivi_kit.revocation import AccountRevisions
from suivi_kit.settings import Settings
from suivi_kit.uow import Database
from suivi_kit.web import create_service_app

from .consumers import COMMITMENT_LINKS
from .documents.router import router as documents_router
from .jobs import JobWorker
from .samples import load_samples

log = logging.getLogger(__name__)

SERVICE = "ingest"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def create_app(settings: Settings) -> FastAPI:
    state: dict = {}

    async def database_ready() -> None:
        await db.ping(state["engine"])

    async def nats_ready() -> None:
        client = state.get("nats")
        if client is None or not client.is_connected:
            raise ConnectionError("not connected to NATS")

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = db.create_engine(settings.database_url_for(SERVICE), SERVICE)
        state["engine"] = engine
        database = Database(engine)
        await db.migrate(engine, MIGRATIONS, SERVICE)
        client = await messaging.connect(settings.nats_servers, f"suivi-{SERVICE}")
        state["nats"] = client
        js = client.jetstream()
        await messaging.ensure_stream(js, settings.stream_replicas, **settings.stream_limits)
        revisions = AccountRevisions(
            subjects.ACCOUNT_CHANGED, AccountChanged.revision_of, settings.token_ttl_minutes
        )
        await revisions.start(js)
        app.state.check_account = revisions.check  # tokens of changed accounts are refused here too

        relay = OutboxRelay(database, SERVICE, keep_published=settings.outbox_kept)
        database.after_events(relay.wake)
        jobs = JobWorker(settings, database)
        app.state.settings = settings
        app.state.engine = engine
        app.state.db = database
        app.state.jobs = jobs
        app.state.relay = relay

        if settings.load_samples:
            await load_samples(settings, database)

        stop = asyncio.Event()
        tasks = [
            asyncio.create_task(jobs.run(stop), name="ingest-jobs"),
            asyncio.create_task(relay.run(js, stop), name="ingest-outbox"),
            asyncio.create_task(
                consume(js, database, COMMITMENT_LINKS, stop),
                name="ingest-consumer",
            ),
        ]
        try:
            yield
        finally:
            stop.set()
            relay.wake()
            tasks[0].cancel()  # a document in hand goes back to the queue in jobs.close()
            _, pending = await asyncio.wait(tasks, timeout=3.0)
            for task in pending:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await jobs.close()
            await revisions.stop()
            with contextlib.suppress(Exception):
                await relay.publish_pending(js)
            with contextlib.suppress(Exception):
                await client.close()
            await engine.dispose()

    app = create_service_app(
        SERVICE, settings, lifespan, readiness={"database": database_ready, "nats": nats_ready}
    )
    app.include_router(documents_router)
    return app
