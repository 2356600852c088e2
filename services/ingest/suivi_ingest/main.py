"""The ingest service: documents in, commitments out as events.

Besides the API, it runs the extraction job worker and the consumer that links extracted
items to the commitments they became; on the first start it may queue the sample corpus.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from suivi_contracts import subjects
from suivi_contracts.events import AccountChanged
from suivi_kit.revocation import AccountRevisions
from suivi_kit.runtime import Runtime
from suivi_kit.settings import Settings

from .config import IngestSettings
from .consumers import COMMITMENT_LINKS
from .documents.router import router as documents_router
from .jobs import JobWorker
from .samples import load_samples

NAME = "ingest"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def create_app(settings: Settings | None = None) -> FastAPI:
    runtime = Runtime(NAME, IngestSettings.of(settings), MIGRATIONS)
    return runtime.app([documents_router], start_workers)


async def start_workers(runtime: Runtime[IngestSettings], app: FastAPI) -> None:
    config = runtime.settings
    revisions = AccountRevisions(
        subjects.ACCOUNT_CHANGED, AccountChanged.revision_of, config.token_ttl_minutes
    )
    await revisions.start(runtime.js)
    runtime.on_shutdown(revisions.stop)
    app.state.check_account = revisions.check  # tokens of changed accounts are refused here too
    if config.load_samples:
        await load_samples(config, runtime.db)
    app.state.jobs = jobs = JobWorker(config, runtime.db)
    # Cancelled at shutdown rather than awaited: a document in hand goes back to the queue.
    runtime.run("jobs", jobs.run, cancel_at_stop=True)
    runtime.on_shutdown(jobs.close)
    runtime.consume(COMMITMENT_LINKS)
