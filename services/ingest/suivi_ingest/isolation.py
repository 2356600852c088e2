"""Parsing and extraction in a separate, limited process.

Untrusted files go through PDF/DOCX/HTML parsers and an NLP pipeline; a hostile or broken
file must not take the service down. One long-lived worker process (spawned, so it shares
nothing with the server) loads spaCy once and runs every document under a memory limit
(RLIMIT_DATA) and, from the caller's side, a wall-clock timeout. A worker that dies or
overruns is killed and replaced by a fresh one before the next document; one whose parent
dies, even by SIGKILL, is killed by the kernel.

The limit is set once the extractor is loaded, and counts writable memory, not address space:
native libraries (BLAS, Rust extensions, allocators) reserve address space at import by CPU
model and core count, so an address-space limit that fits one x86-64 machine kills the import
on another. What a document makes the worker allocate is what the limit bounds, and the worker
checks at start that the limit leaves a document room above what the loaded extractor uses.

The functions run in the child return plain dicts ({"ok": True, ...} or {"ok": False,
"error": message}), so nothing but built-in types crosses the process boundary.
"""

from __future__ import annotations

import asyncio
import logging
import os
import resource
import signal
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any

from suivi_kit.processes import die_with_parent

log = logging.getLogger(__name__)

WARM_UP_TIMEOUT = 180.0
# Least memory a document may use beyond the loaded extractor (about 350 MB once warm, on
# x86-64); a limit leaving less is a configuration mistake, reported rather than applied.
DOCUMENT_HEADROOM_MB = 256
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
_limit_error: str | None = None


def _initialize(memory_mb: int, parent_pid: int) -> None:
    die_with_parent(signal.SIGKILL, parent_pid)
    global _memory_mb, _warm_error, _limit_error
    _memory_mb = memory_mb
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    try:
        os.nice(5)  # documents wait a little rather than the API
    except OSError:
        pass
    try:
        _get_extractor().extract(_WARM_TEXT, doc="warm-up", language="fr")
    except Exception as exc:  # the worker still runs; the documents will report the cause
        _warm_error = f"{type(exc).__name__}: {exc}"[:300]
        log.exception("warming the extractor failed")
    if memory_mb > 0:
        loaded_mb = _writable_memory_mb()
        if memory_mb < loaded_mb + DOCUMENT_HEADROOM_MB:
            _limit_error = (
                f"The extraction memory limit of {memory_mb} MB (SUIVI_EXTRACTION_MEMORY_MB) leaves "
                f"less than {DOCUMENT_HEADROOM_MB} MB for a document beyond the {loaded_mb} MB the "
                f"loaded extractor uses on this machine; set it to at least "
                f"{loaded_mb + DOCUMENT_HEADROOM_MB}."
            )
            return
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _writable_memory_mb() -> int:
    """What RLIMIT_DATA counts: this process's private writable mappings (VmData), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmData:"):
                return int(line.split()[1]) // 1024
    raise RuntimeError("VmData is missing from /proc/self/status")


def _get_extractor() -> Any:
    global _extractor
    if _extractor is None:
        from .extraction import Extractor

        _extractor = Extractor()
    return _extractor


def ping() -> dict[str, Any]:
    """The worker's pid, its memory limit in bytes (-1: none), whether the extractor loaded and fits."""
    return {
        "pid": os.getpid(),
        "memory_limit": resource.getrlimit(resource.RLIMIT_DATA)[0],
        "warm_error": _warm_error,
        "limit_error": _limit_error,
    }


def _is_memory_error(exc: BaseException) -> bool:
    # Native code under the limit fails in its own words ("Could not reserve memory block"...).
    message = str(exc).lower()
    return isinstance(exc, MemoryError) or "memory" in message or "cannot allocate" in message


def _out_of_memory() -> dict[str, Any]:
    return {
        "ok": False,
        "error": f"Processing the document needed more memory than the {_memory_mb} MB allowed.",
    }


def read(data: bytes, filename: str, content_type: str | None) -> dict[str, Any]:
    if _limit_error:
        return {"ok": False, "error": _limit_error}
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
    if _limit_error:
        return {"ok": False, "error": _limit_error}
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
                "error": f"The extractor could not start in its worker process ({_warm_error}).",
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
                initargs=(self._memory_mb, os.getpid()),
            )
            self._pool = pool
            try:
                info = await asyncio.wait_for(asyncio.wrap_future(pool.submit(ping)), WARM_UP_TIMEOUT)
            except (TimeoutError, BrokenProcessPool) as exc:
                self._discard()
                raise WorkerCrashed("The extraction process could not be started.") from exc
            if info["limit_error"]:
                log.error("%s Every document will fail until then.", info["limit_error"])

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
