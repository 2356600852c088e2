"""The dashboard: figures over every commitment, and the latest status changes."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from ..status_changes import service as status_changes
from . import repository, revision_cache


async def dashboard(session: AsyncSession) -> dict[str, Any]:
    """The aggregates are computed once per revision of the data (revision_cache)."""
    key = ("stats", date.today())  # overdue moves daily
    figures = await revision_cache.cached(session, key, lambda: repository.stats(session))
    recent = await status_changes.recent(session)
    return figures | {"recent_changes": [change.model_dump(mode="json") for change in recent]}
