import asyncio

import nats
import pytest
from suivi_commitments.config import CommitmentsSettings
from suivi_commitments.main import create_app
from suivi_kit.events import CloudEvent
from suivi_testing import serving


def running_app(settings: CommitmentsSettings):
    return serving(create_app(settings))


@pytest.fixture
def settings(tmp_path, nats_server, database_url):
    return CommitmentsSettings(
        data_dir=tmp_path, database_url=database_url, nats_url=nats_server.url, admin_password="adminpass1"
    )


@pytest.fixture
async def client(settings):
    async with running_app(settings) as client:
        yield client


class EventLog:
    """Every event of a subject seen on NATS (core subscription), for assertions."""

    def __init__(self):
        self.events: list[CloudEvent] = []

    def of(self, event_type: str, subject: str | None = None) -> list[CloudEvent]:
        return [e for e in self.events if e.type == event_type and (subject is None or e.subject == subject)]

    async def wait_for(
        self, event_type: str, subject: str | None = None, count: int = 1, timeout: float = 10
    ):
        async with asyncio.timeout(timeout):
            while len(self.of(event_type, subject)) < count:
                await asyncio.sleep(0.02)
        return self.of(event_type, subject)


@pytest.fixture
async def event_log(nats_server):
    log = EventLog()
    nc = await nats.connect(nats_server.url)

    async def on_message(message):
        log.events.append(CloudEvent.from_json(message.data))

    await nc.subscribe("suivi.>", cb=on_message)
    yield log
    await nc.drain()


@pytest.fixture
def app_with(tmp_path, nats_server):
    """Start the service with settings of the test's own: `async with app_with(allow_private_addresses=True)`."""

    def start(**overrides):
        base = {"data_dir": tmp_path, "nats_url": nats_server.url, "admin_password": "adminpass1"}
        return running_app(CommitmentsSettings(**(base | overrides)))

    return start
