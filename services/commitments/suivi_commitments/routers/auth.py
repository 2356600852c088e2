from datetime import timedelta

from fastapi import APIRouter, Request
from suivi_kit.auth import Viewer, issue_token, verify_password
from suivi_kit.errors import AppError, Unauthorized
from suivi_kit.events import utcnow

from .. import repository, service
from ..deps import writing
from ..schemas import LoginRequest, LoginResponse

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/login", response_model=LoginResponse)
async def login(request: Request, credentials: LoginRequest):
    """Repeated failures lock the account for a while: guessing passwords stays slow."""
    settings = request.app.state.settings
    addr = request.client.host if request.client else None
    async with writing(request) as session:
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
                service.audit(
                    session, service.Actor(credentials.username, addr), "login_failed", "users", user.id
                )
            failed = True
        else:
            user.failed_logins, user.locked_until = 0, None
            service.audit(session, service.Actor(user.username, addr), "login", "users", user.id)
            failed = False
    if failed:  # raised after the commit, so the failure count is kept
        raise Unauthorized("Invalid username or password.")
    token = issue_token(user.username, user.role, settings.secret_key, settings.token_ttl_minutes, user.id)
    return LoginResponse(access_token=token, role=user.role, username=user.username)


@router.get("/me")
async def me(principal: Viewer) -> dict[str, str]:
    return {"username": principal.username, "role": principal.role}
