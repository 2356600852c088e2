"""Accounts: creation, changes, deletion, logins with lockout. Each runs inside the caller's
unit of work and writes its audit entry there."""

from __future__ import annotations

import functools
import secrets
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

from ..config import CommitmentsSettings
from ..events import SOURCE
from . import repository
from .audit import Actor, audit
from .models import LoginThrottle, User
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
        await repository.forget_throttles(session, f"name:{repository.folded(user.username)}@")
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
    payload = AccountChanged(user_id=user.id, revision=user.revision)
    add_event(session, new_event(subjects.ACCOUNT_CHANGED, SOURCE, user.id, payload))


async def delete_user(session: AsyncSession, user_id: int, actor: Actor) -> User:
    user = await get_user(session, user_id)
    if user.username == actor.username:
        raise Invalid("You cannot delete your own account.")
    _end_sessions(session, user)
    await session.delete(user)
    audit(session, actor, "delete", "users", user_id)
    return user


@functools.cache
def _no_account_hash() -> str:
    """A hash of a password nobody has, verified when the name is no account: a failed login
    costs the same time whether or not the account exists."""
    return hash_password(secrets.token_urlsafe(16))


async def login(
    session: AsyncSession, credentials: LoginRequest, settings: CommitmentsSettings, remote_addr: str | None
) -> LoginResponse | None:
    """A token, or None for wrong credentials. Failures are counted per name tried from one
    address, and per address: past the limits, that name from that address, or that
    address, gets 429 for a while, so guessing stays slow, while someone else's failures
    never lock an account out of its right password. Names that are no account count
    alike, and cost the same time: nothing tells which names exist. The caller refuses only
    after its unit of work commits, so that the counts are kept."""
    now = utcnow()
    address = remote_addr or "unknown"
    name_key = f"name:{repository.folded(credentials.username)}@{address}"
    address_key = f"address:{address}"
    counted = await repository.throttles(session, [name_key, address_key])
    locked = [t.locked_until for t in counted.values() if t.locked_until is not None and t.locked_until > now]
    if locked:
        wait = int((max(locked) - now).total_seconds()) + 1
        raise AppError(f"Too many failed logins; try again in {wait} s.", 429)
    user = await repository.user_by_name(session, credentials.username)
    matches = verify_password(user.password_hash if user else _no_account_hash(), credentials.password)
    if user is None or not user.active or not matches:
        lockout = timedelta(seconds=settings.login_lockout_seconds)
        _count_failure(session, counted.get(name_key), name_key, settings.login_max_failures, now, lockout)
        _count_failure(
            session,
            counted.get(address_key),
            address_key,
            settings.login_max_failures_per_address,
            now,
            lockout,
        )
        audit(
            session,
            Actor(credentials.username, remote_addr),
            "login_failed",
            "users",
            user.id if user else None,
        )
        return None
    if name_key in counted:
        await session.delete(counted[name_key])
    audit(session, Actor(user.username, remote_addr), "login", "users", user.id)
    token = issue_token(
        user.username, user.role, settings.secret_key, settings.token_ttl_minutes, user.id, user.revision
    )
    return LoginResponse(access_token=token, role=user.role, username=user.username)


def _count_failure(
    session: AsyncSession, row: LoginThrottle | None, key: str, limit: int, now, lockout: timedelta
) -> None:
    row = row or LoginThrottle(key=key)
    row.failures += 1
    if row.failures >= limit:
        row.locked_until, row.failures = now + lockout, 0
    row.updated_at = now
    session.add(row)


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
