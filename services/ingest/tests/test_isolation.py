"""The worker process runs under its memory limit, says so when it is too small, and never
depends on how much address space native libraries reserve on a given processor."""

from __future__ import annotations

import asyncio
import os
import signal

from suivi_ingest import isolation
from suivi_ingest.config import IngestSettings
from suivi_ingest.isolation import IsolatedWorker

SENTENCE = "Les États membres s'engagent à renforcer le Forum."


async def test_the_worker_runs_documents_under_the_default_memory_limit():
    limit_mb = IngestSettings().extraction_memory_mb
    worker = IsolatedWorker(memory_mb=limit_mb)
    try:
        info = await worker.call(isolation.ping, timeout=60)
        assert info["limit_error"] is None, info["limit_error"]
        assert info["memory_limit"] == limit_mb * 1024 * 1024
        assert info["pid"] in worker.pids
        result = await worker.call(isolation.extract, SENTENCE, "x.txt", None, timeout=60)
        assert result["ok"] is True, result
    finally:
        await worker.close()
    assert worker.pids == []


async def test_a_limit_below_what_the_loaded_extractor_uses_is_reported_not_crashed_into():
    worker = IsolatedWorker(memory_mb=200)  # far too little for spaCy, on any processor
    try:
        info = await worker.call(isolation.ping, timeout=60)
        assert "200 MB" in info["limit_error"]
        result = await worker.call(isolation.extract, SENTENCE, "x.txt", None, timeout=60)
        assert result["ok"] is False
        assert "SUIVI_EXTRACTION_MEMORY_MB" in result["error"] and "200 MB" in result["error"]
    finally:
        await worker.close()


async def test_a_worker_that_died_while_idle_is_replaced_without_failing_the_next_call():
    worker = IsolatedWorker(memory_mb=0)  # the limit is not what this is about
    try:
        first = await worker.call(isolation.ping, timeout=60)
        os.kill(first["pid"], signal.SIGKILL)
        await asyncio.sleep(0.5)  # the pool notices the death between two calls
        second = await worker.call(isolation.ping, timeout=60)
        assert second["pid"] != first["pid"]
    finally:
        await worker.close()
