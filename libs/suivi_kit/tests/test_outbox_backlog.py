"""suivi_outbox_pending: the relay reports how many events wait to be published (issue 20)."""

import nats
import pytest
from prometheus_client import REGISTRY
from sqlalchemy import insert
from suivi_kit import db
from suivi_kit.messaging import ensure_stream
from suivi_kit.nats_server import EmbeddedNats
from suivi_kit.outbox import OutboxMessage, OutboxRelay
from suivi_kit.uow import Database


@pytest.fixture
async def database(tmp_path):
    engine = db.create_engine(f"sqlite+aiosqlite:///{tmp_path / 'outbox.db'}", "public")
    async with engine.begin() as connection:
        await connection.run_sync(OutboxMessage.__table__.create)
    yield Database(engine)
    await engine.dispose()


@pytest.fixture
async def nats_client(tmp_path):
    with EmbeddedNats(tmp_path / "nats") as server:  # its own: the shared stream stays as it is
        client = await nats.connect(server.url)
        await ensure_stream(client.jetstream())
        yield client
        await client.close()


async def write_events(database: Database, count: int, prefix: str) -> None:
    async with database.write() as uow:
        rows = [
            {"event_id": f"{prefix}-{n}", "subject": "suivi.test.backlog", "payload": "{}"}
            for n in range(count)
        ]
        await uow.session.execute(insert(OutboxMessage), rows)


def pending(service: str) -> float | None:
    return REGISTRY.get_sample_value("suivi_outbox_pending", {"service": service})


async def test_the_backlog_is_reported_as_it_drains(database, nats_client):
    await write_events(database, 5, "drain")
    relay = OutboxRelay(database, "backlog-drain", batch=2)
    js = nats_client.jetstream()
    seen = []
    for _ in range(4):
        await relay.publish_pending(js)
        seen.append(pending("backlog-drain"))
    # Measured before each pass publishes: 5 waiting, then 3, then 1, then none.
    assert seen == [5, 3, 1, 0]


async def test_the_backlog_stays_visible_while_nats_is_away(database, nats_client):
    await write_events(database, 3, "away")
    relay = OutboxRelay(database, "backlog-away", batch=200)
    js = nats_client.jetstream()
    await nats_client.close()
    with pytest.raises(Exception):  # noqa: B017 - whichever error a closed connection raises
        await relay.publish_pending(js)
    assert pending("backlog-away") == 3
