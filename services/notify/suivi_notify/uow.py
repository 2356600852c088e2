"""Sessions and units of work. Services and repositories never commit: the request's unit of
work does (commit on success, roll back on error), then runs its after-commit hooks."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_common.db import transaction


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
    sessions: async_sessionmaker[AsyncSession] = request.app.state.sessions
    async with transaction(sessions) as session:
        uow = UnitOfWork(session)
        yield uow
    uow.committed()


# scope="function": commit before the response is sent, so a client reading next sees the change.
UoW = Annotated[UnitOfWork, Depends(_unit_of_work, scope="function")]
