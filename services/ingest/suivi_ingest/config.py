"""Ingest's settings: the shared ones plus what only document intake and extraction read."""

from __future__ import annotations

from pathlib import Path

from suivi_kit.settings import Settings


class IngestSettings(Settings):
    # The largest document accepted, uploaded or fetched.
    max_upload_bytes: int = 20 * 1024 * 1024
    # Limits of the isolated process that parses documents.
    extraction_timeout_seconds: float = 300.0
    extraction_memory_mb: int = 2048
    # Queue the sample corpus on the first start (`suivi run` sets it); None: the bundled corpus.
    load_samples: bool = False
    samples_dir: Path | None = None
