"""Alembic environment of the ingest service: runs on the connection suivi_kit.db.migrate passes in."""

from suivi_kit.db import run_migrations_online

run_migrations_online()
