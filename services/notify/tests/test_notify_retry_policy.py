"""The retry policy: schedule with jitter, a minimum wait after timeouts and 429, Retry-After."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from suivi_notify.config import NotifySettings
from suivi_notify.deliveries.service import retry_delay
from suivi_notify.sender import AttemptResult, WebhookSender, parse_retry_after, sign

SETTINGS = NotifySettings(
    webhook_retry_schedule=(5, 300, 1800),
    webhook_throttle_min_seconds=60,
    webhook_retry_after_max_seconds=3600,
)


def failed(code: int | None = 500, **fields) -> AttemptResult:
    return AttemptResult(code, 10, error="x", **fields)


def test_the_schedule_with_20_percent_jitter_then_dead():
    rng = random.Random(1)
    delays = [retry_delay(1, failed(), SETTINGS, rng) for _ in range(200)]
    assert 4.0 <= min(delays) < 4.3 and 5.7 < max(delays) <= 6.0
    assert 240 <= retry_delay(2, failed(), SETTINGS) <= 360
    assert 1440 <= retry_delay(3, failed(), SETTINGS) <= 2160
    assert retry_delay(4, failed(), SETTINGS) is None  # 1 + 3 retries, then dead


def test_timeouts_and_429_wait_at_least_the_minimum():
    assert retry_delay(1, failed(429), SETTINGS) >= 60
    assert retry_delay(1, failed(None, timed_out=True), SETTINGS) >= 60
    assert retry_delay(1, failed(503), SETTINGS) < 60


def test_retry_after_is_honoured_within_bounds():
    assert retry_delay(1, failed(503, retry_after=120), SETTINGS) == 120
    assert retry_delay(1, failed(429, retry_after=99_999), SETTINGS) == 3600
    assert retry_delay(2, failed(503, retry_after=1), SETTINGS) >= 240  # never sooner than the schedule
    now = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    assert parse_retry_after("30", now) == 30
    assert parse_retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90
    assert parse_retry_after("soon", now) is None and parse_retry_after(None, now) is None


def test_one_signature_per_secret():
    secrets = ["whsec_" + "A" * 43 + "=", "whsec_" + "B" * 43 + "="]
    header = sign(secrets, "msg_1", datetime.now(UTC), "{}")
    assert [part[:3] for part in header.split(" ")] == ["v1,", "v1,"]


async def _silent_server(hangs: bool) -> asyncio.Server:
    """A server that reads a request, then hangs or closes the connection without answering."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        if hangs:
            await asyncio.sleep(30)
        writer.close()

    return await asyncio.start_server(serve, "127.0.0.1", 0)


@pytest.mark.parametrize("hangs", [True, False], ids=["hangs", "hangs-up"])
async def test_a_timeout_is_told_from_a_dropped_connection(hangs):
    server = await _silent_server(hangs)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/hook"
    sender = WebhookSender(timeout=0.5, allow_private=True)
    try:
        result = await sender.send(url, "msg_1", "{}", ["whsec_" + "A" * 43 + "="])
    finally:
        await sender.aclose()
        server.close()
    assert not result.ok and result.response_code is None
    assert result.timed_out is hangs
    assert ("timeout" in result.error) is hangs, result.error
