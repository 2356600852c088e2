from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from suivi_kit.auth import Admin, Viewer
from suivi_kit.errors import Unauthorized
from suivi_kit.listing import ListQuery, list_query, set_content_range

from ..deps import actor, reading, remote_addr, writing
from . import repository, service
from .schemas import AuditPublic, LoginRequest, LoginResponse, UserCreate, UserPublic, UserUpdate

auth_router = APIRouter(prefix="/api/auth", tags=["auth"])
router = APIRouter(prefix="/api", tags=["users"])


@auth_router.post("/login", response_model=LoginResponse)
async def login(request: Request, credentials: LoginRequest):
    """Repeated failures lock the account for a while: guessing passwords stays slow."""
    async with writing(request) as uow:
        granted = await service.login(
            uow.session, credentials, request.app.state.settings, remote_addr(request)
        )
    if granted is None:  # raised after the commit, so the failure count is kept
        raise Unauthorized("Invalid username or password.")
    return granted


@auth_router.get("/me")
async def me(principal: Viewer) -> dict[str, str]:
    return {"username": principal.username, "role": principal.role}


@router.get("/users", response_model=list[UserPublic])
async def list_users(
    request: Request, response: Response, _: Admin, query: Annotated[ListQuery, Depends(list_query)]
):
    async with reading(request) as session:
        rows, total = await repository.list_users(session, query)
    set_content_range(response, query, "users", total, len(rows))
    return rows


@router.get("/users/{user_id}", response_model=UserPublic)
async def get_user(request: Request, user_id: int, _: Admin):
    async with reading(request) as session:
        return await service.get_user(session, user_id)


@router.post("/users", response_model=UserPublic, status_code=201)
async def create_user(request: Request, data: UserCreate, principal: Admin):
    async with writing(request) as uow:
        return await service.create_user(uow.session, data, actor(request, principal))


@router.put("/users/{user_id}", response_model=UserPublic)
async def update_user(request: Request, user_id: int, data: UserUpdate, principal: Admin):
    async with writing(request) as uow:
        return await service.update_user(uow.session, user_id, data, actor(request, principal))


@router.delete("/users/{user_id}", response_model=UserPublic)
async def delete_user(request: Request, user_id: int, principal: Admin):
    async with writing(request) as uow:
        return await service.delete_user(uow.session, user_id, actor(request, principal))


@router.get("/audit", response_model=list[AuditPublic], tags=["audit"])
async def list_audit(
    request: Request, response: Response, _: Admin, query: Annotated[ListQuery, Depends(list_query)]
):
    async with reading(request) as session:
        rows, total = await repository.list_audit(session, query)
    set_content_range(response, query, "audit", total, len(rows))
    return rows
