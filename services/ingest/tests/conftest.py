from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the helpers beside this file

from natsserver import run_nats_server


@pytest.fixture(scope="module")
def nats_url(tmp_path_factory):
    """A real nats-server with JetStream for each test module, killed after it."""
    with run_nats_server(tmp_path_factory.mktemp("nats")) as url:
        yield url
