"""The audit log: who did which write, from where, in the transaction of the write itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from .models import AuditEntry


@dataclass
class Actor:
    """Who does a write, and from where: for the audit log."""

    username: str
    remote_addr: str | None = None


def audit(
    session: AsyncSession, actor: Actor, action: str, resource: str, resource_id: Any, **detail
) -> None:
    session.add(
        AuditEntry(
            actor=actor.username,
            action=action,
            resource=resource,
            resource_id=None if resource_id is None else str(resource_id),
            remote_addr=actor.remote_addr,
            detail=detail,
        )
    )
