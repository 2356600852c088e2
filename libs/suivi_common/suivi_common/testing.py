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
