"""Scale-out benchmark: status changes/s and webhook deliveries/s with 1 and 2 replicas.

    .venv/bin/python bench/scale.py [--changes 400] [--concurrency 32] [--replicas 1,2] [--no-evidence]

The distributed setup on one machine, as tests/test_scale_out.py builds it: a 3-node NATS
cluster (stream SUIVI with 3 replicas), one PostgreSQL 15 database, and `suivi serve`
processes of commitments and notify (ingest plays no part here). For each replica count,
on a fresh database and a fresh stream:

* status changes/s: `--changes` POST /api/status_changes on distinct commitments (with
  evidence, so each writes a change, an evidence row, two outbox rows and an audit row),
  `--concurrency` at a time, spread round-robin over the commitments replicas, timed from
  the first request to the last answer;
* webhook deliveries/s: notify is stopped while the changes are made, so the events wait
  in JetStream; then the notify replicas start and drain the backlog (consume, fan out,
  sign, POST, record) to one loopback subscriber; timed from the first webhook to the last.

It also reports the CPU seconds that each kind of process used per 1,000 operations, which
says where the time goes when every process shares the same few cores.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import nats
from receiver import Receiver  # bench/ is on sys.path when a bench script runs
from suivi_kit.events import STREAM

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "libs" / "suivi_testing"))  # not installed
from suivi_testing import NatsCluster, PostgresCluster, ServiceProcess, start_all, stop_all

STATUS_CHANGED = "suivi.commitment.status_changed"
ADMIN_PASSWORD = "bench-admin-password-1"


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


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_pids(cluster: PostgresCluster) -> list[int]:
    """The postmaster and its children (one backend per connection)."""
    try:
        postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return []
    pids = [postmaster]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == postmaster:
                pids.append(int(entry.name))
    return pids


class CpuMeter:
    """CPU seconds used by groups of processes between start() and stop() (Linux /proc)."""

    def __init__(self, groups):
        self.groups = groups  # name -> callable returning pids

    def _sample(self) -> dict[str, dict[int, float]]:
        return {name: {pid: cpu_seconds(pid) for pid in pids()} for name, pids in self.groups.items()}

    def start(self) -> None:
        self.before = self._sample()
        self.started = time.perf_counter()

    def stop(self) -> dict[str, float]:
        after = self._sample()
        used = {
            name: sum(after[name][pid] - self.before[name].get(pid, 0.0) for pid in after[name])
            for name in self.groups
        }
        used["wall"] = time.perf_counter() - self.started
        return used


async def delete_stream(urls: list[str]) -> None:
    nc = await nats.connect(servers=urls, connect_timeout=3)
    try:
        try:
            await nc.jetstream().delete_stream(STREAM)
        except nats.js.errors.NotFoundError:
            pass
    finally:
        await nc.close()


async def stream_count(urls: list[str], subject: str) -> int:
    nc = await nats.connect(servers=urls, connect_timeout=3)
    try:
        info = await nc.jetstream().stream_info(STREAM, subjects_filter=subject)
        return (info.state.subjects or {}).get(subject, 0)
    finally:
        await nc.close()


async def pause_consumer(urls: list[str], consumer: str, seconds: float) -> None:
    """Pause (seconds > 0) or resume a durable consumer (NATS ≥ 2.11), so that every notify
    replica is up before the backlog is handed out."""
    until = time.time() + seconds if seconds > 0 else time.time() - 1
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(until))
    nc = await nats.connect(servers=urls, connect_timeout=3)
    try:
        reply = await nc.request(
            f"$JS.API.CONSUMER.PAUSE.{STREAM}.{consumer}",
            json.dumps({"pause_until": stamp}).encode(),
            timeout=5,
        )
        answer = json.loads(reply.data)
        if "error" in answer:
            raise RuntimeError(f"could not pause/resume {consumer}: {answer['error']}")
    finally:
        await nc.close()


async def login(client: httpx.AsyncClient, url: str, username: str, password: str) -> dict[str, str]:
    response = await client.post(f"{url}/api/auth/login", json={"username": username, "password": password})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def bounded(concurrency: int, jobs) -> list:
    semaphore = asyncio.Semaphore(concurrency)

    async def run(job):
        async with semaphore:
            return await job

    return await asyncio.gather(*(run(job) for job in jobs))


async def run_config(replicas: int, args, pg: PostgresCluster, cluster: NatsCluster, work: Path) -> dict:
    receiver = Receiver()
    await receiver.start()
    await delete_stream(cluster.urls)  # each configuration starts from an empty stream
    env = {
        "SUIVI_DATABASE_URL": pg.create_database(f"bench_{replicas}_{uuid.uuid4().hex[:8]}"),
        "SUIVI_NATS_URL": cluster.url,
        "SUIVI_STREAM_REPLICAS": "3",
        "SUIVI_ALLOW_PRIVATE_ADDRESSES": "1",
        "SUIVI_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "SUIVI_LOAD_SAMPLES": "0",
        "SUIVI_SECRET_KEY": os.environ.get(
            "SUIVI_SECRET_KEY", "bench-secret-key-0123456789-abcdefghijklmnop"
        ),
        "SUIVI_FETCH_TIMEOUT_SECONDS": "2",
    }

    def replica(service: str, number: int, round_: int = 0) -> ServiceProcess:
        name = f"r{replicas}-{service}-{number}" + (f"-{round_}" if round_ else "")
        return ServiceProcess(service, {**env, "SUIVI_DATA_DIR": str(work / name)}, work, name=name)

    commitments = [replica("commitments", n + 1) for n in range(replicas)]
    notify = [replica("notify", n + 1) for n in range(replicas)]
    drain: list[ServiceProcess] = []
    try:
        await asyncio.to_thread(start_all, commitments + notify)
        urls = itertools.cycle([c.url for c in commitments])
        limits = httpx.Limits(
            max_connections=args.concurrency * 2, max_keepalive_connections=args.concurrency * 2
        )
        async with httpx.AsyncClient(timeout=60, limits=limits) as client:
            admin = await login(client, commitments[0].url, "admin", ADMIN_PASSWORD)
            created = await client.post(
                f"{commitments[0].url}/api/users",
                json={"username": "bench", "password": "bench-monitor-1", "role": "monitor"},
                headers=admin,
            )
            created.raise_for_status()
            monitor = await login(client, commitments[0].url, "bench", "bench-monitor-1")
            subscription = await client.post(
                f"{notify[0].url}/api/subscriptions",
                json={"url": receiver.url, "event_types": [STATUS_CHANGED]},
                headers=admin,
            )
            subscription.raise_for_status()
            await asyncio.to_thread(stop_all, notify)
            await pause_consumer(cluster.urls, "notify", 3600)  # the events will wait in JetStream

            async def create(number: int) -> dict:
                response = await client.post(
                    f"{next(urls)}/api/commitments",
                    json={
                        "text": f"Nous nous engageons à publier le rapport d'étape {number}.",
                        "kind": "engagement",
                    },
                    headers=monitor,
                )
                response.raise_for_status()
                return response.json()

            targets = await bounded(16, [create(n) for n in range(args.changes)])

            def evidence(target: dict) -> dict:
                # On loopback: the archiver's fetch of it fails fast (404) instead of going out.
                return {"url": f"{receiver.url}/evidence", "title": f"Rapport {target['id']}"}

            async def change(target: dict) -> None:
                response = await client.post(
                    f"{next(urls)}/api/status_changes",
                    json={
                        "commitment_id": target["id"],
                        "to_status": "in_progress" if args.no_evidence else "partially_achieved",
                        "rationale": "Un premier rapport a été publié.",
                        "expected_version": target["version"],
                        **({} if args.no_evidence else {"evidence": evidence(target)}),
                    },
                    headers=monitor,
                )
                if response.status_code != 201:
                    raise RuntimeError(f"status change failed: {response.status_code} {response.text}")

            meter = CpuMeter(
                {
                    "commitments": lambda: [c.process.pid for c in commitments],
                    "postgres": lambda: postgres_pids(pg),
                    "nats": lambda: [p.pid for p in cluster.processes if p],
                    "bench client": lambda: [os.getpid()],
                }
            )
            meter.start()
            await bounded(args.concurrency, [change(target) for target in targets])
            changing = meter.stop()

            deadline = time.monotonic() + 120  # the outbox relays publish what was committed
            while await stream_count(cluster.urls, STATUS_CHANGED) < args.changes:
                if time.monotonic() > deadline:
                    raise RuntimeError("the status_changed events did not all reach JetStream")
                await asyncio.sleep(0.2)

            drain = [replica("notify", n + 1, round_=2) for n in range(replicas)]
            await asyncio.to_thread(start_all, drain)  # all up, then the backlog is let go at once
            meter = CpuMeter(
                {
                    "notify": lambda: [n.process.pid for n in drain],
                    "postgres": lambda: postgres_pids(pg),
                    "nats": lambda: [p.pid for p in cluster.processes if p],
                    "bench client": lambda: [os.getpid()],
                }
            )
            meter.start()
            await pause_consumer(cluster.urls, "notify", 0)
            deadline = time.monotonic() + 300
            while len(receiver.arrivals) < args.changes:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"only {len(receiver.arrivals)} webhooks of {args.changes} arrived")
                for process in drain:
                    if not process.alive:
                        raise RuntimeError(f"{process.name} exited: {process.output()[-2000:]}")
                await asyncio.sleep(0.02)
            delivering = meter.stop()
            times = sorted(arrived[0] for arrived in receiver.arrivals.values())
        return {
            "replicas": replicas,
            "changes_per_s": args.changes / changing["wall"],
            "changes_cpu": changing,
            "deliveries_per_s": len(times) / delivering["wall"],  # from the release of the backlog
            "deliveries_cpu": delivering,
            "repeats": receiver.count - len(receiver.arrivals),
        }
    finally:
        await receiver.stop()
        await asyncio.to_thread(stop_all, commitments + notify + drain)


def per_thousand(cpu: dict[str, float], operations: int) -> str:
    parts = [f"{name} {1000 * seconds / operations:.1f}" for name, seconds in cpu.items() if name != "wall"]
    return ", ".join(parts)


async def main(args) -> None:
    work = Path(tempfile.mkdtemp(prefix="suivi-bench-scale-"))
    pg = PostgresCluster()
    cluster = NatsCluster(work / "nats")
    results = []
    finished = False
    try:
        pg.start()
        cluster.start()
        load_before = os.getloadavg()[0]
        for replicas in args.replicas:
            results.append(await run_config(replicas, args, pg, cluster, work))
            print(f"... {replicas} replica(s) done", file=sys.stderr, flush=True)
        load_after = os.getloadavg()[0]
        finished = True
    finally:
        cluster.stop()
        pg.stop()
        if finished:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"logs kept in {work}", file=sys.stderr)
    print(f"machine: {machine()}")
    print(
        f"setup:   3-node NATS cluster (stream R3), PostgreSQL 15 (fsync off), {args.changes} status changes "
        f"{'without' if args.no_evidence else 'with'} evidence, {args.concurrency} in flight; webhooks drained from a backlog to 1 loopback subscriber"
    )
    print(
        f"load:    1-minute load average {load_before:.1f} before, {load_after:.1f} after, on {os.cpu_count()} cores"
    )
    print()
    print("| replicas of commitments and notify | status changes/s | webhook deliveries/s |")
    print("|---|---|---|")
    for result in results:
        print(f"| {result['replicas']} | {result['changes_per_s']:.0f} | {result['deliveries_per_s']:.0f} |")
    print()
    print("CPU seconds per 1,000 operations, by process group:")
    for result in results:
        print(
            f"  {result['replicas']} replica(s), status changes: {per_thousand(result['changes_cpu'], args.changes)}"
        )
        print(
            f"  {result['replicas']} replica(s), deliveries:     {per_thousand(result['deliveries_cpu'], args.changes)}"
        )
        if result["repeats"]:
            print(f"  ({result['repeats']} webhooks sent twice)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--changes", type=int, default=400)
    parser.add_argument(
        "--no-evidence", action="store_true", help="changes to in_progress, without evidence to archive"
    )
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--replicas", type=lambda s: [int(n) for n in s.split(",")], default=[1, 2])
    parser.add_argument("--json", help="also write the figures to this file")
    asyncio.run(main(parser.parse_args()))
