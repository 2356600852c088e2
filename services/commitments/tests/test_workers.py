"""`suivi serve commitments --workers 2` on one SQLite file: two processes, one system of record."""

import asyncio
import os
from pathlib import Path

import httpx
import nats
from suivi_contracts.subjects import COMMITMENT_CREATED, COMMITMENT_STATUS_CHANGED
from suivi_kit.events import CloudEvent
from suivi_testing import ServiceProcess, auth, start_all, wait_until

COUNT = 30


def workers(pid: int) -> list[int]:
    """uvicorn's worker processes under `pid` (spawned; not multiprocessing's resource tracker)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        if parent == pid and b"spawn_main" in command:
            found.append(int(stat.parent.name))
    return found


async def test_two_workers_share_one_sqlite_database(tmp_path, nats_server):
    env = {"SUIVI_DATA_DIR": str(tmp_path), "SUIVI_NATS_URL": nats_server.url, "SUIVI_ADMIN_PASSWORD": "adminpass1",
           "SUIVI_SECRET_KEY": os.environ["SUIVI_SECRET_KEY"]}  # fmt: skip
    service = ServiceProcess("commitments", env, tmp_path, workers=2)
    events: list[CloudEvent] = []
    connection = await nats.connect(nats_server.url)

    async def note(message) -> None:
        events.append(CloudEvent.from_json(message.data))

    await connection.subscribe("suivi.>", cb=note)

    try:
        await asyncio.to_thread(start_all, [service])
        assert len(workers(service.process.pid)) == 2
        monitor = auth("monitor")
        async with httpx.AsyncClient(base_url=service.url, timeout=30) as client:
            created = await asyncio.gather(
                *(
                    client.post(
                        "/api/commitments",
                        json={
                            "text": f"Nous financerons l'initiative numéro {i} du FGI.",
                            "kind": "engagement",
                            "topics": ["funding"],
                        },  # fmt: skip
                        headers=monitor,
                    )
                    for i in range(COUNT)
                )
            )
            assert [r.status_code for r in created] == [201] * COUNT
            changes = await asyncio.gather(
                *(
                    client.post(
                        "/api/status_changes",
                        json={
                            "commitment_id": r.json()["id"],
                            "to_status": "in_progress",
                            "rationale": "Budget voté.",
                            "expected_version": r.json()["version"],
                        },  # fmt: skip
                        headers=monitor,
                    )
                    for r in created
                )
            )
            assert [r.status_code for r in changes] == [201] * COUNT
            # whichever process answers, totals and pages follow every write of the other
            pages = await asyncio.gather(
                *(
                    client.get(
                        "/api/commitments",
                        params={"filter": '{"status": "in_progress"}'},
                        headers=auth("viewer"),
                    )  # fmt: skip
                    for _ in range(20)
                )
            )
            assert {page.headers["content-range"] for page in pages} == {f"commitments 0-24/{COUNT}"}

        def published() -> bool:
            return len([e for e in events if e.type == COMMITMENT_STATUS_CHANGED]) >= COUNT

        await asyncio.to_thread(wait_until, published, 30, "every status change published")
        await asyncio.sleep(1)  # a relay publishing twice would show by now
        ids = [e.id for e in events if e.type in (COMMITMENT_CREATED, COMMITMENT_STATUS_CHANGED)]
        assert len(ids) == 2 * COUNT == len(set(ids))  # one relay at a time: nothing published twice
    finally:
        await connection.drain()
        service.stop()
