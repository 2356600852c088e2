"""Login, lockout and the first admin."""

import time

import httpx
from suivi_testing import auth


async def test_login_and_lockout(client):
    created = await client.post(
        "/api/users",
        json={"username": "mona", "password": "correct-horse-1", "role": "monitor"},
        headers=auth("admin"),
    )
    assert created.status_code == 201
    assert "password" not in created.json() and "password_hash" not in created.json()
    ok = await client.post("/api/auth/login", json={"username": "mona", "password": "correct-horse-1"})
    assert ok.status_code == 200 and ok.json()["role"] == "monitor"
    me = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {ok.json()['access_token']}"})
    assert me.json() == {"username": "mona", "role": "monitor"}
    for _ in range(5):
        bad = await client.post("/api/auth/login", json={"username": "mona", "password": "wrong"})
        assert bad.status_code == 401
    locked = await client.post("/api/auth/login", json={"username": "mona", "password": "correct-horse-1"})
    assert locked.status_code == 429 and "try again" in locked.json()["message"]


def from_address(client, address: str) -> httpx.AsyncClient:
    """Another client of the same app, as seen from `address` (in-process: nothing is sent)."""
    transport = httpx.ASGITransport(app=client.app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://suivi.test")


async def failed_login_seconds(client, username: str) -> float:
    started = time.perf_counter()
    response = await client.post("/api/auth/login", json={"username": username, "password": "wrong-guess"})
    assert response.status_code == 401
    return time.perf_counter() - started


async def test_an_unknown_name_fails_like_an_account_in_time_and_lockout(client):
    known = sorted([await failed_login_seconds(client, "admin") for _ in range(3)])[1]
    unknown = sorted([await failed_login_seconds(client, "nobody-here") for _ in range(3)])[1]
    assert unknown > known / 2, f"unknown name {unknown * 1000:.0f} ms, account {known * 1000:.0f} ms"
    for name in ("admin", "nobody-here"):  # 3 failures each so far; the 5th locks, for both alike
        for _ in range(2):
            await client.post("/api/auth/login", json={"username": name, "password": "wrong-guess"})
        locked = await client.post("/api/auth/login", json={"username": name, "password": "adminpass1"})
        assert locked.status_code == 429, (name, locked.text)


async def test_failures_from_one_address_never_lock_an_account_out_for_another(client):
    async with from_address(client, "203.0.113.7") as attacker, from_address(client, "198.51.100.9") as owner:
        for _ in range(5):
            await attacker.post("/api/auth/login", json={"username": "admin", "password": "wrong-guess"})
        locked = await attacker.post("/api/auth/login", json={"username": "admin", "password": "adminpass1"})
        assert locked.status_code == 429
        ok = await owner.post("/api/auth/login", json={"username": "admin", "password": "adminpass1"})
        assert ok.status_code == 200, ok.text
        # many names from one address: the address itself is throttled
        for attempt in range(20):
            await attacker.post("/api/auth/login", json={"username": f"guess{attempt}", "password": "x"})
        throttled = await attacker.post("/api/auth/login", json={"username": "fresh-name", "password": "x"})
        assert throttled.status_code == 429
        again = await owner.post("/api/auth/login", json={"username": "admin", "password": "adminpass1"})
        assert again.status_code == 200


async def test_first_admin_from_settings(client):
    response = await client.post("/api/auth/login", json={"username": "admin", "password": "adminpass1"})
    assert response.status_code == 200 and response.json()["role"] == "admin"


async def test_duplicate_user_is_409(client):
    payload = {"username": "dup", "password": "long-enough-1", "role": "viewer"}
    assert (await client.post("/api/users", json=payload, headers=auth("admin"))).status_code == 201
    again = await client.post("/api/users", json=payload, headers=auth("admin"))
    assert again.status_code == 409 and again.json()["errors"] == {"username": "taken"}


async def test_a_look_alike_of_an_existing_name_is_refused(client):
    for look_alike in ("Admin", "ADMIN", "aDmIn"):
        response = await client.post(
            "/api/users", json={"username": look_alike, "password": "long-enough-1"}, headers=auth("admin")
        )
        assert response.status_code == 409, response.text
        assert "'admin'" in response.json()["message"] and response.json()["errors"] == {"username": "taken"}
    fullwidth = await client.post(  # NFKC would fold it to "admin": refused by the name's alphabet first
        "/api/users", json={"username": "ａｄｍｉｎ", "password": "long-enough-1"}, headers=auth("admin")
    )
    assert fullwidth.status_code == 422


async def test_audit_log_records_writes(client):
    await client.post(
        "/api/commitments", json={"text": "Nous décidons de créer un fonds."}, headers=auth("monitor", "bob")
    )
    audit = (await client.get("/api/audit", headers=auth("admin"))).json()
    assert any(
        e["actor"] == "bob" and e["action"] == "create" and e["resource"] == "commitments" for e in audit
    )
    assert (await client.get("/api/audit", headers=auth("monitor"))).status_code == 403


async def test_a_new_password_lifts_the_lockout_of_that_name_only(client):
    for name in ("mo_na", "mobna"):  # "_" is a LIKE wildcard: the lift must not reach "mobna"
        payload = {"username": name, "password": "first-pass-1", "role": "viewer"}
        assert (await client.post("/api/users", json=payload, headers=auth("admin"))).status_code == 201
        for _ in range(5):
            await client.post("/api/auth/login", json={"username": name, "password": "wrong-guess"})
    users = {u["username"]: u["id"] for u in (await client.get("/api/users", headers=auth("admin"))).json()}
    for name in ("mo_na", "mobna"):
        assert (
            await client.put(
                f"/api/users/{users[name]}", json={"password": "second-pass-2"}, headers=auth("admin")
            )
        ).status_code == 200
        if name == "mo_na":
            still = await client.post(
                "/api/auth/login", json={"username": "mobna", "password": "first-pass-1"}
            )
            assert still.status_code == 429
    ok = await client.post("/api/auth/login", json={"username": "mo_na", "password": "second-pass-2"})
    assert ok.status_code == 200, ok.text
