"""`suivi backup` of a running system, `suivi restore` into a fresh data directory, nothing lost.

The round trip runs `suivi run` as users do (SuiviProcess), with a secret key of its own, so
the same run also checks that neither the secret key nor the admin password reaches the log.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
import nats
import pytest
from sqlalchemy.engine import make_url
from suivi_kit.events import STREAM
from suivi_kit.messaging import ensure_stream
from suivi_kit.nats_server import EmbeddedNats
from suivi_testing import (
    NatsCluster,
    PostgresCluster,
    Router,
    ServiceProcess,
    SuiviProcess,
    WebhookReceiver,
    start_all,
    stop_all,
    wait_until,
)

from suivi.backup import export_stream_cut, libpq
from suivi.gateway import owner_of

SUIVI = str(Path(sys.executable).parent / "suivi")
SECRET = "backup-test-secret-9f8e7d6c5b4a-do-not-log-me"
ADMIN_PASSWORD = "backup-admin-password-Zq7"
DOCUMENT = """Déclaration de test sur la gouvernance de l'Internet

1. Nous nous engageons à renouveler le mandat du Forum sur la gouvernance de l'Internet.

2. Nous appelons les donateurs à assurer un financement durable du Forum d'ici 2027.
"""


def suivi(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([SUIVI, *args], capture_output=True, text=True, timeout=120)


def process(data: Path) -> SuiviProcess:
    env = {
        "SUIVI_SECRET_KEY": SECRET,
        "SUIVI_LOAD_SAMPLES": "0",
        "SUIVI_ALLOW_PRIVATE_ADDRESSES": "1",
    }
    return SuiviProcess(data, env, admin_password=ADMIN_PASSWORD)


def snapshot(api: httpx.Client, headers: dict) -> dict:
    """Everything a user can read, by resource, as the API shows it."""
    everything = {"range": "[0,999]"}
    state = {}
    for resource in (
        "commitments",
        "status_changes",
        "evidence",
        "users",
        "documents",
        "subscriptions",
        "deliveries",
    ):
        response = api.get(f"/api/{resource}", params=everything, headers=headers)
        assert response.status_code == 200, response.text
        state[resource] = response.json()
    for user in state["users"]:
        user.pop("last_login_at", None)  # logging in to look changes it
    # the evidence archiver fetches its URL in the background, whenever: not part of the comparison
    for evidence in state["evidence"] + [e for c in state["status_changes"] for e in c.get("evidence") or []]:
        for key in [k for k in evidence if k.startswith("archive")]:
            evidence.pop(key)
    return state


@pytest.fixture
def receiver():
    hook = WebhookReceiver()
    yield hook
    hook.close()


def test_backup_running_system_and_restore_into_fresh_directory(tmp_path, receiver):
    original = process(tmp_path / "original")
    original.start()
    try:
        api = httpx.Client(base_url=original.url, timeout=30)
        admin = original.token(password=ADMIN_PASSWORD)
        assert api.post(
            "/api/users",
            json={"username": "monitor1", "password": "monitor-pass-1", "role": "monitor"},
            headers=admin,
        ).is_success
        subscription = api.post("/api/subscriptions", json={"url": receiver.url}, headers=admin)
        assert subscription.status_code == 201, subscription.text
        webhook_secret = subscription.json()["secret"]
        upload = api.post(
            "/api/documents",
            files={"file": ("declaration.fr.txt", DOCUMENT.encode(), "text/plain")},
            headers=admin,
        )
        document_id = upload.json()["id"]
        wait_until(
            lambda: api.get(f"/api/documents/{document_id}", headers=admin).json()["status"] == "done",
            what="the document",
        )
        commitments = wait_until(
            lambda: api.get("/api/commitments", headers=admin).json(), what="extracted commitments"
        )
        change = api.post(
            "/api/status_changes",
            json={
                "commitment_id": commitments[0]["id"],
                "to_status": "achieved",
                "rationale": "Renouvelé par l'Assemblée générale.",
                # On loopback like every address a test gives (the archiver fetches it).
                "evidence": {"url": receiver.url.replace("/hook", "/evidence"), "title": "Résolution"},
                "expected_version": commitments[0]["version"],
            },
            headers=admin,
        )
        assert change.status_code == 201, change.text
        wait_until(
            lambda: any(b"status_changed" in r["body"] for r in receiver.requests), what="the status webhook"
        )
        wait_until(  # every delivery settled: nothing in flight while we look
            lambda: all(d["status"] == "succeeded" for d in api.get("/api/deliveries", headers=admin).json()),
            what="deliveries to settle",
        )
        before = snapshot(api, admin)
        settled_ids = {r["headers"].get("webhook-id") for r in receiver.requests}
        assert before["commitments"] and before["evidence"] and before["deliveries"]

        # the backup is taken while a monitor keeps writing: it must be consistent, not quiescent
        stop_writing = threading.Event()
        written: list[int] = []

        def write_meanwhile():
            with httpx.Client(base_url=original.url, timeout=30) as writer:
                while not stop_writing.is_set():
                    created = writer.post(
                        "/api/commitments",
                        json={"text": f"Nous publierons le rapport n° {len(written)}.", "kind": "engagement"},
                        headers=admin,
                    )
                    assert created.status_code == 201, created.text
                    written.append(created.json()["id"])

        writer = threading.Thread(target=write_meanwhile)
        writer.start()
        try:
            wait_until(lambda: len(written) >= 3, what="writes to start")
            backup_dir = tmp_path / "backup"
            made = suivi(
                "backup", "--to", str(backup_dir), "--data-dir", str(original.data_dir)
            )  # while it runs
        finally:
            stop_writing.set()
            writer.join()
        assert made.returncode == 0, made.stderr
        assert "stream SUIVI" in made.stdout
    finally:
        original.stop()

    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert set(manifest["databases"]) == {"commitments", "ingest", "notify"}
    assert manifest["stream"]["messages"] >= 4  # ingested, extracted ×2, created…, status_changed
    delivered_before = len(receiver.requests)  # including the writes made during the backup

    restored_dir = tmp_path / "restored"
    done = suivi("restore", "--from", str(backup_dir), "--data-dir", str(restored_dir))
    assert done.returncode == 0, done.stderr
    again = suivi("restore", "--from", str(backup_dir), "--data-dir", str(restored_dir))
    assert again.returncode == 1 and "already holds data" in again.stderr  # never over live data by accident

    restored = process(restored_dir)
    restored.start()
    try:
        api = httpx.Client(base_url=restored.url, timeout=30)
        admin = restored.token(password=ADMIN_PASSWORD)
        restored.token("monitor1", "monitor-pass-1")  # accounts and their passwords came back
        time.sleep(3)  # give the consumers time to replay the restored stream, if they were to
        after = snapshot(api, admin)
        # everything there before the backup came back exactly; of the writes made during the
        # backup, a prefix is there (a consistent snapshot: no gap, nothing half-written)
        later = [c["id"] for c in after["commitments"] if c["id"] in written]
        assert later == written[: len(later)] and len(later) >= 3
        after["commitments"] = [c for c in after["commitments"] if c["id"] not in written]
        print(
            f"\nbackup under writes: {len(written)} commitments written during the backup, {len(later)} in it; "
            f"stream: {manifest['stream']['messages']} messages kept, "
            f"{manifest['stream']['left_out_after_snapshot']} published after their producer's copy left out"
        )
        # deliveries and subscriptions went on during the backup: those settled before it are intact
        for resource in ("deliveries", "subscriptions"):
            kept = {item["id"]: item for item in after.pop(resource)}
            for item in before[resource]:
                assert kept.get(item["id"], {}).get("event_id", item.get("event_id")) == item.get("event_id")
                assert item["id"] in kept
        assert after == {k: v for k, v in before.items() if k not in ("deliveries", "subscriptions")}
        # the restored stream was replayed by fresh consumers; their inboxes made it harmless: no
        # event settled before the backup is delivered again (events of the writes made during
        # the backup may be: at least once, the same webhook-id, as Standard Webhooks allows)
        replayed = [r["headers"].get("webhook-id") for r in receiver.requests[delivered_before:]]
        assert not settled_ids & set(replayed), settled_ids & set(replayed)
        # and the restored system keeps working: a new change is delivered once
        commitment = after["commitments"][1]
        moved = api.post(
            "/api/status_changes",
            json={
                "commitment_id": commitment["id"],
                "to_status": "in_progress",
                "rationale": "Consultations ouvertes.",
                "expected_version": commitment["version"],
            },
            headers=admin,
        )
        assert moved.status_code == 201, moved.text
        wait_until(
            lambda: any(
                b"in_progress" in r["body"] and b"status_changed" in r["body"] for r in receiver.requests
            ),
            what="the new webhook",
        )
    finally:
        restored.stop()

    # the stream came back whole: a backup of the restored system (stopped: a temporary nats-server
    # is started on its store) holds the same messages plus the one new event
    second = suivi("backup", "--to", str(tmp_path / "second"), "--data-dir", str(restored_dir))
    assert second.returncode == 0, second.stderr
    lines = (tmp_path / "second" / "stream-SUIVI.jsonl").read_text().splitlines()
    first_lines = (backup_dir / "stream-SUIVI.jsonl").read_text().splitlines()
    assert [json.loads(line)["headers"] for line in lines[: len(first_lines)]] == [
        json.loads(line)["headers"] for line in first_lines
    ]
    assert [json.loads(line)["data"] for line in lines[: len(first_lines)]] == [
        json.loads(line)["data"] for line in first_lines
    ]
    assert len(lines) >= len(first_lines) + 1
    # every commitment of the restored databases was announced: an event the backup's stream
    # lacked was still in an outbox, and the restored relay published it
    announced = set()
    for line in lines:
        event = json.loads(base64.b64decode(json.loads(line)["data"]))
        if event["type"] == "suivi.commitment.created":
            announced.add(int(event["subject"]))
    restored_ids = {c["id"] for c in before["commitments"]} | set(later)
    assert restored_ids <= announced, restored_ids - announced

    # secrets never reach the logs (nor the backup tool's output)
    for log in (original.output(), restored.output(), made.stdout + made.stderr, done.stdout + done.stderr):
        assert SECRET not in log
        assert ADMIN_PASSWORD not in log
        assert webhook_secret not in log and "whsec_" not in log


def test_restore_refuses_a_damaged_backup(tmp_path):
    backup_dir = tmp_path / "backup"
    backup_dir.mkdir()
    (backup_dir / "commitments.db").write_bytes(b"SQLite format 3\x00" + bytes(100))
    (backup_dir / "stream-SUIVI.jsonl").write_text("")
    import hashlib

    def entry(name):
        data = (backup_dir / name).read_bytes()
        return {"file": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}

    manifest = {
        "format": 1,
        "databases": {"commitments": entry("commitments.db")},
        "stream": {**entry("stream-SUIVI.jsonl"), "name": "SUIVI", "messages": 0},
    }
    (backup_dir / "manifest.json").write_text(json.dumps(manifest))
    with open(backup_dir / "commitments.db", "r+b") as handle:  # one flipped byte
        handle.seek(20)
        handle.write(b"\x01")
    result = suivi("restore", "--from", str(backup_dir), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 1
    assert "checksum" in result.stderr
    assert not (tmp_path / "data" / "commitments.db").exists()

    missing = suivi("restore", "--from", str(tmp_path / "nowhere"), "--data-dir", str(tmp_path / "data"))
    assert missing.returncode == 1 and "not a Suivi backup" in missing.stderr
    empty = suivi("backup", "--to", str(tmp_path / "out"), "--data-dir", str(tmp_path / "empty"))
    assert empty.returncode == 1 and "no database" in empty.stderr


# -- the distributed setup: PostgreSQL and a 3-node NATS cluster -------------------------------

STATUS_CHANGED = "suivi.commitment.status_changed"


def distributed_env(database_url: str, nats_url: str) -> dict[str, str]:
    return {
        "SUIVI_DATABASE_URL": database_url,
        "SUIVI_NATS_URL": nats_url,
        "SUIVI_STREAM_REPLICAS": "3",
        "SUIVI_ALLOW_PRIVATE_ADDRESSES": "1",
        "SUIVI_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "SUIVI_LOAD_SAMPLES": "0",
        "SUIVI_WEBHOOK_TIMEOUT_SECONDS": "3",
        "SUIVI_WEBHOOK_RETRY_SCHEDULE": "1,2,5,10",
    }


def start_system(tmp_path: Path, name: str, env: dict[str, str]):
    """One process of each service behind one URL, as in tests/test_scale_out.py."""
    replicas = [
        ServiceProcess(
            service,
            {**env, "SUIVI_DATA_DIR": str(tmp_path / f"{name}-{service}")},
            tmp_path,
            f"{name}-{service}",
        )
        for service in ("commitments", "ingest", "notify")
    ]
    start_all(replicas)
    router = Router(owner_of, {r.service: [r.url] for r in replicas})
    router.start()
    return replicas, router


def stop_system(replicas, router) -> None:
    router.stop()
    stop_all(replicas)


def read_stream(nats_url: str) -> tuple[object, list[dict]]:
    async def read():
        client = await nats.connect(servers=nats_url.split(","), connect_timeout=3)
        try:
            js = client.jetstream()
            info = await js.stream_info(STREAM)
            messages = [
                json.loads((await js.get_msg(STREAM, seq)).data)
                for seq in range(info.state.first_seq, info.state.last_seq + 1)
            ]
            return info, messages
        finally:
            await client.close()

    return asyncio.run(read())


def settled_deliveries(database_url: str) -> set[str]:
    """Event ids whose webhook the database records as delivered."""

    async def read():
        parsed = make_url(database_url)
        connection = await asyncpg.connect(
            host=parsed.host, port=parsed.port, user=parsed.username, database=parsed.database
        )
        try:
            rows = await connection.fetch("SELECT event_id FROM notify.deliveries WHERE status = 'succeeded'")
            return {row["event_id"] for row in rows}
        finally:
            await connection.close()

    return asyncio.run(read())


def test_distributed_backup_under_writes_restores_into_a_fresh_cluster(tmp_path, postgres_cluster, receiver):
    original_db = postgres_cluster.create_database(f"backup_{uuid.uuid4().hex[:10]}")
    fresh_postgres = PostgresCluster()
    cluster, fresh_cluster = NatsCluster(tmp_path / "nats-a"), NatsCluster(tmp_path / "nats-b")
    systems = []
    try:
        cluster.start()
        original_env = distributed_env(original_db, cluster.url)
        systems.append(start_system(tmp_path, "original", original_env))
        api = httpx.Client(base_url=systems[-1][1].url, timeout=30)
        admin = {
            "Authorization": "Bearer "
            + api.post("/api/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD}).json()[
                "access_token"
            ]
        }
        subscription = api.post(
            "/api/subscriptions", json={"url": receiver.url, "event_types": [STATUS_CHANGED]}, headers=admin
        )
        assert subscription.status_code == 201, subscription.text
        targets = []
        for number in range(80):
            created = api.post(
                "/api/commitments",
                json={"text": f"Nous publierons le rapport d'étape numéro {number}.", "kind": "engagement"},
                headers=admin,
            )
            assert created.status_code == 201, created.text
            targets.append(created.json())

        # status changes, one after another, acknowledged (201) or the test fails; the backup
        # is taken in the middle of them
        acknowledged: list[int] = []
        stop_writing = threading.Event()

        def write_meanwhile():
            with httpx.Client(base_url=api.base_url, timeout=30) as writer:
                for target in targets:
                    if stop_writing.is_set():
                        return
                    moved = writer.post(
                        "/api/status_changes",
                        json={
                            "commitment_id": target["id"],
                            "to_status": "in_progress",
                            "rationale": "Consultations ouvertes.",
                            "expected_version": target["version"],
                        },
                        headers=admin,
                    )
                    assert moved.status_code == 201, moved.text
                    acknowledged.append(target["id"])

        writer = threading.Thread(target=write_meanwhile)
        writer.start()
        try:
            wait_until(lambda: len(acknowledged) >= 10, what="writes to start")
            before_backup = list(acknowledged)
            backup_dir = tmp_path / "backup"
            made = subprocess.run(
                [SUIVI, "backup", "--to", str(backup_dir)],
                env={**os.environ, **original_env},
                capture_output=True,
                text=True,
                timeout=120,
            )
            during_backup = len(acknowledged) - len(before_backup)
        finally:
            stop_writing.set()
            writer.join()
        assert made.returncode == 0, made.stderr
        assert during_backup > 0, "no write went on during the backup"
        stop_system(*systems.pop())
        cluster.stop()
        delivered_before = len(receiver.requests)
        manifest = json.loads((backup_dir / "manifest.json").read_text())

        # -- a fresh cluster: another PostgreSQL, three other NATS nodes
        fresh_postgres.start()
        fresh_db = fresh_postgres.create_database("suivi")
        fresh_cluster.start()
        fresh_env = {**os.environ, **distributed_env(fresh_db, fresh_cluster.url)}
        restore = [SUIVI, "restore", "--from", str(backup_dir)]
        done = subprocess.run(restore, env=fresh_env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        again = subprocess.run(restore, env=fresh_env, capture_output=True, text=True, timeout=120)
        assert again.returncode == 1 and "already holds" in again.stderr, again.stderr
        # --force drops the schemas and the stream, then restores the same again
        forced = subprocess.run(
            [*restore, "--force"], env=fresh_env, capture_output=True, text=True, timeout=120
        )
        assert forced.returncode == 0, forced.stderr
        info, restored_stream = read_stream(fresh_cluster.url)
        assert info.config.num_replicas == 3
        assert info.state.messages == manifest["stream"]["messages"] == len(restored_stream)
        already_delivered = settled_deliveries(fresh_db)

        systems.append(start_system(tmp_path, "restored", distributed_env(fresh_db, fresh_cluster.url)))
        api = httpx.Client(base_url=systems[-1][1].url, timeout=30)
        changes = api.get("/api/status_changes", params={"range": "[0,999]"}, headers=admin).json()
        restored = [change["commitment_id"] for change in changes]
        # every status change acknowledged before the backup began is there, once; of those
        # made during it, some are (the snapshot's); none is there twice or was never made
        assert len(restored) == len(set(restored))
        assert set(before_backup) <= set(restored) <= set(acknowledged)

        def settled():
            _, stream = read_stream(fresh_cluster.url)
            announced = [e["subject"] for e in stream if e["type"] == STATUS_CHANGED]
            if sorted(announced) != sorted(str(c) for c in restored):
                return None
            deliveries = api.get("/api/deliveries", params={"range": "[0,999]"}, headers=admin).json()
            if len(deliveries) != len(restored) or any(d["status"] != "succeeded" for d in deliveries):
                return None
            return stream, deliveries

        stream, deliveries = wait_until(
            settled, timeout=120, what="every restored change announced, delivered"
        )
        # every event once in the stream, and the stream still at three replicas
        assert len({event["id"] for event in stream}) == len(stream), "an event twice in the stream"
        info, _ = read_stream(fresh_cluster.url)
        assert info.config.num_replicas == 3
        changed_events = {e["id"] for e in stream if e["type"] == STATUS_CHANGED}
        assert sorted(d["event_id"] for d in deliveries) == sorted(changed_events), "one delivery per event"
        # webhooks: every change's reached the subscriber; after the restore, only those the
        # backup did not record as delivered were sent (again: at least once, same id)
        sent_after = {json.loads(r["body"])["id"] for r in receiver.requests[delivered_before:]}
        assert changed_events <= {json.loads(r["body"])["id"] for r in receiver.requests}
        assert not sent_after & already_delivered, sent_after & already_delivered
        print(
            f"\ndistributed backup under writes: {len(before_backup)} changes before it, {during_backup} "
            f"during it, {len(restored)} restored; stream {manifest['stream']['messages']} messages kept, "
            f"{manifest['stream']['left_out_still_in_outbox']} left to the outboxes, "
            f"{manifest['stream']['left_out_after_dump']} after the dump left out; "
            f"{len(sent_after)} webhooks sent after the restore"
        )
    finally:
        for system in systems:
            stop_system(*system)
        cluster.stop()
        fresh_cluster.stop()
        fresh_postgres.stop()


def test_the_stream_is_cut_at_the_dump_s_snapshot(tmp_path):
    """Each case of the cut (docs/reliability.md), on a real nats-server: published before L0
    and pruned from the outbox (kept), published before L0 but unpublished in the snapshot
    (left to the relay), published after L0 and in the snapshot (kept), unpublished in it
    (left to the relay), in no outbox (committed after the snapshot: left out)."""

    async def cut():
        client = await nats.connect(server.url)
        try:
            js = client.jetstream()
            await ensure_stream(js)
            for event_id in (
                "pruned",
                "relay-not-marked",
                "after-kept",
                "after-unpublished",
                "after-snapshot",
            ):
                await js.publish(
                    "suivi.commitment.created", event_id.encode(), headers={"Nats-Msg-Id": event_id}
                )
            outbox = {"relay-not-marked": False, "after-kept": True, "after-unpublished": False}
            return await export_stream_cut(js, tmp_path / "stream.jsonl", 2, outbox)
        finally:
            await client.close()

    with EmbeddedNats(tmp_path / "nats") as server:
        stream = asyncio.run(cut())
    lines = [json.loads(line) for line in (tmp_path / "stream.jsonl").read_text().splitlines()]
    assert [line["headers"]["Nats-Msg-Id"] for line in lines] == ["pruned", "after-kept"]
    assert [line["seq"] for line in lines] == [1, 3]
    assert (stream["messages"], stream["left_out_still_in_outbox"], stream["left_out_after_dump"]) == (
        2,
        2,
        1,
    )


def test_pg_dump_gets_the_password_in_its_environment_never_in_its_arguments():
    dbname, env = libpq(
        "postgresql+asyncpg://suivi:s3cr%40t@db.example:5432/suivi?ssl=require&command_timeout=9"
    )
    assert dbname == "postgresql://suivi@db.example:5432/suivi?sslmode=require"
    assert env["PGPASSWORD"] == "s3cr@t"
