"""Alembic environment of the ingest service: runs on the connection suivi_common.db.migrate passes in."""

from suivi_common.db import run_migrations_online

run_migrations_online()
