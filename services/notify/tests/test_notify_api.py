"""The HTTP contract: auth, react-admin lists, validation, versions, health."""

from __future__ import annotations

import asyncio
import json

import httpx
from notify_support import Reply, create_subscription
from suivi_kit.auth import issue_token


async def test_subscriptions_and_deliveries_are_for_administrators(js, notify):
    async with notify() as (app, client):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://notify") as anonymous:
            assert (await anonymous.get("/api/subscriptions")).status_code == 401
            viewer = {"Authorization": f"Bearer {issue_token('v', 'monitor')}"}
            response = await anonymous.get("/api/deliveries", headers=viewer)
            assert response.status_code == 403 and response.json()["message"]
            assert (await anonymous.get("/healthz")).status_code == 200
            ready = await anonymous.get("/readyz")
            assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "nats": "ok"}


async def test_react_admin_list_contract(js, notify):
    async with notify() as (_app, client):
        for n in range(3):
            await create_subscription(client, f"https://hooks.example.org/{n}", description=f"newsroom {n}")
        response = await client.get(
            "/api/subscriptions",
            params={"sort": '["id","DESC"]', "range": "[0,1]", "filter": json.dumps({"q": "newsroom"})},
        )
        assert response.status_code == 200
        assert response.headers["content-range"] == "subscriptions 0-1/3"
        assert [row["id"] for row in response.json()] == [3, 2]
        response = await client.get("/api/subscriptions", params={"filter": '{"id":[1,3]}'})
        assert [row["id"] for row in response.json()] == [1, 3]
        response = await client.get("/api/deliveries", params={"filter": '{"status":"dead"}'})
        assert response.json() == [] and response.headers["content-range"] == "deliveries */0"
        assert (
            await client.get("/api/subscriptions", params={"sort": '["secret","ASC"]'})
        ).status_code == 400
        assert (await client.get("/api/deliveries", params={"range": "[5,1]"})).status_code == 400


async def test_validation_versions_and_delete(js, notify):
    async with notify() as (_app, client):
        response = await client.post(
            "/api/subscriptions",
            json={
                "url": "https://h.example.org/",
                "event_types": ["suivi..x"],
                "filter": {"statuses": ["done"]},
            },
        )
        assert response.status_code == 422
        assert set(response.json()["errors"]) == {"event_types", "filter.statuses"}
        assert (
            await client.post("/api/subscriptions", json={"url": "ftp://h.example.org/"})
        ).status_code == 422

        created = await create_subscription(
            client,
            "https://h.example.org/",
            event_types=["suivi.commitment.*"],
            filter={"topics": ["funding"], "commitment_ids": [1, "2"], "statuses": ["achieved"]},
        )
        assert created["filter"]["commitment_ids"] == ["1", "2"] and created["version"] == 1
        updated = await client.put(
            f"/api/subscriptions/{created['id']}",
            json={**created, "description": "changed", "secret": "ignored"},
        )
        assert updated.status_code == 200 and updated.json()["version"] == 2
        assert updated.json()["event_types"] == ["suivi.commitment.*"]
        stale = await client.put(
            f"/api/subscriptions/{created['id']}", json={"description": "x", "version": 1}
        )
        assert stale.status_code == 409
        assert (await client.delete(f"/api/subscriptions/{created['id']}")).status_code == 200
        assert (await client.get(f"/api/subscriptions/{created['id']}")).status_code == 404
        assert (await client.post("/api/deliveries/999/redeliver")).status_code == 404
        bad = await client.post("/api/deliveries/redeliver", json={"since": "yesterday"})
        assert bad.status_code == 422 and "since" in bad.json()["errors"]


async def test_ids_beyond_64_bits_are_refused_not_a_500(js, notify):
    async with notify() as (_app, client):
        for path in (f"/api/subscriptions/{2**63}", f"/api/deliveries/{2**63}", "/api/subscriptions/0"):
            assert (await client.get(path)).status_code == 422


async def test_stopping_leaves_no_task_behind(js, notify, subscriber):
    subscriber.script("/slow", Reply(200, delay=5.0))
    before = set(asyncio.all_tasks())
    async with notify() as (_app, client):
        subscription = await create_subscription(client, subscriber.url("/slow"))
        await client.post(f"/api/subscriptions/{subscription['id']}/test")
        await asyncio.sleep(0.3)  # an attempt is under way when the app stops
        started = [task for task in asyncio.all_tasks() - before if not task.done()]
        assert any((task.get_name() or "").startswith("notify-") for task in started)
    await asyncio.sleep(0)
    left = [task for task in asyncio.all_tasks() - before if not task.done()]
    assert not [task for task in left if "suivi_notify" in repr(task.get_coro())], left
