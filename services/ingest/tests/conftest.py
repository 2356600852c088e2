from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the helpers beside this file

from suivi_kit.nats_server import EmbeddedNats


@pytest.fixture(scope="module")
def nats_url(tmp_path_factory):
    """A real nats-server with JetStream for each test module (an empty stream), stopped after it."""
    with EmbeddedNats(tmp_path_factory.mktemp("nats")) as server:
        yield server.url
