"""The hand-written migration creates exactly the tables the models describe."""

from suivi_commitments.main import MIGRATIONS, NAME  # imports every domain's models: registers the tables
from suivi_kit.db import create_engine, migrate
from suivi_testing import migration_drift

TABLES = {
    "users",
    "commitments",
    "commitment_tags",
    "sources",
    "evidence",
    "status_changes",
    "audit_log",
    "outbox",
    "inbox",
}


async def test_migration_matches_the_models(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'c.db'}", NAME)
    await migrate(engine, MIGRATIONS, NAME)
    await migrate(engine, MIGRATIONS, NAME)  # a second start changes nothing
    differences = await migration_drift(engine, TABLES)
    await engine.dispose()
    assert differences == []
