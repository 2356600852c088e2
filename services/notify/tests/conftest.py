"""Real parts for notify's tests: a nats-server with JetStream, the app on a temporary SQLite
database, and a loopback webhook receiver."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the helpers beside this file

import nats
import pytest
from nats.js.errors import NotFoundError
from notify_support import Subscriber, free_port, running
from suivi_kit.events import STREAM
from suivi_kit.messaging import ensure_stream
from suivi_notify.config import NotifySettings

ROOT = Path(__file__).resolve().parents[3]
NATS_SERVER = Path(sys.executable).parent / "nats-server"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes about a minute; deselect with -m 'not slow'")


@pytest.fixture(scope="session")
def nats_url() -> AsyncIterator[str]:
    store = tempfile.mkdtemp(prefix="notify-nats-")
    port = free_port()
    process = subprocess.Popen(
        [str(NATS_SERVER), "-a", "127.0.0.1", "-p", str(port), "-js", "-sd", store],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)
    yield f"nats://127.0.0.1:{port}"
    process.kill()
    process.wait()
    shutil.rmtree(store, ignore_errors=True)


@pytest.fixture
async def js(nats_url: str):
    """A JetStream context on a fresh SUIVI stream (each test starts from an empty stream)."""
    nc = await nats.connect(nats_url)
    context = nc.jetstream()
    try:
        await context.delete_stream(STREAM)
    except NotFoundError:
        pass
    await ensure_stream(context)
    yield context
    await nc.close()


@pytest.fixture
def settings_for(tmp_path: Path, nats_url: str) -> Callable[..., NotifySettings]:
    def build(**overrides) -> NotifySettings:
        values = dict(
            data_dir=tmp_path,
            nats_url=nats_url,
            allow_private_addresses=True,
            webhook_retry_schedule=(0.1, 0.1, 0.1, 0.1),
            webhook_throttle_min_seconds=0.3,
            webhook_timeout_seconds=2.0,
            scheduler_enabled=False,
        )
        values.update(overrides)
        return NotifySettings(**values)

    return build


@pytest.fixture
async def notify(js, settings_for) -> AsyncIterator[Callable]:
    """`async with notify(**settings) as (app, client)` runs the app with its background tasks."""
    return lambda **overrides: running(settings_for(**overrides))


@pytest.fixture
async def subscriber() -> AsyncIterator[Subscriber]:
    server = await Subscriber().start()
    yield server
    await server.stop()
