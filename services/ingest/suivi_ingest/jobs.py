"""The background extraction queue, kept in the `documents` table so that a crash loses nothing.

A worker claims the oldest queued document with a token and a lease, renews the lease
while it works, and writes the outcome (items + status + events, or failure + event) in one
transaction that only succeeds while it still holds the claim. A document whose worker
died goes back to the queue when its lease runs out (at start and on every idle tick); a
document that keeps killing the service is given up after MAX_ATTEMPTS.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from datetime import datetime, timedelta

from prometheus_client import Counter, Histogram
from sqlalchemy.exc import SQLAlchemyError
from suivi_kit.events import utcnow
from suivi_kit.outbound import FetchFailed, fetch
from suivi_kit.uow import Database

from . import isolation
from .config import IngestSettings
from .documents import repository, service
from .documents.models import Document
from .formats import ALLOWED_EXTENSIONS, UnsupportedType, classify
from .isolation import ExtractionTimeout, IsolatedWorker, WorkerCrashed

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=30)
HEARTBEAT_SECONDS = 10.0
IDLE_SECONDS = 1.0
MAX_ATTEMPTS = 3
MAX_REDIRECTS = 5  # documents move (http to https, a new site); each hop is checked like the first

PROCESSED = Counter("suivi_ingest_documents_total", "Documents processed, by outcome", ["outcome"])
PROCESSING_SECONDS = Histogram(
    "suivi_ingest_processing_seconds",
    "Time from claiming a document to storing its outcome",
    buckets=(0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
)


class JobFailed(Exception):
    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class JobWorker:
    def __init__(self, settings: IngestSettings, db: Database):
        self.settings = settings
        self.db = db
        self.isolated = IsolatedWorker(settings.extraction_memory_mb)
        self._wake = asyncio.Event()
        self.worker_id = f"{_host()}:{os.getpid()}"

    def wake(self) -> None:
        self._wake.set()

    async def requeue_expired(self) -> int:
        async with self.db.write() as uow:
            count = await repository.requeue_expired(uow.session)
        if count:
            log.warning("re-queued %d document(s) whose worker stopped", count)
        return count

    async def requeue_orphans(self) -> int:
        """At start: this host's documents whose process is gone (or is us, restarted) go back to the queue."""
        host = _host()
        own = os.getpid()

        def is_gone(pid: int) -> bool:
            if pid == own:  # a restarted container can have the pid of the process it replaces
                return True
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return True
            except PermissionError:
                return False
            return False

        async with self.db.write() as uow:
            count = await repository.requeue_orphans(uow.session, host, is_gone)
        if count:
            log.warning("re-queued %d document(s) left by a stopped process", count)
        return count

    async def run(self, stop: asyncio.Event) -> None:
        await self.requeue_orphans()
        await self.requeue_expired()
        # Warm the worker process (spaCy loads in seconds) while the queue is already served.
        warming = asyncio.create_task(self._warm())
        try:
            await self._loop(stop)
        finally:
            warming.cancel()

    async def _warm(self) -> None:
        try:
            await self.isolated.start()
        except WorkerCrashed:
            log.exception("the extraction worker could not start; each document will try again")

    async def _loop(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                document_id = await self._claim()
                if document_id is None:
                    await self.requeue_expired()
                    self._wake.clear()
                    try:
                        await asyncio.wait_for(self._wake.wait(), IDLE_SECONDS)
                    except TimeoutError:
                        pass
                    continue
                await self._process(*document_id)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("job loop failed; continuing")
                await asyncio.sleep(1.0)

    async def close(self) -> None:
        """Stop the worker process (a document in hand was given back when the job task was cancelled)."""
        await self.isolated.close()

    async def _release(self, document_id: int, token: str) -> None:
        """Give a document back to the queue at shutdown; the interrupted try does not count."""
        try:
            async with self.db.write() as uow:
                await repository.update_claimed(
                    uow.session,
                    document_id,
                    token,
                    status="queued",
                    progress=0.0,
                    claim_token=None,
                    lease_expires_at=None,
                    attempts=Document.attempts - 1,
                )
        except Exception:
            log.exception("could not give document %s back to the queue", document_id)

    async def _claim(self) -> tuple[int, str] | None:
        token = uuid.uuid4().hex
        async with self.db.write() as uow:
            document_id = await repository.claim_next(uow.session, token, LEASE, self.worker_id)
        return None if document_id is None else (document_id, token)

    async def _process(self, document_id: int, token: str) -> None:
        heartbeat = asyncio.create_task(self._heartbeat(document_id, token))
        started = time.monotonic()
        try:
            try:
                outcome = await self._run(document_id, token)
            except JobFailed as failure:
                await self._fail(document_id, token, failure.message, **failure.details)
            except (SQLAlchemyError, OSError):
                raise  # the database is unreachable: the lease runs out and the document is retried
            except Exception as exc:
                log.exception("processing document %s failed unexpectedly", document_id)
                await self._fail(
                    document_id, token, f"An internal error stopped the processing ({type(exc).__name__})."
                )
            else:
                if outcome is not None:
                    await self._succeed(document_id, token, outcome)
        except asyncio.CancelledError:  # shutdown: the next start takes the document up again
            await asyncio.shield(self._release(document_id, token))
            raise
        finally:
            heartbeat.cancel()
            PROCESSING_SECONDS.observe(time.monotonic() - started)

    async def _heartbeat(self, document_id: int, token: str) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            try:
                async with self.db.write() as uow:
                    await repository.update_claimed(
                        uow.session, document_id, token, lease_expires_at=_lease_end()
                    )
            except Exception:
                log.exception("could not renew the lease of document %s", document_id)

    async def _progress(self, document_id: int, token: str, progress: float, **values) -> bool:
        async with self.db.write() as uow:
            return await repository.update_claimed(
                uow.session, document_id, token, progress=progress, **values
            )

    async def _run(self, document_id: int, token: str) -> dict | None:
        async with self.db.read() as session:
            document = await repository.get(session, document_id)
            content = await repository.get_content(session, document_id)
        if document is None or document.claim_token != token:
            return None
        if document.attempts > MAX_ATTEMPTS:
            raise JobFailed(
                f"Processing was given up after {MAX_ATTEMPTS} attempts that each stopped the service."
            )
        data = content.data if content is not None else None
        filename, content_type = document.filename, document.content_type
        if data is None:
            if not document.source_url:
                raise JobFailed("The document's content is missing.")
            data, filename, content_type = await self._fetch(document_id, token, document.source_url)
        elif not await self._progress(document_id, token, 0.1):
            return None

        budget = self.settings.extraction_timeout_seconds
        deadline = time.monotonic() + budget
        read = await self._isolated(isolation.read, data, filename, content_type, deadline=deadline)
        if not await self._progress(
            document_id, token, 0.3, language=read["language"], format=read["format"]
        ):
            return None
        language = document.language_hint or read["language"]
        found = await self._isolated(
            isolation.extract,
            read["text"],
            filename,
            document.language_hint,
            deadline=deadline,
            language=language,
            fmt=read["format"],
        )
        if not await self._progress(document_id, token, 0.9):
            return None
        return {
            "text": read["text"],
            "language": language,
            "fmt": read["format"],
            "extracted": found["items"],
        }

    async def _isolated(self, function, *args, deadline: float, **details) -> dict:
        budget = self.settings.extraction_timeout_seconds
        try:
            result = await self.isolated.call(function, *args, timeout=deadline - time.monotonic())
        except ExtractionTimeout:
            raise JobFailed(
                f"Processing took longer than the {budget:g} s allowed and was stopped; "
                "the document may be too large or malformed.",
                **details,
            ) from None
        except WorkerCrashed:
            raise JobFailed(
                "The extraction process stopped unexpectedly while processing this document "
                f"(it may have needed more than the {self.settings.extraction_memory_mb} MB allowed, "
                "or the file is malformed).",
                **details,
            ) from None
        if not result.get("ok"):
            raise JobFailed(result.get("error") or "The document could not be processed.", **details)
        return result

    async def _fetch(self, document_id: int, token: str, url: str) -> tuple[bytes, str, str | None]:
        try:
            fetched = await fetch(
                url,
                max_bytes=self.settings.max_upload_bytes,
                timeout=self.settings.fetch_timeout_seconds,
                allow_private=self.settings.allow_private_addresses,
                max_redirects=MAX_REDIRECTS,
            )
        except FetchFailed as exc:
            raise JobFailed(str(exc)) from None
        if not fetched.body:
            raise JobFailed(f"The document at {url} is empty.")
        content_type = fetched.content_type or None
        name = service.filename_from_url(fetched.url)
        stem, ext = os.path.splitext(name)
        if ext.lower() not in ALLOWED_EXTENSIONS:  # 'page.php', 'example.org': go by the content instead
            name = stem or "document"
        try:
            name, fmt = classify(fetched.body, name, content_type)
        except UnsupportedType as exc:
            raise JobFailed(f"{exc.message} (fetched from {url})") from None
        async with self.db.write() as uow:
            twin = await service.record_fetched(
                uow.session,
                document_id,
                token,
                data=fetched.body,
                filename=name,
                content_type=content_type,
                fmt=fmt,
            )
        if twin is not None:
            raise JobFailed(
                f"The content at {url} is the same as document {twin.id} ({twin.title!r}), "
                "which holds its commitments.",
                duplicate_of=twin.id,
            )
        return fetched.body, name, content_type

    async def _succeed(self, document_id: int, token: str, outcome: dict) -> None:
        async with self.db.write() as uow:
            document = await service.record_success(uow.session, document_id, token, **outcome)
        if document is not None:
            PROCESSED.labels("done").inc()
            log.info("document %s done: %d commitment(s)", document_id, document.commitment_count)

    async def _fail(self, document_id: int, token: str, message: str, **details) -> None:
        async with self.db.write() as uow:
            document = await service.record_failure(uow.session, document_id, token, message, **details)
        if document is not None:
            PROCESSED.labels("failed").inc()
            log.info("document %s failed: %s", document_id, message)


def _host() -> str:
    return socket.gethostname()[:180]


def _lease_end() -> datetime:
    return utcnow() + LEASE
