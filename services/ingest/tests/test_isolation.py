"""The worker process really runs under the memory limit, and says so when it is too small."""

from __future__ import annotations

import asyncio
import os
import signal

from suivi_ingest import isolation
from suivi_ingest.isolation import IsolatedWorker


async def test_the_worker_runs_under_the_memory_limit():
    worker = IsolatedWorker(memory_mb=200)  # far too little for spaCy
    try:
        info = await worker.call(isolation.ping, timeout=60)
        assert info["memory_limit"] == 200 * 1024 * 1024
        assert info["pid"] in worker.pids
        result = await worker.call(
            isolation.extract, "Les États membres s'engagent à renforcer le Forum.", "x.txt", None, timeout=60
        )
        assert result["ok"] is False
        assert "200 MB" in result["error"]
    finally:
        await worker.close()
    assert worker.pids == []


async def test_a_worker_that_died_while_idle_is_replaced_without_failing_the_next_call():
    worker = IsolatedWorker(memory_mb=200)
    try:
        first = await worker.call(isolation.ping, timeout=60)
        os.kill(first["pid"], signal.SIGKILL)
        await asyncio.sleep(0.5)  # the pool notices the death between two calls
        second = await worker.call(isolation.ping, timeout=60)
        assert second["pid"] != first["pid"]
    finally:
        await worker.close()
