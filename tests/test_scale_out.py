"""The distributed setup on one machine, and what survives a crash in it (issue 7).

Three clustered nats-server nodes (stream SUIVI with 3 replicas), one PostgreSQL database,
two `suivi serve` processes of each service behind one URL (suivi_testing.Router,
routing by path as nginx does). First the end-to-end scenario through it; then, while
status changes on distinct commitments are being sent, SIGKILL the node leading the stream
and one replica of each service. Afterwards: no event lost, none doubled, no gap in the
stream, one delivery per status change, no commitment doubled by consolidation.

Webhooks are at least once: a notify replica killed between sending a webhook and
recording it sends it again after its lease runs out, with the same `webhook-id`
(subscribers deduplicate on it, as Standard Webhooks says). So the test counts distinct
webhook ids, and the delivery log must hold exactly one delivery per event.
"""

import asyncio
import functools
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import httpx
import nats
import pytest
from standardwebhooks import Webhook
from suivi_kit.events import STREAM
from suivi_testing import NatsCluster, Router, ServiceProcess, WebhookReceiver, start_all, stop_all
from suivi_testing import wait_until as _wait_until

from suivi.gateway import owner_of

CHANGES = 150
STATUS_CHANGED = "suivi.commitment.status_changed"
ADMIN_PASSWORD = "admin-password-scale-1"

FIRST = """Déclaration de test sur la gouvernance de l'Internet

1. Nous nous engageons à renouveler le mandat du Forum sur la gouvernance de l'Internet.

2. Nous appelons les donateurs à assurer un financement durable du Forum d'ici 2027.

3. Nous nous engageons à renforcer la coordination avec les initiatives nationales et régionales du Forum.
"""
# The same three commitments again, and a fourth: consolidated into 4 commitments with 7 sources.
SECOND = """Seconde déclaration de test, reprenant la première

1. Nous nous engageons à renouveler le mandat du Forum sur la gouvernance de l'Internet.

2. Nous appelons les donateurs à assurer un financement durable du Forum d'ici 2027.

3. Nous nous engageons à renforcer la coordination avec les initiatives nationales et régionales du Forum.

4. Nous recommandons d'éviter tout double emploi entre le Pacte numérique mondial et les grandes orientations du SMSI.
"""


@pytest.fixture
def system(tmp_path, postgres_cluster):
    cluster = NatsCluster(tmp_path / "nats")
    receiver = WebhookReceiver()
    replicas: list[ServiceProcess] = []
    router = None
    try:
        cluster.start()
        env = {
            "SUIVI_DATABASE_URL": postgres_cluster.create_database(f"scale_{uuid.uuid4().hex[:10]}"),
            "SUIVI_NATS_URL": cluster.url,
            "SUIVI_STREAM_REPLICAS": "3",
            "SUIVI_ALLOW_PRIVATE_ADDRESSES": "1",
            "SUIVI_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "SUIVI_LOAD_SAMPLES": "0",
            # A dead replica's leased deliveries are retried after 2 × timeout + 5 s.
            "SUIVI_WEBHOOK_TIMEOUT_SECONDS": "3",
            "SUIVI_WEBHOOK_RETRY_SCHEDULE": "1,2,5,10",
            "SUIVI_FETCH_TIMEOUT_SECONDS": "2",
        }
        for service in ("commitments", "ingest", "notify"):
            for number in (1, 2):
                name = f"{service}-{number}"
                data_dir = tmp_path / name
                replica_env = {**env, "SUIVI_DATA_DIR": str(data_dir)}
                replicas.append(ServiceProcess(service, replica_env, tmp_path, name=name))
        start_all(replicas)  # both commitments replicas at once: neither may fail creating `admin`
        upstreams = {
            s: [r.url for r in replicas if r.service == s] for s in ("commitments", "ingest", "notify")
        }
        router = Router(owner_of, upstreams)
        router.start()
        yield SimpleNamespace(cluster=cluster, replicas=replicas, router=router, receiver=receiver)
    finally:
        if router is not None:
            router.stop()
        stop_all(replicas)
        cluster.stop()
        receiver.close()


class Api:
    """A client of the system's one URL that, like a careful user, retries what did not get through."""

    def __init__(self, url: str):
        self.http = httpx.Client(base_url=url, timeout=30)
        self.headers: dict[str, str] = {}

    def call(self, method: str, path: str, attempts: int = 20, **kwargs) -> httpx.Response:
        for attempt in range(attempts):
            try:
                response = self.http.request(method, path, headers=self.headers, **kwargs)
            except httpx.TransportError:
                response = None
            if response is not None and response.status_code not in (502, 503, 504):
                return response
            time.sleep(min(2.0, 0.1 * 2**attempt))
        raise AssertionError(f"{method} {path} failed {attempts} times")

    def login(self, username: str, password: str) -> None:
        response = self.call("POST", "/api/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        self.headers = {"Authorization": f"Bearer {response.json()['access_token']}"}

    def total(self, path: str, **params) -> int:
        response = self.call("GET", path, params={"range": "[0,0]", **params})
        assert response.status_code == 200, response.text
        return int(response.headers["content-range"].rsplit("/", 1)[1])


# A cluster of 9 processes on 2 cores is slow to settle: a longer default wait.
wait_until = functools.partial(_wait_until, timeout=90.0, interval=0.3)


def upload(api: Api, name: str, text: str) -> int:
    response = api.call("POST", "/api/documents", files={"file": (name, text.encode(), "text/plain")})
    assert response.status_code == 202, response.text
    return response.json()["id"]


def processed(api: Api, document_id: int) -> dict | None:
    document = api.call("GET", f"/api/documents/{document_id}").json()
    return document if document["status"] in ("done", "failed") else None


def change_status(api: Api, commitment: dict, evidence_url: str) -> str:
    """One status change, retried across replicas until it is known to have happened once.

    A replica killed after committing but before answering leaves the client in doubt; the
    retry then meets a newer version (409) and the commitment's status says whether it won.
    """
    version = commitment["version"]
    for _ in range(10):
        response = api.call(
            "POST",
            "/api/status_changes",
            json={
                "commitment_id": commitment["id"],
                "to_status": "partially_achieved",
                "rationale": "Un premier rapport a été publié.",
                "evidence": {"url": evidence_url, "title": f"Rapport {commitment['id']}"},
                "expected_version": version,
            },
        )
        if response.status_code == 201:
            return "applied"
        assert response.status_code in (409, 422), response.text
        current = api.call("GET", f"/api/commitments/{commitment['id']}").json()
        if current["status"] == "partially_achieved":
            return "applied by an attempt that lost its answer"
        version = current["version"]
    raise AssertionError(f"the status change of {commitment['id']} never went through")


def read_stream(urls: list[str]) -> tuple[object, list[dict]]:
    """The stream's state and every message in it, read one sequence number at a time."""

    async def read():
        nc = await nats.connect(servers=urls, connect_timeout=3)
        try:
            js = nc.jetstream()
            info = await js.stream_info(STREAM)
            messages = []
            for seq in range(info.state.first_seq, info.state.last_seq + 1):
                message = await js.get_msg(STREAM, seq)  # raises if the sequence is missing
                messages.append(json.loads(message.data))
            return info, messages
        finally:
            await nc.close()

    return asyncio.run(read())


def stream_leader(urls: list[str]) -> str:
    async def leader():
        nc = await nats.connect(servers=urls, connect_timeout=3)
        try:
            return (await nc.jetstream().stream_info(STREAM)).cluster.leader
        finally:
            await nc.close()

    return asyncio.run(leader())


def test_scale_out_survives_a_nats_node_and_a_replica_of_each_service(system):
    admin = Api(system.router.url)
    admin.login("admin", ADMIN_PASSWORD)
    for replica in system.replicas:  # started together: every one is up, none crashed on `admin`
        assert replica.alive, replica.output()[-2000:]
        assert "Application startup failed" not in replica.output(), replica.output()[-3000:]
        assert "IntegrityError" not in replica.output(), replica.output()[-3000:]
    created = admin.call(
        "POST", "/api/users", json={"username": "monitor1", "password": "monitor-pass-1", "role": "monitor"}
    )
    assert created.status_code == 201, created.text
    monitor = Api(system.router.url)
    monitor.login("monitor1", "monitor-pass-1")
    subscription = admin.call(
        "POST", "/api/subscriptions", json={"url": system.receiver.url, "event_types": [STATUS_CHANGED]}
    )
    assert subscription.status_code == 201, subscription.text
    secret = subscription.json()["secret"]
    evidence_url = system.receiver.url.replace("/hook", "/evidence")  # the archiver's GET fails fast

    # -- commitments to change, created (before any crash: none is in doubt) while ingest works
    def create(number: int) -> dict:
        response = monitor.call(
            "POST",
            "/api/commitments",
            json={
                "text": f"Nous nous engageons à publier le rapport d'étape numéro {number}.",
                "kind": "engagement",
            },
        )
        assert response.status_code == 201, response.text
        return response.json()

    first = upload(monitor, "first.fr.txt", FIRST)
    with ThreadPoolExecutor(6) as pool:
        targets = list(pool.map(create, range(CHANGES)))

    # -- the end-to-end scenario through the router: document → commitments → change → webhook
    document = wait_until(lambda: processed(monitor, first), what="the first document")
    assert document["status"] == "done", document
    assert document["commitment_count"] == 3

    def linked(document_id: int, count: int):
        items = monitor.call("GET", f"/api/documents/{document_id}/text").json()["commitments"]
        return items if len(items) == count and all(item["commitment_id"] for item in items) else None

    items = wait_until(lambda: linked(first, 3), what="the extracted items to become commitments")
    mandate = next(item for item in items if "igf_mandate" in item["topics"] and "mandat" in item["text"])
    commitment = monitor.call("GET", f"/api/commitments/{mandate['commitment_id']}").json()
    change = monitor.call(
        "POST",
        "/api/status_changes",
        json={
            "commitment_id": commitment["id"],
            "to_status": "achieved",
            "rationale": "Le mandat a été renouvelé par l'Assemblée générale.",
            "evidence": {"url": evidence_url, "title": "Résolution de l'Assemblée générale"},
            "expected_version": commitment["version"],
        },
    )
    assert change.status_code == 201, change.text
    request = wait_until(lambda: system.receiver.requests, what="the first webhook")[0]
    headers = {k.lower(): v for k, v in request["headers"].items()}
    Webhook(secret).verify(request["body"], headers)
    event = json.loads(request["body"])
    assert (event["type"], event["subject"]) == (STATUS_CHANGED, str(commitment["id"]))
    assert event["data"]["changed_by"] == "monitor1"

    # -- status changes on distinct commitments, and meanwhile a node and a replica of each die
    leader = stream_leader(system.cluster.urls)
    outcomes: list[str] = []
    lock = threading.Lock()

    def send(target: dict) -> None:
        outcome = change_status(monitor, target, evidence_url)
        with lock:
            outcomes.append(outcome)

    with ThreadPoolExecutor(6) as pool:
        futures = [pool.submit(send, target) for target in targets]
        wait_until(lambda: len(outcomes) >= CHANGES // 3, what="a third of the changes")
        second = upload(monitor, "second.fr.txt", SECOND)  # ingest has work in hand too
        system.cluster.kill(system.cluster.index_of(leader))
        for name in ("commitments-1", "notify-1", "ingest-1"):
            next(r for r in system.replicas if r.name == name).kill()
        for future in futures:
            future.result()
    assert len(outcomes) == CHANGES
    print({outcome: outcomes.count(outcome) for outcome in set(outcomes)})

    # -- afterwards: everything arrived once
    document = wait_until(lambda: processed(monitor, second), timeout=120, what="the second document")
    assert document["status"] == "done", document
    assert document["commitment_count"] == 4
    wait_until(lambda: linked(second, 4), what="the second document's items to become commitments")
    changed = {str(commitment["id"])} | {str(target["id"]) for target in targets}

    def all_webhooks():
        ids = {}
        for request in list(system.receiver.requests):
            event = json.loads(request["body"])
            if event["type"] == STATUS_CHANGED:
                ids.setdefault(event["id"], (request, event))
        return ids if len(ids) >= len(changed) else None

    webhooks = wait_until(all_webhooks, timeout=120, what="a webhook for every status change")
    info, stream = read_stream(system.cluster.urls)
    assert info.config.num_replicas == 3
    assert info.state.first_seq == 1 and info.state.num_deleted in (0, None)
    assert info.state.messages == info.state.last_seq == len(stream), "a gap in the stream"
    assert len({event["id"] for event in stream}) == len(stream), "an event published twice"
    changes_in_stream = {event["id"]: event for event in stream if event["type"] == STATUS_CHANGED}
    assert sorted(e["subject"] for e in changes_in_stream.values()) == sorted(changed), "one event per change"

    assert set(webhooks) == set(changes_in_stream), "one webhook id per status change event"
    received = sum(json.loads(r["body"])["type"] == STATUS_CHANGED for r in list(system.receiver.requests))
    print(f"{len(webhooks)} status changes, {received} webhook requests (repeats: same webhook-id)")
    for request, _event in webhooks.values():
        Webhook(secret).verify(request["body"], {k.lower(): v for k, v in request["headers"].items()})
    deliveries = admin.call("GET", "/api/deliveries", params={"range": "[0,999]"}).json()
    per_event = [d["event_id"] for d in deliveries if d["event_type"] == STATUS_CHANGED]
    assert sorted(per_event) == sorted(changes_in_stream), "exactly one delivery per status change"
    wait_until(
        lambda: all(
            d["status"] == "succeeded"
            for d in admin.call("GET", "/api/deliveries", params={"range": "[0,999]"}).json()
        ),
        what="every delivery to be recorded as succeeded",
    )

    # 3 + 4 extracted items from two documents are 4 commitments; 150 were created by hand + the mandate's
    assert monitor.total("/api/commitments") == CHANGES + 4
    everything = monitor.call("GET", "/api/commitments", params={"range": "[0,999]"}).json()
    assert len({c["text"] for c in everything}) == len(everything) == CHANGES + 4, "a commitment doubled"
    assert monitor.total("/api/status_changes") == CHANGES + 1
    extracted = [
        monitor.call("GET", f"/api/commitments/{item['commitment_id']}").json() for item in linked(second, 4)
    ]
    assert sorted(len(c["sources"]) for c in extracted) == [1, 2, 2, 2]
    assert len({c["id"] for c in extracted}) == 4


ADMIN_READS = {"commitments": "/api/users", "ingest": "/api/documents", "notify": "/api/subscriptions"}


def test_a_disabled_admin_is_refused_by_every_replica_of_every_service_within_a_second(system):
    """Issue 15, acceptance 2: disabled on one commitments replica, the admin's token is refused
    by both replicas of each service within 1 s, measured on each replica directly."""
    admin = Api(system.router.url)
    admin.login("admin", ADMIN_PASSWORD)
    created = admin.call(
        "POST", "/api/users", json={"username": "leaving", "password": "leaving-pass-1", "role": "admin"}
    )
    assert created.status_code == 201, created.text
    leaving = Api(system.router.url)
    leaving.login("leaving", "leaving-pass-1")
    replicas = {replica.name: replica for replica in system.replicas}

    def status(name: str) -> int:
        replica = replicas[name]
        response = httpx.get(replica.url + ADMIN_READS[replica.service], headers=leaving.headers, timeout=5)
        return response.status_code

    assert {name: status(name) for name in replicas} == dict.fromkeys(replicas, 200)
    first_commitments = next(r for r in system.replicas if r.service == "commitments")
    disabled = httpx.put(
        f"{first_commitments.url}/api/users/{created.json()['id']}",
        json={"active": False},
        headers=admin.headers,
        timeout=10,
    )
    assert disabled.status_code == 200, disabled.text
    changed_at = time.monotonic()
    refused: dict[str, float] = {}
    while len(refused) < len(replicas) and time.monotonic() - changed_at < 5.0:
        for name in replicas:
            if name not in refused and status(name) == 401:
                refused[name] = time.monotonic() - changed_at
        time.sleep(0.01)
    print(
        "refused after: "
        + ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in sorted(refused.items()))
    )
    assert set(refused) == set(replicas), f"never refused by {set(replicas) - set(refused)}"
    assert max(refused.values()) < 1.0, refused
