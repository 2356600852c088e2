"""API benchmark of the commitments service: latency and throughput on a realistic database.

    .venv/bin/python bench/api.py [--commitments 100000] [--changes 500000] [--duration 10]
                                  [--backends sqlite,postgresql] [--concurrency 32]

For each backend (a SQLite file; a throwaway PostgreSQL cluster from suivi_testing):

1. runs the service's own Alembic migrations, then seeds N commitments (texts built from the
   sentences of samples/corpus/*.txt, kinds, 1-3 topics and actors -> commitment_tags rows,
   1-2 sources, deadlines, statuses) and M status changes with multi-row inserts through
   SQLAlchemy core on the service's tables. `search_text` is filled by the service's own
   repository.search_text, so the FTS5 triggers (SQLite) or the generated tsvector column
   (PostgreSQL) index exactly what the service would;
2. the floor "SQL": the statements the repository issues for each operation (captured from
   the repository functions themselves; for the status change, the statements of
   service.change_status), replayed with the same concurrency through the async engine;
3. the service for real: `suivi serve commitments` in its own process (uvicorn, an embedded
   nats-server with JetStream, the outbox relay running), loaded by a client in another
   process (a minimal keep-alive HTTP/1.1 client on asyncio, so that the client's own cost
   stays small on a 2-core machine).

Operations: the filtered sorted paginated list (status + topics, sort updated_at DESC, range
0-24), the same filters at pages 2-101 each asked once (pages the service has not served
before, so not in its page cache), full-text search (q = a common word, same sort and
range), getOne, and status change (POST /api/status_changes with the right expected_version,
each on a distinct commitment). The service runs with --workers (default: one per core).
The floor also includes a FastAPI endpoint returning a constant, served by uvicorn the same way.

BENCH_PROFILE=DIR runs the service under cProfile and writes DIR/<backend>-<operation>.prof.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import pickle
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from suivi_kit.nats_server import free_port

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
SECRET = "bench-secret-key-not-for-production"
ADMIN_PASSWORD = "bench-admin-password"
SEARCH_WORDS = ("internet", "gouvernance", "numérique", "développement")
WRITE_TARGET_STATUSES = ("not_started", "in_progress", "stalled")  # none of them needs evidence
TARGETS = {"list": 50.0, "search": 50.0, "status change": 50.0}
LIST_RPS_TARGET = 500.0

CONSTANT_APP = """
import sys, uvicorn
from fastapi import FastAPI
app = FastAPI()

@app.get("/constant")
async def constant():
    return {"status": "ok", "service": "constant"}

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="info")
"""
PROFILED_SERVE = """
import cProfile, os, signal, sys
profiler = cProfile.Profile()
state = {}
def toggle(*_):
    if "on" in state:
        profiler.disable()
        profiler.dump_stats(state.pop("on"))
    else:
        state["on"] = open(os.environ["BENCH_PROFILE_TARGET"]).read().strip()
        profiler.enable()
signal.signal(signal.SIGUSR1, toggle)
from suivi.cli import main
sys.exit(main(sys.argv[1:]))
"""


# -- the machine -----------------------------------------------------------------------------------


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    memory = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return (
        f"{platform.platform()}; {model}; {os.cpu_count()} cores; {memory} RAM; "
        f"Python {platform.python_version()}"
    )


def process_tree_cpu(pid: int) -> float:
    """CPU time of a process, its live children and the children it has reaped (cutime/cstime),
    so that a worker or a PostgreSQL backend ending mid-run still counts."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    total = sum(int(fields[i]) for i in (11, 12, 13, 14)) / os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def postgres_cpu(cluster) -> float:
    """CPU time of a PostgresCluster: the postmaster and its backends."""
    if cluster is None:
        return 0.0
    try:
        postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0
    return process_tree_cpu(postmaster)


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    if not samples_ms:
        return {"n": 0, "p50": float("nan"), "p95": float("nan"), "p99": float("nan")}
    ordered = sorted(samples_ms)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {"n": len(ordered), "p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99)}


# -- realistic data --------------------------------------------------------------------------------


def corpus_sentences() -> list[str]:
    sentences = []
    for path in sorted((ROOT / "samples" / "corpus").glob("*.txt")):
        text = " ".join(path.read_text(encoding="utf-8").split())
        for sentence in re.split(r"(?<=[.;!?])\s+", text):
            letters = sum(ch.isalpha() for ch in sentence)
            if 60 <= len(sentence) <= 400 and letters > 0.7 * len(sentence):
                sentences.append(sentence)
    return sentences


LEADS = (
    "",
    "",
    "",
    "Les États membres s'engagent à ce que ",
    "Le Forum recommande que ",
    "Les parties prenantes sont invitées à veiller à ce que ",
    "Il est demandé au Secrétaire général de faire en sorte que ",
    "Priorité : ",
)


class Generator:
    """Commitments like the extractor's output: sentences of the corpus, recombined."""

    def __init__(self, seed: int = 42) -> None:
        from suivi_contracts.vocabularies import ACTORS, KINDS, NEGOTIATION_STATUSES, TOPICS

        self.rng = random.Random(seed)
        self.sentences = corpus_sentences()
        self.kinds = KINDS
        self.negotiation = NEGOTIATION_STATUSES
        # Some topics and actors are far more common than others, as in the real corpus.
        self.topics = list(TOPICS)
        self.topic_weights = [1 / (rank + 1) ** 0.7 for rank in range(len(TOPICS))]
        self.actors = list(ACTORS)
        self.actor_weights = [1 / (rank + 1) ** 0.7 for rank in range(len(ACTORS))]
        self.documents = [
            (n + 1, f"{name} ({year})")
            for n, (name, year) in enumerate(
                (kind, year)
                for year in range(2005, 2027)
                for kind in ("Résumé du Président", "Messages du FGI", "Agenda de Tunis", "Contribution")
            )
        ]

    def text(self) -> str:
        rng = self.rng
        first, second = rng.sample(self.sentences, 2)
        if rng.random() < 0.5:  # the first half of one sentence, the second half of another
            a, b = first.split(), second.split()
            body = " ".join(a[: max(4, len(a) // 2)] + b[len(b) // 2 :])
        else:
            body = first
        if rng.random() < 0.25:
            body += f" d'ici {rng.randint(2025, 2032)}"
        return rng.choice(LEADS) + body

    def pick(self, population, weights, low=1, high=3) -> list[str]:
        chosen: dict[str, None] = {}
        for _ in range(self.rng.randint(low, high)):
            chosen[self.rng.choices(population, weights)[0]] = None
        return list(chosen)

    def deadline(self) -> str | None:
        roll = self.rng.random()
        if roll < 0.45:
            return None
        if roll < 0.8:
            return str(self.rng.randint(2020, 2032))
        return (datetime(2020, 1, 1) + timedelta(days=self.rng.randint(0, 12 * 365))).date().isoformat()


STATUS_WEIGHTS = {
    "not_started": 4,
    "in_progress": 6,
    "stalled": 2,
    "partially_achieved": 2,
    "achieved": 1,
    "abandoned": 0.5,
    "not_assessed": 0.3,
}


def build_rows(n_commitments: int, n_changes: int, gen: Generator):
    """Rows for commitments, commitment_tags, sources and status_changes (ids assigned here)."""
    from suivi_commitments.commitments import repository
    from suivi_commitments.consolidation.matching import fingerprint, title_from_text
    from suivi_contracts.rules import due_on

    rng = gen.rng
    epoch = datetime(2023, 1, 1, tzinfo=UTC)
    span = (datetime(2026, 11, 1, tzinfo=UTC) - epoch).total_seconds()
    changes_of = [0] * (n_commitments + 1)
    for _ in range(n_changes):
        changes_of[rng.randint(1, n_commitments)] += 1
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())

    commitments, tags, sources, changes = [], [], [], []
    source_id = change_id = 0
    for cid in range(1, n_commitments + 1):
        text = gen.text()
        created = epoch + timedelta(seconds=rng.random() * span * 0.6)
        topics = gen.pick(gen.topics, gen.topic_weights)
        actors = gen.pick(gen.actors, gen.actor_weights)
        deadline = gen.deadline()
        row = {
            "id": cid,
            "title": title_from_text(text),
            "text": text,
            "kind": rng.choice(gen.kinds),
            "actors": actors,
            "topics": topics,
            "deadline": deadline,
            "deadline_date": due_on(deadline),
            "fingerprint": fingerprint(text),
            "created_at": created,
            "deleted_at": None,
        }
        my_sources = []
        for k in range(1 if rng.random() < 0.7 else 2):
            source_id += 1
            doc_id, doc_title = rng.choice(gen.documents)
            source_text = text if k == 0 else gen.text()
            start = rng.randint(0, 200_000)
            my_sources.append(
                {
                    "id": source_id,
                    "commitment_id": cid,
                    "extraction_id": f"bench-{cid:08d}-{k}",
                    "document_id": doc_id,
                    "document_title": doc_title,
                    "document_sha256": f"{doc_id:064x}",
                    "locator": f"§{rng.randint(1, 120)}" + (f" {rng.choice('abcdef')})" if k else ""),
                    "text": source_text,
                    "start": start,
                    "end": start + len(source_text),
                    "negotiation_status": rng.choice(gen.negotiation),
                    "language": "fr",
                    "confidence": round(rng.uniform(0.5, 0.99), 2),
                    "similarity": 1.0 if k == 0 else round(rng.uniform(0.72, 0.95), 3),
                    "created_at": created,
                }
            )
        sources.extend(my_sources)
        row["search_text"] = repository.search_text(
            SimpleNamespace(**row), [SimpleNamespace(**s) for s in my_sources]
        )
        tags.extend({"commitment_id": cid, "facet": "topic", "value": v} for v in topics)
        tags.extend({"commitment_id": cid, "facet": "actor", "value": v} for v in actors)
        status, at = "not_assessed", created
        for _ in range(changes_of[cid]):
            to_status = status
            while to_status == status:
                to_status = rng.choices(statuses, weights)[0]
            at = at + timedelta(seconds=rng.random() * span * 0.4 / max(1, changes_of[cid]))
            change_id += 1
            changes.append(
                {
                    "id": change_id,
                    "commitment_id": cid,
                    "from_status": status,
                    "to_status": to_status,
                    "rationale": f"Revue {at.year} : " + gen.text()[:200],
                    "evidence_ids": [],
                    "changed_by": rng.choice(("monitor1", "monitor2", "admin")),
                    "changed_at": at,
                }
            )
            status = to_status
        row.update(status=status, version=1 + changes_of[cid], updated_at=at)
        commitments.append(row)
    return commitments, tags, sources, changes


async def seed(url: str, rows) -> dict[str, float]:
    """Migrate the service's database and fill it with `rows` (from build_rows); return timings."""
    from sqlalchemy import text
    from suivi_commitments.commitments.models import Commitment, CommitmentTag, Source
    from suivi_commitments.main import MIGRATIONS, NAME
    from suivi_commitments.status_changes.models import StatusChange
    from suivi_kit.db import create_engine, migrate

    timings = {}
    commitments, tags, sources, changes = rows
    engine = create_engine(url, NAME)
    await migrate(engine, MIGRATIONS, NAME)
    started = time.perf_counter()
    batch = 5000
    async with engine.begin() as conn:
        for table, rows in (
            (Commitment.__table__, commitments),
            (CommitmentTag.__table__, tags),
            (Source.__table__, sources),
            (StatusChange.__table__, changes),
        ):
            for i in range(0, len(rows), batch):
                await conn.execute(table.insert(), rows[i : i + batch])
        if engine.dialect.name == "postgresql":
            for table in ("commitments", "sources", "status_changes"):
                await conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
    timings["insert"] = time.perf_counter() - started
    started = time.perf_counter()
    if engine.dialect.name == "postgresql":
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE"))
    timings["analyze"] = time.perf_counter() - started
    await engine.dispose()
    return timings


# -- the requests ----------------------------------------------------------------------------------


def list_path(filters: dict, sort=("updated_at", "DESC"), rng=(0, 24)) -> str:
    query = {
        "filter": json.dumps(filters, ensure_ascii=False),
        "sort": json.dumps(list(sort)),
        "range": json.dumps(list(rng)),
    }
    return "/api/commitments?" + urllib.parse.urlencode(query)


def list_filters(rng: random.Random, count: int = 40) -> list[dict]:
    from suivi_contracts.vocabularies import TOPICS

    return [
        {"status": rng.choice(("in_progress", "not_started", "stalled")), "topics": [rng.choice(TOPICS)]}
        for _ in range(count)
    ]


def status_jobs(state: dict[int, tuple[int, str]], ids: list[int]) -> list[dict]:
    jobs = []
    for cid in ids:
        version, status = state[cid]
        to_status = next(s for s in WRITE_TARGET_STATUSES if s != status)
        jobs.append(
            {
                "commitment_id": cid,
                "to_status": to_status,
                "rationale": "Benchmark: progress noted in the 2026 review.",
                "expected_version": version,
            }
        )
    return jobs


# -- the load generator (its own process) ----------------------------------------------------------


async def _http_load(port, requests, unique, duration, warmup, concurrency, headers):
    """Closed loop: `concurrency` keep-alive connections, each sending its next request at once.

    Measured: every request started in the window after the warm-up, to its end."""
    next_index = 0
    window_start = time.perf_counter() + warmup
    window_end = window_start + duration
    latencies: list[float] = []
    codes: Counter = Counter()
    samples: dict[int, str] = {}
    exhausted = False
    done = 0
    last_end = window_start

    async def read_response(reader) -> tuple[int, dict, bytes]:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        code = int(lines[0].split(" ", 2)[1])
        found = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                found[name.strip().lower()] = value.strip()
        if "content-length" in found:
            body = await reader.readexactly(int(found["content-length"]))
        else:  # chunked
            parts = []
            while True:
                size = int((await reader.readuntil(b"\r\n")).strip(), 16)
                chunk = await reader.readexactly(size + 2)
                if size == 0:
                    break
                parts.append(chunk[:-2])
            body = b"".join(parts)
        return code, found, body

    async def connection() -> None:
        nonlocal next_index, exhausted, done, last_end
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < window_end:
                if unique and next_index >= len(requests):
                    exhausted = True
                    return
                method, path, body = requests[next_index % len(requests)]
                next_index += 1
                head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}"
                if body is not None:
                    head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                started = time.perf_counter()
                writer.write(head.encode() + b"\r\n" + (body or b""))
                code, found, payload = await read_response(reader)
                ended = time.perf_counter()
                done += 1
                if window_start <= started:
                    last_end = max(last_end, ended)
                    latencies.append((ended - started) * 1000)
                    codes[code] += 1
                    if code >= 300 and code not in samples:
                        samples[code] = payload[:300].decode(errors="replace")
                    if "content-range" in found:
                        samples.setdefault(0, found["content-range"])
        finally:
            writer.close()

    await asyncio.gather(*(connection() for _ in range(concurrency)))
    measured = last_end - window_start
    return {"latencies": latencies, "codes": dict(codes), "samples": samples,
            "seconds": measured, "exhausted": exhausted, "done": done}  # fmt: skip


def _load_process(arguments, queue) -> None:
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    queue.put(asyncio.run(_http_load(*arguments)))


def http_load(port, requests, *, unique, duration, warmup, concurrency, token) -> dict:
    headers = f"Authorization: Bearer {token}\r\n" if token else ""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(
        target=_load_process, args=((port, requests, unique, duration, warmup, concurrency, headers), queue)
    )
    process.start()
    result = queue.get(timeout=duration + warmup + 120)
    process.join()
    return result


# -- the floor: the repository's SQL, replayed through the async engine ---------------------------


class Capture:
    """Records the SQL statements an engine sends, without BEGIN/COMMIT (replayed in a transaction)."""

    def __init__(self, engine) -> None:
        from sqlalchemy import event

        self.statements: list[tuple[str, object]] = []
        self.on = False
        event.listen(engine.sync_engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self.on and statement.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
            self.statements.append((statement, parameters))

    async def of(self, coroutine_function) -> list[tuple[str, object]]:
        self.statements = []
        self.on = True
        try:
            await coroutine_function()
        finally:
            self.on = False
        return self.statements


async def capture_reads(engine, sessions, kinds_requests: dict[str, list]) -> dict[str, list]:
    """For each read operation, the statements the router + repository issue, per request variant."""
    from suivi_commitments.commitments import repository, service
    from suivi_kit.listing import ListQuery

    capture = Capture(engine)
    captured: dict[str, list] = {}
    for name, variants in kinds_requests.items():
        captured[name] = []
        for variant in variants:

            async def run(variant=variant, name=name):
                async with sessions() as session:
                    if name == "getOne":
                        commitment = await repository.get_commitment(session, variant)
                        await service.load_public(session, commitment)
                    else:
                        query = ListQuery("updated_at", "DESC", 0, 25, variant)
                        rows, _ = await repository.list_commitments(session, query)
                        await repository.sources_by_commitment(session, [row.id for row in rows])

            captured[name].append(await capture.of(run))
    return captured


async def replay_load(engine, work, *, duration, warmup, concurrency) -> dict:
    """`work(i)` is one unit (an async function of a connection-less index); closed loop as for HTTP."""
    window_start = time.perf_counter() + warmup
    window_end = window_start + duration
    latencies: list[float] = []
    errors: Counter = Counter()
    counter = done = 0
    last_end = window_start

    async def worker() -> None:
        nonlocal counter, done, last_end
        while time.perf_counter() < window_end:
            index = counter
            counter += 1
            started = time.perf_counter()
            try:
                ok = await work(index)
            except Exception as exc:
                ok = False
                errors[type(exc).__name__] += 1
            ended = time.perf_counter()
            if ok is None:  # nothing left to do
                return
            done += 1
            if window_start <= started:
                last_end = max(last_end, ended)
                latencies.append((ended - started) * 1000)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return {"latencies": latencies, "codes": dict(errors) or {200: len(latencies)},
            "seconds": last_end - window_start, "samples": {}, "done": done}  # fmt: skip


def replay_reads(engine, variants: list[list[tuple[str, object]]]):
    from suivi_kit.db import for_reads

    readers = for_reads(engine)  # as the service reads: autocommit on PostgreSQL

    async def work(index: int) -> bool:
        statements = variants[index % len(variants)]
        async with readers.connect() as conn:
            async with conn.begin():
                for statement, parameters in statements:
                    result = await conn.exec_driver_sql(statement, parameters)
                    if result.returns_rows:
                        result.fetchall()
        return True

    return work


def replay_status_change(engine, jobs: list[dict]):
    """The statements service.change_status issues (ORM unit of work), as SQLAlchemy core."""
    from sqlalchemy import insert, select, update
    from suivi_commitments.commitments.models import Commitment, Source
    from suivi_commitments.status_changes.models import StatusChange
    from suivi_commitments.users.models import AuditEntry
    from suivi_contracts.events import EventPayload
    from suivi_kit.db import write_lock
    from suivi_kit.events import new_event, utcnow
    from suivi_kit.outbox import OutboxMessage

    async def work(index: int) -> bool | None:
        if index >= len(jobs):
            return None
        job = jobs[index]
        cid = job["commitment_id"]
        async with write_lock(engine), engine.connect() as conn:  # as service transactions do
            await conn.execution_options(immediate=True)
            async with conn.begin():
                row = (await conn.execute(select(Commitment).where(Commitment.id == cid))).one()
                claimed = await conn.execute(
                    update(Commitment)
                    .where(
                        Commitment.id == cid,
                        Commitment.version == job["expected_version"],
                        Commitment.deleted_at.is_(None),
                    )
                    .values(status=job["to_status"], version=Commitment.version + 1, updated_at=utcnow())
                )
                assert claimed.rowcount == 1, f"commitment {cid} not at the expected version"
                change_id = (
                    await conn.execute(
                        insert(StatusChange)
                        .values(
                            commitment_id=cid,
                            from_status=row.status,
                            to_status=job["to_status"],
                            rationale=job["rationale"],
                            evidence_ids=[],
                            changed_by="bench",
                            changed_at=utcnow(),
                        )
                        .returning(StatusChange.id)
                    )
                ).scalar_one()
                (await conn.execute(select(Source).where(Source.commitment_id.in_([cid])))).fetchall()
                payload = EventPayload.model_validate({**row._asdict(), "status_change_id": change_id})
                event = new_event("suivi.commitment.status_changed", "/suivi/commitments", cid, payload)
                await conn.execute(
                    insert(OutboxMessage).values(
                        event_id=event.id, subject=event.nats_subject, payload=event.to_json().decode(),
                        created_at=utcnow(),
                    )
                )  # fmt: skip
                await conn.execute(
                    insert(AuditEntry).values(
                        actor="bench", action="status_change", resource="commitments",
                        resource_id=str(cid), remote_addr="127.0.0.1",
                        detail={"to_status": job["to_status"]}, at=utcnow(),
                    )
                )  # fmt: skip
        return True

    return work


# -- processes -------------------------------------------------------------------------------------


class Server:
    def __init__(self, command: list[str], env: dict, log: Path, port: int, ready: str) -> None:
        self.port = port
        self.log = open(log, "ab")
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.ready = ready
        self.log_path = log

    async def wait(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-3000:]}")
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.write(f"GET {self.ready} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
                status = await reader.readline()
                writer.close()
                if b" 200 " in status:
                    return
            except OSError:
                pass
            await asyncio.sleep(0.2)
        raise TimeoutError(self.ready)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


async def login_tokens(port: int) -> tuple[str, str]:
    """Tokens as the UI gets them: a viewer and a monitor account, created by the admin, logged in
    (login tokens carry the account id, which the service checks on every request)."""
    import httpx

    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", trust_env=False) as client:

        async def login(username: str, password: str) -> str:
            response = await client.post("/api/auth/login", json={"username": username, "password": password})
            response.raise_for_status()
            return response.json()["access_token"]

        admin = {"Authorization": f"Bearer {await login('admin', ADMIN_PASSWORD)}"}
        tokens = []
        for role in ("viewer", "monitor"):
            user = {"username": f"bench-{role}", "password": ADMIN_PASSWORD, "role": role}
            response = await client.post("/api/users", json=user, headers=admin)
            if response.status_code != 409:  # exists already
                response.raise_for_status()
            tokens.append(await login(user["username"], ADMIN_PASSWORD))
    return tokens[0], tokens[1]


def service_env(work: Path, database_url: str | None, nats_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUIVI_")}
    env.update(
        SUIVI_DATA_DIR=str(work),
        SUIVI_NATS_URL=nats_url,
        SUIVI_ADMIN_PASSWORD=ADMIN_PASSWORD,
        SUIVI_SECRET_KEY=SECRET,
    )
    if database_url:
        env["SUIVI_DATABASE_URL"] = database_url
    return env


# -- one backend -----------------------------------------------------------------------------------


async def run_backend(backend: str, args, rows, work: Path, nats_url: str, results: dict) -> None:
    from suivi_commitments.main import NAME
    from suivi_kit.db import create_engine, session_factory
    from suivi_kit.settings import Settings

    sys.path.insert(0, str(ROOT / "libs" / "suivi_testing"))  # the tests' support, not installed
    from suivi_testing import PostgresCluster

    directory = work / backend
    directory.mkdir()
    cluster = None
    database_url = None
    try:
        if backend == "postgresql":
            cluster = PostgresCluster()
            cluster.start()
            database_url = cluster.create_database("suivi_bench")
            url = database_url
        else:
            url = Settings(data_dir=directory).database_url_for(NAME)
        timings = await seed(url, rows)
        state = {row["id"]: (row["version"], row["status"]) for row in rows[0]}
        print(
            f"[{backend}] inserted {len(rows[0]):,} commitments, {len(rows[1]):,} tags, {len(rows[2]):,} "
            f"sources and {len(rows[3]):,} status changes in {timings['insert']:.1f} s"
            + (f", VACUUM ANALYZE {timings['analyze']:.1f} s" if backend == "postgresql" else ""),
            flush=True,
        )
        rng = random.Random(7)
        filters = list_filters(rng)
        searches = [{"q": word} for word in SEARCH_WORDS[:1]]
        get_ids = [rng.randint(1, args.commitments) for _ in range(500)]
        ids = list(range(1, args.commitments + 1))
        rng.shuffle(ids)
        half = len(ids) // 2
        http_jobs, sql_jobs = status_jobs(state, ids[:half]), status_jobs(state, ids[half:])
        common = {"duration": args.duration, "warmup": args.warmup, "concurrency": args.concurrency}

        # The floor: the same SQL, straight through the async engine, with the same concurrency.
        engine = create_engine(url, NAME, inline_sqlite=True)  # as the service builds it
        sessions = session_factory(engine)
        captured = await capture_reads(
            engine, sessions, {"list": filters, "search": searches, "getOne": get_ids[:100]}
        )
        works = {name: replay_reads(engine, captured[name]) for name in ("list", "search", "getOne")}
        works["status change"] = replay_status_change(engine, sql_jobs)
        for name, work in works.items():
            cpu = time.process_time() + postgres_cpu(cluster)
            result = await replay_load(engine, work, **common)
            result["cpu"] = time.process_time() + postgres_cpu(cluster) - cpu
            results[(backend, name, "sql")] = result
        await engine.dispose()
        print(f"[{backend}] SQL floor done", flush=True)

        # The service for real.
        port = free_port()
        env = service_env(directory, database_url, nats_url)
        profile_dir = os.environ.get("BENCH_PROFILE")
        if profile_dir:
            runner = directory / "profiled_serve.py"
            runner.write_text(PROFILED_SERVE)
            target = directory / "profile-target"
            env["BENCH_PROFILE_TARGET"] = str(target)
            command = [sys.executable, str(runner), "serve", NAME, "--port", str(port)]
        else:
            command = [
                str(VENV_BIN / "suivi"),
                "serve",
                NAME,
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ]
        server = Server(command, env, directory / "service.log", port, "/readyz")
        try:
            await server.wait()
            viewer, monitor = await login_tokens(port)
            new_pages = [
                ("GET", list_path(f, rng=(25 * p, 25 * p + 24)), None) for p in range(1, 101) for f in filters
            ]
            rng.shuffle(new_pages)
            operations = {
                "list": ([("GET", list_path(f), None) for f in filters], False, viewer),
                "list, new pages": (new_pages, True, viewer),
                "search": ([("GET", list_path(f), None) for f in searches], False, viewer),
                "getOne": ([("GET", f"/api/commitments/{i}", None) for i in get_ids], False, viewer),
                "status change": (
                    [("POST", "/api/status_changes", json.dumps(job).encode()) for job in http_jobs],
                    True,
                    monitor,
                ),
            }
            for name, (requests, unique, token) in operations.items():
                if profile_dir:
                    target.write_text(str(Path(profile_dir) / f"{backend}-{name.replace(' ', '_')}.prof"))
                    server.process.send_signal(signal.SIGUSR1)
                cpu = process_tree_cpu(server.process.pid) + postgres_cpu(cluster)
                result = await asyncio.to_thread(
                    http_load, port, requests, unique=unique, token=token, **common
                )
                result["cpu"] = process_tree_cpu(server.process.pid) + postgres_cpu(cluster) - cpu
                results[(backend, name, "http")] = result
                if profile_dir:
                    server.process.send_signal(signal.SIGUSR1)
            print(f"[{backend}] HTTP done", flush=True)
        finally:
            server.stop()
    finally:
        if cluster is not None:
            cluster.stop()


async def run_constant(args, work: Path, results: dict) -> None:
    port = free_port()
    runner = work / "constant_app.py"
    runner.write_text(CONSTANT_APP)
    server = Server([sys.executable, str(runner), str(port)], dict(os.environ), work / "constant.log", port,
                    "/constant")  # fmt: skip
    try:
        await server.wait()
        cpu = process_tree_cpu(server.process.pid)
        result = await asyncio.to_thread(
            http_load, port, [("GET", "/constant", None)], unique=False, token=None,
            duration=args.duration, warmup=args.warmup, concurrency=args.concurrency,
        )  # fmt: skip
        result["cpu"] = process_tree_cpu(server.process.pid) - cpu
        results[("-", "constant", "http")] = result
    finally:
        server.stop()


# -- report ----------------------------------------------------------------------------------------


def cell(result: dict | None) -> str:
    if not result:
        return "—"
    stats = percentiles(result["latencies"])
    rate = stats["n"] / result["seconds"] if result["seconds"] else 0
    cpu = 1000 * result["cpu"] / result["done"] if result.get("done") else float("nan")
    return f"{stats['p50']:6.1f} {stats['p95']:6.1f} {stats['p99']:6.1f} {rate:6.0f} {cpu:6.2f}"


def report(results: dict, backends: list[str]) -> None:
    header = f"{'operation':<16} {'backend':<11} | {'service over HTTP':<38} | SQL alone (async engine)"
    columns = f"{'':<16} {'':<11} | {'p50':>6} {'p95':>6} {'p99':>6} {'req/s':>6} {'CPU ms':>6}   |"
    columns += f" {'p50':>6} {'p95':>6} {'p99':>6} {'req/s':>6} {'CPU ms':>6}"
    print()
    print(header)
    print(columns)
    print("-" * len(header))
    for name in ("list", "list, new pages", "search", "getOne", "status change"):
        for backend in backends:
            print(
                f"{name:<16} {backend:<11} | {cell(results.get((backend, name, 'http'))):<38} | "
                f"{cell(results.get((backend, name, 'sql')))}"
            )
    print(f"{'constant':<16} {'(FastAPI)':<11} | {cell(results.get(('-', 'constant', 'http'))):<38} |")
    print(
        "latencies in ms; CPU ms = CPU time per request of the service process (HTTP) or of this\n"
        "process (SQL), plus PostgreSQL's backends; the load generator's own CPU is not counted"
    )
    print()
    problems = []
    for (backend, name, layer), result in sorted(results.items()):
        bad = {code: n for code, n in result["codes"].items() if not (isinstance(code, int) and code < 300)}
        if bad:
            problems.append(f"{backend} {name} {layer}: {bad} {result['samples']}")
        if result.get("exhausted") and name == "status change":
            problems.append(f"{backend} {name} {layer}: ran out of distinct commitments before the end")
    for (backend, name, layer), result in sorted(results.items()):
        if layer == "http" and 0 in result["samples"]:
            print(f"Content-Range of {name} on {backend}: {result['samples'][0]}")
    print("\nTargets (service over HTTP):")
    for backend in backends:
        for name, limit in TARGETS.items():
            result = results.get((backend, name, "http"))
            if result:
                p95 = percentiles(result["latencies"])["p95"]
                verdict = "met" if p95 <= limit else "MISSED"
                print(f"  {backend:<11} {name:<16} p95 {p95:6.1f} ms <= {limit:.0f} ms: {verdict}")
    result = results.get(("sqlite", "list", "http"))
    if result:
        rate = len(result["latencies"]) / result["seconds"]
        verdict = "met" if rate >= LIST_RPS_TARGET else "MISSED"
        print(f"  sqlite      list           {rate:6.0f} req/s >= {LIST_RPS_TARGET:.0f}: {verdict}")
    if problems:
        print("\nErrors:")
        for line in problems:
            print("  " + line)


async def main(args) -> None:
    from suivi_kit.nats_server import EmbeddedNats

    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    print(f"machine: {machine()}")
    print(
        f"data: {args.commitments:,} commitments, {args.changes:,} status changes; {args.concurrency} "
        f"concurrent clients, {args.warmup:g} s warm-up then {args.duration:g} s per measurement",
        flush=True,
    )
    work = Path(tempfile.mkdtemp(prefix="suivi-bench-api-"))
    nats = EmbeddedNats(work / "nats")
    nats.start()
    results: dict = {}
    started = time.perf_counter()
    cache = os.environ.get("BENCH_ROWS_CACHE")  # while developing: generate the rows once
    if cache and Path(cache).exists():
        rows = pickle.loads(Path(cache).read_bytes())
    else:
        rows = build_rows(args.commitments, args.changes, Generator())
        if cache:
            Path(cache).write_bytes(pickle.dumps(rows))
    print(f"generated the rows in {time.perf_counter() - started:.1f} s", flush=True)
    try:
        for backend in backends:
            await run_backend(backend, args, rows, work, nats.url, results)
        await run_constant(args, work, results)
    finally:
        nats.stop()
        if args.keep:
            print(f"(kept {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"load: 1-minute load average at the end {os.getloadavg()[0]:.1f}")
    report(results, backends)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--commitments", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=500_000)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per operation")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up not measured")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="suivi serve --workers (default: the cores)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    asyncio.run(main(parser.parse_args()))
