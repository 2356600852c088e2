"""Tables of the accounts and of the audit log of every write."""

from __future__ import annotations

import time
from datetime import datetime

from sqlalchemy import JSON, BigInteger, Column, Index
from sqlmodel import Field, SQLModel
from suivi_kit.db_types import UTCDateTime
from suivi_kit.events import utcnow


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=20)
    active: bool = True
    # Raised (to a time in microseconds, so a re-created account never reuses an old value) on
    # every change that must end the account's sessions; tokens carry it (suivi_kit.revocation).
    revision: int = Field(
        default_factory=lambda: time.time_ns() // 1000, sa_column=Column(BigInteger, nullable=False)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class LoginThrottle(SQLModel, table=True):
    """Failed logins of one key: a name tried from one address, or an address (service.login)."""

    __tablename__ = "login_throttle"

    key: str = Field(primary_key=True, max_length=400)
    failures: int = 0
    locked_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    actor: str = Field(max_length=80)
    action: str = Field(max_length=60)
    resource: str = Field(max_length=40)
    resource_id: str | None = Field(default=None, max_length=64)
    remote_addr: str | None = Field(default=None, max_length=64)
    detail: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
