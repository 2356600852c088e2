"""No event is lost whenever notify dies: rows are written before the ack, leases expire."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from notify_support import (
    ADMIN,
    create_subscription,
    deliveries,
    eventually,
    send_events,
    status_changed,
)
from suivi_kit.nats_server import free_port


async def test_events_published_while_notify_is_down_are_delivered_after_restart(js, notify, subscriber):
    async with notify() as (_app, client):
        await create_subscription(client, subscriber.url("/later"))
    events = [status_changed(i) for i in range(50)]
    await send_events(js, events)
    # The same event twice on the stream (no Nats-Msg-Id): the inbox keeps one delivery.
    await js.publish(events[0].type, events[0].to_json())
    async with notify() as (_app, client):
        received = await subscriber.wait_for(50, "/later")

        async def all_succeeded() -> bool:
            rows = await deliveries(client)
            return len(rows) == 50 and all(row["status"] == "succeeded" for row in rows)

        await eventually(all_succeeded)
    assert {request.webhook_id for request in received} == {event.id for event in events}


def _spawn(env: dict[str, str], port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "suivi"), "serve", "notify", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def _wait_ready(base: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=base) as client:
        while True:
            try:
                if (await client.get("/readyz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("notify did not become ready")
            await asyncio.sleep(0.1)


@pytest.mark.slow  # about 60 s on an idle 2-core machine, mostly 20 process starts
async def test_sigkill_20_times_while_1000_events_flow_to_3_subscribers(js, nats_url, tmp_path, subscriber):
    """Acceptance 2: every subscriber gets all 1,000 distinct webhook-ids; no delivery is stuck."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "SUIVI_DATA_DIR": str(tmp_path),
        "SUIVI_NATS_URL": nats_url,
        "SUIVI_ALLOW_PRIVATE_ADDRESSES": "1",
        "SUIVI_WEBHOOK_RETRY_SCHEDULE": "0.2,0.5,1,1,1,1,1,1,1,1",
        "SUIVI_WEBHOOK_TIMEOUT_SECONDS": "1",
        "SUIVI_SCHEDULER_ENABLED": "0",
        "SUIVI_CONSUMER_ACK_WAIT_SECONDS": "3",
    }
    env.pop("SUIVI_NOTIFY_DATABASE_URL", None)
    env.pop("SUIVI_DATABASE_URL", None)
    process = _spawn(env, port)
    try:
        await _wait_ready(base)
        async with httpx.AsyncClient(base_url=base, headers=ADMIN) as client:
            for path in ("/s1", "/s2", "/s3"):
                await create_subscription(client, subscriber.url(path))

        events = [status_changed(i % 97, random.choice(["in_progress", "stalled"])) for i in range(1000)]

        async def publish_all() -> None:
            for start in range(0, len(events), 10):
                await send_events(js, events[start : start + 10])
                await asyncio.sleep(0.12)  # ~80 events/s: the flow spans the kills

        started = time.monotonic()
        publisher = asyncio.create_task(publish_all())
        rng = random.Random(20)
        for kill in range(20):
            if kill % 2:  # every other kill hits a serving process, the others may hit its start
                await _wait_ready(base)
            await asyncio.sleep(rng.uniform(0.05, 0.6))
            process.send_signal(signal.SIGKILL)
            process.wait()
            process = _spawn(env, port)
        await publisher
        print(f"kills done after {time.monotonic() - started:.1f} s")

        expected = {event.id for event in events}
        for path in ("/s1", "/s2", "/s3"):

            async def complete(path: str = path) -> bool:
                return {request.webhook_id for request in subscriber.on(path)} >= expected

            await eventually(complete, timeout=90, interval=0.2)
            assert {request.webhook_id for request in subscriber.on(path)} == expected
        print(f"all delivered after {time.monotonic() - started:.1f} s; {len(subscriber.requests)} requests")
        t0 = subscriber.requests[0].at
        buckets: dict[int, int] = {}
        for request in subscriber.requests:
            buckets[int((request.at - t0) // 2)] = buckets.get(int((request.at - t0) // 2), 0) + 1
        print(sorted(buckets.items()))

        await _wait_ready(base)
        async with httpx.AsyncClient(base_url=base, headers=ADMIN) as client:

            async def none_left() -> bool:
                return await deliveries(client, status=["pending", "failing", "dead"]) == []

            await eventually(none_left, timeout=30, interval=0.5)
            response = await client.get("/api/deliveries", params={"range": "[0,0]"})
            assert response.headers["content-range"].endswith("/3000")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
