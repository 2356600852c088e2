"""What every service's FastAPI app has: error body, CORS, security headers, health, readiness, metrics."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import install_error_handlers
from .settings import Settings

REQUESTS = Counter("suivi_http_requests_total", "HTTP requests", ["service", "method", "route", "status"])
LATENCY = Histogram(
    "suivi_http_request_seconds",
    "HTTP request latency",
    ["service", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10),
)

ReadinessCheck = Callable[[], Awaitable[None]]


class RequestMetrics:
    """Counts requests and times them by route. Plain ASGI: Starlette's BaseHTTPMiddleware runs
    each request in an extra task group, which cost more CPU than the list endpoint's SQL."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            path = getattr(scope.get("route"), "path", "unmatched")
            REQUESTS.labels(self.service, scope["method"], path, status).inc()
            LATENCY.labels(self.service, path).observe(time.perf_counter() - started)


class SecurityHeaders:
    """`nosniff` on every response; `no-store` on every response that sets no cache policy of
    its own. API answers are one user's view and may carry tokens, secrets, accounts and the
    audit log: no browser or proxy keeps them unless a route opts into caching (the
    commitments list revalidates with its ETag)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                if "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_service_app(
    name: str, settings: Settings, lifespan, readiness: dict[str, ReadinessCheck]
) -> FastAPI:
    app = FastAPI(
        title=f"Suivi {name}",
        version="0.1.0",
        lifespan=lifespan,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.service_name = name
    app.state.settings = settings
    app.state.readiness = readiness
    install_error_handlers(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "Range"],
            expose_headers=["Content-Range"],
        )

    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestMetrics, service=name)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": name}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        return await readiness_response(readiness)

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return app


async def readiness_response(checks: dict[str, ReadinessCheck]) -> JSONResponse:
    results: dict[str, str] = {}
    for label, check in checks.items():
        try:
            await check()
            results[label] = "ok"
        except Exception as exc:  # readiness reports any failure, whatever its kind
            results[label] = f"unavailable: {exc.__class__.__name__}"
    ready = all(value == "ok" for value in results.values())
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "checks": results}, 200 if ready else 503
    )
