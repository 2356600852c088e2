"""Login, lockout and the first admin."""

from suivi_kit.testing import auth


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
