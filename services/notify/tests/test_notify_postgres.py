"""Two notify replicas on one PostgreSQL database: the JetStream consumer is shared, claims
skip locked rows, and scheduled events are claimed once."""

from __future__ import annotations

import asyncio
import uuid

from notify_support import create_subscription, deliveries, eventually, running, send_events, status_changed
from suivi_notify.scheduler import Jobs
from suivi_notify.worker import FanOut
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
        await FanOut(app1.state.db).handle([commitment(5, "2001", "in_progress")])
        results = await asyncio.gather(
            *(Jobs(app.state.db).deadlines_due() for app in (app1, app2, app1, app2))
        )
        assert sum(results) == 1
