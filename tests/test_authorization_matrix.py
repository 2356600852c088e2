"""Who may call what: every route of every service × anonymous, viewer, monitor, admin.

The matrix is generated from the apps' own route tables, so a new route without a rule in
RULES fails `test_every_route_has_a_rule` until someone decides who may call it. Each rule is
checked twice: statically (the `require(role)` dependency found in the route's dependency
tree says the same) and by calling the route in-process as each role (anonymous gets 401,
a too-low role 403, an allowed role anything but 401/403 and never a 5xx).

Also here: the login lockout, expired and forged tokens, CORS limited to the configured
origins, and the security headers of the UI.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import httpx
import jwt
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from suivi_commitments.main import create_app as commitments_app
from suivi_ingest.main import create_app as ingest_app
from suivi_kit import auth as auth_module
from suivi_kit.auth import issue_token
from suivi_kit.events import utcnow
from suivi_kit.settings import Settings, get_settings
from suivi_notify.main import create_app as notify_app
from suivi_testing import ServicesSettings, auth, serving

from suivi.gateway import SECURITY_HEADERS, Gateway

ROLES = ("anonymous", "viewer", "monitor", "admin")
PUBLIC = "public"
ALLOWED_ORIGIN = "https://monitor.example.org"

# (method, path) → the lowest role that may call it, or PUBLIC. HEAD follows GET.
RULES: dict[str, dict[tuple[str, str], str]] = {
    "commitments": {
        ("POST", "/api/auth/login"): PUBLIC,
        ("GET", "/api/auth/me"): "viewer",
        ("GET", "/api/commitments"): "viewer",
        ("GET", "/api/commitments/export"): "viewer",
        ("GET", "/api/commitments/{commitment_id}"): "viewer",
        ("POST", "/api/commitments"): "monitor",
        ("PUT", "/api/commitments/{commitment_id}"): "monitor",
        ("DELETE", "/api/commitments/{commitment_id}"): "admin",
        ("GET", "/api/status_changes"): "viewer",
        ("GET", "/api/status_changes/{change_id}"): "viewer",
        ("POST", "/api/status_changes"): "monitor",
        ("GET", "/api/evidence"): "viewer",
        ("GET", "/api/evidence/{evidence_id}"): "viewer",
        ("GET", "/api/evidence/{evidence_id}/archive"): "viewer",
        ("POST", "/api/evidence"): "monitor",
        ("GET", "/api/users"): "admin",
        ("GET", "/api/users/{user_id}"): "admin",
        ("POST", "/api/users"): "admin",
        ("PUT", "/api/users/{user_id}"): "admin",
        ("DELETE", "/api/users/{user_id}"): "admin",
        ("GET", "/api/audit"): "admin",
        ("GET", "/api/stats"): "viewer",
    },
    "ingest": {
        ("GET", "/api/documents"): "viewer",
        ("POST", "/api/documents"): "monitor",
        ("GET", "/api/documents/{document_id}"): "viewer",
        ("GET", "/api/documents/{document_id}/text"): "viewer",
        ("DELETE", "/api/documents/{document_id}"): "admin",
    },
    "notify": {
        ("GET", "/api/subscriptions"): "admin",
        ("POST", "/api/subscriptions"): "admin",
        ("GET", "/api/subscriptions/{subscription_id}"): "admin",
        ("PUT", "/api/subscriptions/{subscription_id}"): "admin",
        ("DELETE", "/api/subscriptions/{subscription_id}"): "admin",
        ("POST", "/api/subscriptions/{subscription_id}/rotate_secret"): "admin",
        ("POST", "/api/subscriptions/{subscription_id}/test"): "admin",
        ("GET", "/api/deliveries"): "admin",
        ("POST", "/api/deliveries/redeliver"): "admin",
        ("GET", "/api/deliveries/{delivery_id}"): "admin",
        ("POST", "/api/deliveries/{delivery_id}/redeliver"): "admin",
    },
}
# What every service app serves besides its API: probes, metrics for Prometheus, its own docs.
for _rules in RULES.values():
    _rules.update(
        {
            ("GET", "/healthz"): PUBLIC,
            ("GET", "/readyz"): PUBLIC,
            ("GET", "/metrics"): PUBLIC,
            ("GET", "/openapi.json"): PUBLIC,
            ("GET", "/docs"): PUBLIC,
            ("GET", "/docs/oauth2-redirect"): PUBLIC,
        }
    )

FACTORIES = {"commitments": commitments_app, "ingest": ingest_app, "notify": notify_app}
MISSING_ID = "987654"  # path parameters point at nothing: no call of the matrix changes data


@dataclass(frozen=True)
class RouteInfo:
    method: str
    path: str
    declared_role: str | None  # from the require(role) dependency, None when there is none


def _walk(routes):
    """Every route, descending into FastAPI's included routers (wrapped since 0.165)."""
    for route in routes:
        candidates = getattr(route, "effective_candidates", None)
        if candidates is not None:
            yield from _walk(candidates())
        else:
            yield route


def _declared_roles(dependant) -> set[str]:
    roles: set[str] = set()
    for dependency in dependant.dependencies:
        role = getattr(dependency.call, "required_role", None)
        if role:
            roles.add(role)
        roles |= _declared_roles(dependency)
    return roles


def route_table(app: FastAPI) -> list[RouteInfo]:
    table: list[RouteInfo] = []
    for route in _walk(app.router.routes):
        original = getattr(route, "original_route", route)
        path = getattr(route, "path", None) or getattr(original, "path", None)
        methods = getattr(original, "methods", None) or set()
        declared = None
        if isinstance(original, APIRoute):
            roles = _declared_roles(original.dependant)
            assert len(roles) <= 1, f"{path} declares several roles: {roles}"
            declared = next(iter(roles), None)
        for method in sorted(methods - {"HEAD"}):
            table.append(RouteInfo(method, path, declared))
    return table


def _settings(tmp_path, nats_url: str, **overrides) -> Settings:
    return ServicesSettings(
        data_dir=tmp_path,
        nats_url=nats_url,
        admin_password="matrix-admin-pass-1",
        **overrides,
    )


@asynccontextmanager
async def running(settings: Settings):
    """The three services in-process, lifespans run, one httpx client each."""
    async with AsyncExitStack() as stack:
        clients: dict[str, httpx.AsyncClient] = {}
        for name, factory in FACTORIES.items():
            clients[name] = await stack.enter_async_context(serving(factory(settings)))
        yield clients


@pytest.fixture(scope="module")
async def services(tmp_path_factory, nats_server):
    settings = _settings(
        tmp_path_factory.mktemp("matrix"),
        nats_server.url,
        cors_origins=[ALLOWED_ORIGIN],
        login_max_failures=3,
    )
    async with running(settings) as clients:
        yield clients


def _headers(role: str) -> dict[str, str]:
    return {} if role == "anonymous" else auth(role, f"matrix-{role}")


def _expected(rule: str, role: str) -> str:
    if rule == PUBLIC:
        return "allowed"
    if role == "anonymous":
        return "401"
    return "allowed" if ROLES.index(role) >= ROLES.index(rule) else "403"


def test_every_route_has_a_rule():
    """A route nobody wrote a rule for fails here: decide who may call it, then add it to RULES."""
    missing, stale, mismatched = [], [], []
    for service, factory in FACTORIES.items():
        app = factory(Settings(data_dir="unused", nats_url="nats://127.0.0.1:1"))
        table = route_table(app)
        seen = {(r.method, r.path) for r in table}
        for info in table:
            rule = RULES[service].get((info.method, info.path))
            if rule is None:
                missing.append(f"{service}: {info.method} {info.path}")
            elif (rule if rule != PUBLIC else None) != info.declared_role:
                mismatched.append(
                    f"{service}: {info.method} {info.path} rule {rule}, code {info.declared_role}"
                )
        stale += [f"{service}: {m} {p}" for (m, p) in RULES[service] if (m, p) not in seen]
        # the OpenAPI document lists the same API routes: nothing hides from the fuzzing either
        documented = {(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops}
        assert documented <= seen, documented - seen
    assert not missing, "routes without an authorization rule:\n" + "\n".join(missing)
    assert not mismatched, "rule and code disagree:\n" + "\n".join(mismatched)
    assert not stale, "rules for routes that no longer exist:\n" + "\n".join(stale)


async def test_matrix(services):
    """Every route × every role, called for real; the count goes into docs/reliability.md."""
    failures, checked = [], 0
    for service, client in services.items():
        for info in route_table(client.app):
            rule = RULES[service][(info.method, info.path)]
            path = info.path.replace("{", "").replace("}", "")
            path = "/".join(MISSING_ID if part.endswith("_id") else part for part in path.split("/"))
            body = {} if info.method in ("POST", "PUT") else None
            for role in ROLES:
                response = await client.request(info.method, path, json=body, headers=_headers(role))
                checked += 1
                expected = _expected(rule, role)
                got = response.status_code
                ok = (got not in (401, 403) and got < 500) if expected == "allowed" else got == int(expected)
                if not ok:
                    failures.append(
                        f"{service} {info.method} {info.path} as {role}: {got}, expected {expected}"
                    )
                if got in (401, 403):
                    assert "message" in response.json(), response.text
    print(f"authorization matrix: {checked} route × role calls")
    assert checked >= 4 * 38
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(
            lambda: issue_token("mallory", "admin", secret="not-the-server-key-0123456789abcdef"),
            id="wrong-key",
        ),
        pytest.param(lambda: issue_token("mallory", "superuser"), id="unknown-role"),
        pytest.param(
            lambda: jwt.encode({"sub": "mallory", "role": "admin"}, key="", algorithm="none"), id="alg-none"
        ),
        pytest.param(
            lambda: jwt.encode(
                {"sub": "mallory", "role": "admin", "exp": utcnow() - timedelta(seconds=5)},
                get_settings().secret_key,
                algorithm="HS256",
            ),
            id="expired",
        ),
        pytest.param(lambda: "not.a.token", id="garbage"),
    ],
)
async def test_bad_tokens_are_refused_everywhere(services, token):
    headers = {"Authorization": f"Bearer {token()}"}
    for client, path in (
        (services["commitments"], "/api/users"),
        (services["ingest"], "/api/documents"),
        (services["notify"], "/api/subscriptions"),
    ):
        response = await client.get(path, headers=headers)
        assert response.status_code == 401, (path, response.text)
        assert response.headers["www-authenticate"] == "Bearer"


async def test_token_expires_after_its_ttl(services, monkeypatch):
    token = issue_token("viewer-ttl", "viewer", ttl_minutes=1)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 60
    headers = {"Authorization": f"Bearer {token}"}
    assert (await services["commitments"].get("/api/auth/me", headers=headers)).status_code == 200
    # the same claims, one second past their expiry
    stale = dict(claims, iat=claims["iat"] - 61, exp=claims["exp"] - 61)
    expired = jwt.encode(stale, get_settings().secret_key, algorithm="HS256")
    response = await services["commitments"].get(
        "/api/auth/me", headers={"Authorization": f"Bearer {expired}"}
    )
    assert response.status_code == 401
    assert "expired" in response.json()["message"]
    # the token accepted above (its verification is cached) is refused once its minute is over
    monkeypatch.setattr(auth_module.time, "time", lambda: claims["exp"] + 1)
    response = await services["commitments"].get("/api/auth/me", headers=headers)
    assert response.status_code == 401 and "expired" in response.json()["message"]


async def test_login_lockout(services):
    """settings.login_max_failures (3 here) wrong passwords lock the account: 429, even for the right one."""
    client = services["commitments"]
    admin = auth("admin", "admin")
    created = await client.post(
        "/api/users",
        json={"username": "lockme", "password": "right-password-1", "role": "viewer"},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    for _ in range(3):
        wrong = await client.post("/api/auth/login", json={"username": "lockme", "password": "wrong-guess-1"})
        assert wrong.status_code == 401
    locked = await client.post("/api/auth/login", json={"username": "lockme", "password": "right-password-1"})
    assert locked.status_code == 429 and "try again" in locked.json()["message"]
    # an unknown account answers exactly like a wrong password: no user enumeration
    unknown = await client.post("/api/auth/login", json={"username": "nobody-here", "password": "x"})
    wrong = await client.post("/api/auth/login", json={"username": "admin", "password": "wrong-guess-1"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()
    # the lock is per account: the admin still logs in (after one failure, well below the limit)
    ok = await client.post("/api/auth/login", json={"username": "admin", "password": "matrix-admin-pass-1"})
    assert ok.status_code == 200


@pytest.mark.parametrize("service", list(FACTORIES))
async def test_cors_only_for_configured_origins(services, service):
    client = services[service]
    path = {"commitments": "/api/commitments", "ingest": "/api/documents", "notify": "/api/subscriptions"}[
        service
    ]
    headers = {**auth("admin", "admin"), "Range": "x=0-9"}
    allowed = await client.get(path, headers={**headers, "Origin": ALLOWED_ORIGIN})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "content-range" in allowed.headers["access-control-expose-headers"].lower()
    preflight = await client.options(
        path,
        headers={
            "Origin": ALLOWED_ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization,range",
        },
    )
    assert preflight.status_code == 200
    assert "range" in preflight.headers["access-control-allow-headers"].lower()

    other = await client.get(path, headers={**headers, "Origin": "https://evil.example.com"})
    assert "access-control-allow-origin" not in other.headers
    refused = await client.options(
        path, headers={"Origin": "https://evil.example.com", "Access-Control-Request-Method": "DELETE"}
    )
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers


async def test_no_cors_without_configured_origins(tmp_path, nats_server):
    app = commitments_app(_settings(tmp_path, nats_server.url))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://suivi.test"
    ) as client:
        response = await client.get("/healthz", headers={"Origin": ALLOWED_ORIGIN})
    assert "access-control-allow-origin" not in response.headers


async def test_every_api_response_says_nosniff(services):
    """Every route of every service, answering or refusing: no browser guesses a content type."""
    missing = []
    for service, client in services.items():
        for info in route_table(client.app):
            path = info.path.replace("{", "").replace("}", "")
            path = "/".join(MISSING_ID if part.endswith("_id") else part for part in path.split("/"))
            for role in ("anonymous", "admin"):
                response = await client.request(info.method, path, headers=_headers(role))
                if response.headers.get("x-content-type-options") != "nosniff":
                    missing.append(f"{service} {info.method} {path} as {role}: {response.status_code}")
    assert not missing, "\n".join(missing)


async def test_tokens_and_secrets_are_never_stored_by_browsers_or_proxies(services):
    commitments, notify = services["commitments"], services["notify"]
    admin = auth("admin", "admin")
    login = await commitments.post(
        "/api/auth/login", json={"username": "admin", "password": "matrix-admin-pass-1"}
    )
    created = await notify.post(
        "/api/subscriptions",
        json={"url": "https://hooks.example.org/suivi", "active": False},  # inactive: never called
        headers=admin,
    )
    assert created.status_code == 201 and created.json()["secret"].startswith("whsec_")
    rotated = await notify.post(f"/api/subscriptions/{created.json()['id']}/rotate_secret", headers=admin)
    responses = {
        "login": login,
        "subscription created": created,
        "secret rotated": rotated,
        "users": await commitments.get("/api/users", headers=admin),
        "audit": await commitments.get("/api/audit", headers=admin),
        "subscriptions": await notify.get("/api/subscriptions", headers=admin),
    }
    for name, response in responses.items():
        assert response.status_code < 300, (name, response.text)
        assert response.headers["cache-control"] == "no-store", name
        assert response.headers["x-content-type-options"] == "nosniff", name


@pytest.mark.parametrize("path", ["/", "/index.html", "/commitments/12/show", "/../../etc/passwd"])
async def test_ui_security_headers(tmp_path, path):
    ui = tmp_path / "dist"
    ui.mkdir()
    (ui / "index.html").write_text("<!doctype html><title>Suivi</title>")
    (tmp_path / "secret.txt").write_text("outside the UI")
    gateway = Gateway({}, ui)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=gateway), base_url="http://suivi.test"
    ) as client:
        response = await client.get(path)
    assert response.status_code == 200
    assert "outside the UI" not in response.text
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert response.headers["x-frame-options"] == "DENY"


async def test_the_one_origin_describes_its_api_and_refuses_unknown_api_paths(services, tmp_path):
    ui = tmp_path / "dist"
    ui.mkdir()
    (ui / "index.html").write_text("<!doctype html><title>Suivi</title>")
    gateway = Gateway({name: client.app for name, client in services.items()}, ui)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=gateway), base_url="http://suivi.test"
    ) as client:
        described = await client.get("/openapi.json")
        unknown = await client.get("/api/no-such-thing", headers=auth("admin", "admin"))
    assert described.status_code == 200 and described.headers["content-type"] == "application/json"
    paths = described.json()["paths"]
    for service, rules in RULES.items():
        for method, path in rules:
            if path.startswith("/api/"):
                assert method.lower() in paths[path], f"{service}: {method} {path} is not described"
    assert unknown.status_code == 404 and unknown.json()["message"]


async def test_a_deleted_account_loses_access(services):
    """The commitments service, which owns the accounts, refuses the token of a deleted account
    (every service does: see the test below)."""
    client = services["commitments"]
    admin = auth("admin", "admin")
    created = await client.post(
        "/api/users",
        json={"username": "leaver", "password": "leaver-pass-1", "role": "monitor"},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    login = await client.post("/api/auth/login", json={"username": "leaver", "password": "leaver-pass-1"})
    token = {"Authorization": f"Bearer {login.json()['access_token']}"}
    assert (await client.delete(f"/api/users/{created.json()['id']}", headers=admin)).status_code == 200
    response = await client.post("/api/commitments", json={"text": "Nous partons."}, headers=token)
    assert response.status_code == 401, response.text


CHANGES = {  # how an administrator ends an account's sessions
    "disabled": lambda client, user_id, admin: client.put(f"/api/users/{user_id}", json={"active": False}, headers=admin),
    "deleted": lambda client, user_id, admin: client.delete(f"/api/users/{user_id}", headers=admin),
    "demoted": lambda client, user_id, admin: client.put(f"/api/users/{user_id}", json={"role": "viewer"}, headers=admin),
    "password changed": lambda client, user_id, admin: client.put(
        f"/api/users/{user_id}", json={"password": "a-new-password-2"}, headers=admin
    ),
}  # fmt: skip
ADMIN_READS = {"commitments": "/api/users", "ingest": "/api/documents", "notify": "/api/subscriptions"}


@pytest.mark.parametrize("change", list(CHANGES))
async def test_an_account_change_ends_its_sessions_on_every_service_within_a_second(services, change):
    """Issue 15, items 1 and 2: the old token of a disabled, deleted, demoted admin, or of one
    whose password changed, is refused by commitments, ingest and notify, within 1 s."""
    commitments, admin = services["commitments"], auth("admin", "admin")
    name = f"leaving-{change.replace(' ', '-')}"
    created = await commitments.post(
        "/api/users", json={"username": name, "password": "leaver-pass-1", "role": "admin"}, headers=admin
    )
    assert created.status_code == 201, created.text
    login = await commitments.post("/api/auth/login", json={"username": name, "password": "leaver-pass-1"})
    token = {"Authorization": f"Bearer {login.json()['access_token']}"}
    for service, path in ADMIN_READS.items():
        assert (await services[service].get(path, headers=token)).status_code == 200, service

    assert (await CHANGES[change](commitments, created.json()["id"], admin)).status_code == 200
    changed_at = time.monotonic()
    refused: dict[str, float] = {}
    while len(refused) < len(ADMIN_READS) and time.monotonic() - changed_at < 1.0:
        for service, path in ADMIN_READS.items():
            if (
                service not in refused
                and (await services[service].get(path, headers=token)).status_code == 401
            ):
                refused[service] = time.monotonic() - changed_at
        await asyncio.sleep(0.01)
    assert set(refused) == set(ADMIN_READS), f"still accepted after 1 s by {set(ADMIN_READS) - set(refused)}"
    print(f"{change}: refused after " + ", ".join(f"{s} {t * 1000:.0f} ms" for s, t in refused.items()))
    if change == "password changed":  # a new login works, with the new password only
        again = await commitments.post(
            "/api/auth/login", json={"username": name, "password": "a-new-password-2"}
        )
        fresh = {"Authorization": f"Bearer {again.json()['access_token']}"}
        for service, path in ADMIN_READS.items():
            assert (await services[service].get(path, headers=fresh)).status_code == 200, service
