"""Published outbox rows are deleted once older than the retention; unpublished ones never."""

from datetime import timedelta

import pytest
from sqlalchemy import insert, select
from suivi_kit import db, outbox
from suivi_kit.events import utcnow
from suivi_kit.outbox import OutboxMessage, OutboxRelay
from suivi_kit.uow import Database


@pytest.fixture
async def database(database_url, tmp_path):
    engine = db.create_engine(database_url or f"sqlite+aiosqlite:///{tmp_path / 'outbox.db'}", "public")
    async with engine.begin() as connection:
        await connection.run_sync(OutboxMessage.__table__.create)
    yield Database(engine)
    await engine.dispose()


async def test_rows_published_before_the_retention_are_deleted_in_batches(database, monkeypatch):
    now = utcnow()
    published_days_ago = {"old-1": 10, "old-2": 9, "old-3": 8, "recent": 1, "unpublished": None}
    async with database.write() as uow:
        await uow.session.execute(
            insert(OutboxMessage),
            [
                {
                    "event_id": event_id,
                    "subject": "suivi.test",
                    "payload": "{}",
                    "created_at": now - timedelta(days=30),
                    "published_at": None if days is None else now - timedelta(days=days),
                }
                for event_id, days in published_days_ago.items()
            ],
        )
    monkeypatch.setattr(outbox, "PRUNE_BATCH", 2)
    relay = OutboxRelay(database, "test", keep_published=timedelta(days=7))

    assert await relay.prune_published(now, max_batches=1) == 2  # what the relay does between passes
    assert await relay.prune_published(now) == 1
    async with database.read() as session:
        left = set((await session.execute(select(OutboxMessage.event_id))).scalars())
    assert left == {"recent", "unpublished"}
    assert (
        await OutboxRelay(database, "test", keep_published=None).prune_published(now + timedelta(days=99))
        == 0
    )
