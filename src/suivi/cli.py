"""The `suivi` command: run everything, serve one service, extract offline, manage users."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
from pathlib import Path
from typing import TypedDict

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("commitments", "ingest", "notify")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="suivi", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="everything on one origin, with an embedded nats-server")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--data-dir", type=Path, help="where databases and the NATS store live (default var/)")

    serve = commands.add_parser("serve", help="one service alone (SUIVI_NATS_URL must be set)")
    serve.add_argument("service", choices=SERVICES)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes sharing the port, to use more than one core (commitments on SQLite; any "
        "service on PostgreSQL)",
    )

    extract = commands.add_parser("extract", help="extract commitments from files, offline")
    extract.add_argument("paths", nargs="+", type=Path)
    extract.add_argument("--format", choices=("jsonl", "table"), default="jsonl")
    extract.add_argument("--language", help="force a language (fr, en) instead of detecting it")

    users = commands.add_parser("users", help="manage accounts")
    user_commands = users.add_subparsers(dest="users_command", required=True)
    create = user_commands.add_parser("create")
    create.add_argument("--username", required=True)
    create.add_argument("--password", required=True)
    create.add_argument("--role", choices=("admin", "monitor", "viewer"), default="viewer")

    from .backup import add_commands

    add_commands(commands)  # backup, restore

    args = parser.parse_args(argv)
    # Databases (password hashes, webhook secrets), the NATS store, backups and the generated
    # secret key: whatever this process or its nats-server creates is its owner's alone
    # (files 0600, directories 0700), as SQLite and nats-server would otherwise make them 0644.
    os.umask(0o077)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from pydantic import ValidationError

    try:
        return _dispatch(args)
    except ValidationError as error:
        if not error.title.endswith("Settings"):
            raise
        # The messages only: the error's own text would echo the settings' values, secrets included.
        reasons = "; ".join(str(detail["msg"]).removeprefix("Value error, ") for detail in error.errors())
        print(f"suivi: invalid settings: {reasons}", file=sys.stderr)
        return 2


def _dispatch(args) -> int:
    if args.command == "run":
        return _run(args)
    if args.command == "serve":
        return _serve(args)
    if args.command == "extract":
        return _extract(args)
    if args.command in ("backup", "restore"):
        from .backup import run_backup, run_restore

        return run_backup(args) if args.command == "backup" else run_restore(args)
    return asyncio.run(_create_user(args))


def _settings(**overrides):
    from suivi_kit.settings import PLACEHOLDER_SECRET, Settings

    settings = Settings(**overrides)
    if settings.secret_key == PLACEHOLDER_SECRET:
        # Never sign tokens with the public placeholder: a key of this installation's own,
        # made once and kept (owner-only) in the data directory, unless SUIVI_SECRET_KEY is set.
        settings.secret_key = os.environ["SUIVI_SECRET_KEY"] = _local_secret_key(settings.data_dir)
    return settings


def _local_secret_key(data_dir: Path) -> str:
    import secrets

    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _run(args) -> int:
    import uvicorn
    from suivi_kit.nats_server import EmbeddedNats

    from .gateway import Gateway

    if args.data_dir:
        os.environ["SUIVI_DATA_DIR"] = str(args.data_dir)
    settings = _settings()
    # The bundled corpus, on the first start only (ingest reads it from the environment).
    os.environ.setdefault("SUIVI_LOAD_SAMPLES", "1")
    url = f"http://{args.host}:{args.port}"
    nats = None
    if not settings.nats_servers:
        nats = EmbeddedNats(settings.data_dir / "nats")
        nats.start()
        settings.nats_url = nats.url
        print(f"Started nats-server with JetStream at {nats.url} (store {nats.store_dir})", flush=True)
    try:
        gateway = Gateway(_apps(settings), REPO_ROOT / "frontend" / "dist")
        config = uvicorn.Config(
            gateway, host=args.host, port=args.port, log_level="info", **_uvicorn_options(settings)
        )
        server = uvicorn.Server(config)
        # uvicorn shuts down gracefully on SIGINT/SIGTERM, then re-raises the signal to the handler
        # it found: a no-op one lets us stop nats-server and exit 0 instead of dying by the signal.
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: None)
        asyncio.run(_serve_and_announce(server, gateway, url, settings))
        return 0 if server.started else 1
    finally:
        if nats:
            nats.stop()


async def _serve_and_announce(server, gateway, url: str, settings) -> None:
    serving = asyncio.create_task(server.serve())
    while not server.started and not serving.done():  # noqa: ASYNC110 - uvicorn exposes a flag, not an event
        await asyncio.sleep(0.05)
    if server.started:  # listening: only now is the URL worth printing
        _announce(gateway, url, settings)
    await serving


def _apps(settings) -> dict:
    from suivi_commitments.main import create_app as commitments_app
    from suivi_ingest.main import create_app as ingest_app
    from suivi_notify.main import create_app as notify_app

    return {
        "commitments": commitments_app(settings),
        "ingest": ingest_app(settings),
        "notify": notify_app(settings),
    }


def _announce(gateway, url: str, settings) -> None:
    password = gateway.apps["commitments"].state.generated_admin_password
    if password:
        login = f"log in as 'admin' with password '{password}' (shown once; change it in Users)"
    elif settings.admin_password:
        login = "log in as 'admin' with the password in SUIVI_ADMIN_PASSWORD"
    else:
        login = "log in with your account ('admin' was created on the first start)"
    print(f"\nSuivi is running at {url} — {login}\n", flush=True)


def _serve(args) -> int:
    import uvicorn

    settings = _settings()
    if not settings.nats_servers:
        print("suivi serve needs SUIVI_NATS_URL (suivi run starts an embedded nats-server).", file=sys.stderr)
        return 2
    if args.workers > 1:
        if args.service != "commitments" and not settings.database_url:
            print(f"{args.service} on SQLite runs as one process; --workers needs SUIVI_DATABASE_URL.",
                  file=sys.stderr)  # fmt: skip
            return 2
        os.environ["SUIVI_SERVE_SERVICE"] = args.service  # read by each worker's factory below
        uvicorn.run("suivi.cli:service_app_from_environment", factory=True, workers=args.workers,
                    host=args.host, port=args.port, log_level="info", **_uvicorn_options(settings))  # fmt: skip
        return 0
    app = _apps_for(args.service, settings)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", **_uvicorn_options(settings))
    return 0


class UvicornOptions(TypedDict):
    timeout_keep_alive: int
    timeout_graceful_shutdown: int
    forwarded_allow_ips: str


def _uvicorn_options(settings) -> UvicornOptions:
    """What uvicorn takes from the settings: the drain (docs/deployment.md, "Stopping without
    errors") and the proxies it believes."""
    return {
        "timeout_keep_alive": settings.http_keep_alive_seconds,
        "timeout_graceful_shutdown": settings.http_graceful_shutdown_seconds,
        "forwarded_allow_ips": settings.forwarded_allow_ips,
    }


def service_app_from_environment():
    """The app of one `suivi serve --workers N` process (uvicorn imports it in each)."""
    return _apps_for(os.environ["SUIVI_SERVE_SERVICE"], _settings())


def _apps_for(service: str, settings):
    if service == "commitments":
        from suivi_commitments.main import create_app
    elif service == "ingest":
        from suivi_ingest.main import create_app
    else:
        from suivi_notify.main import create_app
    return create_app(settings)


def _extract(args) -> int:
    from suivi_ingest.extraction import Extractor, UnreadableDocument, UnsupportedLanguage, read_document

    extractor = Extractor()
    failures = 0
    for path in args.paths:
        try:
            document = read_document(path.read_bytes(), path.name)
            items = extractor.extract(
                document.text, doc=path.name, language=args.language or document.language
            )
        except (OSError, UnreadableDocument, UnsupportedLanguage) as exc:
            print(f"suivi extract: {path}: {exc}", file=sys.stderr)
            failures += 1
            continue
        for item in items:
            if args.format == "jsonl":
                sys.stdout.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
            else:
                topics = ",".join(item.topics)
                text = item.text if len(item.text) <= 90 else item.text[:89] + "…"
                sys.stdout.write(
                    f"{item.doc[:28]:28}  {item.locator[:22]:22}  {item.kind:14}  {topics[:40]:40}  {text}\n"
                )
    return 1 if failures else 0


async def _create_user(args) -> int:
    from suivi_commitments.main import MIGRATIONS, NAME
    from suivi_commitments.users.audit import Actor
    from suivi_commitments.users.schemas import UserCreate
    from suivi_commitments.users.service import create_user
    from suivi_kit.db import create_engine, migrate
    from suivi_kit.errors import AppError
    from suivi_kit.uow import Database

    settings = _settings()
    engine = create_engine(settings.database_url_for(NAME), NAME)
    try:
        await migrate(engine, MIGRATIONS, NAME)
        data = UserCreate(username=args.username, password=args.password, role=args.role)
        async with Database(engine).write() as uow:
            await create_user(uow.session, data, Actor("cli"))
    except AppError as exc:
        print(f"suivi users create: {exc.message}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"suivi users create: {exc}", file=sys.stderr)
        return 2
    finally:
        await engine.dispose()
    print(f"Created {args.role} '{args.username}'.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
