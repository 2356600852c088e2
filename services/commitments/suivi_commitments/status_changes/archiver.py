"""Evidence survives link rot: its URL is fetched once, in the background, and kept as captured."""

from __future__ import annotations

import asyncio
import hashlib
import logging

from bs4 import BeautifulSoup
from suivi_kit.outbound import FetchFailed, fetch
from suivi_kit.queries import row_id
from suivi_kit.settings import Settings
from suivi_kit.uow import Database

from . import repository
from .models import Evidence

log = logging.getLogger(__name__)
MAX_ARCHIVE_BYTES = 5 * 1024 * 1024


def readable_text(body: bytes, content_type: str) -> str:
    if "html" in content_type or body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        soup = BeautifulSoup(body, "lxml")
        for tag in soup(["script", "style", "noscript"]):
            tag.decompose()
        text = "\n".join(line.strip() for line in soup.get_text("\n").splitlines() if line.strip())
    elif content_type.startswith("text/") or not content_type:
        text = body.decode("utf-8", errors="replace")
    else:
        return ""
    return text.replace("\x00", "\ufffd")  # PostgreSQL text cannot hold NUL: the row would never settle


async def archive_one(db: Database, settings: Settings, evidence: Evidence) -> None:
    """Archive once; any failure, foreseen or not, is recorded, so no evidence stays `archiving`."""
    try:
        assert evidence.url, "only evidence with a URL is queued for archiving"
        values = await _capture(evidence.url, settings)
    except FetchFailed as exc:
        values = _failed(str(exc))
    except Exception as exc:
        log.exception("archiving evidence %s failed unexpectedly", evidence.id)
        values = _failed(f"unexpected error: {type(exc).__name__}: {exc}")
    try:
        async with db.write() as uow:
            await repository.record_archive(uow.session, row_id(evidence), values)
    except Exception as exc:
        log.exception("recording the archive of evidence %s failed", evidence.id)
        async with db.write() as uow:
            await repository.record_archive(
                uow.session,
                row_id(evidence),
                _failed(f"the archive could not be stored ({type(exc).__name__})"),
            )


async def _capture(url: str, settings: Settings) -> dict:
    fetched = await fetch(
        url,
        max_bytes=MAX_ARCHIVE_BYTES,
        timeout=settings.fetch_timeout_seconds,
        allow_private=settings.allow_private_addresses,
    )
    return {
        "archive_status": "archived",
        "archive_sha256": hashlib.sha256(fetched.body).hexdigest(),
        "archive_content_type": fetched.content_type[:200],
        "archive_text": readable_text(fetched.body, fetched.content_type),
        "archive_error": None,
    }


def _failed(error: str) -> dict:
    return {"archive_status": "failed", "archive_error": error.replace("\x00", "\ufffd")[:500]}


async def run_archiver(db: Database, settings: Settings, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            async with db.write() as uow:
                pending = await repository.claim_archives(uow.session)
            await asyncio.gather(*(archive_one(db, settings, e) for e in pending))
        except Exception:
            log.exception("evidence archiver failed; retrying")
            pending = []
        if not pending:
            try:
                await asyncio.wait_for(stop.wait(), timeout=1.0)
            except TimeoutError:
                pass
