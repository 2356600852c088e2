"""The dashboard: figures over every commitment, and the latest status changes."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from ..status_changes import service as status_changes
from . import repository, revision_cache


async def dashboard(session: AsyncSession) -> dict[str, Any]:
    """The aggregates are computed once per revision of the data (revision_cache)."""
    revision, cache = await revision_cache.current(session)
    figures = cache.get(revision, ("stats", date.today()))  # overdue moves daily
    if figures is None:
        figures = await repository.stats(session)
        cache.put(revision, ("stats", date.today()), figures)
    recent = await status_changes.recent(session)
    return figures | {"recent_changes": [change.model_dump(mode="json") for change in recent]}
