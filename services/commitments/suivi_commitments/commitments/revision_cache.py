"""Answers computed from the commitments, kept until the commitments change.

Triggers bump a revision number on every write to the commitments, their tags and their
sources (migration 0003). A reader reads the revision in its own snapshot, so whatever it
computes next is filed under that revision, and nobody is served it once a write, from any
replica, has moved the revision on. Reads of the same views (a status, a topic, a search)
far outnumber writes in a tracker, and counting a filter's matches costs 5-25 ms on 100,000
commitments against 0.2 ms for the page itself (bench/api.py).
"""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import column, func, select, table
from sqlmodel.ext.asyncio.session import AsyncSession

T = TypeVar("T")
MAX_ENTRIES = 4096
# Core, not text(): SQLAlchemy caches a Core statement's result metadata, and rebuilding it for
# a text() query was 8% of a cached list request.
REVISION = select(func.sum(table("commitments_revision", column("value")).c.value))


class RevisionCache:
    def __init__(self) -> None:
        self._revision: int | None = None
        self._entries: dict[Hashable, Any] = {}

    def get(self, revision: int, key: Hashable) -> Any | None:
        return self._entries.get(key) if revision == self._revision else None

    def put(self, revision: int, key: Hashable, value: Any) -> None:
        if revision != self._revision or len(self._entries) >= MAX_ENTRIES:
            if self._revision is not None and revision < self._revision:
                return  # a reader on an older snapshot: its answer is already out of date
            self._entries.clear()
            self._revision = revision
        self._entries[key] = value


_caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


async def current(session: AsyncSession) -> tuple[int, RevisionCache]:
    """The revision this session sees, and the cache of its database (one per engine)."""
    revision = (await session.execute(REVISION)).scalar_one()
    cache = _caches.get(session.bind)
    if cache is None:
        cache = _caches[session.bind] = RevisionCache()
    return int(revision), cache


async def cached(session: AsyncSession, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
    """The answer filed under `key` at the revision this session sees, computed and filed if
    there is none. The revision is read before computing, so the answer is filed under the
    revision of the snapshot it was computed in."""
    revision, cache = await current(session)
    value = cache.get(revision, key)
    if value is None:
        value = await compute()
        cache.put(revision, key, value)
    return value
