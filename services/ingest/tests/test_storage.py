"""The hand-written migration creates exactly the tables the models describe."""

from __future__ import annotations

import suivi_ingest.documents.models  # noqa: F401 - registers the tables
from suivi_ingest.main import MIGRATIONS
from suivi_kit.consumer import InboxMessage
from suivi_kit.db import create_engine, migrate
from suivi_kit.outbox import OutboxMessage
from suivi_testing import migration_drift

TABLES = {"documents", "document_contents", "extracted_items", "ingest_state", "outbox", "inbox"}


async def test_migration_matches_the_models(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'ingest.db'}", "ingest")
    await migrate(engine, MIGRATIONS, "ingest")
    await migrate(engine, MIGRATIONS, "ingest")  # a second start changes nothing
    assert OutboxMessage.__tablename__ == "outbox" and InboxMessage.__tablename__ == "inbox"
    differences = await migration_drift(engine, TABLES)
    await engine.dispose()
    assert differences == []
