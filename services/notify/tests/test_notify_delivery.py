"""Delivery: retries until success, signatures, dead letters and redelivery, 410, rotation."""

from __future__ import annotations

import json

import nats
import standardwebhooks
import svix.webhooks
from notify_support import (
    Reply,
    create_subscription,
    deliveries,
    eventually,
    send_events,
    status_changed,
)
from suivi_contracts import subjects
from suivi_contracts.events import AccountChanged
from suivi_kit.events import new_event
from suivi_notify.sender import WebhookSender
from suivi_notify.subscriptions.models import Subscription


async def test_500_three_times_then_200_is_delivered_on_the_fourth_attempt(js, notify, subscriber):
    subscriber.script("/hook", 500, 500, 500, 200)
    async with notify() as (_app, client):
        subscription = await create_subscription(client, subscriber.url("/hook"), description="newsroom")
        secret = subscription["secret"]
        assert (
            secret.startswith("whsec_") and "secret" not in (await client.get("/api/subscriptions")).json()[0]
        )
        event = status_changed(7, "achieved")
        await send_events(js, [event])

        received = await subscriber.wait_for(4, "/hook")

        async def succeeded() -> bool:
            rows = await deliveries(client, event_id=event.id)
            return bool(rows) and rows[0]["status"] == "succeeded"

        await eventually(succeeded)
        [row] = await deliveries(client, event_id=event.id)

    assert row["attempts"] == 4
    assert [attempt["response_code"] for attempt in row["attempt_log"]] == [500, 500, 500, 200]
    assert row["last_response_code"] == 200 and row["next_attempt_at"] is None
    assert row["event_type"] == "suivi.commitment.status_changed"
    assert all(attempt["latency_ms"] is not None for attempt in row["attempt_log"])
    assert {request.webhook_id for request in received} == {event.id}
    last = received[-1]
    assert json.loads(last.body) == json.loads(event.to_json())
    headers = {k: v for k, v in last.headers.items() if k.startswith("webhook-")}
    assert standardwebhooks.Webhook(secret).verify(last.body, headers)["id"] == event.id
    svix.webhooks.Webhook(secret).verify(last.body, headers)  # raises when the signature is wrong


async def test_exhausted_schedule_is_dead_then_redelivered(js, notify, subscriber):
    subscriber.default = Reply(500, b"down")
    async with notify(webhook_retry_schedule=(0.05, 0.05)) as (_app, client):
        subscription = await create_subscription(client, subscriber.url("/dead"))
        events = [status_changed(1), status_changed(2)]
        await send_events(js, events)

        async def all_dead() -> bool:
            rows = await deliveries(client)
            return len(rows) == 2 and all(row["status"] == "dead" for row in rows)

        await eventually(all_dead)
        rows = await deliveries(client)
        assert [row["attempts"] for row in rows] == [3, 3]

        subscriber.default = Reply(200)
        response = await client.post(f"/api/deliveries/{rows[0]['id']}/redeliver")
        assert response.status_code == 202, response.text

        async def first_succeeded() -> bool:
            return (await deliveries(client, id=[rows[0]["id"]]))[0]["status"] == "succeeded"

        await eventually(first_succeeded)
        assert (await deliveries(client, id=[rows[1]["id"]]))[0]["status"] == "dead"

        response = await client.post(
            "/api/deliveries/redeliver",
            json={"since": "2000-01-01T00:00:00Z", "subscription_id": subscription["id"]},
        )
        assert response.status_code == 202 and response.json() == {"count": 1}

        async def all_succeeded() -> bool:
            return all(row["status"] == "succeeded" for row in await deliveries(client))

        await eventually(all_succeeded)
        final = await deliveries(client)
        assert [row["attempts"] for row in final] == [4, 4]


async def test_410_gone_disables_the_subscription_and_announces_it(js, notify, subscriber, nats_url):
    nc = await nats.connect(nats_url)
    announced = []

    async def collect(msg) -> None:
        announced.append(json.loads(msg.data))

    await nc.subscribe("suivi.subscription.disabled", cb=collect)
    subscriber.script("/gone", 410)
    try:
        async with notify() as (_app, client):
            subscription = await create_subscription(client, subscriber.url("/gone"))
            await send_events(js, [status_changed(3)])

            async def disabled() -> bool:
                body = (await client.get(f"/api/subscriptions/{subscription['id']}")).json()
                return body["active"] is False

            await eventually(disabled)
            body = (await client.get(f"/api/subscriptions/{subscription['id']}")).json()
            assert "410" in body["disabled_reason"]
            [row] = await deliveries(client)
            assert row["status"] == "dead" and row["last_response_code"] == 410

            async def was_announced() -> bool:
                return bool(announced)

            await eventually(was_announced)
            assert announced[0]["type"] == "suivi.subscription.disabled"
            assert announced[0]["data"]["id"] == subscription["id"]

            # Later events are not fanned out to the disabled subscription.
            await send_events(js, [status_changed(4)])
            response = await client.post(f"/api/subscriptions/{subscription['id']}/test")
            assert response.status_code == 409
    finally:
        await nc.close()


async def test_failing_for_the_configured_time_disables(js, notify, subscriber):
    subscriber.default = Reply(503)
    async with notify(webhook_disable_after_days=0.3 / 86400, webhook_retry_schedule=(0.2,) * 6) as (
        _app,
        client,
    ):
        subscription = await create_subscription(client, subscriber.url("/flaky"))
        await send_events(js, [status_changed(5)])

        async def disabled() -> bool:
            body = (await client.get(f"/api/subscriptions/{subscription['id']}")).json()
            return body["active"] is False

        await eventually(disabled)
        body = (await client.get(f"/api/subscriptions/{subscription['id']}")).json()
        assert "no success" in body["disabled_reason"] and body["failing_since"]


async def test_rotation_signs_with_both_secrets_during_the_grace_period(js, notify, subscriber):
    async with notify() as (_app, client):
        subscription = await create_subscription(client, subscriber.url("/rotate"))
        old = subscription["secret"]
        response = await client.post(f"/api/subscriptions/{subscription['id']}/rotate_secret")
        assert response.status_code == 200, response.text
        new = response.json()["secret"]
        assert new != old and new.startswith("whsec_") and response.json()["previous_secret_expires_at"]

        response = await client.post(f"/api/subscriptions/{subscription['id']}/test")
        assert response.status_code == 202, response.text
        [request] = await subscriber.wait_for(1, "/rotate")
        assert request.webhook_id == response.json()["event_id"]
        assert len(request.headers["webhook-signature"].split(" ")) == 2
        for secret in (old, new):
            payload = standardwebhooks.Webhook(secret).verify(request.body, request.headers)
            svix.webhooks.Webhook(secret).verify(request.body, request.headers)
        assert payload["type"] == "suivi.webhook.test"

    # With no grace period the old secret stops signing at once.
    async with notify(webhook_secret_grace_hours=0) as (_app, client):
        response = await client.post(f"/api/subscriptions/{subscription['id']}/rotate_secret")
        newest = response.json()["secret"]
        await client.post(f"/api/subscriptions/{subscription['id']}/test")
        requests = await subscriber.wait_for(2, "/rotate")
        assert len(requests[1].headers["webhook-signature"].split(" ")) == 1
        standardwebhooks.Webhook(newest).verify(requests[1].body, requests[1].headers)


async def test_response_bodies_are_kept_to_20_kb_and_shown_to_1_kb_in_the_list(js, notify, subscriber):
    subscriber.script("/big", Reply(500, b"x" * 30_000), Reply(200, b"fine"))
    async with notify() as (_app, client):
        await create_subscription(client, subscriber.url("/big"))
        await send_events(js, [status_changed(9)])

        async def done() -> bool:
            rows = await deliveries(client)
            return bool(rows) and rows[0]["status"] == "succeeded"

        await eventually(done)
        [row] = await deliveries(client)
        assert len(row["attempt_log"][0]["response_body"]) == 1024
        full = (await client.get(f"/api/deliveries/{row['id']}")).json()
        assert len(full["attempt_log"][0]["response_body"]) == 20 * 1024
        assert full["attempt_log"][1]["response_body"] == "fine"


# --- poison work: nothing stays pending forever ------------------------------------------------


async def test_a_send_that_raises_unexpectedly_is_a_failed_attempt_and_ends_dead(
    js, notify, subscriber, monkeypatch
):
    async def broken_send(self, url, msg_id, body, secrets):
        raise RuntimeError("the sender broke")

    monkeypatch.setattr(WebhookSender, "send", broken_send)
    async with notify(webhook_retry_schedule=(0.05, 0.05)) as (_app, client):
        subscription = await create_subscription(client, subscriber.url("/poison"))
        await send_events(js, [status_changed(1)])

        async def dead() -> bool:
            rows = await deliveries(client)
            return bool(rows) and rows[0]["status"] == "dead"

        await eventually(dead)
        [row] = await deliveries(client)
        assert row["attempts"] == 3 and row["next_attempt_at"] is None
        assert all("RuntimeError: the sender broke" in a["error"] for a in row["attempt_log"])
        assert row["last_error"].startswith("unexpected error")
        assert (await client.get(f"/api/subscriptions/{subscription['id']}")).json()["active"]


async def test_a_url_stored_before_urls_were_checked_ends_dead_and_the_subscription_disabled(
    js, notify, subscriber
):
    # A subscription accepted by an older version, before 0177.0.0.1 was refused at the door.
    async with notify(webhook_retry_schedule=(0.05, 0.05), webhook_disable_after_days=0.1 / 86400) as (
        app,
        client,
    ):
        subscription = await create_subscription(client, subscriber.url("/hook"))
        async with app.state.db.write() as uow:
            row = await uow.session.get(Subscription, subscription["id"])
            row.url = f"http://0177.0.0.1:{subscriber.port}/"
            uow.session.add(row)
        await send_events(js, [status_changed(1), status_changed(2)])

        async def settled() -> bool:
            rows = await deliveries(client)
            return len(rows) == 2 and all(row["status"] == "dead" for row in rows)

        await eventually(settled)
        rows = await deliveries(client)
        skipped = "The subscription is disabled."
        assert all(row["attempts"] >= 1 or row["last_error"] == skipped for row in rows)
        errors = [attempt["error"] for row in rows for attempt in row["attempt_log"]]
        assert errors and all(error.startswith("refused:") and "0177.0.0.1" in error for error in errors)
        after = (await client.get(f"/api/subscriptions/{subscription['id']}")).json()
        assert after["active"] is False and after["disabled_reason"]
    assert subscriber.requests == []


async def test_an_event_that_breaks_its_contract_is_terminated_and_the_next_ones_delivered(
    js, notify, subscriber
):
    broken = status_changed(3)
    broken.data = {key: value for key, value in broken.data.items() if key != "to_status"}
    fine = status_changed(4)
    async with notify() as (_app, client):
        await create_subscription(client, subscriber.url("/hook"))
        await send_events(js, [broken, fine])
        [request] = await subscriber.wait_for(1, "/hook")
        assert request.webhook_id == fine.id

        async def settled() -> bool:
            return (await js.consumer_info("SUIVI", "notify")).num_ack_pending == 0

        await eventually(settled)
        assert (await js.consumer_info("SUIVI", "notify")).num_redelivered == 0  # terminated, not retried
        assert await deliveries(client, event_id=broken.id) == []


async def test_account_changes_are_never_delivered_to_subscribers(js, notify, subscriber):
    """suivi.account.changed is for the services (token revocation): a subscription to every
    event does not receive it, and notify does not keep it."""
    async with notify() as (_app, client):
        await create_subscription(client, subscriber.url("/everything"))  # no event_types: all of them
        internal = new_event(
            subjects.ACCOUNT_CHANGED, "/suivi/commitments", 5, AccountChanged(user_id=5, revision=12345)
        )
        public = status_changed(8, "achieved")
        await send_events(js, [internal, public])
        received = await subscriber.wait_for(1, "/everything")
        await eventually(lambda: _delivered(client, public.id))
        assert [request.webhook_id for request in received] == [public.id]
        assert await deliveries(client, event_id=internal.id) == []


async def _delivered(client, event_id: str) -> bool:
    return bool(await deliveries(client, event_id=event_id))
