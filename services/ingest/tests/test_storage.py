"""The hand-written migration creates exactly the tables the models describe."""

from __future__ import annotations

import suivi_ingest.documents.models  # noqa: F401 - registers the tables
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel
from suivi_common.db import create_engine, migrate
from suivi_common.outbox import InboxMessage, OutboxMessage
from suivi_ingest.main import MIGRATIONS

TABLES = {"documents", "document_contents", "extracted_items", "ingest_state", "outbox", "inbox"}


async def test_migration_matches_the_models(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'ingest.db'}", "ingest")
    await migrate(engine, MIGRATIONS, "ingest")
    await migrate(engine, MIGRATIONS, "ingest")  # a second start changes nothing
    assert OutboxMessage.__tablename__ == "outbox" and InboxMessage.__tablename__ == "inbox"
    metadata = SQLModel.metadata

    def diff(connection):
        context = MigrationContext.configure(
            connection, opts={"include_name": lambda name, type_, _: type_ != "table" or name in TABLES}
        )
        return compare_metadata(context, metadata)

    async with engine.connect() as connection:
        differences = await connection.run_sync(diff)
    await engine.dispose()
    relevant = [d for d in differences if not (d[0] == "add_table" and d[1].name not in TABLES)]
    assert relevant == []
