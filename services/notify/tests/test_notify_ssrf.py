"""Acceptance 3: private, loopback, link-local and shared addresses are refused as targets."""

from __future__ import annotations

import ipaddress

import pytest
from notify_support import Reply, create_subscription, deliveries, eventually
from suivi_kit.safe_http import is_public as address_allowed
from suivi_notify.sender import WebhookSender
from suivi_notify.ssrf import TargetRefused, check_url, resolve_public

REFUSED_LITERALS = [
    "http://127.0.0.1/hook",
    "http://[::1]/hook",
    "http://10.0.0.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/hook",
    "http://192.168.1.10:8080/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[fd00::1]/hook",
    "http://0.0.0.0/hook",
]


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "::1", "10.0.0.1", "169.254.169.254", "100.64.0.1", "::ffff:10.0.0.1", "fe80::1",
     "64:ff9b::a00:1", "2002:7f00:1::1", "224.0.0.1", "0.0.0.0"],
)  # fmt: skip
def test_non_public_addresses_are_not_allowed(address):
    assert not address_allowed(ipaddress.ip_address(address))


def test_public_addresses_are_allowed():
    assert address_allowed(ipaddress.ip_address("93.184.216.34"))
    assert address_allowed(ipaddress.ip_address("2606:4700::1111"))
    assert check_url("https://hooks.example.org/x", allow_private=False) is None
    assert check_url("ftp://example.org/", allow_private=False)
    assert check_url("http://user:pw@example.org/", allow_private=False)


async def test_a_name_resolving_to_loopback_is_refused():
    with pytest.raises(TargetRefused, match="127.0.0.1|::1"):
        await resolve_public("localhost", 80)


async def test_literal_private_targets_are_refused_at_create_and_update(js, notify, subscriber):
    async with notify(webhook_allow_private=False) as (_app, client):
        for url in REFUSED_LITERALS:
            response = await client.post("/api/subscriptions", json={"url": url})
            assert response.status_code == 422, url
            body = response.json()
            assert "url" in body["errors"] and body["message"]
        ok = await create_subscription(client, "https://hooks.example.org/suivi")
        response = await client.put(f"/api/subscriptions/{ok['id']}", json={"url": "http://10.1.2.3/"})
        assert response.status_code == 422 and "url" in response.json()["errors"]


async def test_a_name_resolving_to_a_private_address_fails_the_attempt(js, notify, subscriber):
    async with notify(webhook_allow_private=False) as (_app, client):
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


async def test_the_checked_address_is_connected_with_the_original_host_name():
    sender = WebhookSender(timeout=2.0, allow_private=False)
    try:
        request = await sender._request("https://93.184.216.34:8443/hook?x=1", {}, b"{}")
        assert request.url.host == "93.184.216.34" and request.headers["host"] == "93.184.216.34:8443"
        with pytest.raises(TargetRefused):
            await sender._request("http://localhost:9/hook", {}, b"{}")
        with pytest.raises(TargetRefused):
            await sender._request("http://[::ffff:169.254.169.254]/", {}, b"{}")
    finally:
        await sender.aclose()
