"""The commitments service: the system of record, its API, outbox relay and event consumer."""

from __future__ import annotations

import asyncio
import logging
import secrets
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy.exc import IntegrityError
from suivi_kit.auth import Principal
from suivi_kit.consumer import consume
from suivi_kit.db import create_engine, migrate, ping, session_factory
from suivi_kit.messaging import connect, ensure_stream
from suivi_kit.outbox import OutboxRelay
from suivi_kit.settings import Settings
from suivi_kit.uow import Database
from suivi_kit.web import create_service_app

from .commitments.router import router as commitments_router
from .commitments.router import stats_router
from .consolidation.consumer import EXTRACTED
from .status_changes.archiver import run_archiver
from .status_changes.router import evidence_router
from .status_changes.router import router as status_changes_router
from .users import service as users
from .users.router import auth_router
from .users.router import router as users_router

log = logging.getLogger(__name__)
NAME = "commitments"
MIGRATIONS = Path(__file__).parent / "migrations"
ROUTERS = (
    auth_router,
    commitments_router,
    status_changes_router,
    evidence_router,
    users_router,
    stats_router,
)


async def ensure_admin(db: Database, settings: Settings) -> str | None:
    """On an empty database, create the user `admin`; return its password if we generated it."""
    password = settings.admin_password or secrets.token_urlsafe(12)
    try:
        async with db.write() as uow:
            if not await users.create_first_admin(uow.session, password):
                return None
    except IntegrityError:  # a replica starting at the same moment created it first
        return None
    return None if settings.admin_password else password


def make_account_check(app: FastAPI):
    async def check_account(principal: Principal) -> None:
        async with app.state.read_engine.connect() as connection:
            await users.check_account(connection, principal)

    return check_account


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        engine = create_engine(settings.database_url_for(NAME), NAME, inline_sqlite=True)
        await migrate(engine, MIGRATIONS, NAME)
        app.state.settings = settings
        app.state.engine = engine
        app.state.db = db = Database(engine)
        app.state.read_engine = db.read_engine
        threaded = (
            create_engine(settings.database_url_for(NAME), NAME) if engine.dialect.name == "sqlite" else None
        )
        app.state.long_read_sessions = session_factory(threaded or db.read_engine)
        app.state.check_account = make_account_check(app)
        generated = await ensure_admin(db, settings)
        if generated:
            print(f"Created the user 'admin' with password: {generated}  (shown once)", flush=True)
        app.state.generated_admin_password = generated
        nc = await connect(settings.nats_servers, f"suivi-{NAME}")
        js = nc.jetstream()
        await ensure_stream(js, settings.stream_replicas, **settings.stream_limits)
        app.state.nats = nc
        app.state.relay = relay = OutboxRelay(db, NAME, keep_published=settings.outbox_kept)
        db.after_events(relay.wake)
        stop = asyncio.Event()
        tasks = [
            asyncio.create_task(relay.run(js, stop), name="commitments-outbox"),
            asyncio.create_task(consume(js, db, EXTRACTED, stop), name="commitments-consumer"),
            asyncio.create_task(run_archiver(db, settings, stop), name="commitments-archiver"),
        ]
        try:
            yield
        finally:
            stop.set()
            relay.wake()
            await asyncio.wait(tasks, timeout=5)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await nc.close()
            if threaded:
                await threaded.dispose()
            await engine.dispose()

    async def database_ready() -> None:
        await ping(app.state.engine)

    async def nats_ready() -> None:
        if not app.state.nats.is_connected:
            raise ConnectionError("NATS is not connected")

    app = create_service_app(NAME, settings, lifespan, {"database": database_ready, "nats": nats_ready})
    for router in ROUTERS:
        app.include_router(router)
    return app
