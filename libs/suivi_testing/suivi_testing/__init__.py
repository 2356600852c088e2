"""Real parts for tests and benchmarks, never shipped (the wheel leaves this package out):
a throwaway PostgreSQL 15 cluster, `suivi run` and `suivi serve` as processes, a NATS cluster,
a webhook receiver, a router in front of replicas. A single nats-server is the kit's
EmbeddedNats, as `suivi run` starts it."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from suivi_commitments.config import CommitmentsSettings
from suivi_ingest.config import IngestSettings
from suivi_kit.nats_server import free_port
from suivi_notify.config import NotifySettings

if TYPE_CHECKING:  # imported where they are used, so that importing this module stays cheap
    import threading

    import httpx
    import uvicorn

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def _pg_tool(name: str) -> str | None:
    for directory in PG_BIN_DIRS:
        if (directory / name).exists():
            return str(directory / name)
    return shutil.which(name)


def _pg_tool_path(name: str) -> str:
    """A PostgreSQL program that `available()` found."""
    path = _pg_tool(name)
    assert path is not None, f"{name} is not installed"
    return path


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
            _pg_tool_path("initdb"),
            "-D",
            str(self.data),
            "-U",
            "suivi",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"
        )
        self._run(
            _pg_tool_path("pg_ctl"),
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
                self._run(_pg_tool_path("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
            except subprocess.CalledProcessError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)


def auth(role: str, username: str | None = None) -> dict[str, str]:
    """Authorization headers of a signed token for `role` (the user need not exist)."""
    from suivi_kit.auth import issue_token

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


# -- the distributed setup on one machine: a NATS cluster, `suivi serve` replicas, a router ----------


class _NatsNode(TypedDict):
    name: str
    port: int
    cluster: int
    monitor: int


class NatsCluster:
    """`size` nats-server processes on loopback in one cluster (`suivi`), JetStream on each.

    Like deploy/kubernetes/nats.yaml: every node routes to all the others and stores its
    streams in a directory of its own, so a stream with 3 replicas survives one node's death.
    """

    def __init__(self, root: Path, size: int = 3):
        self.root = root
        self.nodes: list[_NatsNode] = [
            {"name": f"n{i + 1}", "port": free_port(), "cluster": free_port(), "monitor": free_port()}
            for i in range(size)
        ]
        self.processes: list[subprocess.Popen | None] = [None] * size

    @property
    def urls(self) -> list[str]:
        return [f"nats://127.0.0.1:{node['port']}" for node in self.nodes]

    @property
    def url(self) -> str:
        """All nodes, comma-separated, as SUIVI_NATS_URL takes them."""
        return ",".join(self.urls)

    def start(self, timeout: float = 30.0) -> None:
        import time

        from suivi_kit.nats_server import _die_with_parent, nats_server_binary

        routes = ",".join(f"nats://127.0.0.1:{node['cluster']}" for node in self.nodes)
        for index, node in enumerate(self.nodes):
            store = self.root / node["name"]
            store.mkdir(parents=True, exist_ok=True)
            command = [
                nats_server_binary(),
                *("-a", "127.0.0.1", "-p", str(node["port"]), "-n", node["name"]),
                *("-m", str(node["monitor"]), "-js", "-sd", str(store)),
                *("--cluster_name", "suivi", "--cluster", f"nats://127.0.0.1:{node['cluster']}"),
                *("--routes", routes),
            ]
            log = open(self.root / f"{node['name']}.log", "ab")
            self.processes[index] = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent
            )
            log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.ready():
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the NATS cluster had no JetStream meta leader within {timeout:g} s")

    def ready(self) -> bool:
        """Every running node answers /healthz and knows the JetStream meta leader."""
        import httpx

        for index, node in enumerate(self.nodes):
            process = self.processes[index]
            if process is None or process.poll() is not None:
                continue
            try:
                base = f"http://127.0.0.1:{node['monitor']}"
                if httpx.get(f"{base}/healthz", timeout=1).status_code != 200:
                    return False
                if not httpx.get(f"{base}/jsz", timeout=1).json().get("meta_cluster", {}).get("leader"):
                    return False
            except (httpx.HTTPError, ValueError):
                return False
        return True

    def index_of(self, name: str) -> int:
        return next(i for i, node in enumerate(self.nodes) if node["name"] == name)

    def kill(self, index: int) -> None:
        """SIGKILL one node, as a crash would."""
        process = self.processes[index]
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()

    def stop(self) -> None:
        for process in self.processes:
            if process is not None and process.poll() is None:
                process.terminate()
        for process in self.processes:
            if process is not None:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    def __enter__(self) -> NatsCluster:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


class ServiceProcess:
    """`suivi serve <service> --port P`: one replica of one service, as a real process."""

    def __init__(
        self, service: str, env: dict[str, str], log_dir: Path, name: str | None = None, workers: int = 1
    ):
        self.service = service
        self.workers = workers
        self.name = name or service
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **env}
        self.log_path = log_dir / f"{self.name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        import sys

        suivi = Path(sys.executable).parent / "suivi"
        command = [
            str(suivi),
            "serve",
            self.service,
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
        ]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def ready(self) -> bool:
        import httpx

        if self.process is None or self.process.poll() is not None:
            raise RuntimeError(f"{self.name} exited: {self.output()[-3000:]}")
        try:
            return httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the replica and whatever it started (ingest's extraction workers)."""
        import signal

        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()

    def stop(self, timeout: float = 15.0) -> None:
        import signal

        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        self.kill()  # the replica and any child it left behind


def start_all(processes: list[ServiceProcess], timeout: float = 120.0) -> None:
    """Start every replica at once (as an orchestrator does) and wait until all are ready."""
    import time

    for process in processes:
        process.start()
    deadline = time.monotonic() + timeout
    waiting = list(processes)
    while waiting:
        waiting = [process for process in waiting if not process.ready()]
        if waiting and time.monotonic() > deadline:
            names = ", ".join(process.name for process in waiting)
            raise RuntimeError(f"not ready within {timeout:g} s: {names}: {waiting[0].output()[-3000:]}")
        if waiting:
            time.sleep(0.3)


class Router:
    """What nginx does in the distributed setup, in-process: one URL for the whole system.

    Requests go to the service that `route(path)` names (suivi.gateway.owner_of), round-robin
    over its replicas; a replica that refuses the connection is skipped for the next one (as
    nginx's `proxy_next_upstream error`: nothing was sent, so even a POST is safe to retry).
    A replica that dies with the request in hand answers 502 and the client decides.
    """

    HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "upgrade", "host", "content-length"}
    DECODED = {"content-encoding"}  # httpx hands over the body decoded

    def __init__(self, route, upstreams: dict[str, list[str]]):
        self.route = route
        self.upstreams = upstreams
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._turn: dict[str, int] = {}
        self._client: httpx.AsyncClient | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    async def __call__(self, scope, receive, send) -> None:
        import httpx

        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    self._client = httpx.AsyncClient(timeout=60)
                    await send({"type": "lifespan.startup.complete"})
                else:
                    if self._client is not None:
                        await self._client.aclose()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        service = self.route(scope["path"])
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        replicas = self.upstreams.get(service or "", [])
        start = self._turn.get(service, 0)
        self._turn[service] = start + 1
        headers = [(k.decode(), v.decode()) for k, v in scope["headers"] if k.decode() not in self.HOP_BY_HOP]
        query = scope.get("query_string", b"").decode()
        status, out_headers, content = 502, [], b'{"detail":"bad gateway"}'
        assert self._client is not None, "requests come only after the lifespan's startup"
        for attempt in range(len(replicas)):
            upstream = replicas[(start + attempt) % len(replicas)]
            target = f"{upstream}{scope['path']}" + (f"?{query}" if query else "")
            try:
                response = await self._client.request(scope["method"], target, headers=headers, content=body)
            except httpx.ConnectError:
                continue  # nothing was sent: the next replica
            except httpx.HTTPError:
                break  # the replica had the request and died: 502, as nginx answers
            status, content = response.status_code, response.content
            out_headers = [
                (k.encode(), v.encode())
                for k, v in response.headers.items()
                if k.lower() not in self.HOP_BY_HOP | self.DECODED
            ]
            break
        out_headers.append((b"content-length", str(len(content)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": out_headers})
        await send({"type": "http.response.body", "body": content})

    def start(self) -> None:
        import threading
        import time

        import uvicorn

        config = uvicorn.Config(self, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self._server = server = uvicorn.Server(config)
        self._thread = thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the router did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)


def stop_all(processes: list[ServiceProcess], timeout: float = 15.0) -> None:
    """SIGTERM every replica at once, then wait; whatever is still running is killed."""
    import signal

    for process in processes:
        if process.alive and process.process is not None:
            process.process.send_signal(signal.SIGTERM)
    for process in processes:
        process.stop(timeout)


async def migration_drift(engine, tables: set[str]) -> list:
    """What Alembic would still change to make the migrated database match these tables' models."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import MetaData
    from sqlmodel import SQLModel

    expected = MetaData()
    for name in tables:
        SQLModel.metadata.tables[name].to_metadata(expected)

    def diff(connection):
        context = MigrationContext.configure(
            connection, opts={"include_name": lambda name, type_, _: type_ != "table" or name in tables}
        )
        return compare_metadata(context, expected)

    async with engine.connect() as connection:
        return await connection.run_sync(diff)


def wait_until(predicate, timeout: float = 60.0, what: str = "condition", interval: float = 0.2):
    """Poll `predicate` until it returns something truthy, and return that; fail after `timeout`."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


@asynccontextmanager
async def serving(app, base_url: str = "http://suivi.test", **client_options) -> AsyncIterator:
    """`app` with its lifespan run (its runtime started, then stopped), and an httpx client
    that calls it in-process; the client's `app` is the app."""
    import httpx

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url, **client_options) as client:
            client.app = app
            yield client


class ServicesSettings(CommitmentsSettings, IngestSettings, NotifySettings):
    """Every service's options in one object, for tests that run the three apps on it: each
    app takes it as its own settings (`Settings.of` keeps an instance of its class)."""
