"""PostgreSQL connection pool: a connection that died while idle is replaced before use."""

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool
from suivi_kit import db

BACKEND_PID = text("SELECT pg_backend_pid()")


@pytest.fixture
async def database(postgres_cluster):
    url = postgres_cluster.create_database(f"t_{uuid.uuid4().hex[:12]}")
    engine = db.create_engine(url, "public", pool_size=1)
    outsider = create_async_engine(url, poolclass=NullPool)
    yield engine, outsider
    await engine.dispose()
    await outsider.dispose()


async def pooled_backend(engine) -> int:
    async with engine.connect() as connection:
        return (await connection.execute(BACKEND_PID)).scalar_one()


async def terminate(outsider, pid: int) -> None:
    """Kill a backend from outside the pool, as a restart or a proxy's idle timeout would."""
    async with outsider.connect() as connection:
        await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


async def test_a_connection_dropped_while_idle_is_replaced_at_checkout(database, monkeypatch):
    engine, outsider = database
    pid = await pooled_backend(engine)
    await terminate(outsider, pid)
    monkeypatch.setattr(db, "IDLE_BEFORE_PING", 0.0)

    assert await pooled_backend(engine) != pid  # the ping failed, a fresh connection served


async def test_a_recently_used_connection_is_not_pinged_and_fails_only_once(database, monkeypatch):
    engine, outsider = database
    monkeypatch.setattr(db, "IDLE_BEFORE_PING", 3600.0)
    pid = await pooled_backend(engine)
    await terminate(outsider, pid)

    with pytest.raises(DBAPIError) as failure:
        await pooled_backend(engine)
    assert failure.value.connection_invalidated
    assert await pooled_backend(engine) != pid  # the pool was discarded after that one failure
