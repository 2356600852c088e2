"""`suivi serve` as the deployments run it behind a proxy (issue 20): uvicorn takes its
keep-alive from the settings, and SIGTERM stops a service well within its grace period."""

from __future__ import annotations

import http.client
import signal
import time

import pytest
from suivi_testing import ServiceProcess, start_all

ADMIN_PASSWORD = "admin-password-proxy-1"


def serve(service: str, nats_url: str, data_dir, **settings: str) -> ServiceProcess:
    env = {
        "SUIVI_NATS_URL": nats_url,
        "SUIVI_DATA_DIR": str(data_dir),
        "SUIVI_ADMIN_PASSWORD": ADMIN_PASSWORD,
        **{f"SUIVI_{name.upper()}": value for name, value in settings.items()},
    }
    process = ServiceProcess(service, env, data_dir)
    start_all([process])
    return process


@pytest.fixture(scope="module")
def commitments(nats_server, tmp_path_factory):
    process = serve(
        "commitments", nats_server.url, tmp_path_factory.mktemp("serve"), http_keep_alive_seconds="1"
    )
    yield process
    process.stop()


def test_idle_connections_are_closed_after_the_keep_alive_setting(commitments):
    connection = http.client.HTTPConnection("127.0.0.1", commitments.port, timeout=10)
    try:
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        assert response.status == 200 and response.read()
        answered = time.monotonic()
        assert connection.sock.recv(1) == b"", "the service closes the idle connection"
        idle = time.monotonic() - answered
    finally:
        connection.close()
    # 1 s as set, not uvicorn's default of 5 s (the margin is for a loaded machine).
    assert 0.5 < idle < 4


def test_sigterm_stops_a_service_within_its_grace_margin(nats_server, tmp_path):
    """The manifests give a service 10 s beyond uvicorn's graceful shutdown to stop its
    consumers and its outbox relay: it needs far less."""
    process = serve("notify", nats_server.url, tmp_path, http_graceful_shutdown_seconds="5")
    try:
        started = time.monotonic()
        process.process.send_signal(signal.SIGTERM)
        code = process.process.wait(timeout=30)
        stopped_in = time.monotonic() - started
        print(f"notify stopped {stopped_in:.2f} s after SIGTERM")
    finally:
        process.stop()
    # uvicorn re-raises the signal once it has shut down: the exit status says SIGTERM.
    assert code == -signal.SIGTERM, process.output()[-2000:]
    assert "Application shutdown complete" in process.output()
    assert stopped_in < 10, f"{stopped_in:.1f} s"
