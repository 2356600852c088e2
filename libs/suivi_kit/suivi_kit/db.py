"""Database plumbing: async engines for SQLite and PostgreSQL, sessions, Alembic migrations.

A service's tables live in its own SQLite file, or in its own schema of a shared PostgreSQL
database (the connection's search_path), so the same models and migrations serve both.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import sqlite3
import time
import warnings
import weakref
import zlib
from contextlib import nullcontext
from pathlib import Path

import aiosqlite
from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import InvalidatePoolError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

# SQLModel's session nags on every SQLAlchemy-style execute(); both styles are deliberate here.
warnings.filterwarnings("ignore", message=r"\s*🚨 You probably want to use `session.exec\(\)`")


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def create_engine(url: str, schema: str, pool_size: int = 20, inline_sqlite: bool = False) -> AsyncEngine:
    """An async engine; `inline_sqlite` runs SQLite statements on the event loop (see below)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        options = {}
        if inline_sqlite:
            # A connection per concurrent request, kept: opening one costs more than a query.
            options = {"async_creator": lambda: _connect_inline(parsed.database), "pool_size": 64}
        engine = create_async_engine(url, connect_args={"timeout": 30}, **options)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        if inline_sqlite:
            _write_locks[engine.sync_engine] = WriteLock(sqlite_lock_path(url, "write"))
        return engine
    engine = create_async_engine(
        url,
        # A fixed pool: overflow connections were opened and closed again for every request
        # beyond the pool (~5 ms each, 1.4 ms of it our CPU, plus a new server backend), so a
        # request waits for a pooled connection instead.
        pool_size=pool_size,
        max_overflow=0,
        connect_args={"server_settings": {"search_path": schema}},
    )
    event.listen(engine.sync_engine, "checkout", _ping_if_idle)
    event.listen(engine.sync_engine, "checkin", _mark_idle)
    return engine


# SQLAlchemy's pool_pre_ping checks every connection at every checkout: on asyncpg that is BEGIN,
# a query and ROLLBACK, which tripled the round trips of a cached read (bench/api.py). A
# connection handed back moments ago is alive; one that sat idle may have been dropped by a
# restart, a proxy or a firewall, so only those are pinged. If PostgreSQL restarts under load,
# the statement on a dead connection fails once and SQLAlchemy then discards the whole pool.
IDLE_BEFORE_PING = 10.0  # seconds


def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
    idle_since = record.info.get("idle_since")
    if idle_since is not None and time.monotonic() - idle_since > IDLE_BEFORE_PING:
        try:
            dbapi_connection.ping()
        except Exception as error:
            raise InvalidatePoolError(f"a pooled connection is gone ({error})") from error


def _mark_idle(_dbapi_connection, record) -> None:
    record.info["idle_since"] = time.monotonic()


class _InlineSQLite(aiosqlite.Connection):
    """An aiosqlite connection whose statements run on the event loop's thread.

    aiosqlite hands every call (cursor, execute, fetch, close, commit) to a thread and back: on
    this project's 2-core machine each round trip cost ~0.15 ms of CPU, five times what a typical
    indexed read costs SQLite itself, so a read-heavy API spent most of its time on hand-offs
    (bench/api.py). In WAL mode readers never wait for a lock, so running them inline cannot
    stall the loop; writers could (BEGIN IMMEDIATE waits for the write lock), which is why an
    engine built this way serialises its write transactions on an asyncio lock (`write_lock`).
    """

    async def _execute(self, fn, *args, **kwargs):
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)


def _connect_inline(database: str | None) -> aiosqlite.Connection:
    connection = _InlineSQLite(
        lambda: sqlite3.connect(database or ":memory:", timeout=30, check_same_thread=False), 64
    )
    connection._thread.daemon = True  # as SQLAlchemy does for aiosqlite: never blocks the exit
    return connection


class FileLock:
    """An exclusive lock between processes (flock) on a file beside a SQLite database.

    SQLite's own lock makes a second writer sleep and retry in its busy handler, which on an
    inline connection would stall the event loop; a process waiting here waits in a thread."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        if self._fd is None:
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    async def acquire(self) -> None:
        if not self.try_acquire():
            assert self._fd is not None  # try_acquire opened it
            await asyncio.to_thread(fcntl.flock, self._fd, fcntl.LOCK_EX)

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # also releases the lock
            self._fd = None


class WriteLock:
    """Write transactions of an inline SQLite engine take turns: the coroutines of this process
    on an asyncio lock, then the processes sharing the database file on a FileLock."""

    def __init__(self, path: Path | None) -> None:
        self._local = asyncio.Lock()
        self._file = FileLock(path) if path else None

    async def __aenter__(self) -> None:
        await self._local.acquire()
        try:
            if self._file:
                await self._file.acquire()
        except BaseException:
            self._local.release()
            raise

    async def __aexit__(self, *_) -> None:
        if self._file:
            self._file.release()
        self._local.release()


def sqlite_lock_path(url: str, purpose: str) -> Path | None:
    """Where processes sharing a SQLite database take the lock for `purpose` (None: in memory)."""
    database = make_url(url).database
    return Path(f"{database}.{purpose}-lock") if database and database != ":memory:" else None


_write_locks: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def write_lock(engine: AsyncEngine) -> WriteLock | nullcontext:
    """What a write transaction on this engine holds first (nothing, but for inline SQLite)."""
    return _write_locks.get(engine.sync_engine) or nullcontext()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # SQLAlchemy's recipe: the driver emits no BEGIN of its own, `_sqlite_begin` does.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # The default 2 MB page cache makes every large count re-read the file (bench/api.py).
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # A writing unit of work takes the write lock up front, so it waits its turn
    # (busy_timeout) instead of failing when its read snapshot turns stale.
    immediate = connection.get_execution_options().get("immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def for_reads(engine: AsyncEngine) -> AsyncEngine:
    """The engine for read-only work. On PostgreSQL, autocommit: at READ COMMITTED each
    statement takes its own snapshot anyway, and BEGIN and ROLLBACK were two of the four round
    trips of a cached list page. On SQLite, the engine itself: there a transaction is what
    keeps one snapshot across the statements of a read."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def scrub_freed_space(engine: AsyncEngine, table: str) -> None:
    """Rewrite `table`'s storage so that values overwritten or deleted in it leave no copy in
    free pages (SQLite: VACUUM, then an emptied write-ahead log) or dead row versions
    (PostgreSQL: VACUUM FULL). For rare moments, such as sealing what was stored in clear:
    both lock the table (SQLite, the database) while they run."""
    async with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.exec_driver_sql(f'VACUUM FULL "{table}"')
            return
        raw = (await connection.get_raw_connection()).driver_connection
        assert raw is not None  # None only once the pool has invalidated the connection
        await raw.execute("VACUUM")
        await raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")


async def migrate(engine: AsyncEngine, migrations_dir: Path, schema: str) -> None:
    """Bring the service's database to the newest revision, once even with several replicas."""
    lock_path = sqlite_lock_path(str(engine.url), "migrate") if engine.dialect.name == "sqlite" else None
    lock = FileLock(lock_path) if lock_path else None
    if lock:  # processes sharing a SQLite file (suivi serve --workers) migrate one after the other
        await lock.acquire()
    try:
        await _migrate(engine, migrations_dir, schema)
    finally:
        if lock:
            lock.close()


async def _migrate(engine: AsyncEngine, migrations_dir: Path, schema: str) -> None:
    async with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            await connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            await connection.commit()
            # Replicas starting together queue here instead of racing through the same DDL.
            await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _lock_key(schema)})
        try:
            await connection.run_sync(_upgrade, migrations_dir)
            await connection.commit()
        finally:
            if engine.dialect.name == "postgresql":
                await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _lock_key(schema)})
                await connection.commit()


def _lock_key(name: str) -> int:
    return zlib.crc32(f"suivi-migrate-{name}".encode())


def _upgrade(connection: Connection, migrations_dir: Path) -> None:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def run_migrations_online() -> None:
    """The body of every service's Alembic env.py: run on the connection `migrate` passes in."""
    from alembic import context

    connection = context.config.attributes["connection"]
    context.configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


async def ping(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
