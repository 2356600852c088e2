"""What the API accepts and returns about accounts, logins and the audit log (docs/api.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["viewer", "monitor", "admin"]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    username: str = Field(min_length=2, max_length=80, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=8, max_length=200)
    role: Role = "viewer"
    active: bool = True


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    password: str | None = Field(None, min_length=8, max_length=200)
    role: Role | None = None
    active: bool | None = None


class UserPublic(BaseModel):
    id: int
    username: str
    role: str
    active: bool
    created_at: datetime


class LoginRequest(BaseModel):
    username: str = Field(max_length=200)
    password: str = Field(max_length=200)


class LoginResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    role: str
    username: str


class AuditPublic(BaseModel):
    id: int
    actor: str
    action: str
    resource: str
    resource_id: str | None
    remote_addr: str | None
    detail: dict
    at: datetime
