"""Webhook delivery benchmark: end-to-end latency and throughput of the notify service.

    .venv/bin/python bench/webhooks.py [--seconds 10] [--subscribers 10] [--runner]

Starts a nats-server with JetStream and notify (as its own process, on a fresh SQLite
database) and a loopback subscriber in this process, then measures:

* latency from publishing a `suivi.commitment.status_changed` CloudEvent on JetStream to the
  signed webhook arriving at the subscriber (p50/p95/p99), at 50 and 200 events/s;
* the highest sustained deliveries/s to 10 subscribers (a backlog published at once);
* with --runner, from POST /api/status_changes to the webhook at 20, 50 and 200 changes/s,
  under `suivi run` (every service in one process) and split as deployed (nats-server,
  `suivi serve commitments --workers 2`, `suivi serve notify`);
* the floor, in the same run: a bare NATS publish->subscribe round trip, and a bare httpx
  POST to the same subscriber, over httpx's own transport and over aiohttp's (httpx-aiohttp,
  the transport notify uses).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import nats
from httpx_aiohttp import AiohttpTransport
from receiver import Receiver  # bench/ is on sys.path when a bench script runs
from suivi_contracts.events import CommitmentStatusChanged
from suivi_contracts.subjects import COMMITMENT_STATUS_CHANGED
from suivi_kit.events import new_event, utcnow
from suivi_kit.messaging import ensure_stream, publish
from suivi_kit.nats_server import EmbeddedNats, free_port

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
RUNNER = """
import os, sys, uvicorn
if os.environ.get("BENCH_PROFILE"):
    import cProfile
    profiler = cProfile.Profile()
    profiler.enable()
    import signal
    signal.signal(signal.SIGUSR1, lambda *_: profiler.dump_stats(os.environ["BENCH_PROFILE"]))
from suivi_kit.settings import Settings
from suivi_notify.main import create_app
uvicorn.run(create_app(Settings()), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), to report work per delivery."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.platform()}; {model}; {os.cpu_count()} cores; Python {platform.python_version()}"


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {"n": len(ordered), "p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99), "max": ordered[-1]}


def fmt(stats: dict[str, float]) -> str:
    return (
        f"p50 {stats['p50']:6.1f} ms  p95 {stats['p95']:6.1f} ms  p99 {stats['p99']:6.1f} ms  "
        f"max {stats['max']:6.1f} ms  (n={stats['n']})"
    )


def event(i: int):
    now = utcnow()
    payload = CommitmentStatusChanged(
        id=i, title=f"Commitment {i}", text="benchmark", kind="engagement", topics=["igf_mandate"],
        status="in_progress", version=2, created_at=now, updated_at=now, from_status="not_started",
        to_status="in_progress", rationale="benchmark", changed_by="bench", status_change_id=i,
    )  # fmt: skip
    return new_event(COMMITMENT_STATUS_CHANGED, "/suivi/bench", i, payload)


async def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    raise TimeoutError(url)


async def latency_run(js, receiver: Receiver, rate: float, seconds: float) -> dict[str, float]:
    sent: dict[str, float] = {}
    total = int(rate * seconds)
    start = time.perf_counter()
    for i in range(total):
        target = start + i / rate
        delay = target - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        ev = event(i)
        sent[ev.id] = time.perf_counter()
        await publish(js, ev)
    deadline = time.monotonic() + 60
    while sum(1 for key in sent if key in receiver.arrivals) < total and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return percentiles(
        [(receiver.arrivals[key][0] - at) * 1000 for key, at in sent.items() if key in receiver.arrivals]
    )


async def throughput_run(js, receiver: Receiver, events: int, subscribers: int) -> tuple[float, int]:
    before = receiver.count
    expected = events * subscribers
    batch = [event(i) for i in range(events)]
    start = time.perf_counter()
    await asyncio.gather(*(publish(js, ev) for ev in batch))
    deadline = time.monotonic() + 300
    while receiver.count - before < expected and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    elapsed = time.perf_counter() - start
    delivered = receiver.count - before
    return delivered / elapsed, delivered


async def floor_nats(nc, rounds: int = 500) -> dict[str, float]:
    samples = []
    arrived = asyncio.Event()

    async def on_message(_msg) -> None:
        arrived.set()

    await nc.subscribe("bench.floor", cb=on_message)
    for _ in range(rounds):
        arrived.clear()
        started = time.perf_counter()
        await nc.publish("bench.floor", b"x" * 400)
        await arrived.wait()
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


FLOOR_CLIENT = """
import asyncio, json, resource, sys, time
import httpx
from httpx_aiohttp import AiohttpTransport

async def main(url, rounds, concurrency, transport):
    body = sys.stdin.buffer.read()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    def client():
        chosen = AiohttpTransport(limits=limits, trust_env=False) if transport == "aiohttp" else None
        return httpx.AsyncClient(trust_env=False, limits=limits, transport=chosen)
    samples = []
    async with client() as http:
        for i in range(rounds):  # sequential: latency
            started = time.perf_counter()
            await http.post(url, content=body, headers={"webhook-id": f"floor-{i}"})
            samples.append((time.perf_counter() - started) * 1000)
    async with client() as http:
        slots = asyncio.Semaphore(concurrency)

        async def one(i):
            async with slots:
                await http.post(url, content=body, headers={"webhook-id": f"floor-c{i}"})

        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(rounds)))
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(json.dumps({"samples": samples, "rate": rounds / elapsed, "cpu_ms": cpu / rounds * 1000}))

asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]))
"""


async def floor_http(
    receiver: Receiver, transport: str, rounds: int = 1000, concurrency: int = 8
) -> tuple[dict, float, float]:
    """A bare httpx client in its own process: POST latency, and CPU per POST at `concurrency`;
    `transport` is httpx's own ("httpcore") or "aiohttp" (httpx-aiohttp, as notify sends)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        FLOOR_CLIENT,
        f"http://127.0.0.1:{receiver.port}/floor",
        str(rounds),
        str(concurrency),
        transport,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await process.communicate(event(0).to_json())
    result = json.loads(out)
    return percentiles(result["samples"]), result["rate"], result["cpu_ms"]


@dataclass
class Services:
    processes: list[subprocess.Popen]
    base: str  # the commitments API
    notify_base: str
    nats_server: object | None = None  # the EmbeddedNats of a split layout

    def stop(self) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        if self.nats_server is not None:
            self.nats_server.stop()


def start_services(layout: str, work: Path) -> Services:
    """`suivi run` (every service in one process), or "split": the deployed shape, a nats-server,
    `suivi serve commitments --workers 2` and `suivi serve notify` as processes of their own."""
    env = {
        **os.environ,
        "SUIVI_DATA_DIR": str(work),
        "SUIVI_ADMIN_PASSWORD": "bench-admin-password",
        "SUIVI_ALLOW_PRIVATE_ADDRESSES": "1",
        "SUIVI_LOAD_SAMPLES": "0",
        "SUIVI_SCHEDULER_ENABLED": "0",
    }
    for name in ("SUIVI_DATABASE_URL", "SUIVI_NATS_URL", "SUIVI_NOTIFY_DATABASE_URL", "SUIVI_SECRET_KEY"):
        env.pop(name, None)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    suivi = str(VENV_BIN / "suivi")
    if layout == "run":
        port = free_port()
        process = subprocess.Popen(
            [suivi, "run", "--port", str(port), "--data-dir", str(work)], env=env, **quiet
        )
        return Services([process], f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port}")
    nats_server = EmbeddedNats(work / "nats")
    nats_server.start()
    env["SUIVI_NATS_URL"] = nats_server.url
    ports = free_port(), free_port()
    processes = [
        subprocess.Popen(
            [suivi, "serve", "commitments", "--port", str(ports[0]), "--workers", "2"], env=env, **quiet
        ),
        subprocess.Popen([suivi, "serve", "notify", "--port", str(ports[1])], env=env, **quiet),
    ]
    return Services(processes, f"http://127.0.0.1:{ports[0]}", f"http://127.0.0.1:{ports[1]}", nats_server)


LAYOUTS = {"run": "suivi run", "split": "commitments --workers 2, notify apart"}


async def status_change_run(
    receiver: Receiver, layout: str, rate: float, seconds: float, commitments: int = 40
) -> dict[str, float]:
    """POST /api/status_changes -> signed webhook, at `rate` changes/s, on `layout` (start_services).

    The load client is httpx over aiohttp, the cheaper transport (see the floor), so that it
    takes as little as possible of the CPU the services share with it."""
    work = Path(tempfile.mkdtemp(prefix="suivi-bench-run-"))
    services = start_services(layout, work)
    base, notify_base = services.base, services.notify_base
    try:
        await wait_http(f"{base}/healthz", timeout=180)
        await wait_http(f"{notify_base}/healthz", timeout=180)
        transport = AiohttpTransport(limits=httpx.Limits(max_connections=100), trust_env=False)
        async with httpx.AsyncClient(base_url=base, timeout=30, transport=transport) as client:
            login = await client.post(
                "/api/auth/login", json={"username": "admin", "password": "bench-admin-password"}
            )
            login.raise_for_status()
            client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
            response = await client.post(
                f"{notify_base}/api/subscriptions",
                json={
                    "url": f"http://127.0.0.1:{receiver.port}/keep",
                    "event_types": ["suivi.commitment.status_changed"],
                },
            )
            response.raise_for_status()
            versions: dict[int, int] = {}
            for n in range(commitments):
                created = await client.post("/api/commitments", json={"text": f"Benchmark commitment {n}."})
                created.raise_for_status()
                versions[created.json()["id"]] = created.json()["version"]
            ids = list(versions)
            busy: dict[int, asyncio.Lock] = {cid: asyncio.Lock() for cid in ids}
            sent: dict[tuple[int, str, int], float] = {}

            async def change(i: int) -> None:
                cid = ids[i % len(ids)]
                async with busy[cid]:
                    status = "in_progress" if (i // len(ids)) % 2 == 0 else "stalled"
                    sent[(cid, status, versions[cid])] = time.perf_counter()
                    answer = await client.post(
                        "/api/status_changes",
                        json={"commitment_id": cid, "to_status": status, "rationale": "benchmark",
                              "expected_version": versions[cid]},
                    )  # fmt: skip
                    answer.raise_for_status()
                    versions[cid] += 1

            total = int(rate * seconds)
            tasks = []
            start = time.perf_counter()
            for i in range(total):
                delay = start + i / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(change(i)))
            await asyncio.gather(*tasks)
            deadline = time.monotonic() + 60
            while len(receiver.bodies) < total and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            samples = []
            for arrived, body in receiver.bodies:
                data = json.loads(body)["data"]
                key = (int(data["id"]), data["to_status"], int(data["version"]) - 1)
                if key in sent:
                    samples.append((arrived - sent[key]) * 1000)
            receiver.bodies.clear()
            return percentiles(samples)
    finally:
        services.stop()
        shutil.rmtree(work, ignore_errors=True)


async def main(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="suivi-bench-"))
    notify_port = free_port()
    nats_server = EmbeddedNats(work / "js")
    nats_server.start()
    env = {
        **os.environ,
        "SUIVI_DATA_DIR": str(work),
        "SUIVI_NATS_URL": nats_server.url,
        "SUIVI_ALLOW_PRIVATE_ADDRESSES": "1",
        "SUIVI_SCHEDULER_ENABLED": "0",
    }
    for name in ("SUIVI_DATABASE_URL", "SUIVI_NOTIFY_DATABASE_URL"):
        env.pop(name, None)
    notify_proc = None
    receiver = Receiver()
    try:
        await asyncio.sleep(0.5)
        nc = await nats.connect(nats_server.url)
        js = nc.jetstream()
        await ensure_stream(js)
        await receiver.start()
        runner = work / "run_notify.py"
        runner.write_text(RUNNER)
        notify_proc = subprocess.Popen(
            [sys.executable, str(runner), str(notify_port)], env=env, cwd=str(work)
        )
        base = f"http://127.0.0.1:{notify_port}"
        await wait_http(f"{base}/readyz")
        from suivi_kit.auth import issue_token

        admin = {"Authorization": f"Bearer {issue_token('bench', 'admin')}"}
        async with httpx.AsyncClient(base_url=base, headers=admin) as client:
            response = await client.post(
                "/api/subscriptions", json={"url": f"http://127.0.0.1:{receiver.port}/s0"}
            )
            response.raise_for_status()
            first = response.json()["id"]

            print(f"machine: {machine()}")
            print(f"floor  NATS publish->subscribe round trip:      {fmt(await floor_nats(nc))}")
            for transport in ("httpcore", "aiohttp"):
                stats, floor_rate, floor_cpu = await floor_http(receiver, transport)
                print(f"floor  httpx ({transport}) POST to the same subscriber: {fmt(stats)}")
                print(
                    f"floor  httpx ({transport}), 8 in flight: {floor_rate:,.0f} POST/s, "
                    f"{floor_cpu:.2f} ms CPU per POST (client)"
                )
            await latency_run(js, receiver, 50, 1)  # warm-up
            for rate in (50, 200):
                stats = await latency_run(js, receiver, rate, args.seconds)
                print(f"e2e    publish -> signed webhook at {rate:3d} events/s: {fmt(stats)}")

            await client.put(f"/api/subscriptions/{first}", json={"active": False})
            for n in range(args.subscribers):
                response = await client.post(
                    "/api/subscriptions", json={"url": f"http://127.0.0.1:{receiver.port}/s{n + 1}"}
                )
                response.raise_for_status()
            cpu_before = cpu_seconds(notify_proc.pid)
            rate, delivered = await throughput_run(js, receiver, args.backlog, args.subscribers)
            cpu = cpu_seconds(notify_proc.pid) - cpu_before
            print(
                f"max    {delivered} deliveries to {args.subscribers} subscribers "
                f"({args.backlog} events published at once): {rate:,.0f} deliveries/s; "
                f"notify used {cpu:.1f} CPU s = {cpu / delivered * 1000:.2f} ms CPU per delivery"
            )
            print(f"load   1-minute load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        if args.runner:
            notify_proc.send_signal(signal.SIGTERM)  # the standalone notify is done: free its CPU
            notify_proc.wait(timeout=30)
            notify_proc = None
            for layout in ("run", "split"):
                for rate in (20, 50, 200):  # the issue's 50 and 200, and 20 for the shape of the curve
                    stats = await status_change_run(receiver, layout, rate, args.seconds)
                    print(
                        f"e2e    POST /api/status_changes -> webhook at {rate} changes/s "
                        f"({LAYOUTS[layout]}): {fmt(stats)}"
                    )
        await nc.close()
    finally:
        await receiver.stop()
        for proc in (notify_proc, nats_server.process):
            if proc is not None:
                if proc is notify_proc and os.environ.get("BENCH_PROFILE"):
                    proc.send_signal(signal.SIGUSR1)
                    await asyncio.sleep(1.0)
                proc.send_signal(signal.SIGTERM)
                stopping = time.monotonic()
                try:
                    proc.wait(timeout=10)
                    print(f"(process stopped in {time.monotonic() - stopping:.1f} s)", file=sys.stderr)
                except subprocess.TimeoutExpired:
                    proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each latency run")
    parser.add_argument("--subscribers", type=int, default=10)
    parser.add_argument("--backlog", type=int, default=1000, help="events published at once for throughput")
    parser.add_argument(
        "--runner",
        action="store_true",
        help="also measure from POST /api/status_changes (suivi run, and split)",
    )
    asyncio.run(main(parser.parse_args()))
