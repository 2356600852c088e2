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
            record = {
                "seq": message.seq,
                "subject": message.subject,
                "headers": dict(message.headers or {}),
                "data": base64.b64encode(message.data or b"").decode("ascii"),
                "time": message.time.isoformat() if isinstance(message.time, datetime) else message.time,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
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
    entries = [*manifest["databases"].values(), manifest["stream"]]
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


def _summary(manifest: dict) -> str:
    databases = ", ".join(f"{name} ({entry['bytes']} bytes)" for name, entry in manifest["databases"].items())
    return f"databases: {databases}; stream {manifest['stream']['name']}: {manifest['stream']['messages']} messages"


def run_backup(args) -> int:
    from suivi_kit.settings import Settings

    settings = Settings()
    data_dir = args.data_dir or settings.data_dir
    try:
        manifest = asyncio.run(backup(Path(data_dir), args.to, args.nats_url or settings.nats_url))
    except BackupError as exc:
        print(f"suivi backup: {exc}", file=sys.stderr)
        return 1
    print(f"Backed up {data_dir} to {args.to} — {_summary(manifest)}")
    return 0


def run_restore(args) -> int:
    from suivi_kit.settings import Settings

    settings = Settings()
    data_dir = args.data_dir or settings.data_dir
    try:
        nats_url = args.nats_url or settings.nats_url
        manifest = asyncio.run(restore(args.source, Path(data_dir), nats_url, args.force))
    except BackupError as exc:
        print(f"suivi restore: {exc}", file=sys.stderr)
        return 1
    print(f"Restored {args.source} into {data_dir} — {_summary(manifest)}")
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
