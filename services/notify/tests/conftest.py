"""Real parts for notify's tests: a nats-server with JetStream, the app on a temporary SQLite
database, and a loopback webhook receiver."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the helpers beside this file

import nats
import pytest
from nats.js.errors import NotFoundError
from notify_support import Subscriber, running
from suivi_kit.events import STREAM
from suivi_kit.messaging import ensure_stream
from suivi_kit.nats_server import EmbeddedNats
from suivi_notify.config import NotifySettings

ROOT = Path(__file__).resolve().parents[3]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes about a minute; deselect with -m 'not slow'")


@pytest.fixture(scope="session")
def nats_url(tmp_path_factory) -> Iterator[str]:
    """notify's own nats-server: its tests delete and recreate the stream at will."""
    with EmbeddedNats(tmp_path_factory.mktemp("notify-nats")) as server:
        yield server.url


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
