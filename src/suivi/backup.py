# ruff: noqa: ASYNC230, ASYNC240 - a command-line batch job: blocking file I/O in its coroutines is fine
"""`suivi backup --to DIR` and `suivi restore --from DIR` for the embedded default.

A backup directory holds:

- `<service>.db` for every SQLite database under the data directory, copied with SQLite's
  online backup API, so Suivi may keep running (and writing) meanwhile;
- `stream-SUIVI.jsonl`: every message of the JetStream stream, one JSON object a line
  (sequence, subject, headers — `Nats-Msg-Id` included —, base64 body, time);
- `manifest.json`: what was saved, with sizes and SHA-256 checksums, checked before a restore.

Order matters: the databases are copied first, the stream second, and the stream is cut at
each producer's copy: an event is kept if it was published before the copy of the database
of the service that published it (its CloudEvent `source`). Every event a database records
as published is then in the exported stream, and no event announces a change the restored
databases do not hold. An event still in an outbox at the copy is published again after the
restore; the consumers' inboxes (also in the databases) make any replay harmless. Restoring
re-publishes the messages in order into a fresh stream, with their ids and bodies.

Each database is consistent on its own; the three are copied one after the other (notify,
ingest, commitments), so a backup of a system under writes is a point in time per service.
For one instant across services, stop Suivi, or its writers, during the backup.

With PostgreSQL settings (SUIVI_DATABASE_URL, or a SUIVI_<SERVICE>_DATABASE_URL per service)
the databases are dumped with pg_dump instead, and the stream cut by the dump's own snapshot:
see `backup_postgres` and docs/reliability.md.

The NATS server is found in this order: `--nats-url`, SUIVI_NATS_URL, the embedded server of
a running `suivi run` (its log in DATA_DIR/nats names the port), else a temporary nats-server
started on DATA_DIR/nats for the time of the backup or restore.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re
import shutil
import socket
import sqlite3
import sys
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

MANIFEST = "manifest.json"
FORMAT = 1
_LISTENING = re.compile(rb"\[(\d+)\] [^\n]*Listening for client connections on ([\d.]+):(\d+)")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for a person."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _entry(path: Path, **extra) -> dict:
    return {"file": path.name, "bytes": path.stat().st_size, "sha256": _sha256(path), **extra}


# -- SQLite ------------------------------------------------------------------------------------


def backup_database(source: Path, target: Path) -> datetime:
    """A consistent copy of a live database (WAL included), whatever writes meanwhile.

    Returns the moment of the copy: its read transaction is open, its snapshot fixed, at that time.
    """
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, isolation_level=None)
    dst = sqlite3.connect(target)
    try:
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot is fixed here
        taken = datetime.now(UTC)
        with dst:
            src.backup(dst)
        src.execute("COMMIT")
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        dst.close()
        src.close()
    return taken


def _check_integrity(path: Path) -> None:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()
    if result != "ok":
        raise BackupError(f"{path.name} is damaged: {result}")


# -- NATS --------------------------------------------------------------------------------------


def _running_embedded_nats(store: Path) -> str | None:
    """The URL of the nats-server that a running `suivi run` started on this store, if any."""
    log = store / "nats-server.log"
    if not log.exists():
        return None
    matches = _LISTENING.findall(log.read_bytes()[-200_000:])
    if not matches:
        return None
    pid, host, port = int(matches[-1][0]), matches[-1][1].decode(), int(matches[-1][2])
    try:  # that server still runs, on this store: not another one that got the port since
        command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
        cwd = Path(f"/proc/{pid}/cwd").readlink()
    except OSError:
        return None
    if "-sd" not in command[:-1] or (cwd / command[command.index("-sd") + 1]).resolve() != store.resolve():
        return None
    try:
        socket.create_connection((host, port), timeout=0.5).close()
    except OSError:
        return None
    return f"nats://{host}:{port}"


@asynccontextmanager
async def _jetstream(data_dir: Path, nats_url: str | None):
    """A JetStream context on the given server, the running embedded one, or a temporary one."""
    import nats
    from suivi_kit.nats_server import EmbeddedNats

    url = nats_url or _running_embedded_nats(data_dir / "nats")
    temporary = None
    if url is None:
        temporary = EmbeddedNats(data_dir / "nats")
        temporary.start()
        url = temporary.url
    client = None
    try:
        client = await nats.connect(servers=url.split(","), connect_timeout=5, max_reconnect_attempts=2)
        yield client.jetstream()
    finally:
        if client is not None:
            await client.close()
        if temporary is not None:
            temporary.stop()


def _producer(data: bytes) -> str | None:
    """The service that published an event: its CloudEvent `source` is /suivi/<service>."""
    try:
        source = json.loads(data).get("source") or ""
    except (ValueError, AttributeError):
        return None
    return source.rsplit("/", 1)[-1] or None


def _record(message) -> dict:
    """A stream message as one line of stream-SUIVI.jsonl."""
    return {
        "seq": message.seq,
        "subject": message.subject,
        "headers": dict(message.headers or {}),
        "data": base64.b64encode(message.data or b"").decode("ascii"),
        "time": message.time.isoformat() if isinstance(message.time, datetime) else message.time,
    }


async def _export_stream(js, target: Path, snapshots: dict[str, datetime]) -> dict:
    from nats.js.errors import NotFoundError
    from suivi_kit.events import STREAM

    try:
        info = await js.stream_info(STREAM)
    except NotFoundError:
        target.write_text("")
        return {"name": STREAM, "messages": 0, "first_seq": 0, "last_seq": 0}
    first, last = info.state.first_seq, info.state.last_seq
    count = left_out = 0
    with open(target, "w", encoding="utf-8") as out:
        for seq in range(first, last + 1) if info.state.messages else ():
            try:
                message = await js.get_msg(STREAM, seq)
            except NotFoundError:  # deleted or expired by the stream's limits
                continue
            taken = snapshots.get(_producer(message.data or b"") or "")
            if taken is not None and isinstance(message.time, datetime) and message.time >= taken:
                left_out += 1  # published after its producer's database was copied: see the docstring
                continue
            out.write(json.dumps(_record(message), ensure_ascii=False) + "\n")
            count += 1
    consumers = {}
    for consumer in await js.consumers_info(STREAM):
        consumers[consumer.name] = {
            "ack_floor_stream_seq": consumer.ack_floor.stream_seq if consumer.ack_floor else None,
            "num_pending": consumer.num_pending,
        }
    return {
        "name": STREAM,
        "messages": count,
        "left_out_after_snapshot": left_out,
        "first_seq": first,
        "last_seq": last,
        "consumers": consumers,
    }


async def _import_stream(js, source: Path, expected: int, purge: bool = False) -> int:
    from suivi_kit.events import STREAM
    from suivi_kit.messaging import ensure_stream

    await ensure_stream(js)
    info = await js.stream_info(STREAM)
    if info.state.messages and purge:
        await js.purge_stream(STREAM)
    elif info.state.messages:
        raise BackupError(
            f"the stream {STREAM} already holds {info.state.messages} messages; restore into a fresh data "
            "directory (or --force, which empties it first)"
        )
    published = 0
    with open(source, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            await js.publish(
                record["subject"],
                base64.b64decode(record["data"]),
                headers=record["headers"] or None,
                timeout=10,
            )
            published += 1
    info = await js.stream_info(STREAM)
    if info.state.messages != expected:
        raise BackupError(
            f"the stream holds {info.state.messages} messages after the restore, not {expected}"
        )
    return published


# -- PostgreSQL: the distributed setup ---------------------------------------------------------
#
# One snapshot decides both halves. Before the dump, the stream's last sequence L0 is read; then
# each database's snapshot is exported (pg_export_snapshot), its outboxes are read in it, and
# pg_dump dumps its schemas in that same snapshot (--snapshot). The stream is exported after,
# keeping a message unless
#   - its event is in a dumped outbox still unpublished: the restored relay publishes it again,
#     in the outbox's order, so the stream must not hold it already; or
#   - it came after L0 and is in no dumped outbox: committed after the snapshot, it announces a
#     change the dump lacks. (Before L0 an event was committed before the snapshot: relays
#     publish committed rows only. Its outbox row may be gone, deleted by the retention.)
# So every event of the dump is in the restored stream or in a restored outbox, once; every
# restored message announces a change of the dump. Consumers' inboxes are in the dump: the
# fresh stream's consumers replay it all and skip what the dump shows they processed.

SERVICES = ("commitments", "ingest", "notify")  # each one's schema bears its name


def postgres_databases(settings) -> dict[str, list[str]] | None:
    """Each PostgreSQL database URL and the services (schemas) it holds; None with SQLite settings."""
    from suivi_kit.db import is_postgres

    urls = {service: settings.database_url_for(service) for service in SERVICES}
    on_postgres = [service for service, url in urls.items() if is_postgres(url)]
    if not on_postgres:
        return None
    if len(on_postgres) != len(SERVICES):
        raise BackupError(
            "some services are on PostgreSQL and others on SQLite: give every service a PostgreSQL URL"
        )
    grouped: dict[str, list[str]] = {}
    for service, url in urls.items():
        grouped.setdefault(url, []).append(service)
    return grouped


def libpq(url: str) -> tuple[str, dict[str, str]]:
    """pg_dump's --dbname for a SQLAlchemy URL, and its environment (the password out of `ps`).

    Of the URL's query, only the TLS mode is libpq's business (asyncpg's `ssl`, libpq's
    `sslmode`: the same values); the others tune the driver."""
    import os

    from sqlalchemy.engine import URL, make_url

    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    query = {"sslmode": mode} if (mode := _ssl_mode(url)) else {}
    libpq = URL.create("postgresql", parsed.username, None, parsed.host, parsed.port, parsed.database, query)
    return libpq.render_as_string(hide_password=False), env


def _ssl_mode(url: str) -> str | None:
    from sqlalchemy.engine import make_url

    query = make_url(url).query
    mode = query.get("ssl") or query.get("sslmode")
    return mode if isinstance(mode, str) else None


async def _connect_postgres(url: str):
    import asyncpg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    try:
        return await asyncpg.connect(
            host=parsed.host,
            port=parsed.port,
            user=parsed.username,
            password=parsed.password,
            database=parsed.database,
            ssl=_ssl_mode(url),
        )
    except (OSError, asyncpg.PostgresError) as exc:
        raise BackupError(f"cannot connect to PostgreSQL at {parsed.host}:{parsed.port}: {exc}") from None


async def _connect_nats(nats_url: str):
    import nats

    async def quiet(_error: Exception) -> None:  # the one message below says it, without tracebacks
        pass

    try:
        return await nats.connect(
            servers=nats_url.split(","), connect_timeout=5, max_reconnect_attempts=2, error_cb=quiet
        )
    except Exception as exc:  # nats-py raises its own errors and OSError alike
        raise BackupError(f"cannot connect to NATS at {nats_url}: {exc!r}") from None


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is missing: install PostgreSQL's client tools (the server's version)")
    return found


async def _run_tool(command: list[str], env: dict[str, str]) -> None:
    process = await asyncio.create_subprocess_exec(
        *command, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )
    _, errors = await process.communicate()
    if process.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {errors.decode(errors='replace').strip()}")


async def _dump_database(url: str, services: list[str], target: Path) -> dict[str, bool]:
    """pg_dump of the services' schemas in one snapshot; each outbox's event ids as of that snapshot
    (True: published)."""
    connection = await _connect_postgres(url)
    try:
        async with connection.transaction(isolation="repeatable_read", readonly=True):
            snapshot = await connection.fetchval("SELECT pg_export_snapshot()")
            outbox: dict[str, bool] = {}
            for service in services:
                rows = await connection.fetch(
                    f'SELECT event_id, published_at IS NOT NULL AS published FROM "{service}".outbox'
                )
                outbox.update((row["event_id"], row["published"]) for row in rows)
            dbname, env = libpq(url)
            schemas = [f"--schema={service}" for service in services]
            command = [_pg_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", *schemas]
            await _run_tool([*command, f"--file={target}", f"--dbname={dbname}"], env)
    finally:
        await connection.close()
    return outbox


async def export_stream_cut(js, target: Path, before_dump: int, outbox: dict[str, bool]) -> dict:
    """The stream's messages, cut by the dump's outboxes as the comment above says."""
    from nats.js.errors import NotFoundError
    from suivi_kit.events import STREAM

    info = await js.stream_info(STREAM)
    first, last = info.state.first_seq, info.state.last_seq
    kept = still_in_outbox = after_dump = 0
    with open(target, "w", encoding="utf-8") as out:
        for seq in range(first, last + 1) if info.state.messages else ():
            try:
                message = await js.get_msg(STREAM, seq)
            except NotFoundError:  # deleted or expired by the stream's limits
                continue
            event_id = (message.headers or {}).get("Nats-Msg-Id", "")  # "": in no outbox
            if outbox.get(event_id) is False:
                still_in_outbox += 1
                continue
            if seq > before_dump and event_id not in outbox:
                after_dump += 1
                continue
            out.write(json.dumps(_record(message), ensure_ascii=False) + "\n")
            kept += 1
    return {
        "name": STREAM,
        "messages": kept,
        "seq_before_dump": before_dump,
        "first_seq": first,
        "last_seq": last,
        "left_out_still_in_outbox": still_in_outbox,
        "left_out_after_dump": after_dump,
        "replicas": info.config.num_replicas,
    }


async def backup_postgres(databases: dict[str, list[str]], target: Path, nats_url: str) -> dict:
    from nats.js.errors import NotFoundError
    from suivi_kit.events import STREAM

    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; back up into a new directory")
    manifest: dict = {
        "format": FORMAT,
        "backend": "postgresql",
        "created_at": datetime.now(UTC).isoformat(),
        "databases": {},
        "dumps": {},
    }
    client = await _connect_nats(nats_url)
    try:
        js = client.jetstream()
        try:
            before_dump = (await js.stream_info(STREAM)).state.last_seq
        except NotFoundError:
            raise BackupError(
                f"the stream {STREAM} does not exist on {nats_url}: has Suivi started?"
            ) from None
        target.mkdir(parents=True, exist_ok=True)
        outbox: dict[str, bool] = {}
        for number, (url, services) in enumerate(databases.items(), start=1):
            dump = target / f"postgres-{number}.dump"
            outbox.update(await _dump_database(url, services, dump))
            manifest["dumps"][f"postgres-{number}"] = _entry(dump, services=services)
        stream_file = target / "stream-SUIVI.jsonl"
        stream = await export_stream_cut(js, stream_file, before_dump, outbox)
    finally:
        await client.close()
    manifest["stream"] = _entry(stream_file, **stream)
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


async def _restore_dump(url: str, services: list[str], dump: Path, force: bool) -> None:
    connection = await _connect_postgres(url)
    try:
        present = await connection.fetch(
            "SELECT schema_name FROM information_schema.schemata WHERE schema_name = ANY($1::text[])",
            services,
        )
        if present and not force:
            names = ", ".join(row["schema_name"] for row in present)
            raise BackupError(
                f"the database already holds the schemas {names}; restore into a fresh database "
                "(or --force, which drops them first)"
            )
        for row in present:
            await connection.execute(f'DROP SCHEMA "{row["schema_name"]}" CASCADE')
    finally:
        await connection.close()
    dbname, env = libpq(url)
    command = [_pg_tool("pg_restore"), "--single-transaction", "--exit-on-error", f"--dbname={dbname}"]
    await _run_tool([*command, str(dump)], env)


async def restore_postgres(
    source: Path, databases: dict[str, list[str]], nats_url: str, settings, force: bool = False
) -> dict:
    """The dumps into the configured databases, then the stream into a fresh stream created with
    the configured replicas. Run it before the services start."""
    from nats.js.errors import NotFoundError
    from suivi_kit.events import STREAM
    from suivi_kit.messaging import ensure_stream

    manifest = verify(source)
    if manifest.get("backend") != "postgresql":
        raise BackupError("this backup is of SQLite databases: restore it without PostgreSQL settings")
    target_of = {service: url for url, services in databases.items() for service in services}
    client = await _connect_nats(nats_url)
    try:
        js = client.jetstream()
        try:
            existing = (await js.stream_info(STREAM)).state.messages
        except NotFoundError:
            existing = None
        if existing and not force:
            raise BackupError(
                f"the stream {STREAM} already holds {existing} messages; restore into a fresh NATS "
                "cluster (or --force, which deletes the stream first)"
            )
        for entry in manifest["dumps"].values():
            urls = {target_of[service] for service in entry["services"]}
            if len(urls) != 1:
                raise BackupError(f"{entry['file']} holds {entry['services']}: give them one database")
            await _restore_dump(urls.pop(), entry["services"], source / entry["file"], force)
        if existing is not None:
            await js.delete_stream(STREAM)
        # Its age and size limits are the services' to set at their start (deployment.md).
        await ensure_stream(js, replicas=settings.stream_replicas)
        await _import_stream(js, source / manifest["stream"]["file"], manifest["stream"]["messages"])
    finally:
        await client.close()
    return manifest


# -- the two commands --------------------------------------------------------------------------


# Consumers before producers where the flow allows: notify only consumes what the others publish,
# commitments last, so that the effects recorded downstream are of events the upstream copy knows.
ORDER = ("notify", "ingest", "commitments")


def _databases(data_dir: Path) -> list[Path]:
    found = [p for p in data_dir.glob("*.db") if p.is_file()]
    return sorted(found, key=lambda p: (ORDER.index(p.stem) if p.stem in ORDER else -1, p.name))


async def backup(data_dir: Path, target: Path, nats_url: str | None = None) -> dict:
    data_dir, target = data_dir.resolve(), target.resolve()
    databases = _databases(data_dir)
    if not databases:
        raise BackupError(f"no database (*.db) under {data_dir}: is it Suivi's data directory?")
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; back up into a new directory")
    target.mkdir(parents=True, exist_ok=True)
    manifest: dict = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "data_dir": str(data_dir),
        "databases": {},
    }
    snapshots: dict[str, datetime] = {}
    for database in databases:  # databases first, then the stream: see the module's docstring
        copy = target / database.name
        snapshots[database.stem] = backup_database(database, copy)
        _check_integrity(copy)
        manifest["databases"][database.stem] = _entry(copy, snapshot_at=snapshots[database.stem].isoformat())
    stream_file = target / "stream-SUIVI.jsonl"
    async with _jetstream(data_dir, nats_url) as js:
        stream = await _export_stream(js, stream_file, snapshots)
    manifest["stream"] = _entry(stream_file, **stream)
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def verify(source: Path) -> dict:
    """The manifest of a backup directory, after checking every file against it."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{source} has no {MANIFEST}: not a Suivi backup") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    entries = [*manifest["databases"].values(), *manifest.get("dumps", {}).values(), manifest["stream"]]
    for entry in entries:
        path = source / entry["file"]
        if not path.exists():
            raise BackupError(f"{entry['file']} is missing from the backup")
        if path.stat().st_size != entry["bytes"] or _sha256(path) != entry["sha256"]:
            raise BackupError(
                f"{entry['file']} does not match its checksum in the manifest: the backup is damaged"
            )
    return manifest


async def restore(source: Path, data_dir: Path, nats_url: str | None = None, force: bool = False) -> dict:
    source, data_dir = source.resolve(), data_dir.resolve()
    manifest = verify(source)
    if manifest.get("backend") == "postgresql":
        raise BackupError("this backup is of PostgreSQL: restore it with SUIVI_DATABASE_URL set")
    if _running_embedded_nats(data_dir / "nats"):
        raise BackupError(f"Suivi seems to be running on {data_dir}: stop it before restoring")
    existing = _databases(data_dir) + (
        [data_dir / "nats"] if (data_dir / "nats" / "jetstream").exists() else []
    )
    if existing and not force:
        names = ", ".join(p.name for p in existing)
        raise BackupError(
            f"{data_dir} already holds data ({names}); restore into an empty directory or use --force"
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    if force and nats_url is None:
        shutil.rmtree(data_dir / "nats" / "jetstream", ignore_errors=True)
    for name, entry in manifest["databases"].items():
        target = data_dir / f"{name}.db"
        for leftover in (
            target,
            target.with_name(target.name + "-wal"),
            target.with_name(target.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(source / entry["file"], target)
        _check_integrity(target)
    stream = manifest["stream"]
    async with _jetstream(data_dir, nats_url) as js:
        await _import_stream(js, source / stream["file"], stream["messages"], purge=force)
    return manifest


def _required(nats_url: str | None) -> str:
    if not nats_url:
        raise BackupError("the distributed setup's NATS servers are needed: set SUIVI_NATS_URL or --nats-url")
    return nats_url


def _summary(manifest: dict) -> str:
    saved = {
        **manifest["databases"],
        **{", ".join(e["services"]): e for e in manifest.get("dumps", {}).values()},
    }
    databases = ", ".join(f"{name} ({entry['bytes']} bytes)" for name, entry in saved.items())
    return f"databases: {databases}; stream {manifest['stream']['name']}: {manifest['stream']['messages']} messages"


def run_backup(args) -> int:
    from suivi_kit.settings import Settings

    settings = Settings()
    data_dir = args.data_dir or settings.data_dir
    nats_url = args.nats_url or settings.nats_url
    try:
        databases = postgres_databases(settings)
        if databases is None:
            manifest = asyncio.run(backup(Path(data_dir), args.to, nats_url))
        else:
            manifest = asyncio.run(backup_postgres(databases, args.to.resolve(), _required(nats_url)))
    except BackupError as exc:
        print(f"suivi backup: {exc}", file=sys.stderr)
        return 1
    print(f"Backed up {'PostgreSQL' if databases else data_dir} to {args.to} — {_summary(manifest)}")
    return 0


def run_restore(args) -> int:
    from suivi_kit.settings import Settings

    settings = Settings()
    data_dir = args.data_dir or settings.data_dir
    nats_url = args.nats_url or settings.nats_url
    try:
        databases = postgres_databases(settings)
        if databases is None:
            manifest = asyncio.run(restore(args.source, Path(data_dir), nats_url, args.force))
        else:
            source = args.source.resolve()
            manifest = asyncio.run(
                restore_postgres(source, databases, _required(nats_url), settings, args.force)
            )
    except BackupError as exc:
        print(f"suivi restore: {exc}", file=sys.stderr)
        return 1
    print(f"Restored {args.source} into {'PostgreSQL' if databases else data_dir} — {_summary(manifest)}")
    return 0


def add_commands(commands) -> None:
    """The `backup` and `restore` subcommands, for cli.main's parser."""
    backup_parser = commands.add_parser(
        "backup", help="copy the databases and the event stream, Suivi running or not"
    )
    backup_parser.add_argument("--to", type=Path, required=True, help="a new directory for the backup")
    restore_parser = commands.add_parser(
        "restore", help="restore a backup into a data directory (Suivi stopped)"
    )
    restore_parser.add_argument("--from", dest="source", type=Path, required=True, help="a backup directory")
    restore_parser.add_argument("--force", action="store_true", help="replace the data already there")
    for parser in (backup_parser, restore_parser):
        parser.add_argument(
            "--data-dir", type=Path, help="Suivi's data directory (default SUIVI_DATA_DIR or var/)"
        )
        parser.add_argument(
            "--nats-url", help="the NATS server (default SUIVI_NATS_URL, else the embedded one)"
        )
