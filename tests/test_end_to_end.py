"""The whole system as users run it: `suivi run`, a document, a status change, a signed webhook.

Runs on the embedded default (SQLite) and with SUIVI_DATABASE_URL on PostgreSQL.
"""

import json
import os
import signal
import subprocess
import time
from datetime import UTC, datetime

import cloudevents.http
import httpx
import pytest
from standardwebhooks import Webhook
from suivi_contracts import subjects
from suivi_contracts.events import PAYLOADS, parse_payload
from suivi_testing import SuiviProcess, WebhookReceiver, wait_until

DOCUMENT = """Déclaration de test sur la gouvernance de l'Internet

1. Nous nous engageons à renouveler le mandat du Forum sur la gouvernance de l'Internet.

2. Nous appelons les donateurs à assurer un financement durable du Forum d'ici 2027.
"""


@pytest.fixture
def suivi(tmp_path, database_url):
    env = {"SUIVI_ALLOW_PRIVATE_ADDRESSES": "1", "SUIVI_LOAD_SAMPLES": "0"}
    if database_url:
        env["SUIVI_DATABASE_URL"] = database_url
    process = SuiviProcess(tmp_path / "data", env)
    process.start()
    yield process
    process.stop()


@pytest.fixture
def receiver():
    hook = WebhookReceiver()
    yield hook
    hook.close()


@pytest.fixture
def everything():
    """A second subscriber, to every event."""
    hook = WebhookReceiver()
    yield hook
    hook.close()


def test_document_to_signed_webhook(suivi, receiver, everything):
    admin = suivi.token()
    api = httpx.Client(base_url=suivi.url, timeout=30)
    created = api.post(
        "/api/users",
        json={"username": "monitor1", "password": "monitor-pass-1", "role": "monitor"},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    monitor = suivi.token("monitor1", "monitor-pass-1")
    subscription = api.post(
        "/api/subscriptions",
        json={"url": receiver.url, "event_types": ["suivi.commitment.status_changed"]},
        headers=admin,
    )
    assert subscription.status_code == 201, subscription.text
    secret = subscription.json()["secret"]
    assert api.post("/api/subscriptions", json={"url": everything.url}, headers=admin).status_code == 201

    upload = api.post(
        "/api/documents",
        files={"file": ("declaration.fr.txt", DOCUMENT.encode(), "text/plain")},
        headers=monitor,
    )
    assert upload.status_code == 202, upload.text
    document_id = upload.json()["id"]
    wait_until(
        lambda: (
            api.get(f"/api/documents/{document_id}", headers=monitor).json()["status"] in ("done", "failed")
        ),
        what="the document to be processed",
    )
    assert api.get(f"/api/documents/{document_id}", headers=monitor).json()["status"] == "done"

    def mandate_commitment():
        listed = api.get(
            "/api/commitments",
            params={"filter": json.dumps({"document_id": document_id, "topics": ["igf_mandate"]})},
            headers=monitor,
        ).json()
        return listed[0] if listed else None

    commitment = wait_until(mandate_commitment, what="the extracted commitment")
    assert commitment["sources"][0]["document_id"] == document_id

    change = api.post(
        "/api/status_changes",
        json={
            "commitment_id": commitment["id"],
            "to_status": "achieved",
            "rationale": "Le mandat a été renouvelé par l'Assemblée générale.",
            "evidence": {  # on loopback like every address a test gives (the archiver fetches it)
                "url": receiver.url.replace("/hook", "/evidence"),
                "title": "Résolution de l'Assemblée générale",
            },
            "expected_version": commitment["version"],
        },
        headers=monitor,
    )
    assert change.status_code == 201, change.text

    wait_until(lambda: receiver.requests, what="the webhook")
    request = receiver.requests[0]
    headers = {k.lower(): v for k, v in request["headers"].items()}
    Webhook(secret).verify(request["body"], headers)  # raises if the signature is wrong
    event = json.loads(request["body"])
    assert event["specversion"] == "1.0"
    assert event["type"] == "suivi.commitment.status_changed"
    assert event["id"] == headers["webhook-id"]
    assert event["subject"] == str(commitment["id"])
    assert event["data"]["to_status"] == "achieved"
    assert event["data"]["changed_by"] == "monitor1"
    assert event["data"]["evidence"][0]["title"] == "Résolution de l'Assemblée générale"
    assert abs(int(headers["webhook-timestamp"]) - datetime.now(UTC).timestamp()) < 120

    # Every event the services published on the way was built from its contract model (its data
    # is exactly the model's dump, no field more) and is a CloudEvent as the CloudEvents SDK reads it.
    produced = {subjects.DOCUMENT_INGESTED, subjects.COMMITMENT_EXTRACTED, subjects.COMMITMENT_CREATED}
    produced |= {subjects.EVIDENCE_ADDED, subjects.COMMITMENT_STATUS_CHANGED}
    wait_until(
        lambda: produced <= {json.loads(r["body"])["type"] for r in everything.requests}, what="events"
    )
    for request in everything.requests:
        body = json.loads(request["body"])
        payload = parse_payload(body["type"], body["data"])
        assert type(payload) is PAYLOADS[body["type"]] and not payload.model_extra, body["type"]
        assert payload.model_dump(mode="json", by_alias=True) == body["data"], body["type"]
        assert cloudevents.http.from_json(request["body"]).get_attributes() == {
            name: value for name, value in body.items() if name != "data"
        }


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = subprocess.run(
        ["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True
    ).stdout.strip()
    return bool(state) and not state.startswith("Z")


def test_sigterm_leaves_nothing_behind_and_restart_keeps_everything(tmp_path):
    data = tmp_path / "data"
    first = SuiviProcess(data, {"SUIVI_LOAD_SAMPLES": "0"})
    first.start()
    admin = first.token()
    created = httpx.post(
        f"{first.url}/api/commitments",
        json={"text": "Nous nous engageons à publier un rapport annuel.", "kind": "engagement"},
        headers=admin,
    ).json()
    children = _children(first.process.pid)
    assert children, "suivi run should have started nats-server"
    assert first.stop(signal.SIGTERM) == 0
    wait_until(lambda: not any(_alive(pid) for pid in children), timeout=15, what="children to exit")

    second = SuiviProcess(data, {"SUIVI_LOAD_SAMPLES": "0"})
    second.start()
    try:
        again = httpx.get(f"{second.url}/api/commitments/{created['id']}", headers=second.token()).json()
        assert again["text"] == created["text"]
        assert "Created the user 'admin'" not in second.output()
    finally:
        second.stop()


def _descendants(pid: int) -> dict[int, str]:
    """Every process under `pid`, with its command line."""
    found: dict[int, str] = {}
    pending = [pid]
    while pending:
        for child in _children(pending.pop()):
            command = subprocess.run(
                ["ps", "-ww", "-o", "args=", "-p", str(child)], capture_output=True, text=True
            )
            found[child] = command.stdout.strip()
            pending.append(child)
    return found


def test_sigkill_leaves_no_process_behind(tmp_path):
    process = SuiviProcess(tmp_path / "data", {"SUIVI_LOAD_SAMPLES": "0"})
    process.start()
    tree: dict[int, str] = {}

    def started() -> bool:
        tree.update(_descendants(process.process.pid))
        commands = " ".join(tree.values())
        return "nats-server" in commands and "resource_tracker" in commands and "spawn_main" in commands

    try:
        wait_until(started, timeout=60, what="nats-server, the extraction worker and its resource tracker")
        process.process.kill()
        process.process.wait()
        wait_until(
            lambda: not any(_alive(pid) for pid in tree),
            timeout=15,
            what=f"every child to die with it: {tree}",
        )
    finally:
        for pid in tree:  # never leave one behind, even when the test fails
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        process.stop()


def test_data_files_are_readable_by_their_owner_only(tmp_path):
    process = SuiviProcess(tmp_path / "data", {"SUIVI_LOAD_SAMPLES": "0"})
    process.start()
    try:
        httpx.get(f"{process.url}/api/users", headers=process.token())  # a write or two: WAL files
        paths = [process.data_dir, *process.data_dir.rglob("*")]
        assert any(p.name == "notify.db" for p in paths) and any(p.name == "jetstream" for p in paths)
        loose = {
            str(path.relative_to(tmp_path)): oct(path.stat().st_mode & 0o777)
            for path in paths
            if path.stat().st_mode & 0o077
        }
        assert not loose, f"readable or writable by others: {loose}"
    finally:
        process.stop()


def test_no_token_signed_with_the_public_placeholder(tmp_path):
    """Without SUIVI_SECRET_KEY, `suivi run` signs with a key of its own, kept in the data dir."""
    import jwt

    data = tmp_path / "data"
    process = SuiviProcess(data, {"SUIVI_LOAD_SAMPLES": "0"})
    process.env.pop("SUIVI_SECRET_KEY", None)
    process.start()
    try:
        forged = jwt.encode({"sub": "mallory", "role": "admin", "exp": time.time() + 600}, "change-me")
        response = httpx.get(f"{process.url}/api/users", headers={"Authorization": f"Bearer {forged}"})
        assert response.status_code == 401
        assert httpx.get(f"{process.url}/api/users", headers=process.token()).status_code == 200
        key = data / "secret_key"
        assert oct(key.stat().st_mode & 0o777) == "0o600" and len(key.read_text()) >= 48
    finally:
        process.stop()
