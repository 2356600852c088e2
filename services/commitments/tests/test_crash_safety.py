"""A crash between the database commit and the publish loses no event and doubles none.

The service runs as a real process; SUIVI_FAULT_POINT makes its outbox relay SIGKILL
itself right before publishing (or right after, before marking the rows published).
"""

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import nats
import pytest
from nats.js.api import DeliverPolicy
from suivi_kit.events import CloudEvent
from suivi_kit.nats_server import EmbeddedNats, free_port

SUIVI = str(Path(sys.executable).parent / "suivi")


def start(tmp_path: Path, nats_url: str, port: int, fault: str | None) -> subprocess.Popen:
    env = {
        **os.environ,
        "SUIVI_DATA_DIR": str(tmp_path / "data"),
        "SUIVI_NATS_URL": nats_url,
        "SUIVI_ADMIN_PASSWORD": "admin-password-1",
    }
    env.pop("SUIVI_FAULT_POINT", None)
    if fault:
        env["SUIVI_FAULT_POINT"] = fault
    log = open(tmp_path / "service.log", "ab")
    return subprocess.Popen(
        [SUIVI, "serve", "commitments", "--port", str(port)], env=env, stdout=log, stderr=log
    )


async def wait_ready(url: str, process: subprocess.Popen) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(300):
            assert process.poll() is None, "the service exited while starting"
            try:
                if (await client.get(f"{url}/readyz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("service not ready")


async def created_events(nats_url: str) -> list[CloudEvent]:
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    subscription = await js.subscribe(
        "suivi.commitment.created", deliver_policy=DeliverPolicy.ALL, ordered_consumer=True
    )
    found = []
    try:
        while True:
            message = await subscription.next_msg(timeout=1.5)
            found.append(CloudEvent.from_json(message.data))
    except nats.errors.TimeoutError:
        pass
    await nc.close()
    return found


@pytest.mark.parametrize("fault", ["relay.before_publish", "relay.after_publish"])
async def test_sigkill_between_commit_and_publish(tmp_path, fault):
    with EmbeddedNats(tmp_path / "nats") as server:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        process = start(tmp_path, server.url, port, fault)
        await wait_ready(url, process)
        async with httpx.AsyncClient(base_url=url) as client:
            login = await client.post(
                "/api/auth/login", json={"username": "admin", "password": "admin-password-1"}
            )
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            created = await client.post(
                "/api/commitments", json={"text": "Nous décidons de publier un rapport."}, headers=headers
            )
            assert created.status_code == 201  # committed before the relay ran
        assert await asyncio.to_thread(process.wait, 30) == -signal.SIGKILL

        process = start(tmp_path, server.url, port, None)
        try:
            await wait_ready(url, process)
            await asyncio.sleep(1.0)  # the relay's first pass
            events = await created_events(server.url)
        finally:
            process.terminate()
            await asyncio.to_thread(process.wait, 30)
    assert [e.data["id"] for e in events] == [created.json()["id"]]
