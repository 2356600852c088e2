from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from suivi_kit.auth import Admin
from suivi_kit.errors import Invalid, NotFound
from suivi_kit.listing import ListQuery, list_query, set_content_range

from .. import repository, service
from ..deps import actor, reading, writing
from ..models import AuditEntry, User
from ..schemas import AuditPublic, UserCreate, UserPublic, UserUpdate

router = APIRouter(prefix="/api", tags=["users"])


@router.get("/users", response_model=list[UserPublic])
async def list_users(
    request: Request, response: Response, _: Admin, query: Annotated[ListQuery, Depends(list_query)]
):
    async with reading(request) as session:
        rows, total = await repository.list_simple(session, User, query, "users")
    set_content_range(response, query, "users", total, len(rows))
    return rows


@router.get("/users/{user_id}", response_model=UserPublic)
async def get_user(request: Request, user_id: int, _: Admin):
    async with reading(request) as session:
        user = await session.get(User, user_id)
    if user is None:
        raise NotFound(f"User {user_id} does not exist.")
    return user


@router.post("/users", response_model=UserPublic, status_code=201)
async def create_user(request: Request, data: UserCreate, principal: Admin):
    async with writing(request) as session:
        return await service.create_user(session, data, actor(request, principal))


@router.put("/users/{user_id}", response_model=UserPublic)
async def update_user(request: Request, user_id: int, data: UserUpdate, principal: Admin):
    async with writing(request) as session:
        addr = actor(request, principal).remote_addr
        return await service.update_user(session, user_id, data, principal, addr)


@router.delete("/users/{user_id}", response_model=UserPublic)
async def delete_user(request: Request, user_id: int, principal: Admin):
    async with writing(request) as session:
        user = await session.get(User, user_id)
        if user is None:
            raise NotFound(f"User {user_id} does not exist.")
        if user.username == principal.username:
            raise Invalid("You cannot delete your own account.")
        await session.delete(user)
        service.audit(session, actor(request, principal), "delete", "users", user_id)
        return user


@router.get("/audit", response_model=list[AuditPublic], tags=["audit"])
async def list_audit(
    request: Request, response: Response, _: Admin, query: Annotated[ListQuery, Depends(list_query)]
):
    async with reading(request) as session:
        rows, total = await repository.list_simple(session, AuditEntry, query, "audit")
    set_content_range(response, query, "audit", total, len(rows))
    return rows
