"""Evidence survives link rot: its URL is fetched once, in the background, and kept as captured."""

from __future__ import annotations

import asyncio
import hashlib
import logging

from bs4 import BeautifulSoup
from sqlalchemy.ext.asyncio import async_sessionmaker
from suivi_kit.db import transaction
from suivi_kit.safe_http import FetchFailed, fetch
from suivi_kit.settings import Settings

from . import repository
from .models import Evidence

log = logging.getLogger(__name__)
MAX_ARCHIVE_BYTES = 5 * 1024 * 1024


def readable_text(body: bytes, content_type: str) -> str:
    if "html" in content_type or body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        soup = BeautifulSoup(body, "lxml")
        for tag in soup(["script", "style", "noscript"]):
            tag.decompose()
        return "\n".join(line.strip() for line in soup.get_text("\n").splitlines() if line.strip())
    if content_type.startswith("text/") or not content_type:
        return body.decode("utf-8", errors="replace")
    return ""


async def archive_one(sessions: async_sessionmaker, settings: Settings, evidence: Evidence) -> None:
    try:
        fetched = await fetch(
            evidence.url,
            max_bytes=MAX_ARCHIVE_BYTES,
            timeout=settings.fetch_timeout_seconds,
            allow_private=settings.allow_private_addresses,
        )
        values = {
            "archive_status": "archived",
            "archive_sha256": hashlib.sha256(fetched.body).hexdigest(),
            "archive_content_type": fetched.content_type[:200],
            "archive_text": readable_text(fetched.body, fetched.content_type),
            "archive_error": None,
        }
    except FetchFailed as exc:
        values = {"archive_status": "failed", "archive_error": str(exc)[:500]}
    async with transaction(sessions) as session:
        await repository.record_archive(session, evidence.id, values)


async def run_archiver(sessions: async_sessionmaker, settings: Settings, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            async with transaction(sessions) as session:
                pending = await repository.claim_archives(session)
            await asyncio.gather(*(archive_one(sessions, settings, e) for e in pending))
        except Exception:
            log.exception("evidence archiver failed; retrying")
            pending = []
        if not pending:
            try:
                await asyncio.wait_for(stop.wait(), timeout=1.0)
            except TimeoutError:
                pass
