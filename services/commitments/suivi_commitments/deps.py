"""Request-scoped helpers: units of work and who is acting."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import Request
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_kit.auth import Principal
from suivi_kit.uow import UnitOfWork

from .users.audit import Actor


def writing(request: Request) -> AbstractAsyncContextManager[UnitOfWork]:
    return request.app.state.db.write()


def reading(request: Request) -> AbstractAsyncContextManager[AsyncSession]:
    return request.app.state.db.read()


def remote_addr(request: Request) -> str | None:
    return request.client.host if request.client else None


def actor(request: Request, principal: Principal) -> Actor:
    return Actor(principal.username, remote_addr(request))


@asynccontextmanager
async def long_reading(request: Request) -> AsyncIterator[AsyncSession]:
    """A read that may take long: on SQLite in a driver thread, so the event loop (and every
    other request of this process) is not held while it runs."""
    async with request.app.state.long_read_sessions() as session:
        yield session
