"""Starting and restarting the service: samples once, a crashed job back in the queue."""

from __future__ import annotations

import hashlib
import socket
import subprocess
import uuid
from datetime import timedelta

import pytest
from ingest_support import SMALL_FR, VIEWER, make_settings, running_app, wait_for
from suivi_ingest.documents.models import Document, DocumentContent
from suivi_kit.db import create_engine
from suivi_kit.events import utcnow
from suivi_kit.uow import Database


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request):
    """The services' default SQLite file, then a fresh PostgreSQL database (when PostgreSQL is here)."""
    if request.param == "sqlite":
        return None
    testing = pytest.importorskip("suivi_testing")
    if not testing.PostgresCluster.available():
        pytest.skip("PostgreSQL (initdb, pg_ctl) is not installed")
    try:
        cluster = request.getfixturevalue("postgres_cluster")  # the session's shared cluster
    except pytest.FixtureLookupError:
        cluster = testing.PostgresCluster()
        cluster.start()
        request.addfinalizer(cluster.stop)
    return cluster.create_database(f"ingest_{uuid.uuid4().hex[:12]}")


async def test_samples_load_once_and_a_crashed_job_is_requeued_on_start(tmp_path, nats_url, database_url):
    samples = tmp_path / "samples"
    samples.mkdir()
    (samples / "sample-one.txt").write_text(SMALL_FR, encoding="utf-8")
    (samples / "notes.pdf").write_bytes(b"ignored: only .txt files are samples")
    settings = make_settings(
        tmp_path / "data", nats_url, load_samples=True, samples_dir=samples, database_url=database_url
    )

    async with running_app(settings) as (_, client):
        listed = (await client.get("/api/documents", headers=VIEWER)).json()
        assert [row["filename"] for row in listed] == ["sample-one.txt"]
        sample_id = listed[0]["id"]
        await wait_for(client, sample_id, statuses=("processing",))
    # Stopped while working: the document went back to the queue, the interrupted try not counted.
    engine = create_engine(settings.database_url_for("ingest"), "ingest")
    database = Database(engine)
    async with database.write() as uow:
        sample = await uow.session.get(Document, sample_id)
        assert sample is not None
        assert (sample.status, sample.attempts, sample.claim_token) == ("queued", 0, None)

    # A service killed in the middle of a job leaves a row 'processing': here one claimed by
    # a process of this host that is gone (re-queued at start, though its lease still runs),
    # and one claimed on another host whose lease ran out.
    gone = subprocess.Popen(["true"])
    gone.wait()
    orphans = {
        "orphan-here.txt": (f"{socket.gethostname()}:{gone.pid}", timedelta(minutes=10)),
        "orphan-elsewhere.txt": ("elsewhere:1", timedelta(seconds=-1)),
    }
    orphan_ids = []
    async with database.write() as uow:
        for name, (claimed_by, lease) in orphans.items():
            data = SMALL_FR.replace("2027", str(2040 + len(orphan_ids))).encode()
            orphan = Document(
                title=name,
                filename=name,
                format="text",
                status="processing",
                progress=0.3,
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
                attempts=1,
                claim_token=f"dead-worker-{len(orphan_ids)}",
                claimed_by=claimed_by,
                lease_expires_at=utcnow() + lease,
            )
            uow.session.add(orphan)
            await uow.session.flush()
            uow.session.add(DocumentContent(document_id=orphan.id, data=data))
            orphan_ids.append(orphan.id)
    await engine.dispose()

    async with running_app(settings) as (_, client):
        for orphan_id in orphan_ids:
            document = await wait_for(client, orphan_id)
            assert document["status"] == "done", document["error"]
            assert document["commitment_count"] >= 1
        assert (await wait_for(client, sample_id))["status"] == "done"
        ready = await client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "nats": "ok"}
        listed = (await client.get("/api/documents", headers=VIEWER)).json()
        assert sorted(row["filename"] for row in listed) == [
            "orphan-elsewhere.txt",
            "orphan-here.txt",
            "sample-one.txt",
        ]
