"""The commitments service: the system of record, its API, outbox relay and event consumer."""

from __future__ import annotations

import asyncio
import logging
import secrets
import zlib
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from nats.aio.msg import Msg
from sqlalchemy import bindparam, select, text
from sqlalchemy.exc import IntegrityError
from suivi_contracts import subjects
from suivi_kit.auth import Principal, hash_password
from suivi_kit.db import create_engine, for_reads, migrate, ping, session_factory, transaction
from suivi_kit.errors import Unauthorized
from suivi_kit.events import CloudEvent
from suivi_kit.messaging import PermanentFailure, connect, consume, ensure_stream
from suivi_kit.outbox import OutboxRelay, first_delivery
from suivi_kit.settings import Settings
from suivi_kit.web import create_service_app

from . import repository, service
from .archiver import run_archiver
from .models import User
from .routers import auth, commitments, evidence, stats, status_changes, users

log = logging.getLogger(__name__)
NAME = "commitments"
MIGRATIONS = Path(__file__).parent / "migrations"


async def ensure_admin(sessions, settings: Settings) -> str | None:
    """On an empty database, create the user `admin`; return its password if we generated it."""
    password = settings.admin_password or secrets.token_urlsafe(12)
    try:
        async with transaction(sessions) as session:
            if await repository.count_users(session):
                return None
            session.add(User(username="admin", password_hash=hash_password(password), role="admin"))
    except IntegrityError:  # a replica starting at the same moment created it first
        return None
    return None if settings.admin_password else password


CONSOLIDATION_LOCK = zlib.crc32(b"suivi-consolidation")


async def serialise_consolidation(session) -> None:
    """Replicas consolidate one item at a time: two that looked for the same commitment at
    once would both create it. (SQLite's write lock already serialises one process.)"""
    if session.bind.dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CONSOLIDATION_LOCK})


ACCOUNT = select(User.username, User.role, User.active).where(User.id == bindparam("id"))


def make_account_check(app: FastAPI):
    async def check_account(principal: Principal) -> None:
        # A plain connection: an ORM session costs more than the query on every request.
        async with app.state.read_engine.connect() as connection:
            user = (await connection.execute(ACCOUNT, {"id": principal.user_id})).first()
        if (
            user is None
            or not user.active
            or user.role != principal.role
            or user.username != principal.username
        ):
            raise Unauthorized("This account was removed, disabled or changed; please log in again.")

    return check_account


def make_extracted_handler(app: FastAPI):
    async def handle(event: CloudEvent, _: Msg) -> None:
        if event.type != subjects.COMMITMENT_EXTRACTED:
            return
        if not event.data.get("extraction_id") or not event.data.get("text"):
            raise PermanentFailure(f"extracted event {event.id} lacks extraction_id or text")
        async with transaction(app.state.sessions) as session:
            await serialise_consolidation(session)
            if await first_delivery(session, "commitments.extracted", event.id):
                await service.consolidate_extracted(session, event.data)
        app.state.relay.wake()

    return handle


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        engine = create_engine(settings.database_url_for(NAME), NAME, inline_sqlite=True)
        await migrate(engine, MIGRATIONS, NAME)
        app.state.settings = settings
        app.state.engine = engine
        app.state.sessions = sessions = session_factory(engine)
        app.state.read_engine = for_reads(engine)
        app.state.read_sessions = session_factory(app.state.read_engine)
        threaded = (
            create_engine(settings.database_url_for(NAME), NAME) if engine.dialect.name == "sqlite" else None
        )
        app.state.long_read_sessions = session_factory(threaded) if threaded else app.state.read_sessions
        app.state.check_account = make_account_check(app)
        generated = await ensure_admin(sessions, settings)
        if generated:
            print(f"Created the user 'admin' with password: {generated}  (shown once)", flush=True)
        app.state.generated_admin_password = generated
        nc = await connect(settings.nats_servers, f"suivi-{NAME}")
        js = nc.jetstream()
        await ensure_stream(js, settings.stream_replicas)
        app.state.nats = nc
        app.state.relay = relay = OutboxRelay(sessions, NAME, keep_published=settings.outbox_kept)
        stop = asyncio.Event()
        tasks = [
            asyncio.create_task(relay.run(js, stop), name="commitments-outbox"),
            asyncio.create_task(
                consume(
                    js,
                    subject=subjects.COMMITMENT_EXTRACTED,
                    durable="commitments-extracted",
                    handler=make_extracted_handler(app),
                    stop=stop,
                ),
                name="commitments-consumer",
            ),
            asyncio.create_task(run_archiver(sessions, settings, stop), name="commitments-archiver"),
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
    for module in (auth, commitments, status_changes, evidence, users, stats):
        app.include_router(module.router)
    return app
