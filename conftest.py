"""Fixtures every test suite shares: a real nats-server and a throwaway PostgreSQL cluster."""

import os
import uuid

import pytest
from suivi_kit.nats_server import EmbeddedNats
from suivi_testing import PostgresCluster

# Tests sign and verify tokens with a key of their own, never a developer's .env.
os.environ["SUIVI_SECRET_KEY"] = "test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


@pytest.fixture(scope="session")
def nats_server(tmp_path_factory):
    with EmbeddedNats(tmp_path_factory.mktemp("nats")) as server:
        yield server


@pytest.fixture(scope="session")
def postgres_cluster():
    if not PostgresCluster.available():
        pytest.fail("PostgreSQL 15 (initdb, pg_ctl) is needed for the storage tests: run 'make setup'.")
    cluster = PostgresCluster()
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A fresh database on each backend: every storage test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return None  # the services' default: SQLite files under the data directory
    cluster = request.getfixturevalue("postgres_cluster")
    return cluster.create_database(f"t_{uuid.uuid4().hex[:12]}")
