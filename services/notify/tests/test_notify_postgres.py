"""Two notify replicas on one PostgreSQL database: the JetStream consumer is shared, claims
skip locked rows, and scheduled events are claimed once."""

from __future__ import annotations

import asyncio
import uuid

from notify_support import (
    Reply,
    create_subscription,
    deliveries,
    eventually,
    running,
    send_events,
    status_changed,
)
from suivi_notify.scheduler import Jobs
from suivi_notify.worker import events_consumer
from test_notify_scheduler import commitment


async def test_two_replicas_on_postgresql_deliver_every_event_once(
    js, settings_for, postgres_cluster, subscriber
):
    url = postgres_cluster.create_database(f"n_{uuid.uuid4().hex[:12]}")
    settings = settings_for(database_url=url)
    async with running(settings) as (app1, client), running(settings) as (app2, _client2):
        await create_subscription(client, subscriber.url("/pg"))
        subscriber.script("/pg", 500, 500, 500)  # three retries go through the SKIP LOCKED claim
        events = [status_changed(i) for i in range(200)]
        await send_events(js, events)
        await subscriber.wait_for(203, "/pg", timeout=30)

        async def settled() -> bool:
            return await deliveries(client, status=["pending", "failing", "dead"]) == []

        await eventually(settled, timeout=15)
        rows = await deliveries(client)
        assert len(rows) == 200 and sorted(row["attempts"] for row in rows) == [1] * 197 + [2] * 3
        assert {request.webhook_id for request in subscriber.on("/pg")} == {event.id for event in events}
        assert len(subscriber.on("/pg")) == 203  # no replica sent a delivery the other one held

        # Deadline claims on PostgreSQL: both replicas' jobs race, one event comes out.
        await events_consumer().handle(app1.state.db, [commitment(5, "2001", "in_progress")])
        results = await asyncio.gather(
            *(Jobs(app.state.db).deadlines_due() for app in (app1, app2, app1, app2))
        )
        assert sum(results) == 1


async def test_an_answer_holding_nul_is_recorded_and_the_delivery_settles(
    js, settings_for, postgres_cluster, subscriber
):
    # PostgreSQL text cannot hold NUL: unreplaced, the attempt could never be recorded and the
    # delivery would be sent again at every lease, never settling.
    url = postgres_cluster.create_database(f"n_{uuid.uuid4().hex[:12]}")
    subscriber.script("/nul", Reply(500, b"bad\x00answer"))
    async with running(settings_for(database_url=url, webhook_retry_schedule=(0.05,))) as (_app, client):
        await create_subscription(client, subscriber.url("/nul"))
        await send_events(js, [status_changed(1)])

        async def succeeded() -> bool:
            rows = await deliveries(client)
            return bool(rows) and rows[0]["status"] == "succeeded"

        await eventually(succeeded)
        [row] = await deliveries(client)
        assert [attempt["response_body"] for attempt in row["attempt_log"]] == ["bad\ufffdanswer", "ok"]
