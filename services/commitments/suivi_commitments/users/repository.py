"""Every query about accounts and the audit log."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, bindparam, delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_kit.listing import ListQuery

from ..listing import page
from .models import AuditEntry, LoginThrottle, User

USER_FILTERS = {"id", "role", "active", "username"}
USER_SORTS = {"id", "username", "role", "created_at", "active"}
AUDIT_FILTERS = {"id", "actor", "action", "resource", "resource_id"}
AUDIT_SORTS = {"id", "at", "actor", "action", "resource"}


async def list_users(session: AsyncSession, query: ListQuery) -> tuple[Sequence[User], int]:
    return await page(
        session,
        User,
        query,
        "users",
        filters=USER_FILTERS,
        sorts=USER_SORTS,
        search=lambda q: col(User.username).contains(q),
    )


async def list_audit(session: AsyncSession, query: ListQuery) -> tuple[Sequence[AuditEntry], int]:
    return await page(session, AuditEntry, query, "audit", filters=AUDIT_FILTERS, sorts=AUDIT_SORTS)


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


def folded(username: str) -> str:
    """What makes two names the same name: NFKC-normalised (look-alike forms), case-folded."""
    return unicodedata.normalize("NFKC", username).casefold()


async def user_by_folded_name(session: AsyncSession, username: str) -> User | None:
    """The account whose name is the same name as `username`, however written."""
    # Names are ASCII letters, digits and _.@- (UserCreate), where lower() folds as casefold
    # does on both SQLite and PostgreSQL; the Python side folds whatever the name holds.
    statement = select(User).where(func.lower(col(User.username)) == folded(username))
    return (await session.execute(statement)).scalars().first()


async def throttles(session: AsyncSession, keys: list[str]) -> dict[str, LoginThrottle]:
    rows = await session.execute(select(LoginThrottle).where(col(LoginThrottle.key).in_(keys)))
    return {row.key: row for row in rows.scalars().all()}


async def forget_throttles(session: AsyncSession, prefix: str) -> None:
    # autoescape: "_" and "%" in a name are characters, not LIKE wildcards
    await session.execute(
        delete(LoginThrottle).where(col(LoginThrottle.key).startswith(prefix, autoescape=True))
    )


async def user_by_name(session: AsyncSession, username: str) -> User | None:
    return (await session.execute(select(User).where(col(User.username) == username))).scalars().first()


async def count_users(session: AsyncSession) -> int:
    return (await session.execute(select(func.count()).select_from(User))).scalar_one()


ACCOUNT = select(col(User.username), col(User.role), col(User.active), col(User.revision)).where(
    col(User.id) == bindparam("id")
)


async def account(connection: AsyncConnection, user_id: Any) -> Row | None:
    """Name, role and whether active, on a plain connection: an ORM session costs more than the
    query, which runs on every request."""
    return (await connection.execute(ACCOUNT, {"id": user_id})).first()
