"""All services and the UI on one origin, routed like nginx routes them in the distributed setup."""

from __future__ import annotations

from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send
from suivi_kit.web import readiness_response

# The public API's owners, by path prefix; every other /api path belongs to commitments.
ROUTES = {
    "ingest": ("/api/documents",),
    "notify": ("/api/subscriptions", "/api/deliveries"),
}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def owner_of(path: str) -> str | None:
    for service, prefixes in ROUTES.items():
        if any(path == p or path.startswith(p + "/") for p in prefixes):
            return service
    if path == "/api" or path.startswith("/api/"):
        return "commitments"
    return None


def merged_openapi(apps: dict[str, FastAPI]) -> dict:
    """One API description for the one origin: every service's paths and components."""
    merged: dict = {"openapi": "3.1.0", "info": {"title": "Suivi", "version": "0.1.0"}, "paths": {}}
    components: dict[str, dict] = {}
    for app in apps.values():
        spec = app.openapi()
        merged["openapi"] = spec["openapi"]
        merged["paths"].update(spec["paths"])
        for kind, entries in spec.get("components", {}).items():
            known = components.setdefault(kind, {})
            for name, value in entries.items():
                if known.setdefault(name, value) != value:
                    raise ValueError(f"the services describe the component {kind}/{name} differently")
    merged["components"] = components
    return merged


class Gateway:
    def __init__(self, apps: dict[str, FastAPI], ui_dir: Path | None):
        self.apps = apps
        self.ui = UserInterface(ui_dir)
        self._openapi: dict | None = None

    @asynccontextmanager
    async def lifespan(self):
        async with AsyncExitStack() as stack:
            for app in self.apps.values():  # commitments first: it creates the first admin
                await stack.enter_async_context(app.router.lifespan_context(app))
            yield

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        path = scope.get("path", "/")
        service = owner_of(path)
        if service is not None:
            await self.apps[service](scope, receive, send)
        elif path == "/readyz":
            checks = {f"{name}.{label}": check for name, app in self.apps.items()
                      for label, check in app.state.readiness.items()}  # fmt: skip
            await (await readiness_response(checks))(scope, receive, send)
        elif path in ("/healthz", "/metrics"):
            await self.apps["commitments"](scope, receive, send)
        elif path == "/openapi.json":
            if self._openapi is None:
                self._openapi = merged_openapi(self.apps)
            response = JSONResponse(self._openapi, headers={"X-Content-Type-Options": "nosniff"})
            await response(scope, receive, send)
        elif scope["type"] == "http":
            await self.ui(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        message = await receive()
        assert message["type"] == "lifespan.startup"
        context = self.lifespan()
        try:
            await context.__aenter__()
        except BaseException as exc:
            await send({"type": "lifespan.startup.failed", "message": repr(exc)})
            raise
        await send({"type": "lifespan.startup.complete"})
        await receive()  # lifespan.shutdown
        try:
            await context.__aexit__(None, None, None)
        finally:
            await send({"type": "lifespan.shutdown.complete"})


class UserInterface:
    """The built react-admin app; unknown paths get index.html (a single-page app)."""

    def __init__(self, root: Path | None):
        self.root = root.resolve() if root else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = self._response(scope["path"])
        for name, value in SECURITY_HEADERS.items():
            response.headers[name] = value
        await response(scope, receive, send)

    def _response(self, path: str) -> Response:
        root = self.root
        if root is None or not (root / "index.html").exists():
            return JSONResponse(
                {
                    "detail": "ui not built",
                    "message": "The UI is not built: run 'make run' or 'npm run build'.",
                },
                503,
            )
        candidate = (root / path.lstrip("/")).resolve()
        if candidate.is_file() and candidate.is_relative_to(root):
            cache = "public, max-age=31536000, immutable" if "/assets/" in path else "no-cache"
            return FileResponse(candidate, headers={"Cache-Control": cache})
        return FileResponse(root / "index.html", headers={"Cache-Control": "no-cache"})
