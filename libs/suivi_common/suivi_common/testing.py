"""Real parts for tests: a throwaway PostgreSQL 15 cluster (initdb/pg_ctl), started by the tests."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from .nats_server import free_port

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def _pg_tool(name: str) -> str | None:
    for directory in PG_BIN_DIRS:
        if (directory / name).exists():
            return str(directory / name)
    return shutil.which(name)


class PostgresCluster:
    """initdb + pg_ctl in a temporary directory, on a free loopback port.

    PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user.
    """

    def __init__(self) -> None:
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="suivi-pg-"))
        self.data = self.root / "data"
        self.user = None
        if os.geteuid() == 0:
            self.user = "postgres"
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)

    @staticmethod
    def available() -> bool:
        return _pg_tool("initdb") is not None and _pg_tool("pg_ctl") is not None

    def _run(self, *command: str) -> None:
        if self.user:
            command = ("runuser", "-u", self.user, "--", *command)
        subprocess.run(command, check=True, capture_output=True, cwd=self.root)

    def start(self) -> None:
        self._run(
            _pg_tool("initdb"), "-D", str(self.data), "-U", "suivi", "--auth=trust", "-E", "UTF8", "--no-sync"
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"
        )
        self._run(
            _pg_tool("pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "start",
        )

    def create_database(self, name: str) -> str:
        self._run(
            _pg_tool("createdb") or "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "suivi", name
        )
        return self.url(name)

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://suivi@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        if self.data.exists():
            try:
                self._run(_pg_tool("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
            except subprocess.CalledProcessError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)


def auth(role: str, username: str | None = None) -> dict[str, str]:
    """Authorization headers of a signed token for `role` (the user need not exist)."""
    from .auth import issue_token

    return {"Authorization": f"Bearer {issue_token(username or role, role)}"}


class SuiviProcess:
    """`suivi run` as a user starts it: a real process, its own nats-server, a data directory."""

    def __init__(
        self, data_dir: Path, env: dict[str, str] | None = None, admin_password: str = "admin-password-1"
    ):
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.admin_password = admin_password
        self.env = {**os.environ, "SUIVI_ADMIN_PASSWORD": admin_password, **(env or {})}
        self.process: subprocess.Popen | None = None
        self.log_path = data_dir.parent / f"{data_dir.name}-suivi.log"

    def start(self, timeout: float = 90.0) -> None:
        import sys
        import time

        import httpx

        suivi = Path(sys.executable).parent / "suivi"
        command = [str(suivi), "run", "--port", str(self.port), "--data-dir", str(self.data_dir)]
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(command, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"suivi run exited with {self.process.returncode}: {self.output()[-3000:]}"
                )
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"suivi run was not ready within {timeout:g} s: {self.output()[-3000:]}")

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self, sig: int = 15, timeout: float = 30.0) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode

    def token(self, username: str = "admin", password: str | None = None) -> dict[str, str]:
        import httpx

        response = httpx.post(
            f"{self.url}/api/auth/login",
            json={"username": username, "password": password or self.admin_password},
            timeout=10,
        )
        response.raise_for_status()
        return {"Authorization": f"Bearer {response.json()['access_token']}"}


class WebhookReceiver:
    """A subscriber on loopback that records every request and answers with scripted codes."""

    def __init__(self, codes: list[int] | None = None):
        import http.server
        import threading

        self.requests: list[dict] = []
        self.codes = list(codes or [])
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                receiver.requests.append({"headers": dict(self.headers.items()), "body": body})
                code = receiver.codes.pop(0) if receiver.codes else 200
                self.send_response(code)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
