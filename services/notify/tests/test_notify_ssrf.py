"""Acceptance 3: private, loopback, link-local and shared addresses are refused as targets."""

from __future__ import annotations

from notify_support import Reply, create_subscription, deliveries, eventually
from suivi_notify.sender import WebhookSender

REFUSED_LITERALS = [
    "http://127.0.0.1/hook",
    "http://[::1]/hook",
    "http://10.0.0.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/hook",
    "http://192.168.1.10:8080/hook",
    "http://[fd00::1]/hook",
    "http://0.0.0.0/hook",
]
# Refused whatever SUIVI_ALLOW_PRIVATE_ADDRESSES says: they cannot be read one way only.
UNREADABLE = [
    "http://0177.0.0.1:8791/",
    "http://2130706433/",
    "http://0x7f.0.0.1/",
    "http://127.1/",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[64:ff9b::a00:1]/hook",
    "http://hooks.example.org/a b",
    "http://hooks.example.org/\r\nX-Injected: 1",
    "http://hooks.example.org/\x00",
    "http://user:pw@hooks.example.org/",
    "ftp://hooks.example.org/",
    "http://hooks.example.org\\@127.0.0.1/",
]


async def test_literal_private_targets_are_refused_at_create_and_update(js, notify, subscriber):
    async with notify(allow_private_addresses=False) as (_app, client):
        for url in REFUSED_LITERALS + UNREADABLE:
            response = await client.post("/api/subscriptions", json={"url": url})
            assert response.status_code == 422, url
            body = response.json()
            assert "url" in body["errors"] and body["message"]
        ok = await create_subscription(client, "https://hooks.example.org/suivi")
        response = await client.put(f"/api/subscriptions/{ok['id']}", json={"url": "http://10.1.2.3/"})
        assert response.status_code == 422 and "url" in response.json()["errors"]


async def test_a_name_resolving_to_a_private_address_fails_the_attempt(js, notify, subscriber):
    async with notify(allow_private_addresses=False) as (_app, client):
        subscription = await create_subscription(client, subscriber.url("/hook", host="localhost"))
        response = await client.post(f"/api/subscriptions/{subscription['id']}/test")
        assert response.status_code == 202

        async def attempted() -> bool:
            rows = await deliveries(client)
            return bool(rows) and rows[0]["attempts"] >= 1

        await eventually(attempted)
        [row] = await deliveries(client)
        assert row["status"] in ("failing", "dead")
        assert "refused" in row["last_error"] and "localhost" in row["last_error"]
        assert row["last_response_code"] is None
    assert subscriber.requests == []


async def test_redirects_are_not_followed(subscriber):
    inner = subscriber.url("/internal")
    subscriber.script("/outer", Reply(302, b"", headers={"location": inner}))
    sender = WebhookSender(timeout=2.0, allow_private=True)
    try:
        result = await sender.send(subscriber.url("/outer"), "msg_1", "{}", ["whsec_" + "A" * 43 + "="])
    finally:
        await sender.aclose()
    assert not result.ok and result.response_code == 302
    assert "redirect" in result.error and inner in result.error
    assert subscriber.on("/internal") == []


async def test_urls_that_cannot_be_read_one_way_only_are_refused_even_when_private_is_allowed(notify):
    async with notify(allow_private_addresses=True) as (_app, client):
        for url in UNREADABLE:
            response = await client.post("/api/subscriptions", json={"url": url})
            assert response.status_code == 422, url
            assert response.json()["errors"]["url"]


async def test_the_url_is_kept_in_normal_form(notify):
    async with notify(allow_private_addresses=False) as (_app, client):
        created = await create_subscription(client, "HTTPS://Hooks.Example.ORG:443/suivi/é?x=1")
        assert created["url"] == "https://hooks.example.org/suivi/%C3%A9?x=1"
