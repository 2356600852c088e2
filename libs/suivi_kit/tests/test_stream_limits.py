"""The stream SUIVI keeps what its limits allow (issue 20): age and size from the settings,
applied when the stream is created and when they change; the oldest events go first."""

import nats
import pytest
from suivi_kit.events import STREAM
from suivi_kit.messaging import ensure_stream
from suivi_kit.nats_server import EmbeddedNats
from suivi_kit.settings import Settings


@pytest.fixture
async def js(tmp_path):
    # A server of its own: the shared one's stream must keep the defaults.
    with EmbeddedNats(tmp_path / "nats") as server:
        client = await nats.connect(server.url)
        yield client.jetstream()
        await client.close()


async def test_the_oldest_events_go_beyond_max_bytes(js):
    await ensure_stream(js, max_age_seconds=3600, max_bytes=64 * 1024)
    config = (await js.stream_info(STREAM)).config
    assert (config.max_age, config.max_bytes) == (3600, 64 * 1024)
    for number in range(200):
        await js.publish("suivi.test.filler", b"x" * 1024, headers={"Nats-Msg-Id": f"filler-{number}"})
    state = (await js.stream_info(STREAM)).state
    assert state.bytes <= 64 * 1024
    assert state.last_seq == 200 and state.first_seq > 1, "the oldest were dropped, the newest kept"


async def test_changed_limits_apply_to_the_existing_stream(js):
    await ensure_stream(js)  # as `suivi restore` or an older version created it: no limits
    config = (await js.stream_info(STREAM)).config
    assert (config.max_age or 0, config.max_bytes) == (0, -1)

    await ensure_stream(js, max_age_seconds=7 * 86400, max_bytes=10 * 2**20)
    config = (await js.stream_info(STREAM)).config
    assert (config.max_age, config.max_bytes) == (7 * 86400, 10 * 2**20)
    assert config.duplicate_window == 300, "the rest of the configuration is kept"

    await ensure_stream(js)  # limits not given: left as they are
    config = (await js.stream_info(STREAM)).config
    assert (config.max_age, config.max_bytes) == (7 * 86400, 10 * 2**20)

    await ensure_stream(js, max_age_seconds=0, max_bytes=-1)  # back to no limit
    config = (await js.stream_info(STREAM)).config
    assert (config.max_age or 0, config.max_bytes) == (0, -1)


def test_settings_read_the_limits(monkeypatch):
    monkeypatch.setenv("SUIVI_STREAM_MAX_AGE_DAYS", "90")
    monkeypatch.setenv("SUIVI_STREAM_MAX_BYTES", "6GiB")
    assert Settings(_env_file=None).stream_limits == {"max_age_seconds": 90 * 86400, "max_bytes": 6 * 2**30}
    monkeypatch.delenv("SUIVI_STREAM_MAX_AGE_DAYS")
    monkeypatch.delenv("SUIVI_STREAM_MAX_BYTES")
    assert Settings(_env_file=None).stream_limits == {"max_age_seconds": 0, "max_bytes": -1}
