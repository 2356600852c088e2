"""The commitments service: the system of record, its API, and the consumer that consolidates
extracted items into commitments."""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy.exc import IntegrityError
from suivi_kit.auth import Principal
from suivi_kit.db import create_engine, session_factory
from suivi_kit.runtime import Runtime
from suivi_kit.settings import Settings
from suivi_kit.uow import Database

from .commitments.router import router as commitments_router
from .commitments.router import stats_router
from .config import CommitmentsSettings
from .consolidation.consumer import EXTRACTED
from .status_changes.archiver import run_archiver
from .status_changes.router import evidence_router
from .status_changes.router import router as status_changes_router
from .users import service as users
from .users.router import auth_router
from .users.router import router as users_router

NAME = "commitments"
MIGRATIONS = Path(__file__).parent / "migrations"
ROUTERS = [
    auth_router,
    commitments_router,
    status_changes_router,
    evidence_router,
    users_router,
    stats_router,
]


def create_app(settings: Settings | None = None) -> FastAPI:
    runtime = Runtime(NAME, CommitmentsSettings.of(settings), MIGRATIONS, inline_sqlite=True)
    return runtime.app(ROUTERS, start_workers)


async def start_workers(runtime: Runtime[CommitmentsSettings], app: FastAPI) -> None:
    """The first admin, account checks and long reads for the routers, the consumer of
    extracted items and the evidence archiver."""
    db, settings = runtime.db, runtime.settings
    app.state.check_account = make_account_check(db)
    app.state.long_read_sessions = session_factory(long_read_engine(runtime))
    generated = await ensure_admin(db, settings)
    if generated:
        print(f"Created the user 'admin' with password: {generated}  (shown once)", flush=True)
    app.state.generated_admin_password = generated
    runtime.consume(EXTRACTED)
    runtime.run("archiver", lambda stop: run_archiver(db, settings, stop))


def long_read_engine(runtime: Runtime):
    """On SQLite, reads that may take long run in a driver thread of an engine of their own, so
    the event loop (every other request of this process) is not held while they run."""
    if runtime.db.engine.dialect.name != "sqlite":
        return runtime.db.read_engine
    threaded = create_engine(runtime.settings.database_url_for(NAME), NAME)
    runtime.on_shutdown(threaded.dispose)
    return threaded


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


def make_account_check(db: Database):
    async def check_account(principal: Principal) -> None:
        async with db.read_engine.connect() as connection:
            await users.check_account(connection, principal)

    return check_account
