"""The delivery log's retention: finished deliveries and unreferenced events go after the
retention; pending or failing deliveries and their events stay, whatever their age, and so does
the inbox (a restore replays the stream)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from suivi_kit.consumer import InboxMessage
from suivi_kit.db import create_engine, migrate
from suivi_kit.events import utcnow
from suivi_kit.uow import Database
from suivi_notify import retention
from suivi_notify.deliveries.models import Delivery, DeliveryAttempt
from suivi_notify.main import MIGRATIONS
from suivi_notify.readmodel.models import ReceivedEvent
from suivi_notify.scheduler import Jobs, create_scheduler
from suivi_notify.subscriptions.models import Subscription

NOW = utcnow()


def ago(days: float):
    return NOW - timedelta(days=days)


@pytest.fixture
async def db(database_url, tmp_path):
    engine = create_engine(database_url or f"sqlite+aiosqlite:///{tmp_path / 'notify.db'}", "notify")
    await migrate(engine, MIGRATIONS, "notify")
    yield Database(engine)
    await engine.dispose()


async def seed(db: Database) -> None:
    # event id -> (age in days, status of its delivery or None)
    events = {"old-done": (40, "succeeded"), "old-dead": (40, "dead"), "old-failing": (40, "failing"),
              "old-alone": (40, None), "young-alone": (5, None), "recent-done": (2, "succeeded")}  # fmt: skip
    async with db.write() as uow:
        session = uow.session
        subscription = Subscription(url="https://hooks.example.org/x", secret="whsec_" + "A" * 43 + "=")
        session.add(subscription)
        await session.flush()
        for event_id, (days, status) in events.items():
            session.add(ReceivedEvent(id=event_id, type="suivi.test", time=ago(days), payload="{}"))
            session.add(InboxMessage(consumer="notify", event_id=event_id, processed_at=ago(days)))
            if status is not None:
                delivery = Delivery(subscription_id=subscription.id, event_id=event_id, event_type="suivi.test",
                                    status=status, created_at=ago(days), updated_at=ago(days))  # fmt: skip
                session.add(delivery)
                await session.flush()
                session.add(DeliveryAttempt(delivery_id=delivery.id, at=ago(days), response_code=200))


async def ids(db: Database, column) -> set:
    async with db.read() as session:
        return set((await session.execute(select(column))).scalars())


async def test_the_log_is_kept_for_the_retention_then_deleted(db, monkeypatch):
    await seed(db)
    monkeypatch.setattr(retention, "BATCH", 1)  # every batch boundary is crossed

    deleted = await retention.prune(db, 30, NOW)

    assert deleted == {"deliveries": 2, "events": 3}
    assert await ids(db, Delivery.event_id) == {"old-failing", "recent-done"}
    assert await ids(db, ReceivedEvent.id) == {"old-failing", "young-alone", "recent-done"}
    assert len(await ids(db, InboxMessage.event_id)) == 6
    async with db.read() as session:  # the attempts went with their deliveries
        assert (await session.execute(select(func.count()).select_from(DeliveryAttempt))).scalar_one() == 2


async def test_retention_is_never_shorter_than_two_weeks_and_zero_keeps_all(db):
    await seed(db)
    assert await retention.prune(db, 0, NOW) == {}
    await retention.prune(db, 1, NOW)  # read as 14 days: the 5-day-old event stays
    assert "young-alone" in await ids(db, ReceivedEvent.id)
    assert "recent-done" in await ids(db, Delivery.event_id)


async def test_the_scheduler_prunes_every_hour_with_the_configured_retention(db):
    await seed(db)
    jobs = Jobs(db, log_retention_days=30)
    job = create_scheduler(jobs, interval_seconds=300).get_job("notify-log-retention")
    assert job.trigger.interval == timedelta(hours=1)

    await job.func()
    assert await ids(db, Delivery.event_id) == {"old-failing", "recent-done"}
