"""What every service runs on: its database, NATS and the SUIVI stream, the outbox relay, its
consumers and background tasks, and their shutdown in order.

A service's main.py names its routers and, in `setup`, its consumers and workers:

    def create_app(settings=None):
        runtime = Runtime("ingest", IngestSettings.of(settings), MIGRATIONS)
        return runtime.app([documents_router], setup)

    async def setup(runtime, app):
        runtime.consume(COMMITMENT_LINKS)
        runtime.run("jobs", JobWorker(runtime.settings, runtime.db).run)
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar

from fastapi import APIRouter, FastAPI
from nats.aio.client import Client
from nats.js import JetStreamContext

from .consumer import Consumer, consume
from .db import create_engine, migrate, ping
from .messaging import connect, ensure_stream
from .outbox import OutboxRelay
from .settings import Settings
from .uow import Database
from .web import create_service_app

log = logging.getLogger(__name__)

SettingsT = TypeVar("SettingsT", bound=Settings)
Work = Callable[[asyncio.Event], Coroutine[Any, Any, None]]
Cleanup = Callable[[], Awaitable[None]]
Setup = Callable[["Runtime", FastAPI], Awaitable[None]]

SHUTDOWN_GRACE_SECONDS = 5.0  # for background tasks to finish what they hold once told to stop


class Runtime(Generic[SettingsT]):
    """One service's plumbing, started by its app's lifespan and stopped at its end."""

    db: Database
    nats: Client
    js: JetStreamContext
    relay: OutboxRelay

    def __init__(self, name: str, settings: SettingsT, migrations: Path, *, inline_sqlite: bool = False):
        self.name = name
        self.settings = settings
        self._migrations = migrations
        self._inline_sqlite = inline_sqlite
        self.stop = asyncio.Event()
        self._tasks: list[asyncio.Task] = []
        self._cancel_at_stop: list[asyncio.Task] = []
        self._cleanups: list[Cleanup] = []
        self._started = False

    def app(self, routers: list[APIRouter], setup: Setup | None = None) -> FastAPI:
        """The service's FastAPI app: its routers, readiness checks, and a lifespan that starts
        the runtime, then `setup` (consumers, workers), and stops both."""

        @asynccontextmanager
        async def lifespan(app: FastAPI):
            await self.start()
            app.state.runtime = self
            app.state.db = self.db
            try:
                if setup is not None:
                    await setup(self, app)
                yield
            finally:
                await self.shutdown()

        app = create_service_app(
            self.name, self.settings, lifespan, {"database": self._database_ready, "nats": self._nats_ready}
        )
        for router in routers:
            app.include_router(router)
        return app

    async def start(self) -> None:
        engine = create_engine(
            self.settings.database_url_for(self.name), self.name, inline_sqlite=self._inline_sqlite
        )
        self.db = Database(engine)
        self._started = True
        await migrate(engine, self._migrations, self.name)
        self.nats = await connect(self.settings.nats_servers, f"suivi-{self.name}")
        self.js = self.nats.jetstream()
        await ensure_stream(self.js, self.settings.stream_replicas, **self.settings.stream_limits)
        self.relay = OutboxRelay(self.db, self.name, keep_published=self.settings.outbox_kept)
        self.db.after_events(self.relay.wake)
        self.run("outbox-relay", lambda stop: self.relay.run(self.js, stop))

    def run(self, name: str, work: Work, *, cancel_at_stop: bool = False) -> None:
        """Run `work(stop)` in the background until shutdown. `cancel_at_stop`: cancel it at
        once rather than wait for it (work that gives back what it holds when cancelled)."""
        task: asyncio.Task[None] = asyncio.create_task(work(self.stop), name=f"{self.name}-{name}")
        self._tasks.append(task)
        if cancel_at_stop:
            self._cancel_at_stop.append(task)

    def consume(self, consumer: Consumer) -> None:
        self.run(f"consumer-{consumer.durable}", lambda stop: consume(self.js, self.db, consumer, stop))

    def on_shutdown(self, cleanup: Cleanup) -> None:
        """Run `cleanup` once the background tasks have ended (the last registered first)."""
        self._cleanups.append(cleanup)

    async def shutdown(self) -> None:
        self.stop.set()
        if hasattr(self, "relay"):
            self.relay.wake()
        for task in self._cancel_at_stop:
            task.cancel()
        if self._tasks:
            _, pending = await asyncio.wait(self._tasks, timeout=SHUTDOWN_GRACE_SECONDS)
            for task in pending:
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
        for cleanup in reversed(self._cleanups):
            try:
                await cleanup()
            except Exception:
                log.exception("%s: a shutdown step failed", self.name)
        if hasattr(self, "relay"):
            await self._publish_last_events()
        if hasattr(self, "nats"):
            try:
                await self.nats.close()
            except Exception:  # closing a connection that is already gone
                log.debug("NATS close failed", exc_info=True)
        if self._started:
            await self.db.engine.dispose()

    async def _publish_last_events(self) -> None:
        """What the last units of work committed goes out now rather than at the next start."""
        try:
            await asyncio.wait_for(self.relay.publish_pending(self.js), SHUTDOWN_GRACE_SECONDS)
        except Exception:  # published by the next start's relay
            log.warning("%s: events left in the outbox at shutdown", self.name, exc_info=True)

    async def _database_ready(self) -> None:
        await ping(self.db.engine)

    async def _nats_ready(self) -> None:
        if not hasattr(self, "nats") or not self.nats.is_connected:
            raise ConnectionError("NATS is not connected")
