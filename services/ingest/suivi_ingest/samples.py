"""The bundled sample corpus, queued once on the first start when SUIVI_LOAD_SAMPLES is set."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from suivi_kit.events import utcnow
from suivi_kit.uow import Database

from .config import IngestSettings
from .documents import repository, service
from .documents.models import ServiceState

log = logging.getLogger(__name__)

STATE_KEY = "samples_loaded"


def samples_dir(settings: IngestSettings) -> Path:
    if settings.samples_dir is not None:
        return Path(settings.samples_dir)
    return Path(__file__).resolve().parents[3] / "samples" / "corpus"


async def load_samples(settings: IngestSettings, db: Database) -> int:
    """Queue every sample file once in the database's life; returns how many were queued."""
    directory = samples_dir(settings)
    files = sorted(directory.glob("*.txt")) if directory.is_dir() else []
    queued = 0
    try:
        async with db.write() as uow:
            if await repository.get_state(uow.session, STATE_KEY) is not None:
                return 0
            # Claim the load first: a second replica starting now fails on the primary key.
            uow.session.add(
                ServiceState(key=STATE_KEY, value={"dir": str(directory), "at": utcnow().isoformat()})
            )
            await uow.session.flush()
            if await repository.count(uow.session) == 0:
                for path in files:
                    _, duplicate = await service.submit_file(
                        uow.session, data=path.read_bytes(), filename=path.name, content_type="text/plain"
                    )
                    queued += 0 if duplicate else 1
    except IntegrityError:
        return 0
    if not files:
        log.warning("no sample corpus found in %s", directory)
    else:
        log.info("queued %d sample document(s) from %s", queued, directory)
    return queued
