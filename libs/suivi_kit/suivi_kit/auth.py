"""Passwords, signed bearer tokens and role checks, the same in every service.

The commitments service owns the users and signs tokens at login; every service verifies
them with the shared SUIVI_SECRET_KEY, so no service calls another to authorise a request.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .errors import Forbidden, Unauthorized
from .events import utcnow
from .settings import get_settings

ROLES = ("viewer", "monitor", "admin")
_RANK = {role: rank for rank, role in enumerate(ROLES)}
_ALGORITHM = "HS256"
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


@dataclass(frozen=True)
class Principal:
    username: str
    role: str
    user_id: int | None = None  # set in tokens issued at login; absent in service tokens
    revision: int = 0  # the account's revision when the token was issued (revocation.py)

    def can(self, role: str) -> bool:
        return _RANK[self.role] >= _RANK[role]


def issue_token(
    username: str,
    role: str,
    secret: str | None = None,
    ttl_minutes: int | None = None,
    user_id: int | None = None,
    revision: int | None = None,
) -> str:
    settings = get_settings()
    now = utcnow()
    claims = {
        "sub": username,
        "role": role,
        "iat": now,
        "exp": now + timedelta(minutes=ttl_minutes or settings.token_ttl_minutes),
    }
    if user_id is not None:
        claims["uid"] = user_id
    if revision is not None:
        claims["rev"] = revision
    return jwt.encode(claims, secret or settings.secret_key, algorithm=_ALGORITHM)


def decode_token(token: str, secret: str | None = None) -> Principal:
    principal, expires = _verified(token, secret or get_settings().secret_key)
    if expires <= time.time():  # the cached verification does not outlive the token
        raise Unauthorized("Your session has expired; please log in again.")
    return principal


@functools.lru_cache(maxsize=4096)
def _verified(token: str, secret: str) -> tuple[Principal, float]:
    """Signature and claims checked once per token (PyJWT's checks cost more than the rest of a
    cached list request); failures are not cached, they raise."""
    try:
        claims = jwt.decode(token, secret, algorithms=[_ALGORITHM], options={"require": ["exp", "sub"]})
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("Your session has expired; please log in again.") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("Invalid authentication token.") from exc
    role = claims.get("role")
    if role not in _RANK or not claims.get("sub"):
        raise Unauthorized("Invalid authentication token.")
    user_id, revision = claims.get("uid"), claims.get("rev")
    principal = Principal(
        username=claims["sub"],
        role=role,
        user_id=user_id if isinstance(user_id, int) else None,
        revision=revision if isinstance(revision, int) else 0,
    )
    return principal, float(claims["exp"])


_bearer = HTTPBearer(auto_error=False)


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("Authentication required: send 'Authorization: Bearer <token>'.")
    settings = getattr(request.app.state, "settings", None)  # the app's own, not the process's
    principal = decode_token(credentials.credentials, settings.secret_key if settings else None)
    # The service that owns the accounts also checks that the account still exists as it was.
    check_account = getattr(request.app.state, "check_account", None)
    if check_account is not None and principal.user_id is not None:
        await check_account(principal)
    return principal


def require(role: str):
    """A dependency that lets through principals with `role` or a higher one."""

    async def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not principal.can(role):
            raise Forbidden(f"This action needs the {role} role; you are {principal.role}.")
        return principal

    dependency.required_role = role  # type: ignore[attr-defined]  # read by the authorization matrix test
    return dependency


Viewer = Annotated[Principal, Depends(require("viewer"))]
Monitor = Annotated[Principal, Depends(require("monitor"))]
Admin = Annotated[Principal, Depends(require("admin"))]
