"""Scheduled events: deadline_due once per commitment, the weekly digest once per ISO week,
even with two schedulers on one database."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta

from notify_support import (
    commitment_event,
    create_subscription,
    document_ingested,
    send_events,
    status_changed,
)
from sqlalchemy import select
from suivi_contracts.rules import due_on
from suivi_kit.db import create_engine, migrate
from suivi_kit.events import CloudEvent
from suivi_kit.outbox import OutboxMessage
from suivi_kit.uow import Database
from suivi_notify.main import MIGRATIONS
from suivi_notify.scheduler import Jobs
from suivi_notify.worker import events_consumer


def commitment(commitment_id: int, deadline: str | None, status: str) -> CloudEvent:
    return commitment_event(commitment_id, status=status, deadline=deadline, topics=("funding",))


def test_deadlines_end_on_their_last_day():
    assert due_on("2026") == date(2026, 12, 31)
    assert due_on("2025-02") == date(2025, 2, 28)
    assert due_on("2025-06-30") == date(2025, 6, 30)
    assert due_on("2025-06-30T12:00:00Z") == date(2025, 6, 30)
    assert due_on(None) is None and due_on("soon") is None


async def _fan_out(db: Database, *events: CloudEvent) -> None:
    await events_consumer().handle(db, list(events))


async def _two_databases(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'notify.db'}"
    engines = [create_engine(url, schema="notify"), create_engine(url, schema="notify")]
    await migrate(engines[0], MIGRATIONS, "notify")
    return engines, [Database(engine) for engine in engines]


async def _outbox(db: Database, event_type: str) -> list[dict]:
    async with db.read() as session:
        rows = (
            await session.execute(select(OutboxMessage).where(OutboxMessage.subject == event_type))
        ).scalars()
        return [json.loads(row.payload) for row in rows]


async def test_two_schedulers_emit_each_deadline_due_once(tmp_path):
    engines, (db1, db2) = await _two_databases(tmp_path)
    try:
        await _fan_out(
            db1,
            commitment(1, "2020", "in_progress"),
            commitment(2, "2020-06-30", "not_started"),
            commitment(3, "2020", "achieved"),  # achieved: never due
            commitment(4, "2999", "in_progress"),  # not yet
            commitment(5, None, "stalled"),  # no deadline
            commitment(6, "2020", "abandoned"),  # done too: never due
        )
        # Commitment 2 is achieved later; commitment 1 moves on but stays unachieved.
        await _fan_out(
            db1,
            status_changed(2, "achieved", from_status="not_started", deadline="2020-06-30"),
            status_changed(1, "stalled", from_status="in_progress", deadline="2020"),
        )
        jobs = [Jobs(db1), Jobs(db2)]
        counts = await asyncio.gather(*(job.deadlines_due() for job in jobs for _ in range(3)))
        assert sum(counts) == 1
        [event] = await _outbox(db1, "suivi.commitment.deadline_due")
        assert event["subject"] == "1" and event["data"]["deadline"] == "2020"
        assert event["data"]["status"] == "stalled"
        assert await jobs[0].deadlines_due() == 0 and await jobs[1].deadlines_due() == 0
    finally:
        for engine in engines:
            await engine.dispose()


async def test_the_weekly_digest_is_emitted_once_per_week_with_counts(tmp_path):
    engines, (db1, db2) = await _two_databases(tmp_path)
    now = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # a Wednesday: the digest covers 9-16 Nov
    last_week = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)
    events = [commitment(i, None, "in_progress") for i in range(3)]
    events.append(document_ingested(1))
    old = commitment(9, None, "in_progress")
    old.time = last_week - timedelta(days=7)
    for event in events:
        event.time = last_week
    try:
        await _fan_out(db1, *events, old)
        results = await asyncio.gather(*(Jobs(db).weekly_digest(now) for db in (db1, db2, db1, db2)))
        assert sorted(results) == [False, False, False, True]
        [digest] = await _outbox(db2, "suivi.digest.weekly")
        assert digest["subject"] == "2026-W46"
        assert digest["data"]["counts"] == {"suivi.commitment.created": 3, "suivi.document.ingested": 1}
        assert digest["data"]["total"] == 4
    finally:
        for engine in engines:
            await engine.dispose()


async def test_deadline_due_reaches_subscribers_through_the_scheduler(js, notify, subscriber):
    async with notify(scheduler_enabled=True, scheduler_interval_seconds=0.3) as (_app, client):
        await create_subscription(
            client, subscriber.url("/due"), event_types=["suivi.commitment.deadline_due"]
        )
        await send_events(js, [commitment(77, "2019", "in_progress")])
        [request] = await subscriber.wait_for(1, "/due", timeout=15)
        body = json.loads(request.body)
        assert body["type"] == "suivi.commitment.deadline_due" and body["subject"] == "77"
        await asyncio.sleep(1.0)  # further runs emit nothing more
        assert len(subscriber.on("/due")) == 1
