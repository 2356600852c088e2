"""Parsing and extraction in a separate, limited process.

Untrusted files go through PDF/DOCX/HTML parsers and an NLP pipeline; a hostile or broken
file must not take the service down. One long-lived worker process (spawned, so it shares
nothing with the server) loads spaCy once and runs every document under an address-space
limit (RLIMIT_AS) and, from the caller's side, a wall-clock timeout. A worker that dies or
overruns is killed and replaced by a fresh one before the next document.

The functions run in the child return plain dicts ({"ok": True, ...} or {"ok": False,
"error": message}), so nothing but built-in types crosses the process boundary.
"""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any

log = logging.getLogger(__name__)

WARM_UP_TIMEOUT = 180.0
_WARM_TEXT = "Les États membres s'engagent à renforcer le Forum sur la gouvernance de l'Internet d'ici 2030."


class IsolationError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ExtractionTimeout(IsolationError):
    """The worker did not answer in time; it was killed."""


class WorkerCrashed(IsolationError):
    """The worker process died (killed, out of memory, a crash in a native parser)."""


# --- inside the worker process ------------------------------------------------------------------

_extractor: Any = None
_memory_mb = 0
_warm_error: str | None = None


def _initialize(memory_mb: int) -> None:
    global _memory_mb
    _memory_mb = memory_mb
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    try:
        os.nice(5)  # documents wait a little rather than the API
    except OSError:
        pass
    if memory_mb > 0:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    global _warm_error
    try:
        _get_extractor().extract(_WARM_TEXT, doc="warm-up", language="fr")
    except Exception as exc:  # the worker still runs; the documents will report the cause
        _warm_error = f"{type(exc).__name__}: {exc}"[:300]
        log.exception("warming the extractor failed")


def _get_extractor() -> Any:
    global _extractor
    if _extractor is None:
        from .extraction import Extractor

        _extractor = Extractor()
    return _extractor


def ping() -> dict[str, Any]:
    """The worker's pid, its address-space limit in bytes (-1: none) and whether the extractor loaded."""
    import resource

    return {
        "pid": os.getpid(),
        "memory_limit": resource.getrlimit(resource.RLIMIT_AS)[0],
        "warm_error": _warm_error,
    }


def _is_memory_error(exc: BaseException) -> bool:
    # Native code under RLIMIT_AS fails in its own words ("Could not reserve memory block"...).
    message = str(exc).lower()
    return isinstance(exc, MemoryError) or "memory" in message or "cannot allocate" in message


def _out_of_memory() -> dict[str, Any]:
    return {
        "ok": False,
        "error": f"Processing the document needed more memory than the {_memory_mb} MB allowed.",
    }


def read(data: bytes, filename: str, content_type: str | None) -> dict[str, Any]:
    try:
        from .extraction import UnreadableDocument, read_document
    except Exception as exc:
        return {"ok": False, "error": f"The document reader is not available ({type(exc).__name__})."}
    try:
        document = read_document(data, filename, content_type)
    except UnreadableDocument as exc:
        return {"ok": False, "error": exc.message}
    except MemoryError:
        return _out_of_memory()
    except RecursionError:
        return {"ok": False, "error": f"The file {filename!r} is nested too deeply to be read."}
    except Exception as exc:
        log.exception("reading %s failed", filename)
        if _is_memory_error(exc):
            return _out_of_memory()
        return {"ok": False, "error": f"The file {filename!r} could not be read ({type(exc).__name__})."}
    return {"ok": True, "text": document.text, "language": document.language, "format": document.format}


def extract(text: str, name: str, language: str | None) -> dict[str, Any]:
    try:
        from .extraction import UnsupportedLanguage
    except Exception as exc:
        return {"ok": False, "error": f"The extractor is not available ({type(exc).__name__})."}
    try:
        found = _get_extractor().extract(text, doc=name, language=language)
    except UnsupportedLanguage as exc:
        return {"ok": False, "error": exc.message}
    except MemoryError:
        return _out_of_memory()
    except Exception as exc:
        log.exception("extracting from %s failed", name)
        if _is_memory_error(exc):
            return _out_of_memory()
        if _warm_error is not None:
            return {
                "ok": False,
                "error": f"The extractor could not start within the {_memory_mb} MB memory limit "
                f"of its worker process ({_warm_error}).",
            }
        return {"ok": False, "error": f"Extraction failed on this document ({type(exc).__name__})."}
    return {"ok": True, "items": [item.to_dict() for item in found]}


# --- in the server ------------------------------------------------------------------------------


class IsolatedWorker:
    """Runs the functions above in one warm worker process, replaced whenever it dies or overruns."""

    def __init__(self, memory_mb: int):
        self._memory_mb = memory_mb
        self._pool: ProcessPoolExecutor | None = None
        self._lock = asyncio.Lock()
        self._replacement: asyncio.Task | None = None

    @property
    def pids(self) -> list[int]:
        pool = self._pool
        processes = getattr(pool, "_processes", None) or {}
        return [pid for pid, process in processes.items() if process.is_alive()]

    async def start(self) -> None:
        """Start and warm the worker; the time spent here never counts against a document."""
        async with self._lock:
            if self._pool is not None:
                return
            pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=get_context("spawn"),
                initializer=_initialize,
                initargs=(self._memory_mb,),
            )
            self._pool = pool
            try:
                await asyncio.wait_for(asyncio.wrap_future(pool.submit(ping)), WARM_UP_TIMEOUT)
            except (TimeoutError, BrokenProcessPool) as exc:
                self._discard()
                raise WorkerCrashed("The extraction process could not be started.") from exc

    async def call(self, function, *args: Any, timeout: float) -> dict[str, Any]:
        future = await self._submit(function, *args)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), max(timeout, 0.01))
        except TimeoutError:
            self._replace()
            raise ExtractionTimeout("timeout") from None
        except BrokenProcessPool:
            self._replace()
            raise WorkerCrashed("crashed") from None

    async def _submit(self, function, *args: Any) -> Future:
        """Hand the work to a live worker; one that died while idle is replaced first, not blamed."""
        for attempt in range(2):
            await self.start()
            pool = self._pool
            try:
                if pool is None:
                    raise RuntimeError("no worker")
                return pool.submit(function, *args)
            except (BrokenProcessPool, RuntimeError):
                self._discard()
                if attempt:
                    raise WorkerCrashed("The extraction process could not be started.") from None
        raise AssertionError("unreachable")

    def _replace(self) -> None:
        """Kill the worker and start warming its successor at once, ready for the next document."""
        self._discard()
        self._replacement = asyncio.get_running_loop().create_task(self._start_quietly())

    async def _start_quietly(self) -> None:
        try:
            await self.start()
        except WorkerCrashed:
            log.exception("the replacement extraction worker could not start")

    def _discard(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            try:
                process.kill()
            except (OSError, ValueError):
                pass
        pool.shutdown(wait=False, cancel_futures=True)

    async def close(self) -> None:
        if self._replacement is not None:
            self._replacement.cancel()
        self._discard()
