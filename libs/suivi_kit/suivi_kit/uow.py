"""A service's database and its units of work.

Services and repositories never commit: a unit of work does (commit on success, roll back on
error), then runs its after-commit hooks. A commit that wrote outbox rows (`outbox.add_event`)
also runs the database's `after_events` hooks, where the runtime wakes the outbox relay, so
an event is published at once without each writer having to remember it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from .db import for_reads, session_factory, write_lock

# Set in a session's `info` by outbox.add_event: this transaction carries events to publish.
EVENTS_ADDED = "suivi.events_added"

Hook = Callable[[], None]


class UnitOfWork:
    """One write transaction: its session, and what to run once it has committed."""

    __slots__ = ("_after_commit", "session")

    def __init__(self, session: AsyncSession):
        self.session = session
        self._after_commit: list[Hook] = []

    def after_commit(self, hook: Hook) -> None:
        self._after_commit.append(hook)

    def _committed(self, more: list[Hook]) -> None:
        for hook in (*self._after_commit, *more):
            hook()


class Database:
    def __init__(self, engine: AsyncEngine):
        self.engine = engine
        self.sessions = session_factory(engine)
        self.read_engine = for_reads(engine)
        self._read_sessions = session_factory(self.read_engine)
        self._after_events: list[Hook] = []

    def after_events(self, hook: Hook) -> None:
        """Run `hook` after every commit that wrote outbox rows."""
        self._after_events.append(hook)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[UnitOfWork]:
        """A unit of work that may write: commit on success, roll back on error."""
        async with write_lock(self.engine), self.sessions() as session:
            # On SQLite, BEGIN IMMEDIATE: a writer waits its turn up front instead of failing
            # when its read snapshot turns stale.
            await session.connection(execution_options={"immediate": True})
            uow = UnitOfWork(session)
            try:
                yield uow
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
        uow._committed(self._after_events if session.info.pop(EVENTS_ADDED, False) else [])

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for reads (on PostgreSQL in autocommit: no BEGIN and ROLLBACK round trips)."""
        async with self._read_sessions() as session:
            yield session


async def _request_unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    db: Database = request.app.state.db
    async with db.write() as uow:
        yield uow


# scope="function": commit before the response is sent, so a client reading next sees the change.
UoW = Annotated[UnitOfWork, Depends(_request_unit_of_work, scope="function")]
