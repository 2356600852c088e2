"""The database handle, units of work and the request's unit-of-work dependency.

Services and repositories never commit: a unit of work does (commit on success, roll back on
error), then runs its after-commit hooks. On SQLite the engine runs statements on the event
loop and its writers queue on a lock (`suivi_kit.db.create_engine(inline_sqlite=True)`)
instead of on SQLite's busy handler, which polls with sleeps of up to 100 ms and would put
those sleeps straight into delivery latency when the consumer, the delivery worker, the
outbox relay and the API write at once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_kit.db import session_factory, transaction


class Database:
    def __init__(self, engine: AsyncEngine):
        self.engine = engine
        self.sessions = session_factory(engine)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A unit of work that may write: commit on success, roll back on error."""
        async with transaction(self.sessions) as session:
            yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as session:
            yield session


class UnitOfWork:
    def __init__(self, session: AsyncSession):
        self.session = session
        self._after_commit: list[Callable[[], None]] = []

    def after_commit(self, hook: Callable[[], None]) -> None:
        self._after_commit.append(hook)

    def committed(self) -> None:
        for hook in self._after_commit:
            hook()


async def _unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    db: Database = request.app.state.db
    async with db.write() as session:
        uow = UnitOfWork(session)
        yield uow
    uow.committed()


# scope="function": commit before the response is sent, so a client reading next sees the change.
UoW = Annotated[UnitOfWork, Depends(_unit_of_work, scope="function")]
