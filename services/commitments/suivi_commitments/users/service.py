"""Accounts: creation, changes, deletion, logins with lockout. Each runs inside the caller's
unit of work and writes its audit entry there."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel.ext.asyncio.session import AsyncSession
from suivi_contracts import subjects
from suivi_contracts.events import AccountChanged
from suivi_kit.auth import Principal, hash_password, issue_token, verify_password
from suivi_kit.errors import AppError, Conflict, Invalid, NotFound, Unauthorized
from suivi_kit.events import new_event, utcnow
from suivi_kit.outbox import add_event
from suivi_kit.settings import Settings

from ..events import SOURCE
from . import repository
from .audit import Actor, audit
from .models import User
from .schemas import LoginRequest, LoginResponse, UserCreate, UserUpdate


async def get_user(session: AsyncSession, user_id: int) -> User:
    user = await repository.get_user(session, user_id)
    if user is None:
        raise NotFound(f"User {user_id} does not exist.")
    return user


async def create_user(session: AsyncSession, data: UserCreate, actor: Actor) -> User:
    existing = await repository.user_by_folded_name(session, data.username)
    if existing is not None:  # `Admin` beside `admin` would be a look-alike of the account
        raise Conflict(
            f"A user named '{existing.username}' exists already; names differing only in case "
            "or look-alike characters are the same name.",
            errors={"username": "taken"},
        )
    user = User(
        username=data.username, password_hash=hash_password(data.password), role=data.role, active=data.active
    )
    session.add(user)
    await session.flush()
    audit(session, actor, "create", "users", user.id, role=data.role)
    return user


async def create_first_admin(session: AsyncSession, password: str) -> bool:
    """On an empty database, the user `admin`; False when there are users already."""
    if await repository.count_users(session):
        return False
    session.add(User(username="admin", password_hash=hash_password(password), role="admin"))
    return True


async def update_user(session: AsyncSession, user_id: int, data: UserUpdate, actor: Actor) -> User:
    user = await get_user(session, user_id)
    if user.username == actor.username and (data.role not in (None, "admin") or data.active is False):
        raise Invalid(
            "You cannot demote or deactivate yourself.", errors={"role": "not for your own account"}
        )
    revokes = bool(data.password) or (data.role not in (None, user.role)) or data.active is False
    if data.password:
        user.password_hash = hash_password(data.password)
        user.failed_logins, user.locked_until = 0, None
    if data.role:
        user.role = data.role
    if data.active is not None:
        user.active = data.active
    if revokes:
        _end_sessions(session, user)
    audit(session, actor, "update", "users", user.id, fields=sorted(data.model_fields_set))
    return user


def _end_sessions(session: AsyncSession, user: User) -> None:
    """Every token issued to `user` so far stops working, on every service: the revision
    rises, and the outbox announces it in this transaction."""
    user.revision = max(user.revision + 1, time.time_ns() // 1000)
    payload = AccountChanged(user_id=user.id, revision=user.revision)  # type: ignore[arg-type]
    add_event(session, new_event(subjects.ACCOUNT_CHANGED, SOURCE, user.id, payload))


async def delete_user(session: AsyncSession, user_id: int, actor: Actor) -> User:
    user = await get_user(session, user_id)
    if user.username == actor.username:
        raise Invalid("You cannot delete your own account.")
    _end_sessions(session, user)
    await session.delete(user)
    audit(session, actor, "delete", "users", user_id)
    return user


async def login(
    session: AsyncSession, credentials: LoginRequest, settings: Settings, remote_addr: str | None
) -> LoginResponse | None:
    """A token, or None for wrong credentials. Repeated failures lock the account for a while,
    so guessing passwords stays slow; the caller refuses only after its unit of work commits,
    so that the failure count is kept."""
    user = await repository.user_by_name(session, credentials.username)
    now = utcnow()
    if user is not None and user.locked_until is not None and user.locked_until > now:
        wait = int((user.locked_until - now).total_seconds()) + 1
        raise AppError(f"Too many failed logins; try again in {wait} s.", 429)
    if user is None or not user.active or not verify_password(user.password_hash, credentials.password):
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= settings.login_max_failures:
                user.locked_until = now + timedelta(seconds=settings.login_lockout_seconds)
                user.failed_logins = 0
            audit(session, Actor(credentials.username, remote_addr), "login_failed", "users", user.id)
        return None
    user.failed_logins, user.locked_until = 0, None
    audit(session, Actor(user.username, remote_addr), "login", "users", user.id)
    token = issue_token(
        user.username, user.role, settings.secret_key, settings.token_ttl_minutes, user.id, user.revision
    )
    return LoginResponse(access_token=token, role=user.role, username=user.username)


async def check_account(connection: AsyncConnection, principal: Principal) -> None:
    """A token stays good only while its account exists, is active and keeps name and role."""
    user = await repository.account(connection, principal.user_id)
    if (
        user is None
        or not user.active
        or user.role != principal.role
        or user.username != principal.username
        or principal.revision < user.revision
    ):
        raise Unauthorized("This account was removed, disabled or changed; please log in again.")
